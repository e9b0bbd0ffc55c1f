// EditLineReader: the terminal LineReader, on libedit's readline-compatible API (CLibEdit).
// Gives line editing, persistent history (libedit's own file format), Ctrl-R incremental search
// and Tab completion through a provider function. Only for a TTY; pipes use PlainLineReader.
@preconcurrency import CLibEdit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Completion as the REPL asks for it: the line and the cursor (both in Characters) give the
/// character offset where the replaced word starts and the full replacement words.
public typealias CompletionProvider = @Sendable (_ line: String, _ cursor: Int) -> (replaceFrom: Int, candidates: [String])

/// libedit keeps one editor per process, so this state is global; the callback reads it.
private let activeCompletion = Mutex<CompletionProvider?>(nil)

public final class EditLineReader: LineReader {
    /// How many entries the history keeps (memory and file).
    public static let historyLimit = 1000
    private let historyFile: String?
    public let isInteractive = true

    /// - Parameters:
    ///   - historyFile: where history is loaded from and saved to after each line; nil keeps it in memory.
    ///   - completion: answers Tab.
    public init(historyFile: String?, completion: @escaping CompletionProvider) {
        self.historyFile = historyFile
        activeCompletion.withLock { $0 = completion }
        Interrupts.install()
        clibedit_set_name("bedrock")           // the section name in ~/.editrc
        _ = rl_initialize()
        clibedit_set_completion(completeCallback)
        // Break words only at spaces and brackets: the provider decides what a word is.
        clibedit_set_word_breaks(" \t\n\"'`()[]{},=+-*/<>!;")
        using_history()
        stifle_history(Int32(Self.historyLimit))
        if let historyFile { _ = read_history(historyFile) }
        // Emacs mode binds ^R to redisplay; users of every other shell expect reverse search.
        _ = rl_parse_and_bind("bind ^R em-inc-search-prev")
    }

    public func readLine(prompt: String) -> LineInput {
        Interrupts.pending.store(false, ordering: .relaxed)
        guard let raw = CLibEdit.readline(prompt) else {
            if Interrupts.pending.exchange(false, ordering: .relaxed) {
                Console.out("\n")
                return .interrupted
            }
            Console.out("\n")
            return .endOfInput
        }
        defer { free(raw) }
        return .line(String(cString: raw))
    }

    public func addHistory(_ line: String) {
        _ = add_history(line)
        if let historyFile { _ = write_history(historyFile) }
    }

    public var history: [String] {
        let base = Int(clibedit_history_base())
        return (0..<Int(clibedit_history_length())).compactMap { index in
            history_get(Int32(base + index)).flatMap { $0.pointee.line }.map { String(cString: $0) }
        }
    }
}

/// libedit's completion callback (global and capture-free, TOOLCHAIN.md §1 pitfall 3).
/// `start` is the byte offset where libedit's word begins; the provider's word may begin
/// elsewhere, so candidates are re-based onto libedit's word before they are returned.
private let completeCallback: @convention(c) (UnsafePointer<CChar>?, Int32, Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { _, start, _ in
    clibedit_set_completion_over(1)   // never fall back to file names
    guard let provider = activeCompletion.withLock({ $0 }), let buffer = clibedit_line_buffer() else {
        return nil
    }
    let bytes = Array(UnsafeBufferPointer(start: buffer, count: Int(max(clibedit_end(), 0)))).map { UInt8(bitPattern: $0) }
    let point = min(Int(clibedit_point()), bytes.count)
    let line = String(decoding: bytes, as: UTF8.self)
    let cursor = String(decoding: bytes[..<point], as: UTF8.self).count
    let answer = provider(line, cursor)
    let matches = CompletionRebase.rebase(
        candidates: answer.candidates, replaceFromCharacter: answer.replaceFrom,
        lineBytes: Array(bytes[..<point]), wordStartByte: Int(start))
    guard !matches.isEmpty else { return nil }
    let single = matches.count == 1
    clibedit_set_append_character(single && matches[0].last.map { ".(:".contains($0) } == true ? 0 : 32)
    // libedit wants element 0 = the text to insert (the common prefix) followed by every match;
    // a single match is given twice, which is how it recognises a unique completion.
    return cStringArray([CompletionRebase.commonPrefix(matches)] + matches)
}

/// A NULL-terminated array of strdup'd strings: libedit free()s both the array and the strings.
private func cStringArray(_ strings: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
    let raw = malloc(MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * (strings.count + 1))!
    let array = raw.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: strings.count + 1)
    for (index, string) in strings.enumerated() { array[index] = strdup(string) }
    array[strings.count] = nil
    return array
}

/// Pure helpers for the completion callback, kept apart so tests can check them.
enum CompletionRebase {
    /// Rewrites candidates that replace the line from `replaceFromCharacter` into candidates that
    /// replace it from libedit's word start (a byte offset), dropping any that no longer fit.
    static func rebase(candidates: [String], replaceFromCharacter: Int, lineBytes: [UInt8], wordStartByte: Int) -> [String] {
        let line = String(decoding: lineBytes, as: UTF8.self)
        let from = min(max(replaceFromCharacter, 0), line.count)
        let fromByte = line.prefix(from).utf8.count
        let start = min(max(wordStartByte, 0), lineBytes.count)
        if fromByte == start { return candidates }
        if fromByte > start {
            let head = String(decoding: lineBytes[start..<fromByte], as: UTF8.self)
            return candidates.map { head + $0 }
        }
        let head = String(decoding: lineBytes[fromByte..<start], as: UTF8.self)
        return candidates.filter { $0.hasPrefix(head) }.map { String($0.dropFirst(head.count)) }
    }

    /// The longest common prefix, which libedit inserts when several candidates remain.
    static func commonPrefix(_ strings: [String]) -> String {
        guard var prefix = strings.first else { return "" }
        for string in strings.dropFirst() {
            while !string.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}
