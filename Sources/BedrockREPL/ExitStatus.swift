// ExitStatus: the process exit statuses every front end uses, in one place so the CLI, the piped
// REPL and the tests agree. BSD sysexits values where one fits (as jlox uses them).

/// The exit statuses of every `bedrock` command (BSD sysexits, as jlox uses them).
public enum ExitStatus {
    public static let ok: Int32 = 0
    /// Bad command line.
    public static let usage: Int32 = 64
    /// The script does not parse.
    public static let syntaxError: Int32 = 65
    /// The script failed while running.
    public static let runtimeError: Int32 = 70
    /// `bedrock notebook --check` found outputs that differ (as `diff` exits 1).
    public static let checkFailed: Int32 = 1
    /// A missing or unreadable input file.
    public static let noInput: Int32 = 66
}
