// SourceLocation: where a token, AST node or diagnostic comes from (file, 1-based line and column).
// A plain Sendable value so it can travel with errors across threads; it does not hold the source
// text (the DiagnosticRenderer is given the text separately).

/// A position in a source file: 1-based line and column (columns count Unicode scalars).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file name as shown in diagnostics (a path, `<repl>` or `<prelude:name>`).
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:col`, the prefix of every diagnostic.
    public var description: String { "\(file):\(line):\(column)" }
}
