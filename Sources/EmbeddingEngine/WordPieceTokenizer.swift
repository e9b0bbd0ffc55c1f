// Uncased BERT WordPiece tokenizer as all-MiniLM-L6-v2 runs it (Hugging Face `tokenizers`'
// BertNormalizer + BertPreTokenizer + WordPiece): clean text, pad CJK ideographs, NFD and drop
// combining marks, lowercase, split on whitespace and punctuation, greedy longest-match-first
// with `##` continuations. It works on Unicode scalars (Python/Rust chars), never on Swift
// Characters. It does not recognise special tokens written inside the text ("[SEP]" is split).

import Foundation

/// Token IDs of one text with the number of word pieces cut to fit the model's window.
public struct TokenizedText: Sendable, Equatable {
    /// `[CLS] pieces… [SEP]`, at most `maxLength` IDs.
    public var ids: [Int32]
    /// Word pieces dropped from the end to fit `maxLength` (0 when the text fits).
    public var droppedTokens: Int
}

/// Which end of an over-long input loses word pieces (Cohere's `truncate: END|START|NONE`).
public enum Truncation: String, Sendable, CaseIterable {
    /// Keep the beginning (BERT's and sentence-transformers' behaviour).
    case end
    /// Keep the end.
    case start
    /// Refuse: `EmbeddingModel.embed(_:normalize:truncation:)` throws `inputTooLong`.
    case none
}

/// A vocabulary key compared by its exact scalars: Swift's `String ==` uses canonical
/// equivalence, which would merge vocabulary entries Python and Rust keep apart.
struct ExactString: Hashable, Sendable {
    let value: String
    static func == (a: ExactString, b: ExactString) -> Bool { a.value.utf8.elementsEqual(b.value.utf8) }
    func hash(into h: inout Hasher) { for byte in value.utf8 { h.combine(byte) } }
}

public enum TokenizerError: Error, Equatable, CustomStringConvertible, Sendable {
    case cannotRead(path: String, reason: String)
    case missingSpecialToken(path: String, token: String)

    public var description: String {
        switch self {
        case let .cannotRead(p, r): return "\(p): cannot read vocabulary: \(r)"
        case let .missingSpecialToken(p, t): return "\(p): vocabulary has no '\(t)' token"
        }
    }
}

/// BERT uncased WordPiece tokenizer over a `vocab.txt` vocabulary (one token per line, ID = line number).
public struct WordPieceTokenizer: Sendable {
    /// Words longer than this many scalars become `[UNK]` (BERT's `max_input_chars_per_word`).
    public static let maxCharsPerWord = 100
    let ids: [ExactString: Int32]
    public let tokens: [String]
    public let clsID: Int32, sepID: Int32, unkID: Int32, padID: Int32

    /// Loads `vocab.txt`; the file must contain [CLS], [SEP], [UNK] and [PAD].
    public init(vocabPath: String) throws(TokenizerError) {
        let text: String
        do { text = try String(contentsOfFile: vocabPath, encoding: .utf8) } catch {
            throw .cannotRead(path: vocabPath, reason: error.localizedDescription)
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        if lines.last == "" { lines.removeLast() }
        try self.init(tokens: lines, source: vocabPath)
    }

    /// Builds a tokenizer from an in-memory vocabulary (ID = index).
    public init(tokens: [String], source: String = "<memory>") throws(TokenizerError) {
        var map: [ExactString: Int32] = [:]
        map.reserveCapacity(tokens.count)
        for (i, t) in tokens.enumerated() where map[ExactString(value: t)] == nil { map[ExactString(value: t)] = Int32(i) }
        func special(_ name: String) throws(TokenizerError) -> Int32 {
            guard let id = map[ExactString(value: name)] else { throw .missingSpecialToken(path: source, token: name) }
            return id
        }
        self.ids = map
        self.tokens = tokens
        clsID = try special("[CLS]"); sepID = try special("[SEP]")
        unkID = try special("[UNK]"); padID = try special("[PAD]")
    }

    /// The ID of an exact vocabulary entry, if present.
    public func id(of token: String) -> Int32? { ids[ExactString(value: token)] }

    /// `[CLS] pieces [SEP]`, cut to `maxLength` IDs; the number of dropped pieces is reported.
    /// With `.start` the last pieces are kept; `.none` behaves like `.end` here (callers check `droppedTokens`).
    public func encode(_ text: String, maxLength: Int = 512, truncation: Truncation = .end) -> TokenizedText {
        let pieces = wordPieceIDs(text)
        let room = max(0, maxLength - 2)
        let kept = truncation == .start ? pieces.suffix(room) : pieces.prefix(room)
        return TokenizedText(ids: [clsID] + kept + [sepID], droppedTokens: pieces.count - kept.count)
    }

    /// Word-piece IDs of `text` without special tokens and without truncation.
    public func wordPieceIDs(_ text: String) -> [Int32] {
        var out: [Int32] = []
        for word in BertPreTokenizer.words(of: text) { appendPieces(of: word, to: &out) }
        return out
    }

    /// The word pieces as strings (for display and tests).
    public func wordPieces(_ text: String) -> [String] { wordPieceIDs(text).map { tokens[Int($0)] } }

    /// Greedy longest-match-first split of one word; a word with an unmatched rest is one [UNK].
    func appendPieces(of word: [Unicode.Scalar], to out: inout [Int32]) {
        guard word.count <= Self.maxCharsPerWord else { out.append(unkID); return }
        let mark = out.count
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int32?
            while start < end {
                var piece = start > 0 ? "##" : ""
                piece.unicodeScalars.append(contentsOf: word[start..<end])
                if let id = ids[ExactString(value: piece)] { found = id; break }
                end -= 1
            }
            guard let id = found else {
                out.removeSubrange(mark...)
                out.append(unkID)
                return
            }
            out.append(id)
            start = end
        }
    }
}

/// BertNormalizer (clean text, CJK padding, accent stripping, lowercasing) and BertPreTokenizer
/// (whitespace and punctuation splitting), as scalar arrays.
enum BertPreTokenizer {
    /// The words of `text` after normalization; each punctuation scalar is its own word.
    static func words(of text: String) -> [[Unicode.Scalar]] {
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for s in normalize(text) {
            if s.properties.isWhitespace {
                if !current.isEmpty { words.append(current); current = [] }
            } else if isPunctuation(s) {
                if !current.isEmpty { words.append(current); current = [] }
                words.append([s])
            } else {
                current.append(s)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// Clean → CJK padding → NFD without nonspacing marks → lowercase (the Rust normalizer's order).
    static func normalize(_ text: String) -> [Unicode.Scalar] {
        var cleaned = String.UnicodeScalarView()
        var ascii = true
        for s in text.unicodeScalars {
            if s.value == 0 || s.value == 0xFFFD || isControl(s) { continue }
            if isWhitespace(s) { cleaned.append(" "); continue }
            if s.value >= 0x80 { ascii = false }
            if isCJK(s) { cleaned.append(" "); cleaned.append(s); cleaned.append(" ") } else { cleaned.append(s) }
        }
        if ascii {   // fast path: no decomposition, ASCII lowercase
            return cleaned.map { ($0.value >= 65 && $0.value <= 90) ? Unicode.Scalar($0.value + 32)! : $0 }
        }
        let decomposed = String(cleaned).decomposedStringWithCanonicalMapping
        var out: [Unicode.Scalar] = []
        for s in decomposed.unicodeScalars where s.properties.generalCategory != .nonspacingMark {
            if s.properties.changesWhenLowercased {
                out.append(contentsOf: s.properties.lowercaseMapping.unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return out
    }

    /// Tab, newline and carriage return count as whitespace; so does every Unicode White_Space scalar.
    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        s == "\t" || s == "\n" || s == "\r" || s.properties.isWhitespace
    }

    /// Every "Other" category (Cc, Cf, Cs, Co, Cn) is a control, except tab, newline and return.
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        if s == "\t" || s == "\n" || s == "\r" { return false }
        switch s.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: return true
        default: return false
        }
    }

    /// BERT's punctuation: all ASCII non-alphanumeric printables, plus every Unicode P* category.
    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) {
            return true
        }
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation: return true
        default: return false
        }
    }

    /// The CJK Unified Ideographs blocks BERT pads with spaces (not Hangul, Hiragana or Katakana).
    /// 0x2B920, not the original BERT's 0x2B820: Hugging Face tokenizers (what sentence-transformers
    /// runs) has it so, and U+2B820…U+2B91F then stay inside words (found by fuzzing against it).
    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F: return true
        default: return false
        }
    }
}
