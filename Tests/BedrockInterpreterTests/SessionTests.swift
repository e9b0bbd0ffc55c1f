// The public Session API the REPL, CLI and notebook runner use: interactive echo and
// continuation, rendering, completion, help, interrupt, reset, seed, and bad script files.
import Foundation
import Testing
@testable import BedrockInterpreter

func makeSession(_ output: OutputCollector = OutputCollector(), base: String = "/tmp") -> Session {
    Session(options: SessionOptions(baseDirectory: base, libraries: [TestPlatform()], output: { output.append($0) }))
}

@Suite struct SessionTests {
    @Test func interactiveEchoesExpressionValues() {
        let session = makeSession()
        #expect(session.evaluateInteractive("let x = 40", name: "<repl>") == .value(nil))
        #expect(session.evaluateInteractive("x + 2", name: "<repl>") == .value("42"))
        #expect(session.evaluateInteractive("\"text\"", name: "<repl>") == .value("\"text\""))
        #expect(session.evaluateInteractive("print 1", name: "<repl>") == .value(nil))
        #expect(session.evaluateInteractive("models", name: "<repl>") == .value("[\"amazon.titan\", \"anthropic.claude\"]"))
        #expect(session.evaluateInteractive("let x = 1", name: "<repl>") == .value(nil), "REPL entries may redeclare")
        #expect(session.globalNames.contains("x"))
    }

    @Test func incompleteInputAsksForMore() {
        let session = makeSession()
        #expect(session.evaluateInteractive("fn f(x) {", name: "<repl>") == .incomplete)
        #expect(session.evaluateInteractive("let xs = [1,", name: "<repl>") == .incomplete)
        #expect(session.evaluateInteractive("fn f(x) {\n  return x * 2\n}", name: "<repl>") == .value(nil))
        #expect(session.evaluateInteractive("f(4)", name: "<repl>") == .value("8"))
        guard case .syntaxErrors(let text) = session.evaluateInteractive("let = 2", name: "<repl>") else {
            Issue.record("expected a syntax error"); return
        }
        #expect(text == "<repl>:1:5: error: expected a variable name after 'let' near '='\nlet = 2\n    ^")
    }

    @Test func runtimeErrorsCarryACallTrace() {
        let session = makeSession()
        let outcome = session.runSource("fn inner(x) => x / 0\nfn outer() {\n    return inner(1)\n}\nouter()\n", name: "trace.bedrock")
        #expect(outcome == .runtimeError(rendered: """
            trace.bedrock:1:18: error: division by zero
            fn inner(x) => x / 0
                             ^
            call trace (innermost first):
              in inner, called from trace.bedrock:3:17
              in outer, called from trace.bedrock:5:6
            """))
        #expect(session.evaluateInteractive("1 + 1", name: "<repl>") == .value("2"), "the session survives errors")
    }

    @Test func completionOffersNamesAndLabels() {
        let session = makeSession()
        _ = session.evaluateInteractive("let temperature_goal = 1", name: "<repl>")
        let names = session.completions(line: "pri", cursor: 3)
        #expect(names.replaceFrom == 0 && names.candidates == ["print"])
        let labels = session.completions(line: #"invoke m "x" max_"#, cursor: 17)
        #expect(labels.replaceFrom == 13 && labels.candidates == ["max_tokens:"])
        let mixed = session.completions(line: #"invoke m "x" tempe"#, cursor: 18)
        #expect(mixed.candidates == ["temperature:", "temperature_goal"])
        #expect(session.completions(line: "request ac", cursor: 10).candidates == ["access"])
        #expect(session.completions(line: "json.p", cursor: 6).candidates == ["json.parse"])
    }

    @Test func helpComesFromTheRegistry() {
        let session = makeSession()
        let overview = session.help(topic: nil)
        #expect(overview.contains("strings") && overview.contains("split"))
        #expect(session.help(topic: "invoke").contains("max_tokens: most tokens to generate"))
        #expect(session.help(topic: "map").contains("example:"))
        #expect(session.help(topic: "lenn") == "no help for 'lenn'; did you mean 'len'?")
    }

    @Test func interruptStopsARunningLoop() {
        let session = makeSession()
        let done = OutputCollector()
        // A plain thread, not a task: the run blocks its thread, and on a 2-core machine blocked
        // tasks can starve the cooperative pool. It keeps interrupting until the run ends,
        // because a run clears interrupts that arrived before it started.
        let interrupter = Thread {
            while done.text.isEmpty {
                Thread.sleep(forTimeInterval: 0.05)
                session.interrupt()
            }
        }
        interrupter.start()
        let outcome = session.runSource("var i = 0\nwhile true { i += 1 }\n", name: "spin.bedrock")
        done.append("done")
        guard case .runtimeError(let text) = outcome else { Issue.record("not interrupted: \(outcome)"); return }
        #expect(text.hasPrefix("spin.bedrock:2:1: error: interrupted"))
    }

    @Test func seedAndReset() {
        let session = makeSession()
        #expect(session.seed == 0)
        _ = session.runSource("seed 42\nlet kept = 1", name: "s")
        #expect(session.seed == 42)
        session.reset()
        #expect(session.seed == 0)
        #expect(!session.globalNames.contains("kept"))
    }

    @Test func badScriptFilesGiveClearErrors() throws {
        let session = makeSession()
        #expect(session.runFile(path: "/tmp/definitely-missing.bedrock") == .runtimeError(rendered: "/tmp/definitely-missing.bedrock: error: no such file"))
        #expect(session.runFile(path: "/tmp") == .runtimeError(rendered: "/tmp: error: is a directory, not a script"))
        let path = "/tmp/bedrock-invalid-utf8.bedrock"
        try Data([0x70, 0x72, 0x69, 0x6E, 0x74, 0x20, 0xC3, 0x28]).write(to: URL(fileURLWithPath: path))
        #expect(session.runFile(path: path) == .runtimeError(rendered: "\(path): error: file is not valid UTF-8 (first bad byte at offset 6)"))
    }

    @Test func scriptArgumentsAreAList() {
        let output = OutputCollector()
        let session = Session(options: SessionOptions(baseDirectory: "/tmp", scriptArguments: ["a", "b"], output: { output.append($0) }))
        #expect(session.runSource("print args, len(args)", name: "a") == .ok)
        #expect(output.text == "[\"a\", \"b\"] 2\n")
    }
}
