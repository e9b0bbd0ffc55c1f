// Byte-level BPE tokenizer built from GGUF metadata (tokenizer.ggml.tokens / merges / token_type,
// GPT-2 style): text → UTF-8 bytes → one printable stand-in character per byte → pieces from the
// pre-tokenizer → merges applied lowest rank first → ids. Control tokens such as <|im_start|> are
// matched as single tokens only when the caller allows it. Decoding maps ids back to bytes; any
// UTF-8 text round-trips exactly. Not a SentencePiece tokenizer.

public enum TokenizerError: Error, Equatable, CustomStringConvertible {
    case unsupportedModel(String)
    case mergeOfUnknownTokens(index: Int, merge: String)
    case tokenTypeCount(tokens: Int, types: Int)
    case unsupportedPreTokenizer(String)

    public var description: String {
        switch self {
        case .unsupportedModel(let m): "tokenizer model '\(m)' is not supported (supported: gpt2 byte-level BPE)"
        case .mergeOfUnknownTokens(let i, let m): "merge \(i) '\(m)' names a token that is not in the vocabulary"
        case .tokenTypeCount(let t, let ty): "\(t) tokens but \(ty) token types"
        case .unsupportedPreTokenizer(let p):
            "pre-tokenizer '\(p)' is not supported (supported: \(PreTokenizer.allCases.map(\.rawValue).joined(separator: ", ")))"
        }
    }
}

public final class Tokenizer: Sendable {
    /// Token strings in the byte-stand-in alphabet (index = id).
    public let tokens: [String]
    /// Beginning-of-sequence id (<|im_start|> for SmolLM2).
    public let bosID: Int
    /// End-of-sequence id (<|im_end|> for SmolLM2).
    public let eosID: Int
    /// Ids that end a generated turn: eos and, when present, <|endoftext|>, plus the end-of-turn
    /// and end-of-text control tokens of the ChatML and Llama 3 templates (an imported model's eos
    /// may be another).
    public var endOfTurnIDs: Set<Int> {
        var ids: Set<Int> = [eosID]
        if let i = tokens.firstIndex(of: "<|endoftext|>") { ids.insert(i) }
        for marker in ["<|im_end|>", "<|eot_id|>", "<|eom_id|>", "<|end_of_text|>"] {
            if let i = tokens.firstIndex(of: marker), specialIDs.contains(i) { ids.insert(i) }
        }
        return ids
    }
    /// How text is split before BPE (tokenizer.ggml.pre).
    public let preTokenizer: PreTokenizer
    /// Whether a tokenizer run starts with bosID (tokenizer.ggml.add_bos_token; Llama 3 does).
    public let addsBOS: Bool
    /// Id given to bytes the vocabulary has no token for.
    public let unknownID: Int
    /// Ids of control tokens (GGUF token type 3).
    public let specialIDs: Set<Int>
    /// Bytes with no token of their own. SmolLM2 lacks 21: six ASCII controls (04 06 13 14 16 1D) and
    /// C0 C1 F1 F2 F5…FF (F1/F2 lead the UTF-8 of U+40000…U+BFFFF). They encode as `unknownID`,
    /// so text containing them does not round-trip; all other UTF-8 does.
    public let bytesWithoutToken: [UInt8]
    private let bytesOfToken: [[UInt8]]
    private let byteToken: [Int]                    // byte → id of its one-byte token
    private let merges: [UInt64: (rank: Int32, id: Int32)]
    private let specials: [(text: [Unicode.Scalar], id: Int)]   // longest first
    private let byteStandIn: [Unicode.Scalar]       // byte → its printable stand-in
    private let wholePieceIDs: [String: Int]        // non-control tokens, for PreTokenizer.looksUpWholePieces

    /// Builds the tokenizer from a GGUF file's metadata.
    public convenience init(gguf: GGUFFile) throws {
        let model = try gguf.string("tokenizer.ggml.model")
        guard model == "gpt2" else { throw TokenizerError.unsupportedModel(model) }
        // No name means the GPT-2-style split SmolLM2 uses; a name this engine does not run is refused.
        let preName = gguf.metadata["tokenizer.ggml.pre"]?.stringValue ?? PreTokenizer.smolLM.rawValue
        guard let pre = PreTokenizer(rawValue: preName) else { throw TokenizerError.unsupportedPreTokenizer(preName) }
        try self.init(tokens: try gguf.strings("tokenizer.ggml.tokens"),
                      merges: try gguf.strings("tokenizer.ggml.merges"),
                      tokenTypes: try gguf.ints("tokenizer.ggml.token_type"),
                      bosID: try gguf.int("tokenizer.ggml.bos_token_id"),
                      eosID: try gguf.int("tokenizer.ggml.eos_token_id"),
                      unknownID: (try? gguf.int("tokenizer.ggml.unknown_token_id")) ?? 0,
                      preTokenizer: pre, addsBOS: gguf.metadata["tokenizer.ggml.add_bos_token"]?.boolValue ?? false)
    }

    /// Builds from the raw vocabulary. merges: "left right" strings in rank order; tokenTypes: 3 = control.
    public init(tokens: [String], merges: [String], tokenTypes: [Int], bosID: Int, eosID: Int, unknownID: Int = 0,
                preTokenizer: PreTokenizer = .smolLM, addsBOS: Bool = false) throws {
        guard tokens.count == tokenTypes.count else {
            throw TokenizerError.tokenTypeCount(tokens: tokens.count, types: tokenTypes.count)
        }
        self.tokens = tokens
        self.bosID = bosID
        self.eosID = eosID
        self.unknownID = unknownID
        self.preTokenizer = preTokenizer
        self.addsBOS = addsBOS
        let (b2u, u2b) = ByteAlphabet.tables()
        byteStandIn = b2u
        var id: [String: Int] = [:]
        id.reserveCapacity(tokens.count)
        for (i, t) in tokens.enumerated() where id[t] == nil { id[t] = i }
        byteToken = (0...255).map { id[String(b2u[$0])] ?? unknownID }
        bytesWithoutToken = (0...255).filter { id[String(b2u[$0])] == nil }.map(UInt8.init)
        var table: [UInt64: (rank: Int32, id: Int32)] = [:]
        table.reserveCapacity(merges.count)
        for (rank, m) in merges.enumerated() {
            let parts = m.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let l = id[String(parts[0])], let r = id[String(parts[1])],
                  let merged = id[String(parts[0]) + String(parts[1])] else {
                throw TokenizerError.mergeOfUnknownTokens(index: rank, merge: m)
            }
            let key = UInt64(l) << 32 | UInt64(r)
            if table[key] == nil { table[key] = (Int32(rank), Int32(merged)) }
        }
        self.merges = table
        var special = Set<Int>()
        var specialList: [(text: [Unicode.Scalar], id: Int)] = []
        for (i, ty) in tokenTypes.enumerated() where ty == 3 {
            special.insert(i)
            specialList.append((Array(tokens[i].unicodeScalars), i))
        }
        specialIDs = special
        wholePieceIDs = preTokenizer.looksUpWholePieces ? id.filter { !special.contains($0.value) } : [:]
        specials = specialList.filter { !$0.text.isEmpty }.sorted { $0.text.count > $1.text.count }
        bytesOfToken = tokens.enumerated().map { i, t in
            special.contains(i) ? Array(t.utf8) : t.unicodeScalars.flatMap { u2b[$0].map { [$0] } ?? Array(String($0).utf8) }
        }
    }

    public var vocabularySize: Int { tokens.count }

    /// Token ids for `text`. With `allowSpecial`, control-token texts (e.g. "<|im_start|>") become their
    /// single ids; without it they are tokenized as plain text (user input should not inject them).
    public func encode(_ text: String, allowSpecial: Bool = false) -> [Int] {
        var out: [Int] = []
        for (chunk, specialID) in splitSpecial(text, allowSpecial: allowSpecial) {
            if let specialID { out.append(specialID); continue }
            for piece in preTokenizer.split(chunk) { bpe(Array(String(piece).utf8), into: &out) }
        }
        return out
    }

    /// Token ids of a prompt (a rendered conversation, or one plain piece to continue): markup with
    /// control tokens allowed, message text without, after bosID when the model adds one
    /// (`addsBOS`) and the pieces do not already start with it.
    public func encode(_ pieces: [ChatPiece]) -> [Int] {
        let ids = pieces.flatMap { encode($0.text, allowSpecial: $0.isMarkup) }
        return addsBOS && ids.first != bosID ? [bosID] + ids : ids
    }

    /// The number of tokens `encode` would return.
    public func count(_ text: String, allowSpecial: Bool = false) -> Int { encode(text, allowSpecial: allowSpecial).count }

    /// The bytes of one token (control tokens give their literal text).
    public func bytes(of id: Int) -> [UInt8] { bytesOfToken[id] }

    /// The text of `ids`; invalid UTF-8 (only possible for a cut-off sequence) becomes U+FFFD.
    public func decode(_ ids: [Int]) -> String {
        String(decoding: ids.flatMap { bytesOfToken[$0] }, as: UTF8.self)
    }

    /// Merges the byte tokens of one piece, lowest-ranked adjacent pair first (leftmost on ties).
    private func bpe(_ bytes: [UInt8], into out: inout [Int]) {
        if !wholePieceIDs.isEmpty, bytes.count > 1 {
            var piece = String.UnicodeScalarView()
            piece.append(contentsOf: bytes.map { byteStandIn[Int($0)] })
            if let id = wholePieceIDs[String(piece)] { out.append(id); return }
        }
        var parts = bytes.map { byteToken[Int($0)] }
        while parts.count > 1 {
            var best = Int32.max, bestAt = -1, bestID: Int32 = 0
            for i in 0..<parts.count - 1 {
                if let m = merges[UInt64(parts[i]) << 32 | UInt64(parts[i + 1])], m.rank < best {
                    best = m.rank; bestAt = i; bestID = m.id
                }
            }
            if bestAt < 0 { break }
            parts[bestAt] = Int(bestID)
            parts.remove(at: bestAt + 1)
        }
        out.append(contentsOf: parts)
    }

    /// Splits text into plain chunks and control tokens.
    private func splitSpecial(_ text: String, allowSpecial: Bool) -> [(String, Int?)] {
        guard allowSpecial, !specials.isEmpty else { return [(text, nil)] }
        let s = Array(text.unicodeScalars)
        var result: [(String, Int?)] = []
        var plainStart = 0, i = 0
        func flush(_ upTo: Int) {
            if upTo > plainStart {
                var v = String.UnicodeScalarView(); v.append(contentsOf: s[plainStart..<upTo]); result.append((String(v), nil))
            }
        }
        outer: while i < s.count {
            for sp in specials where sp.text.first == s[i] && i + sp.text.count <= s.count {
                if s[i..<i + sp.text.count].elementsEqual(sp.text) {
                    flush(i)
                    result.append(("", sp.id))
                    i += sp.text.count
                    plainStart = i
                    continue outer
                }
            }
            i += 1
        }
        flush(s.count)
        return result
    }
}

/// GPT-2's reversible byte ↔ printable-character table: printable Latin-1 bytes map to themselves,
/// the other 68 bytes to U+0100 onwards (space → "Ġ", newline → "Ċ").
enum ByteAlphabet {
    static func tables() -> (byteToScalar: [Unicode.Scalar], scalarToByte: [Unicode.Scalar: UInt8]) {
        var direct = Array(0x21...0x7E) + Array(0xA1...0xAC) + Array(0xAE...0xFF)
        var mapped = direct
        var n = 0
        for b in 0..<256 where !direct.contains(b) {
            direct.append(b); mapped.append(256 + n); n += 1
        }
        var b2u = [Unicode.Scalar](repeating: " ", count: 256)
        var u2b: [Unicode.Scalar: UInt8] = [:]
        for (b, u) in zip(direct, mapped) {
            let scalar = Unicode.Scalar(UInt32(u))!
            b2u[b] = scalar
            u2b[scalar] = UInt8(b)
        }
        return (b2u, u2b)
    }
}
