// The REPL's meta commands: `:help [topic]`, `:save FILE`, `:load FILE`, `:edit`, `:chat MODEL`,
// `:reset`, `:history`, `:quit`. They start with a colon, which no bedrock statement does, and are only
// recognised at the primary prompt (inside a multi-line statement a colon line is just input).
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum MetaResult { case `continue`, quit }

/// The meta commands with their one-line help, in the order `:help` lists them.
let metaCommands: [(name: String, usage: String, summary: String)] = [
    ("help", ":help [topic]", "this list, or help on a builtin or statement"),
    ("save", ":save FILE", "write this session's successful statements as a runnable script"),
    ("load", ":load FILE", "run a script in this session"),
    ("edit", ":edit", "edit a (multi-line) statement in $EDITOR, then run it"),
    ("chat", ":chat MODEL [settings]", "chat mode: every line is a turn, streamed, with running tokens and cost"),
    ("reset", ":reset", "forget every variable and start a fresh session"),
    ("history", ":history", "list the lines entered so far"),
    ("quit", ":quit", "leave (Ctrl-D does the same)"),
]

extension REPL {
    func isMetaCommand(_ line: String) -> Bool {
        line.drop(while: \.isWhitespace).hasPrefix(":")
    }

    func runMeta(_ line: String) -> MetaResult {
        let words = line.drop(while: \.isWhitespace).dropFirst().split(separator: " ", maxSplits: 1)
        let name = words.first.map(String.init) ?? ""
        let argument = words.count > 1 ? String(words[1]).trimmed : ""
        switch name {
        case "help", "h", "?": output.write(helpText(topic: argument.isEmpty ? nil : argument))
        case "save": save(to: argument)
        case "load": load(argument)
        case "edit": edit()
        case "chat": enterChat(argument)
        case "reset": resetSession()
        case "history": listHistory()
        case "quit", "q", "exit": return .quit
        default: unknownMeta(name)
        }
        return .continue
    }

    func helpText(topic: String?) -> String {
        let fromSession = session.help(topic: topic)
        guard topic == nil else { return fromSession.hasSuffix("\n") ? fromSession : fromSession + "\n" }
        var text = "REPL commands:\n"
        let width = metaCommands.map(\.usage.count).max() ?? 0
        for command in metaCommands {
            text += "  " + command.usage + String(repeating: " ", count: width - command.usage.count + 2) + command.summary + "\n"
        }
        text += "Keys: Tab completes, Up/Down recall history, Ctrl-R searches it, Ctrl-C cancels, Ctrl-D quits.\n\n"
        return text + fromSession + (fromSession.hasSuffix("\n") ? "" : "\n")
    }

    private func save(to argument: String) {
        guard !argument.isEmpty else { return metaError(":save needs a file name, as in :save session.bedrock") }
        let path = expandTilde(argument)
        let script = statements.map { $0.hasSuffix("\n") ? $0 : $0 + "\n" }.joined()
        do {
            try AtomicFile.write(script, to: path)
            output.write("saved \(statements.count) statement\(statements.count == 1 ? "" : "s") to \(argument)\n")
        } catch {
            metaError(":save: \(error)")
        }
    }

    private func load(_ argument: String) {
        guard !argument.isEmpty else { return metaError(":load needs a file name, as in :load setup.bedrock") }
        let path = expandTilde(argument)
        switch ScriptFile.check(path) {
        case .failure(let problem): return metaError(":load: \(problem)")
        case .success(let text):
            let session = self.session
            let outcome = Interrupts.whileRunning(interrupt: { session.interrupt() }) { session.runFile(path: path) }
            switch outcome {
            case .ok: record("# :load \(argument)\n" + text)
            case .syntaxErrors(let rendered, _): report(rendered, status: ExitStatus.syntaxError)
            case .runtimeError(let rendered): report(rendered, status: ExitStatus.runtimeError)
            }
        }
    }

    private func edit() {
        let editor = options.editorCommand ?? Self.defaultEditor()
        let path = FileManager.default.temporaryDirectory.path + "/bedrock-edit-\(getpid()).bedrock"
        defer { unlink(path) }
        do { try AtomicFile.write(lastInput.map { $0 + "\n" } ?? "", to: path) } catch {
            return metaError(":edit: \(error)")
        }
        Console.flush()
        let status = system(editor + " " + shellQuoted(path))
        guard status == 0 else { return metaError(":edit: the editor (\(editor)) exited with status \(status)") }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return metaError(":edit: cannot read \(path) back")
        }
        let source = text.hasSuffix("\n") ? String(text.dropLast()) : text
        guard !source.allSatisfy(\.isWhitespace) else { return }
        output.write(source + "\n")
        if submit(source) == .incomplete {
            report("\(Self.inputName): error: the edited statement is unfinished (an open bracket, block or string)", status: ExitStatus.syntaxError)
        }
    }

    private func resetSession() {
        session.reset()
        statements = []
        lastInput = nil
        options.log?.startOver()
        output.write("session reset\n")
    }

    private func listHistory() {
        let entries = reader.history
        let width = String(entries.count).count
        for (index, entry) in entries.enumerated() {
            let number = String(index + 1)
            output.write(String(repeating: " ", count: width - number.count) + number + "  " + entry + "\n")
        }
    }

    private func unknownMeta(_ name: String) {
        let names = metaCommands.map(\.name)
        let closest = names.min { editDistance($0, name) < editDistance($1, name) }
        var message = "unknown command :\(name)"
        if let closest, editDistance(closest, name) <= 2 { message += "; did you mean :\(closest)?" }
        metaError(message + " (:help lists the commands)")
    }

    private func metaError(_ message: String) {
        errors.write("error: \(message)\n")
    }

    static func defaultEditor() -> String {
        let environment = ProcessInfo.processInfo.environment
        for key in ["VISUAL", "EDITOR"] {
            if let value = environment[key], !value.isEmpty { return value }
        }
        return "vi"
    }
}

func expandTilde(_ path: String) -> String {
    guard path == "~" || path.hasPrefix("~/") else { return path }
    let home = ProcessInfo.processInfo.environment["HOME"] ?? ""
    return home + path.dropFirst()
}

/// Single-quotes a word for /bin/sh.
func shellQuoted(_ word: String) -> String {
    "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
}

/// Levenshtein distance, for "did you mean" on meta commands.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var previous = Array(0...b.count)   // distances from a[..<i-1] to each prefix of b
    for (i, charA) in a.enumerated() {
        var current = [i + 1]
        for (j, charB) in b.enumerated() {
            current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (charA == charB ? 0 : 1)))
        }
        previous = current
    }
    return previous[b.count]
}
