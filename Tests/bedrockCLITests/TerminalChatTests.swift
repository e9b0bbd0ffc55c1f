// The REPL's chat mode in a real terminal (tmux, as TerminalREPLTests): `:chat` switches the
// prompt, an answer streams onto the screen, Ctrl-C stops it mid-way with the status line saying
// so, Up recalls the turn, `:exit` returns to `bedrock>` with the conversation kept in `chat1`;
// a bare `chat m` line enters the mode too and Ctrl-D leaves it.
// Uses the real SmolLM2 model from the model cache; skipped without tmux.
import Foundation
import Testing

private let tmux = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }

@Suite(.serialized) struct TerminalChatTests {
    @Test(.enabled(if: tmux != nil, "tmux is not installed: the terminal chat test needs it"), .timeLimit(.minutes(1)))
    func chatModeStreamsAndCtrlCStopsTheAnswer() throws {
        let home = try TemporaryFolder()
        let pane = try ChatPane(home: home.path)
        defer { pane.close() }
        let model = "amazon.titan-text-lite-v1"
        let prompt = "chat \(model)>"

        try pane.waitFor { $0.last == "bedrock>" }
        pane.type("request access \"\(model)\"", "Enter")
        try pane.waitFor { $0.last == "bedrock>" && $0.contains { $0.contains("Access granted") } }
        pane.type(":chat \"\(model)\" max_tokens: 200 temperature: 0", "Enter")
        try pane.waitFor { $0.last == prompt }
        pane.type("Tell me a long story about a dragon.", "Enter")
        // Streaming: text appears under the turn before the answer is complete.
        try pane.waitFor { lines in
            guard let turn = lines.lastIndex(of: "\(prompt) Tell me a long story about a dragon.") else { return false }
            return lines.count > turn + 1 && !lines[turn + 1].isEmpty && !lines.contains { $0.hasPrefix("[turn 1") }
        }
        pane.type("C-c")
        try pane.waitFor { $0.last == prompt && $0.contains { $0.hasPrefix("[turn 1 (stopped) · this turn ") } }
        let status = try #require(pane.lines().first { $0.hasPrefix("[turn 1 (stopped)") })
        let match = try #require(status.firstMatch(of: /in \/ (\d+) out/))
        let output = try #require(Int(match.1))
        #expect(output >= 1 && output < 200)

        pane.type("Up")                                   // the turn is in the history
        try pane.waitFor { $0.last == "\(prompt) Tell me a long story about a dragon." }
        pane.type("C-u", ":exit", "Enter")
        try pane.waitFor { $0.last == "bedrock>" && $0.contains("left chat mode; the conversation stays in chat1") }
        pane.type("chat1.output_tokens", "Enter")
        try pane.waitFor { $0.suffix(3) == ["bedrock> chat1.output_tokens", String(output), "bedrock>"] }
        pane.type("chat \"\(model)\" max_tokens: 4", "Enter")   // a bare chat line at a terminal
        try pane.waitFor { $0.last == prompt && $0.contains { $0.hasPrefix("chatting in chat2;") } }
        pane.type("C-d")                                  // leaves chat mode, not the REPL
        try pane.waitFor { $0.last == "bedrock>" && $0.contains("left chat mode; the conversation stays in chat2") }
        pane.type("C-d")
        try pane.waitFor { $0.contains("EXIT=0") }
    }
}

/// A tmux pane on a private server running `bedrock repl --ephemeral` with a private home and
/// the real model cache.
private final class ChatPane {
    let socket = "bedrock-chat-\(getpid())-\(UUID().uuidString.prefix(8))"

    init(home: String) throws {
        let environment = ProcessInfo.processInfo.environment
        let models = environment["BEDROCK_MODELS"]
            ?? environment["BEDROCK_HOME"].map { $0 + "/models" }
            ?? (environment["HOME"] ?? "") + "/.bedrock/models"
        let command = "trap : INT; BEDROCK_HOME='\(home)' BEDROCK_MODELS='\(models)' HOME='\(home)' EDITRC=/dev/null TERM=xterm '"
            + (try BedrockProcess.binary()) + "' repl --ephemeral; echo EXIT=$?"
        try run(["new-session", "-d", "-s", "t", "-x", "160", "-y", "50", "bash --norc --noprofile"])
        try run(["send-keys", "-t", "t", "PS1='$ '; clear", "Enter"])
        try run(["send-keys", "-t", "t", command, "Enter"])
    }

    func type(_ keys: String...) {
        for key in keys { _ = try? run(["send-keys", "-t", "t", key]) }
    }

    /// The screen's lines without trailing spaces or trailing empty lines.
    func lines() -> [String] {
        let text = (try? run(["capture-pane", "-p", "-t", "t"])) ?? ""
        var lines = text.components(separatedBy: "\n").map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// Polls the screen until `condition` holds (20 s at most: answers come from the real model).
    func waitFor(_ condition: ([String]) -> Bool, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if condition(lines()) { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("the terminal never showed what was expected; screen:\n\(lines().joined(separator: "\n"))",
                     sourceLocation: sourceLocation)
        throw CancellationError()
    }

    func close() { _ = try? run(["kill-server"]) }

    /// tmux through system(3), as TerminalREPLTests does (Foundation's Process would wait on the
    /// server's inherited socket).
    @discardableResult
    private func run(_ arguments: [String]) throws -> String {
        let capture = FileManager.default.temporaryDirectory.path + "/\(socket)-\(UUID().uuidString).out"
        defer { try? FileManager.default.removeItem(atPath: capture) }
        let words = [tmux!, "-L", socket, "-f", "/dev/null"] + arguments
        let command = words.map(Self.quoted).joined(separator: " ") + " >" + Self.quoted(capture) + " 2>/dev/null </dev/null"
        let status = system(command)
        guard status == 0 else { throw TmuxFailure(arguments: arguments, status: status) }
        return (try? String(contentsOfFile: capture, encoding: .utf8)) ?? ""
    }

    struct TmuxFailure: Error {
        var arguments: [String]
        var status: Int32
    }

    private static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
