// Builds `builtin:fortunes` (general text generation) from the BSD fortune files: records split by
// `%` lines, attributions dropped, short plain clean prose kept, each cut at its middle word into a
// prompt to continue and the reference continuation (prompt + " " + reference is the whole text,
// for perplexity). Pure: text in, items out.
import Basics

public enum FortuneBuilder {
    public static let seed: UInt64 = 19_950_401
    public static let itemCount = 100
    /// Short, general, non-offensive collections; the offensive ones are not even in the package.
    public static let files = ["computers", "education", "food", "platitudes", "science", "wisdom", "work"]

    /// The records of a fortune file with the line each starts on, split at lines that are `%`.
    public static func records(_ text: String) -> [(line: Int, text: String)] {
        var out: [(line: Int, text: String)] = []
        var lines: [String] = []
        var start = 1
        for (offset, raw) in text.lines().enumerated() {
            if raw == "%" {
                if !lines.isEmpty { out.append((start, lines.joined(separator: "\n"))) }
                lines = []
                start = offset + 2
            } else {
                lines.append(String(raw))
            }
        }
        if lines.contains(where: { !$0.isEmpty }) { out.append((start, lines.joined(separator: "\n"))) }
        return out
    }

    /// One line of prose from a record, or nil when it is verse, layout, code, dialogue or crude.
    /// Attribution lines ("\t\t-- Author") are dropped first.
    static func prose(_ record: String) -> String? {
        let lines = record.lines().filter { !$0.isEmpty }.filter { !$0.trimmingPrefix(while: { $0 == " " || $0 == "\t" }).hasPrefix("--") }
        guard !lines.isEmpty, !lines.contains(where: { $0.first == " " || $0.first == "\t" }) else { return nil }
        let text = lines.joined(separator: " ").split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        let words = text.split(separator: " ")
        guard (60...240).contains(text.count), words.count >= 10, SelectionFilter.isPlainASCII(text),
              SelectionFilter.isClean(text), !text.contains(where: { "_|<>{}#=*@[]".contains($0) }),
              !text.contains("http"), !text.contains(":") else { return nil }
        return text
    }

    /// Cuts after the middle word: the first ⌈n/2⌉ words prompt, the rest is the reference.
    public static func split(_ text: String) -> (prompt: String, continuation: String) {
        let words = text.split(separator: " ")
        let cut = (words.count + 1) / 2
        return (words[..<cut].joined(separator: " "), words[cut...].joined(separator: " "))
    }

    /// Each file's usable records shuffled with its own sub-seed, then taken round-robin.
    public static func build(files texts: [String: String], seed: UInt64 = seed, count: Int = itemCount) throws(DatasetBuildError) -> [DatasetItem] {
        var pools: [[DatasetItem]] = []
        for file in files {
            guard let text = texts[file] else { throw .missingFile(file) }
            let items = records(text).compactMap { record -> DatasetItem? in
                guard let clean = prose(record.text) else { return nil }
                let (prompt, continuation) = split(clean)
                return DatasetItem(id: "\(file):\(record.line)", prompt: prompt, referenceResponses: [continuation], category: file)
            }
            var rng = SplitMix64(seed: seed ^ stableHash(file))
            pools.append(rng.shuffled(items))
        }
        let items = roundRobin(pools, count: count)
        guard items.count == count else { throw .tooFewItems(set: "builtin:fortunes", wanted: count, found: items.count) }
        return items
    }
}
