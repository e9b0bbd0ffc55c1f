// Sentence BLEU's fast path: 13a statistics straight from UTF-8 bytes, with no per-token or
// per-call heap allocation. Hypothesis tokens get ids 1…T in a scratch hash table, an n-gram of
// order ≤ 4 is its ids packed 16 bits each into one UInt64 (exact, no collisions), and reference
// n-grams are only looked up (one absent from the hypothesis cannot match). Texts with 13a's
// pre-replacement characters are pre-replaced first; lowercasing, non-ASCII whitespace, orders
// above 4 or 65,535+ hypothesis tokens return nil and take the general path.

extension BLEU {
    /// One hypothesis n-gram (its packed key is in `Tables.keys`): its count, best reference
    /// count so far, and its count in reference number `last`, the one being scanned.
    private struct GramSlot {
        var hyp: Int32
        var refMax: Int32
        var cur: Int32
        var last: Int32
    }

    /// An interned hypothesis token: where its bytes are, and its hash.
    private struct TokenSlot {
        var hash: UInt64
        var start: Int32
        var length: Int32
    }

    /// Statistics through the byte path, or nil when some text needs the general one.
    static func byteStatistics(hypothesis: String, references: [String], order: Int) -> BLEUStatistics? {
        guard order >= 1 && order <= 4 else { return nil }
        return hypothesis.utf8.withContiguousStorageIfAvailable { hyp -> BLEUStatistics? in
            switch byteCheck(hyp) {
            case .reject: return nil
            case .clean: return byteStatistics(prepared: hyp, references, order: order)
            case .preReplace:
                return preReplaced(hyp).withUnsafeBufferPointer {
                    byteStatistics(prepared: $0, references, order: order)
                }
            }
        } ?? nil
    }

    /// `hyp` is accepted and pre-replaced (it may now hold '<' or '&', plain symbols to 13a).
    private static func byteStatistics(prepared hyp: UnsafeBufferPointer<UInt8>, _ references: [String],
                                       order: Int) -> BLEUStatistics? {
        let end = rstripped(hyp)
        // Token ranges of the hypothesis (a token has at least one byte).
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * end + 2) { ranges in
            var t = 0
            Tokenizer13aBytes.run(hyp, count: end) { s, e in
                ranges[2 * t] = Int32(s); ranges[2 * t + 1] = Int32(e); t += 1
            }
            guard t < 0xFFFF else { return nil }
            return statistics(hyp, ranges, tokenCount: t, references, order: order)
        }
    }

    /// 13a's plain-string pre-replacements after `rstrip()`, as the general path does them. They
    /// replace ASCII strings by ASCII strings, so they apply to UTF-8 bytes as to code points
    /// (each byte widened, not decoded, then narrowed back).
    static func preReplaced(_ b: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let end = rstripped(b)
        let wide = CodePoints(unsafeUninitializedCapacity: end) { out, count in
            for i in 0..<end { out[i] = UInt32(b[i]) }
            count = end
        }
        return Tokenizer13a.preReplace(wide).map { UInt8(truncatingIfNeeded: $0) }
    }

    private static func statistics(_ hyp: UnsafeBufferPointer<UInt8>, _ ranges: UnsafeMutableBufferPointer<Int32>,
                                   tokenCount t: Int, _ references: [String], order: Int) -> BLEUStatistics? {
        var tokCap = 16
        while tokCap < 2 * t { tokCap <<= 1 }
        var gramCap = 16
        while gramCap < 2 * t * order { gramCap <<= 1 }
        return withUnsafeTemporaryAllocation(of: UInt16.self, capacity: tokCap) { tokSlots in
            withUnsafeTemporaryAllocation(of: TokenSlot.self, capacity: t + 1) { tokens in
                withUnsafeTemporaryAllocation(of: UInt64.self, capacity: gramCap) { keys in
                    withUnsafeTemporaryAllocation(of: GramSlot.self, capacity: gramCap) { grams in
                        withUnsafeTemporaryAllocation(of: Int32.self, capacity: t * order + 1) { used in
                            tokSlots.initialize(repeating: 0)
                            keys.initialize(repeating: 0)
                            var table = Tables(tokSlots: tokSlots, tokens: tokens, keys: keys, grams: grams,
                                               used: used, hyp: hyp)
                            return table.statistics(tokenCount: t, ranges, references, order: order)
                        }
                    }
                }
            }
        }
    }

    /// Keeps the n-gram of order `k` (its last k ids) from a window of packed ids.
    @inline(__always) private static func mask(_ k: Int) -> UInt64 {
        k >= 4 ? .max : (1 << (16 * UInt64(k))) - 1
    }

    /// The scratch tables of one call.
    private struct Tables {
        let tokSlots: UnsafeMutableBufferPointer<UInt16>   // 0 empty, else token id 1…T
        let tokens: UnsafeMutableBufferPointer<TokenSlot>  // by id
        let keys: UnsafeMutableBufferPointer<UInt64>       // packed n-gram, 0 empty
        let grams: UnsafeMutableBufferPointer<GramSlot>    // valid where the key is not 0
        let used: UnsafeMutableBufferPointer<Int32>        // the slots with keys, in insertion order
        let hyp: UnsafeBufferPointer<UInt8>
        var count = 0
        var usedCount = 0

        init(tokSlots: UnsafeMutableBufferPointer<UInt16>, tokens: UnsafeMutableBufferPointer<TokenSlot>,
             keys: UnsafeMutableBufferPointer<UInt64>, grams: UnsafeMutableBufferPointer<GramSlot>,
             used: UnsafeMutableBufferPointer<Int32>, hyp: UnsafeBufferPointer<UInt8>) {
            self.tokSlots = tokSlots
            self.tokens = tokens
            self.keys = keys
            self.grams = grams
            self.used = used
            self.hyp = hyp
        }

        /// Interns and counts the hypothesis (tokens at `ranges`), then scans the references.
        mutating func statistics(tokenCount t: Int, _ ranges: UnsafeMutableBufferPointer<Int32>,
                                 _ references: [String], order: Int) -> BLEUStatistics? {
            var window: UInt64 = 0
            for i in 0..<t {
                window = window << 16 | UInt64(intern(Int(ranges[2 * i]), Int(ranges[2 * i + 1])))
                for k in 1...min(i + 1, order) { addHyp(window & BLEU.mask(k)) }
            }
            var stats = BLEUStatistics(order: order)
            stats.hypothesisLength = t
            for n in 0..<order { stats.totals[n] = max(0, t - n) }
            var refLengths: [Int] = []
            refLengths.reserveCapacity(references.count)
            for (r, ref) in references.enumerated() {
                guard let len = scanReference(ref, index: Int32(r), order: order) else { return nil }
                refLengths.append(len)
            }
            stats.referenceLength = BLEU.closestLength(t, refLengths)
            for j in 0..<usedCount {
                let slot = Int(used[j])
                let k = (64 - keys[slot].leadingZeroBitCount + 15) / 16   // the highest id lane
                stats.matches[k - 1] += Int(min(grams[slot].hyp, grams[slot].refMax))
            }
            return stats
        }

        @inline(__always) static func hash(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> UInt64 {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for i in s..<e { h = (h ^ UInt64(b[i])) &* 0x0000_0100_0000_01b3 }
            return h ^ (h >> 29)
        }

        /// The slot holding the token `b[s..<e]`, or the empty slot where it would go.
        @inline(__always) func findToken(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, _ h: UInt64) -> Int {
            let mask = tokSlots.count - 1
            var slot = Int(truncatingIfNeeded: h) & mask
            while true {
                let id = Int(tokSlots[slot])
                if id == 0 { return slot }
                let tok = tokens[id]
                if tok.hash == h && Int(tok.length) == e - s {
                    var same = true
                    let base = Int(tok.start)
                    for i in 0..<(e - s) where hyp[base + i] != b[s + i] { same = false; break }
                    if same { return slot }
                }
                slot = (slot + 1) & mask
            }
        }

        /// The id of hypothesis token `hyp[s..<e]`, adding it when new.
        @inline(__always) mutating func intern(_ s: Int, _ e: Int) -> UInt16 {
            let h = Self.hash(hyp, s, e)
            let slot = findToken(hyp, s, e, h)
            if tokSlots[slot] != 0 { return tokSlots[slot] }
            count += 1
            tokens[count] = TokenSlot(hash: h, start: Int32(s), length: Int32(e - s))
            tokSlots[slot] = UInt16(count)
            return UInt16(count)
        }

        @inline(__always) func gramSlot(_ key: UInt64) -> Int {
            let mask = keys.count - 1
            var h = key &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 31
            var slot = Int(truncatingIfNeeded: h) & mask
            while keys[slot] != 0 && keys[slot] != key { slot = (slot + 1) & mask }
            return slot
        }

        @inline(__always) mutating func addHyp(_ key: UInt64) {
            let slot = gramSlot(key)
            if keys[slot] == 0 {
                keys[slot] = key
                grams[slot] = GramSlot(hyp: 1, refMax: 0, cur: 0, last: -1)
                used[usedCount] = Int32(slot)
                usedCount += 1
            } else {
                grams[slot].hyp += 1
            }
        }

        /// Counts one reference's n-grams into `refMax`; returns its token count, or nil when the
        /// reference needs the general path.
        func scanReference(_ ref: String, index: Int32, order: Int) -> Int? {
            ref.utf8.withContiguousStorageIfAvailable { b -> Int? in
                switch BLEU.byteCheck(b) {
                case .reject: return nil
                case .clean: return scan(prepared: b, index: index, order: order)
                case .preReplace:
                    return BLEU.preReplaced(b).withUnsafeBufferPointer {
                        scan(prepared: $0, index: index, order: order)
                    }
                }
            } ?? nil
        }

        private func scan(prepared b: UnsafeBufferPointer<UInt8>, index: Int32, order: Int) -> Int {
            var window: UInt64 = 0
            var n = 0
            Tokenizer13aBytes.run(b, count: BLEU.rstripped(b)) { s, e in
                let h = Self.hash(b, s, e)
                let id = tokSlots[findToken(b, s, e, h)]
                window = window << 16 | UInt64(id == 0 ? 0xFFFF : id)   // 0xFFFF: in no hypothesis
                n += 1
                for k in 1...min(n, order) {
                    let slot = gramSlot(window & BLEU.mask(k))
                    // Absent: no longer n-gram ending here is in the hypothesis either.
                    if keys[slot] == 0 { break }
                    if grams[slot].last != index { grams[slot].last = index; grams[slot].cur = 0 }
                    grams[slot].cur += 1
                    if grams[slot].cur > grams[slot].refMax { grams[slot].refMax = grams[slot].cur }
                }
            }
            return n
        }
    }

    /// Length after Python's `rstrip()`, for text the byte path accepts (whitespace is ASCII).
    static func rstripped(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        var end = b.count
        while end > 0 && Tokenizer13aBytes.isSpace(UInt32(b[end - 1])) { end -= 1 }
        return end
    }

    enum ByteCheck { case clean, preReplace, reject }

    /// `.reject` for non-ASCII whitespace (U+0085, U+00A0, U+1680, U+2000–200A, U+2028/9,
    /// U+202F, U+205F, U+3000); else `.preReplace` when '<', newline or '&' occurs (13a's
    /// pre-replacements may apply); else `.clean`.
    static func byteCheck(_ b: UnsafeBufferPointer<UInt8>) -> ByteCheck {
        var i = 0
        let n = b.count
        var result = ByteCheck.clean
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }
        while i < n {
            // Eight bytes at a time while none is non-ASCII, '<', newline or '&'.
            if i + 8 <= n {
                let v = UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: UInt64.self)
                if v & highs == 0 && !hasZero(v ^ (ones &* 0x3C)) && !hasZero(v ^ (ones &* 0x0A))
                    && !hasZero(v ^ (ones &* 0x26)) {
                    i += 8
                    continue
                }
            }
            let end = min(n, i + 8)
            while i < end {
                switch b[i] {
                case 0x3C, 0x0A, 0x26: result = .preReplace
                case 0xC2: if b[i + 1] == 0x85 || b[i + 1] == 0xA0 { return .reject }
                case 0xE1: if b[i + 1] == 0x9A && b[i + 2] == 0x80 { return .reject }
                case 0xE2:
                    let d = b[i + 1], e = b[i + 2]
                    if d == 0x80 && (e <= 0x8A || e == 0xA8 || e == 0xA9 || e == 0xAF) { return .reject }
                    if d == 0x81 && e == 0x9F { return .reject }
                case 0xE3: if b[i + 1] == 0x80 && b[i + 2] == 0x80 { return .reject }
                default: break
                }
                i += 1
            }
        }
        return result
    }
}
