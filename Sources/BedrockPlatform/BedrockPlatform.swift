// BedrockPlatform: placeholder until its issue lands.
