// BedrockSyntax: placeholder until its issue lands.
