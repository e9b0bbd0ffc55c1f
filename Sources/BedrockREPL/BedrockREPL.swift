// BedrockREPL: placeholder until its issue lands.
