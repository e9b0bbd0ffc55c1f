// NotebookRunner: runs every ```bedrock cell of a notebook in one Session (base directory = the
// notebook's folder, volatile values masked) and compares, prints or rewrites the ```output cells.
// A cell's syntax or runtime error is its output, so notebooks can teach errors. `bedrock
// notebook` and the Docs/ tests both call this; parsing lives in Notebook.swift.
import BedrockInterpreter
import FoundationEssentials

/// What one cell printed, masks applied.
public struct CellResult: Sendable {
    public var cell: CodeCell
    public var output: String
    public var lines: [String] { OutputMatching.lines(output) }
}

/// A cell whose output differs from its ```output cell (or that has none).
public struct CellMismatch: Sendable {
    public var cell: CodeCell
    /// Why, in one line: names the cell and its line.
    public var summary: String
    public var diff: String
}

public struct NotebookRun: Sendable {
    public var path: String
    public var notebook: Notebook
    public var results: [CellResult]

    /// Parses and runs the notebook at `path`. `configure` may adjust the session's options
    /// (the executable adds the platform's native libraries there).
    public static func run(path: String, configure: (inout SessionOptions) -> Void = { _ in }) throws -> NotebookRun {
        let text: String
        switch ScriptFile.check(path) {
        case .success(let contents): text = contents
        case .failure(let problem): throw problem
        }
        let name = displayName(path)
        let notebook = try Notebook(text: text, file: name)
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let folder = String(absolute[..<absolute.lastIndex(of: "/")!])
        let collector = TextCollector()
        var options = SessionOptions(baseDirectory: folder.isEmpty ? "/" : folder, maskVolatile: true,
                                     output: collector.sink.write)
        configure(&options)
        let session = Session(options: options)
        let results = notebook.cells.map { cell in
            CellResult(cell: cell, output: execute(cell, in: session, name: name, collector: collector))
        }
        return NotebookRun(path: path, notebook: notebook, results: results)
    }

    /// Runs one cell, named `FILE.md#N` so that error positions (`nb.md#3:1:7`) count lines from
    /// the cell's top: recorded outputs then stay valid when other cells grow or move.
    private static func execute(_ cell: CodeCell, in session: Session, name: String, collector: TextCollector) -> String {
        var output: String
        switch session.runSource(cell.source, name: "\(name)#\(cell.number)") {
        case .ok: output = collector.take()
        case .syntaxErrors(let rendered, _), .runtimeError(let rendered): output = collector.take() + rendered
        }
        if !output.isEmpty && !output.hasSuffix("\n") { output += "\n" }
        return OutputMatching.mask(output, patterns: cell.masks)
    }

    /// The notebook's file name: what error messages in outputs show, the same from any folder.
    static func displayName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// Every cell whose output does not match its ```output cell.
    public func mismatches() -> [CellMismatch] {
        results.compactMap { result in
            let cell = result.cell
            let actual = result.lines
            let expected = cell.output?.lines ?? []
            let where_ = "\(Self.displayName(path)): cell \(cell.number) (line \(cell.openLine + 1))"
            if cell.output == nil && actual.isEmpty { return nil }
            let diff = UnifiedDiff.render(
                expected: expected, actual: actual,
                expectedLabel: "\(where_) expected", actualLabel: "\(where_) actual",
                firstLine: (cell.output?.openLine ?? cell.closeLine) + 2, equal: OutputMatching.line)
            if cell.output == nil {
                return CellMismatch(cell: cell, summary: "\(where_) printed output but has no ```output cell", diff: diff)
            }
            return diff.isEmpty ? nil : CellMismatch(cell: cell, summary: "\(where_): output differs", diff: diff)
        }
    }

    /// Every cell's output, each under a header naming the cell (what `bedrock notebook` prints).
    public func transcript() -> String {
        results.filter { !$0.output.isEmpty }.map { result in
            "── cell \(result.cell.number), line \(result.cell.openLine + 1) ──\n" + result.output
        }.joined()
    }

    /// The notebook with every output cell rewritten to this run's output and missing ones
    /// inserted. Expected lines that still match (wildcards included) are kept as written.
    public func updatedText() -> String {
        var notebook = self.notebook
        for result in results.reversed() {
            let cell = result.cell
            let actual = result.lines
            guard let old = cell.output else {
                if actual.isEmpty { continue }
                let fence = Self.fence(for: actual)
                notebook.lines.insert(contentsOf: ["", fence + "output"] + actual + [fence], at: cell.closeLine + 1)
                continue
            }
            let merged = Self.merge(expected: old.lines, actual: actual)
            let needed = Self.fence(for: merged)   // grows only if the output itself holds a fence
            let fence = old.fence.first == "`" && old.fence.count < needed.count ? needed : old.fence
            let opening = String(repeating: " ", count: notebook.lines[old.openLine].prefix(while: { $0 == " " }).count)
                + fence + notebook.lines[old.openLine].drop(while: { $0 == " " }).drop(while: { $0 == old.fence.first })
            notebook.lines.replaceSubrange(old.openLine...old.closeLine, with: [opening] + merged + [fence])
        }
        if notebook.lines.last.map({ !$0.isEmpty }) ?? false { notebook.endsWithNewline = true }
        return notebook.text
    }

    /// Keeps each expected line that the aligned actual line matches (so `…` survives an update).
    static func merge(expected: [String], actual: [String]) -> [String] {
        UnifiedDiff.operations(expected, actual, equal: OutputMatching.line).compactMap { op in
            switch op {
            case .same(let i, _): expected[i]
            case .added(let j): actual[j]
            case .removed: nil
            }
        }
    }

    /// A backtick fence longer than any backtick run that starts a line of the content.
    static func fence(for lines: [String]) -> String {
        let longest = lines.map { $0.drop(while: { $0 == " " }).prefix(while: { $0 == "`" }).count }.max() ?? 0
        return String(repeating: "`", count: max(3, longest + 1))
    }
}
