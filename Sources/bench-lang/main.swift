// bench-lang: runs bedrock scripts through a Session and reports wall and CPU time (for
// scripts/bench-language and quick manual checks): `bench-lang FILE…`. With `--notebook IN OUT`
// it runs a Markdown notebook's bedrock cells in one session and writes each cell's output
// cell (used to produce Docs/00-tour.md until `bedrock notebook --update` exists).
import BedrockInterpreter
import Dispatch
import Foundation

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
}

final class Buffer: @unchecked Sendable { var text = "" }

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "--notebook", arguments.count == 3 {
    let source = try String(contentsOfFile: arguments[1], encoding: .utf8)
    let buffer = Buffer()
    let session = Session(options: SessionOptions(baseDirectory: ".", maskVolatile: true, output: { buffer.text += $0 }))
    var out: [String] = []
    var cell: [String]? = nil
    var cellNumber = 0
    var skippingOldOutput = false
    for line in source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
        // Old output cells (and the blank line before them) are replaced by fresh ones.
        if skippingOldOutput { if line == "```" { skippingOldOutput = false }; continue }
        if cell == nil, line == "```output" {
            skippingOldOutput = true
            if out.last == "" { out.removeLast() }
            continue
        }
        if cell == nil, line == "```bedrock" { cell = []; out.append(line); continue }
        if var lines = cell {
            if line == "```" {
                out.append(line)
                cellNumber += 1
                buffer.text = ""
                switch session.runSource(lines.joined(separator: "\n") + "\n", name: "cell \(cellNumber)") {
                case .ok: break
                case .syntaxErrors(let text, _), .runtimeError(let text): buffer.text += text + "\n"
                }
                var printed = buffer.text
                if printed.hasSuffix("\n") { printed.removeLast() }
                out += ["", "```output", printed, "```"]
                cell = nil
            } else {
                lines.append(line)
                cell = lines
                out.append(line)
            }
            continue
        }
        out.append(line)
    }
    try out.joined(separator: "\n").write(toFile: arguments[2], atomically: true, encoding: .utf8)
} else {
    for file in arguments {
        let session = Session(options: SessionOptions(baseDirectory: ".", output: { text in print(text, terminator: "") }))
        let wall = DispatchTime.now().uptimeNanoseconds
        let cpu = cpuSeconds()
        let outcome = session.runFile(path: file)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - wall) / 1e6
        switch outcome {
        case .ok: break
        case .syntaxErrors(let rendered, _): print(rendered)
        case .runtimeError(let rendered): print(rendered)
        }
        print("[\(file): wall \(Int(elapsed)) ms, cpu \(Int((cpuSeconds() - cpu) * 1000)) ms]")
    }
}
