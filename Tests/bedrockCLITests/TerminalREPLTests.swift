// Drives the real libedit REPL in a terminal: tmux runs `bedrock` in a detached pane on a private
// server, send-keys types, capture-pane reads the screen. Checks Tab completion (builtins and
// variables), history recall with Up, Ctrl-R search, Ctrl-C, the history file across launches and
// `--resume` restoring the previous session's state.
import Foundation
import Testing

private let tmuxPath = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

@Suite(.serialized) struct TerminalREPLTests {
    @Test(.enabled(if: tmuxPath != nil, "tmux is not installed: the terminal REPL test needs it"),
          .timeLimit(.minutes(1)))
    func completionHistoryAndPersistence() throws {
        let home = try TemporaryFolder()
        let terminal = try Terminal(home: home.path)
        defer { terminal.close() }

        try terminal.launch()
        try terminal.waitFor { $0.lastLine == "bedrock>" }
        try terminal.enter("let answer_value = 41")
        terminal.type("answer_v", "Tab")                      // a variable in scope
        try terminal.waitFor { $0.lastLine == "bedrock> answer_value" }
        try terminal.enter("+ 1")                             // completion appended a space
        #expect(terminal.screen().lines.suffix(3) == ["bedrock> answer_value + 1", "42", "bedrock>"])
        terminal.type("uppe", "Tab")                          // a builtin ("pri" would be ambiguous: print, price)
        try terminal.waitFor { $0.lastLine == "bedrock> upper" }
        terminal.type("C-u", "model \"amazon.titan-text-l", "Tab")   // a model ID inside a string
        try terminal.waitFor { $0.lastLine.hasPrefix("bedrock> model \"amazon.titan-text-lite-v1") }
        terminal.type("C-u", "Up")                            // history: the previous line
        try terminal.waitFor { $0.lastLine == "bedrock> answer_value + 1" }
        terminal.type("C-u", "C-r", "let ans")                // reverse search
        try terminal.waitFor { $0.lastLine == "bck:let ans" && $0.lines.dropLast().last == "bedrock> let answer_value = 41" }
        try terminal.enter("")                                // accepts the found line and runs it
        #expect(terminal.screen().lines.suffix(2) == ["bedrock> let answer_value = 41", "bedrock>"])
        terminal.type("fn f() {", "Enter")                    // unfinished: the continuation prompt
        try terminal.waitFor { $0.lastLine == "    ...>" }
        terminal.type("C-c")                                  // cancels the unfinished statement
        try terminal.waitFor { $0.lastLine == "bedrock>" }
        terminal.type("while true { }", "Enter")
        try terminal.waitFor { $0.lastLine == "bedrock> while true { }" }
        Thread.sleep(forTimeInterval: 0.3)
        terminal.type("C-c")                                  // interrupts the running statement
        try terminal.waitFor { $0.contains("interrupted") && $0.lastLine == "bedrock>" }
        terminal.type(":quit", "Enter")
        try terminal.waitFor { $0.contains("EXIT=0") }

        let history = try String(contentsOfFile: home.path + "/history", encoding: .utf8)
        #expect(history.hasPrefix("_HiStOrY_V2_\n"))
        #expect(history.contains("let\\040answer_value\\040=\\04041"))

        try terminal.launch("repl", "--resume")               // second launch: history persisted
        try terminal.waitFor { $0.lines.filter { $0.hasPrefix("bedrock ") }.count == 2 && $0.lastLine == "bedrock>" }
        #expect(terminal.screen().contains("resumed 3 statements from \(home.path)/sessions/"))
        terminal.type("Up")
        try terminal.waitFor { $0.lastLine == "bedrock> :quit" }
        terminal.type("Up")
        try terminal.waitFor { $0.lastLine == "bedrock> while true { }" }
        terminal.type("C-u")
        try terminal.enter("answer_value * 2")                // state restored by --resume
        #expect(terminal.screen().lines.suffix(3) == ["bedrock> answer_value * 2", "82", "bedrock>"])
        terminal.type("C-d")
        try terminal.waitFor { $0.components(separatedBy: "EXIT=0").count == 3 }
        let sessions = try FileManager.default.contentsOfDirectory(atPath: home.path + "/sessions")
        #expect(sessions.count == 1)                          // --resume appended to the same file
        let log = try String(contentsOfFile: home.path + "/sessions/" + sessions[0], encoding: .utf8)
        #expect(log.hasSuffix("let answer_value = 41\nanswer_value * 2\n"))
    }
}

/// One tmux pane on a private server (its own socket), running bedrock with a private home.
private final class Terminal {
    let socket = "bedrock-test-\(getpid())-\(UUID().uuidString.prefix(8))"
    let home: String
    let binary: String
    private var started = false

    init(home: String) throws {
        self.home = home
        binary = try BedrockProcess.binary()
    }

    /// Starts bedrock in the pane (a new pane the first time, then again in the same pane).
    /// `trap : INT` keeps the wrapping shell alive when ^C reaches the whole process group.
    func launch(_ arguments: String...) throws {
        // HOME and EDITRC too: a user's ~/.editrc (vi mode, other bindings) must not change the keys.
        let command = "trap : INT; BEDROCK_HOME='\(home)' HOME='\(home)' EDITRC=/dev/null TERM=xterm '\(binary)' "
            + arguments.joined(separator: " ") + "; echo EXIT=$?"
        if !started {
            started = true
            try tmux(["new-session", "-d", "-s", "t", "-x", "120", "-y", "40", "bash --norc --noprofile"])
            try tmux(["send-keys", "-t", "t", "PS1='$ '; clear", "Enter"])
        }
        try tmux(["send-keys", "-t", "t", command, "Enter"])
    }

    /// Types `line` and Enter, then waits for the next prompt (typing ahead of the prompt would
    /// show the terminal's own echo of the early keys, as in any shell).
    func enter(_ line: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let prompts = screen().lines.filter { $0.hasPrefix("bedrock>") }.count
        if !line.isEmpty { type(line) }
        type("Enter")
        try waitFor({ $0.lines.filter { $0.hasPrefix("bedrock>") }.count > prompts && $0.lastLine == "bedrock>" },
                    sourceLocation: sourceLocation)
    }

    /// Sends keys: literal text or tmux key names (Enter, Tab, Up, C-r …).
    func type(_ keys: String...) {
        for key in keys { _ = try? tmux(["send-keys", "-t", "t", key]) }
    }

    func screen() -> Screen {
        Screen(text: (try? tmux(["capture-pane", "-p", "-t", "t"])) ?? "")
    }

    /// Polls the screen until `condition` holds (10 s at most), else fails with the screen.
    func waitFor(_ condition: (Screen) -> Bool, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if condition(screen()) { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("the terminal never showed what was expected; screen:\n\(screen().lines.joined(separator: "\n"))", sourceLocation: sourceLocation)
        throw CancellationError()
    }

    func close() {
        _ = try? tmux(["kill-server"])
    }

    /// Runs tmux through /bin/sh with system(3), output to a file. Not Foundation's Process: on
    /// Linux it notices a child's exit when an inherited socket closes, and the tmux server that
    /// new-session forks keeps that socket open, so waitUntilExit would never return.
    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        let capture = FileManager.default.temporaryDirectory.path + "/\(socket)-\(UUID().uuidString).out"
        defer { try? FileManager.default.removeItem(atPath: capture) }
        let words = [tmuxPath!, "-L", socket, "-f", "/dev/null"] + arguments
        let command = words.map(Self.quoted).joined(separator: " ") + " >" + Self.quoted(capture) + " 2>/dev/null </dev/null"
        let status = system(command)
        guard status == 0 else { throw TmuxError(arguments: arguments, status: status) }
        return (try? String(contentsOfFile: capture, encoding: .utf8)) ?? ""
    }

    struct TmuxError: Error {
        var arguments: [String]
        var status: Int32
    }

    private static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// What capture-pane showed, each line without trailing spaces (so a bare prompt reads "bedrock>").
private struct Screen {
    let text: String

    var lines: [String] {
        var lines = text.components(separatedBy: "\n").map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// The last line with anything on it: where the cursor is.
    var lastLine: String { lines.last ?? "" }

    func contains(_ text: String) -> Bool { self.text.contains(text) }
    func components(separatedBy separator: String) -> [String] { text.components(separatedBy: separator) }
}
