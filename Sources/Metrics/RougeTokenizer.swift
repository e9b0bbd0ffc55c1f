// rouge-score 0.1.2's default tokenizer: `text.lower()`, every run of characters outside [a-z0-9]
// becomes a space, split, optionally Porter-stem tokens longer than 3 characters, drop empties.
// Non-ASCII letters therefore vanish (é, 中), except the two code points whose Python lowercase
// contains ASCII (İ → i̇, K KELVIN SIGN → k). Not sentence splitting: Lsum splits on "\n" itself.

/// rouge-score's tokenizer, producing interned token ids.
struct RougeTokenizer {
    let stemming: Bool
    private var stemCache: [[UInt8]: [UInt8]] = [:]

    init(stemming: Bool) { self.stemming = stemming }

    /// Calls `emit` with each token's code points (lowercase ASCII, stemmed when asked) and the
    /// number of "\n" bytes before it (its Lsum line; a newline always ends a token).
    mutating func forEachToken(_ text: String, _ emit: (UnsafeBufferPointer<UInt32>, Int32) -> Void) {
        // A token never has more characters than the text has UTF-8 bytes.
        let token = UnsafeMutablePointer<UInt32>.allocate(capacity: text.utf8.count + 1)
        defer { token.deallocate() }
        var state = ScanState(token: token)
        // Native strings expose their UTF-8 directly; bridged ones are copied once.
        if text.utf8.withContiguousStorageIfAvailable({ scan($0, &state, emit) }) == nil {
            Array(text.utf8).withUnsafeBufferPointer { scan($0, &state, emit) }
        }
        finish(&state, emit)
    }

    private struct ScanState {
        let token: UnsafeMutablePointer<UInt32>
        var length = 0
        var line: Int32 = 0
    }

    private mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ st: inout ScanState,
                               _ emit: (UnsafeBufferPointer<UInt32>, Int32) -> Void) {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 {
                if (b >= 97 && b <= 122) || (b >= 48 && b <= 57) { st.token[st.length] = UInt32(b); st.length += 1 }
                else if b >= 65 && b <= 90 { st.token[st.length] = UInt32(b + 32); st.length += 1 }
                else {
                    finish(&st, emit)
                    if b == 0x0A { st.line += 1 }
                }
                i += 1
            } else {
                // Decode one scalar; keep only the ASCII alphanumerics of its lowercase form.
                let (scalar, width) = Self.decode(bytes, i)
                i += width
                for m in scalar.properties.lowercaseMapping.utf8 {
                    if (m >= 97 && m <= 122) || (m >= 48 && m <= 57) { st.token[st.length] = UInt32(m); st.length += 1 } else { finish(&st, emit) }
                }
            }
        }
    }

    private mutating func finish(_ st: inout ScanState, _ emit: (UnsafeBufferPointer<UInt32>, Int32) -> Void) {
        if st.length == 0 { return }
        let word = UnsafeBufferPointer(start: st.token, count: st.length)
        if stemming && st.length > 3 {
            let stem = stemmed(word.map { UInt8($0) }).map { UInt32($0) }
            stem.withUnsafeBufferPointer { emit($0, st.line) }
        } else {
            emit(word, st.line)
        }
        st.length = 0
    }

    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> (Unicode.Scalar, Int) {
        let b = bytes[i]
        let width = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
        var value = UInt32(b) & (width == 4 ? 0x07 : width == 3 ? 0x0F : 0x1F)
        for k in 1..<width where i + k < bytes.count { value = value << 6 | (UInt32(bytes[i + k]) & 0x3F) }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", width)
    }

    /// Token ids of `text` in `interner`, and each token's line.
    mutating func tokens(_ text: String, _ interner: inout TokenInterner) -> (ids: [Int32], lines: [Int32]) {
        var ids: [Int32] = [], lines: [Int32] = []
        ids.reserveCapacity(text.utf8.count / 4)
        lines.reserveCapacity(text.utf8.count / 4)
        forEachToken(text) { tok, line in
            ids.append(interner.id(tok))
            lines.append(line)
        }
        return (ids, lines)
    }

    /// The tokens as strings, for display and tests.
    mutating func tokenStrings(_ text: String) -> [String] {
        var out: [String] = []
        forEachToken(text) { tok, _ in out.append(String(decoding: tok.map { UInt8($0) }, as: UTF8.self)) }
        return out
    }

    private mutating func stemmed(_ word: [UInt8]) -> [UInt8] {
        if let s = stemCache[word] { return s }
        let s = PorterStemmer.stem(word)
        if stemCache.count < 100_000 { stemCache[word] = s }
        return s
    }

}
