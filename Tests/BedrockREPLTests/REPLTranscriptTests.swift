// REPL transcript tests through the plain reader and the real interpreter: each test feeds lines,
// and compares what a terminal would show (prompts and input echoed, then output and errors
// interleaved) or checks the files the REPL writes (:save, session transcripts).
import Testing
import FoundationEssentials
import BedrockInterpreter
@testable import BedrockREPL

/// Runs a REPL over `input` and returns its screen text.
struct Transcript {
    let text: String
    let status: Int32
    let repl: REPL

    init(_ input: String, directory: String = "/", configure: (inout REPLOptions) -> Void = { _ in }) {
        let collector = TextCollector()
        let sink = collector.sink
        let session = Session(options: SessionOptions(baseDirectory: directory, output: sink.write))
        var options = REPLOptions()
        options.echoInput = true
        configure(&options)
        repl = REPL(session: session, reader: PlainLineReader(text: input), output: sink, errors: sink, options: options)
        status = repl.run()
        text = collector.take()
    }
}

@Suite struct REPLTranscriptTests {
    @Test func expressionsEchoAndStatementsDoNot() {
        let t = Transcript("1 + 2\nlet x = 5\nx * 2\n\"a\" + \"b\"\n")
        #expect(t.text == """
            bedrock> 1 + 2
            3
            bedrock> let x = 5
            bedrock> x * 2
            10
            bedrock> "a" + "b"
            "ab"

            """)
        #expect(t.status == 0)
    }

    @Test func unfinishedInputContinuesOnTheDotsPrompt() {
        let t = Transcript("fn add(a, b) {\n  return a + b\n}\nadd(2, 3)\nlet xs = [1,\n 2]\nxs\n")
        #expect(t.text == """
            bedrock> fn add(a, b) {
                ...>   return a + b
                ...> }
            bedrock> add(2, 3)
            5
            bedrock> let xs = [1,
                ...>  2]
            bedrock> xs
            [1, 2]

            """)
        #expect(t.repl.statements == ["fn add(a, b) {\n  return a + b\n}", "add(2, 3)", "let xs = [1,\n 2]", "xs"])
    }

    @Test func errorsArePrintedAndTheSessionGoesOn() {
        let t = Transcript("let a = 1\nprint nosuch\nlet = 2\nprint a + 1\n")
        #expect(t.text.hasPrefix("bedrock> let a = 1\nbedrock> print nosuch\n<repl>:1:7: error:"))
        #expect(t.text.contains("bedrock> let = 2\n<repl>:1:5: error:"))
        #expect(t.text.hasSuffix("bedrock> print a + 1\n2\n"))
        #expect(t.repl.statements == ["let a = 1", "print a + 1"])   // failures are not kept
        #expect(t.status == ExitStatus.runtimeError)                  // non-interactive: the first error
    }

    @Test func inputEndingInsideAStatementIsAnError() {
        let t = Transcript("fn f() {\n  return 1\n")
        #expect(t.text.contains("error:"))
        #expect(t.status == ExitStatus.syntaxError)
    }

    @Test func saveWritesARunnableScriptWithTheSameOutput() throws {
        let folder = try TemporaryFolder()
        let script = folder.path + "/saved.bedrock"
        let input = """
            let names = ["ada", "grace"]
            print nosuch
            fn greet(name, greeting: "hello") {
              return "\\(greeting), \\(name)"
            }
            for n in names {
              print greet(n)
            }
            print greet("linus", greeting: "hi")
            :save \(script)

            """
        let t = Transcript(input)
        #expect(t.text.contains("saved 4 statements to \(script)"))
        let saved = try String(contentsOfFile: script, encoding: .utf8)
        #expect(!saved.contains("nosuch"))
        let printed = "hello, ada\nhello, grace\nhi, linus\n"
        #expect(t.text.contains("bedrock> for n in names {\n    ...>   print greet(n)\n    ...> }\n" + printed.prefix(24)))

        let collector = TextCollector()
        let fresh = Session(options: SessionOptions(baseDirectory: folder.path, output: collector.sink.write))
        #expect(fresh.runFile(path: script) == .ok)
        #expect(collector.take() == printed)
    }

    @Test func helpListsMetaCommandsAndBuiltins() {
        let t = Transcript(":help\n:help print\n")
        #expect(t.text.contains("REPL commands:\n  :help [topic]"))
        #expect(t.text.contains(":save FILE"))
        let topic = t.repl.session.help(topic: "print")
        #expect(!topic.isEmpty)
        #expect(t.text.hasSuffix(topic.hasSuffix("\n") ? topic : topic + "\n"))
    }

    @Test func resetForgetsVariablesAndStatements() {
        let t = Transcript("let y = 1\n:reset\ny\nlet z = 2\n")
        #expect(t.text.contains("bedrock> :reset\nsession reset\nbedrock> y\n<repl>:1:1: error:"))
        #expect(t.repl.statements == ["let z = 2"])
    }

    @Test func loadRunsAFileInTheSession() throws {
        let folder = try TemporaryFolder()
        let lib = folder.path + "/lib.bedrock"
        try "let loaded = 7\nprint \"loading\"\n".write(toFile: lib, atomically: true, encoding: .utf8)
        let t = Transcript(":load \(lib)\nloaded * 6\n:load \(folder.path)/none.bedrock\n")
        #expect(t.text.contains(":load \(lib)\nloading\nbedrock> loaded * 6\n42\n"))
        #expect(t.text.contains("error: :load: \(folder.path)/none.bedrock: no such file"))
        #expect(t.repl.statements.first?.hasSuffix("let loaded = 7\nprint \"loading\"\n") == true)
    }

    @Test func editRunsWhatTheEditorWrote() {
        let t = Transcript(":edit\nanswer()\n") { options in
            // An "editor" that writes a three-line statement into the file it is given.
            options.editorCommand = #"sh -c 'printf "fn answer() {\n  return 42\n}\n" > "$0"'"#
        }
        #expect(t.text.contains("bedrock> :edit\nfn answer() {\n  return 42\n}\nbedrock> answer()\n42\n"))
        #expect(t.repl.statements == ["fn answer() {\n  return 42\n}", "answer()"])
    }

    @Test func historyAndUnknownCommands() {
        let t = Transcript("1\n\n2\n:histroy\n:history\n")
        #expect(t.text.contains("error: unknown command :histroy; did you mean :history?"))
        #expect(t.text.hasSuffix("1  1\n2  2\n3  :histroy\n4  :history\n"))
    }

    @Test func quitStopsReading() {
        let t = Transcript("1\n:quit\n2\n")
        #expect(t.text == "bedrock> 1\n1\nbedrock> :quit\n")
    }

    @Test func replayRestoresStateSilently() {
        let collector = TextCollector()
        let sink = collector.sink
        let session = Session(options: SessionOptions(baseDirectory: "/", output: sink.write))
        var options = REPLOptions()
        options.echoInput = true
        let repl = REPL(session: session, reader: PlainLineReader(text: "f() + 1\n"), output: sink, errors: sink, options: options)
        let counts = repl.replay("let z = 3\nprint \"not shown\"\nfn f() {\n  return z\n}\nprint nosuch\n")
        #expect(counts.succeeded == 3 && counts.failed == 1)
        _ = repl.run()
        #expect(collector.take() == "bedrock> f() + 1\n4\n")
    }

    @Test func sessionLogKeepsEachSuccessfulStatement() throws {
        let folder = try TemporaryFolder()
        let log = SessionLog(directory: folder.path)
        _ = Transcript("let q = 1\nprint nosuch\nif q == 1 {\n  print \"one\"\n}\n") { $0.log = log }
        let text = try String(contentsOfFile: try #require(log.path), encoding: .utf8)
        #expect(text == "let q = 1\nif q == 1 {\n  print \"one\"\n}\n")
    }
}
