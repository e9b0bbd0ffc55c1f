// Property test: random and mutated scripts through lexer, parser, compiler and interpreter
// (seeded, bounded). The property: every run ends with ok or a rendered error, never a crash
// or a hang (loops are stopped by the interrupt flag after a time budget).
import Foundation
import Basics
import Testing
@testable import BedrockInterpreter
import BedrockSyntax

@Suite struct FuzzTests {
    static let corpus = [
        "let x = [1, 2, {a: \"b\"}]\nprint x[0] + len(x)",
        "fn f(a, b: 2) { return a * b }\nprint f(3, b: 4)",
        "var s = \"\"\nfor i in range(5) { s += str(i) }\nprint s",
        "let r = {k: [1, 2]}\nvar q = r\nq.k[0] = 9\nprint r, q",
        "if 1 < 2 { print \"yes\" } else if false { print 1 } else { print 2 }",
        "let t = \"\"\"\n  multi \\(1 + 1)\n  \"\"\"\nprint t",
        "print json.format(json.parse(\"[1, {\\\"a\\\": null}]\"), indent: 2)",
        "var n = 0\nwhile n < 10 { n += 1; if n == 5 { break } }\nprint map([1, 2], fn(x) => x * n)",
    ]
    static let fragments = ["(", ")", "[", "]", "{", "}", "\"", "\\(", "fn", "let", "=", "+", "-", "*", "/", ",", ":", "\n",
                            "x", "1", "1e999", "\"\"\"", "#", "if", "for", "in", "while true", "return", "break", ".", "[0]"]

    @Test func randomAndMutatedScriptsNeverCrash() {
        var rng = SplitMix64(seed: 20261129)
        let deadline = Date().addingTimeInterval(20)
        var runs = 0
        while runs < 400 && Date() < deadline {
            var source = Self.corpus[Int(rng.next() % UInt64(Self.corpus.count))]
            var scalars = Array(source.unicodeScalars)
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let position = scalars.isEmpty ? 0 : Int(rng.next() % UInt64(scalars.count))
                switch rng.next() % 3 {
                case 0 where !scalars.isEmpty: scalars.remove(at: position)
                case 1: scalars.insert(contentsOf: Self.fragments[Int(rng.next() % UInt64(Self.fragments.count))].unicodeScalars, at: position)
                default: if !scalars.isEmpty { scalars[position] = Unicode.Scalar(UInt8(32 + rng.next() % 95)) }
                }
            }
            source = String(String.UnicodeScalarView(scalars))
            let session = Session(options: SessionOptions(baseDirectory: "/tmp", output: { _ in }))
            // A plain thread (blocked tasks could starve the cooperative pool) that interrupts
            // repeatedly until the run ends (a run clears interrupts from before it started).
            let done = OutputCollector()
            let watchdog = Thread {
                while done.text.isEmpty {
                    Thread.sleep(forTimeInterval: 0.2)
                    session.interrupt()
                }
            }
            watchdog.start()
            let outcome = session.runSource(source, name: "fuzz")
            done.append("done")
            switch outcome {
            case .ok: break
            case .syntaxErrors(let text, let count): #expect(count > 0 && text.contains("fuzz:"))
            case .runtimeError(let text): #expect(text.contains("error:"))
            }
            runs += 1
        }
        #expect(runs > 50)
    }

    @Test func randomTokenSoupParses() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<300 {
            let source = (0..<40).map { _ in Self.fragments[Int(rng.next() % UInt64(Self.fragments.count))] }.joined(separator: " ")
            let result = Parser.parse(source: source, file: "soup")
            for diagnostic in result.diagnostics { #expect(diagnostic.location.line >= 1) }
        }
    }
}
