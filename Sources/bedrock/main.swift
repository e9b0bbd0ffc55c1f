print("bedrock 0.1.0")
