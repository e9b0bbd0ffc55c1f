// End-to-end tests of the built `bedrock` binary: exit statuses (0, 64, 65, 66, 70), --version,
// --help, bad script paths, piped stdin, `run` arguments, and notebooks checked and updated.
import Foundation
import Testing

@Suite struct CLITests {
    @Test func versionAndHelp() throws {
        let version = try BedrockProcess.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout == "bedrock 0.1.0\n")
        let help = try BedrockProcess.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("SUBCOMMANDS:"))
        #expect(help.stdout.contains("repl (default)"))
        for command in ["run", "notebook", "repl"] {
            let sub = try BedrockProcess.run([command, "--help"])
            #expect(sub.status == 0, "bedrock \(command) --help")
            #expect(sub.stdout.contains("USAGE: bedrock \(command)"))
            #expect(sub.stdout.contains("--ephemeral"))
        }
    }

    @Test func usageErrorsExit64() throws {
        let unknown = try BedrockProcess.run(["frobnicate"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("Unexpected argument 'frobnicate'"))
        let missingArgument = try BedrockProcess.run(["run"])
        #expect(missingArgument.status == 64)
        #expect(missingArgument.stderr.contains("Missing expected argument '<file>'"))
        let both = try BedrockProcess.run(["notebook", "x.md", "--check", "--update"])
        #expect(both.status == 64)
        #expect(both.stderr.contains("--check and --update cannot be used together"))
    }

    @Test func runOkPrintsAndPassesArguments() throws {
        let folder = try TemporaryFolder()
        let script = try folder.write("args.bedrock", "print \"hello\", 1 + 2\nprint args\n")
        let result = try BedrockProcess.run(["run", script, "one", "--two"])
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout == "hello 3\n[\"one\", \"--two\"]\n")
    }

    @Test func syntaxErrorExits65WithLocation() throws {
        let folder = try TemporaryFolder()
        let script = try folder.write("bad.bedrock", "print 1\nlet = 2\n")
        let result = try BedrockProcess.run(["run", script])
        #expect(result.status == 65)
        #expect(result.stdout == "")     // a script that does not parse runs nothing
        #expect(result.stderr.contains("bad.bedrock:2:5: error:"))
    }

    @Test func runtimeErrorExits70AfterEarlierOutput() throws {
        let folder = try TemporaryFolder()
        let script = try folder.write("boom.bedrock", "print \"before\"\nprint nosuchname\nprint \"after\"\n")
        let result = try BedrockProcess.run(["run", script])
        #expect(result.status == 70)
        #expect(result.stdout == "before\n")
        #expect(result.stderr.contains("boom.bedrock:2:7: error:"))
        #expect(result.stderr.contains("nosuchname"))
    }

    @Test func missingFileAndDirectoryAreClearErrors() throws {
        let folder = try TemporaryFolder()
        let missing = try BedrockProcess.run(["run", folder.path + "/nope.bedrock"])
        #expect(missing.status == 66)
        #expect(missing.stderr == "bedrock: \(folder.path)/nope.bedrock: no such file\n")
        let directory = try BedrockProcess.run(["run", folder.path])
        #expect(directory.status == 66)
        #expect(directory.stderr == "bedrock: \(folder.path): is a directory, not a script\n")
        let notebook = try BedrockProcess.run(["notebook", folder.path + "/none.md"])
        #expect(notebook.status == 66)
    }

    @Test func invalidUTF8IsReportedWithItsPosition() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/latin1.bedrock"
        try Data("print 1\nprint \"caf".utf8 + [0xE9] + Data("\"\n".utf8)).write(to: URL(fileURLWithPath: path))
        let result = try BedrockProcess.run(["run", path])
        #expect(result.status == 66)
        #expect(result.stderr.contains("latin1.bedrock:2:11: error: invalid UTF-8"))
    }

    @Test func pipedStdinRunsThroughThePlainReader() throws {
        let input = "let x = 20\nfn twice(n) {\n  return n * 2\n}\ntwice(x) + 2\nprint \"done\"\n"
        let result = try BedrockProcess.run([], stdin: input)
        #expect(result.status == 0)
        #expect(result.stderr == "")
        #expect(result.stdout == "42\ndone\n")     // no prompts, no banner; values echo
    }

    @Test func pipedStdinContinuesAfterErrorsAndExitsWithTheFirst() throws {
        let result = try BedrockProcess.run([], stdin: "print 1\nprint nosuch\nlet = 3\nprint 2\n")
        #expect(result.stdout == "1\n2\n")
        #expect(result.status == 70)
        #expect(result.stderr.contains("nosuch"))
    }
}
