// BedrockInterpreter: placeholder until its issue lands.
