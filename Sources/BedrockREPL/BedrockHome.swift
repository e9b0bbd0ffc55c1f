// BedrockHome: where the front ends keep per-user state: $BEDROCK_HOME, else ~/.bedrock.
// Holds the REPL history file and sessions/ (one transcript per REPL session). The workspace
// database and model cache live there too but belong to other modules.
import FoundationEssentials

public struct BedrockHome: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// $BEDROCK_HOME when set and non-empty, else $HOME/.bedrock.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> BedrockHome {
        if let home = environment["BEDROCK_HOME"], !home.isEmpty { return BedrockHome(path: home) }
        let user = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "."
        return BedrockHome(path: user + "/.bedrock")
    }

    /// libedit's history file (its own format: a `_HiStOrY_V2_` header, spaces as `\040`).
    public var historyFile: String { path + "/history" }

    /// One `.bedrock` transcript per REPL session.
    public var sessionsDirectory: String { path + "/sessions" }

    /// Creates the folder and sessions/ if missing.
    public func prepare() throws {
        try FileManager.default.createDirectory(atPath: sessionsDirectory, withIntermediateDirectories: true)
    }
}
