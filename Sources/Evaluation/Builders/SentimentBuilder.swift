// Builds `builtin:sentiment` (classification) from the VADER ground-truth files (Hutto & Gilbert,
// ICWSM 2014): TSV lines of id, mean human rating −4…+4, text. Clear cases only (|rating| ≥ 1),
// labelled by sign, balanced 50/50 and across the four sources. Pure: text in, items out.
import Basics
import Foundation

public enum SentimentBuilder {
    public static let seed: UInt64 = 20_140_601
    public static let itemCount = 100
    /// Ratings closer to zero than this are mixed or neutral: no honest single label.
    public static let margin = 1.0
    /// Ground-truth file stem → category name, in the order sources are taken.
    public static let sources: [(file: String, category: String)] = [
        ("tweets_GroundTruth.txt", "tweets"),
        ("movieReviewSnippets_GroundTruth.txt", "movie-reviews"),
        ("amazonReviewSnippets_GroundTruth.txt", "product-reviews"),
        ("nytEditorialSnippets_GroundTruth.txt", "news-editorials"),
    ]
    public static let instruction = "Is the sentiment of the following text positive or negative? Answer with one word: positive or negative."

    /// One rated sentence of a ground-truth file.
    public struct Rating: Sendable, Equatable {
        public var id: String
        public var score: Double
        public var text: String
    }

    /// Parses a ground-truth TSV; lines that are not `id<TAB>number<TAB>text` are errors.
    public static func ratings(_ text: String, file: String) throws(DatasetBuildError) -> [Rating] {
        var out: [Rating] = []
        for (offset, raw) in text.lines().enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.isEmpty { continue }
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, let score = Double(fields[1]), (-4...4).contains(score) else {
                throw .badRecord(file: file, line: offset + 1, reason: "expected id, rating in -4...4 and text separated by tabs")
            }
            out.append(Rating(id: String(fields[0]), score: score, text: String(fields[2])))
        }
        return out
    }

    /// Turns HTML entities the tweets carry back into characters.
    static func unescapeEntities(_ text: String) -> String {
        var s = text
        for (entity, char) in [("&quot;", "\""), ("&lt;", "<"), ("&gt;", ">"), ("&#39;", "'"), ("&amp;", "&")] {
            s = s.replacingOccurrences(of: entity, with: char)
        }
        return s
    }

    /// Short, plain, clean, clearly rated text; nil when the sentence does not qualify.
    static func usable(_ rating: Rating) -> (text: String, label: String)? {
        // Cheap tests first (cleaning only shortens text, so a short raw text stays short).
        guard abs(rating.score) >= margin, rating.text.utf8.count >= 30 else { return nil }
        let unescaped = rating.text.contains("&") ? unescapeEntities(rating.text) : rating.text
        let text = unescaped.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        guard abs(rating.score) >= margin, (30...200).contains(text.count),
              SelectionFilter.isPlainASCII(text), SelectionFilter.isClean(text),
              !text.contains("http"), !text.contains("@"), !text.contains("#") else { return nil }
        return (text, rating.score > 0 ? "positive" : "negative")
    }

    /// Half positive, half negative; within each label the sources take turns (round-robin over
    /// per-source pools shuffled with their own sub-seed); then the two labels alternate.
    public static func build(files: [String: String], seed: UInt64 = seed, count: Int = itemCount) throws(DatasetBuildError) -> [DatasetItem] {
        var positive: [[DatasetItem]] = []
        var negative: [[DatasetItem]] = []
        for source in sources {
            guard let text = files[source.file] else { throw .missingFile(source.file) }
            var pos: [DatasetItem] = [], neg: [DatasetItem] = []
            for rating in try ratings(text, file: source.file) {
                guard let (clean, label) = usable(rating) else { continue }
                let item = DatasetItem(id: "\(source.category):\(rating.id)", prompt: instruction + "\n\nText: " + clean,
                                       referenceResponses: [label], category: source.category)
                if label == "positive" { pos.append(item) } else { neg.append(item) }
            }
            var rng = SplitMix64(seed: seed ^ stableHash(source.category))
            positive.append(rng.shuffled(pos))
            negative.append(rng.shuffled(neg))
        }
        let half = count / 2
        let pos = roundRobin(positive, count: count - half), neg = roundRobin(negative, count: half)
        guard pos.count == count - half, neg.count == half else {
            throw .tooFewItems(set: "builtin:sentiment", wanted: count, found: min(pos.count, neg.count) * 2)
        }
        return (0..<count).map { $0 % 2 == 0 ? pos[$0 / 2] : neg[$0 / 2] }
    }
}
