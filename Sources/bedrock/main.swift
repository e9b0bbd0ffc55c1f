// The `bedrock` executable: a thin swift-argument-parser shell over BedrockREPL and the
// interpreter. One file per subcommand (ReplCommand, RunCommand, NotebookCommand); no logic here
// beyond dispatch. `bedrock` with no subcommand opens the REPL (or runs piped stdin).
import ArgumentParser

BedrockCommand.main()
