// Sentence BLEU's fast path: 13a statistics straight from UTF-8 bytes, with two heap blocks per
// call and no per-token allocation or String. Each text is copied (pre-replaced when needed) into
// a padded buffer so tokens can be hashed and compared eight bytes at a time; hypothesis tokens
// get ids 1…T, an n-gram of order ≤ 4 is its ids packed 16 bits each into one UInt64 (exact, no
// collisions), and reference n-grams are only looked up (one absent from the hypothesis cannot
// match). Lowercasing, non-ASCII whitespace, orders above 4 or 65,535+ hypothesis tokens return
// nil and take the general path (BLEU.swift), which the tests compare this one against.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension BLEU {
    /// Bytes after each copied text that word loads may read (they are masked off).
    private static let padding = 16

    /// Statistics through the byte path, or nil when some text needs the general one.
    static func byteStatistics(hypothesis: String, references: [String], order: Int) -> BLEUStatistics? {
        guard order >= 1 && order <= 4 else { return nil }
        var refCapacity = 0
        for r in references { refCapacity = max(refCapacity, r.utf8.count) }
        let hypCapacity = hypothesis.utf8.count
        // One block: the hypothesis copy, a reference copy, and the hypothesis token ranges.
        let bytes = hypCapacity + refCapacity + 2 * padding
        let block = UnsafeMutableRawPointer.allocate(byteCount: bytes + 8 * (hypCapacity + 1), alignment: 8)
        defer { block.deallocate() }
        let ranges = (block + bytes).bindMemory(to: Int32.self, capacity: 2 * (hypCapacity + 1))
        let hypBuf = block.bindMemory(to: UInt8.self, capacity: bytes)
        let refBuf = hypBuf + hypCapacity + padding
        guard let hypCount = prepare(hypothesis, into: hypBuf) else { return nil }
        var t = 0
        Tokenizer13aBytes.run(UnsafeBufferPointer(start: hypBuf, count: hypCount), count: hypCount) { s, e in
            ranges[2 * t] = Int32(s); ranges[2 * t + 1] = Int32(e); t += 1
        }
        guard t < 0xFFFF else { return nil }
        var tables = NgramTables(tokenCount: t, order: order, hyp: hypBuf)
        defer { tables.deallocate() }
        tables.addHypothesis(ranges, tokenCount: t, order: order)
        var stats = BLEUStatistics(order: order)
        stats.hypothesisLength = t
        for n in 0..<order { stats.totals[n] = max(0, t - n) }
        var closest = -1
        for (r, ref) in references.enumerated() {
            guard let count = prepare(ref, into: refBuf) else { return nil }
            let length = tables.scanReference(refBuf, count: count, index: Int32(r), order: order)
            // sacrebleu's `_get_closest_ref_len`: the nearest length, the shorter on ties.
            if closest < 0 || abs(t - length) < abs(t - closest) || (abs(t - length) == abs(t - closest) && length < closest) {
                closest = length
            }
        }
        stats.referenceLength = max(closest, 0)
        tables.addMatches(to: &stats)
        return stats
    }

    /// Copies `text`, rstripped and 13a-pre-replaced, to `out` (which has room for all its bytes
    /// plus `padding`); returns the prepared length, or nil for text the byte path cannot take.
    private static func prepare(_ text: String, into out: UnsafeMutablePointer<UInt8>) -> Int? {
        let prepared = text.utf8.withContiguousStorageIfAvailable { src -> Int? in
            let check = byteCheck(src)
            if check == .reject { return nil }
            let end = rstripped(src)
            if end > 0 { out.update(from: src.baseAddress!, count: end) }
            return check == .clean ? end : preReplace(out, count: end)
        }
        guard let count = prepared ?? nil else { return nil }
        (out + count).initialize(repeating: 0, count: padding)
        return count
    }

    /// 13a's plain-string replacements, in sacrebleu's order, in place (each only shrinks the
    /// text): `<skipped>` → "", `-\n` → "" and `\n` → " " (one left-to-right pass does both, as
    /// the second cannot create or break a match of the first), then the four entities.
    static func preReplace(_ b: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        var n = count
        if contains(b, n, 0x3C) { n = replace(b, n, "<skipped>", nil) }
        if var i = find(b, 0, n, 0x0A) {
            var k = i
            while i < n {   // b[i] is a newline; b[i - 1] still holds its input byte
                if i > 0 && b[i - 1] == 0x2D { k -= 1 } else { b[k] = 0x20; k += 1 }
                let next = find(b, i + 1, n, 0x0A) ?? n
                if k != i + 1 { memmove(b + k, b + i + 1, next - i - 1) }
                k += next - i - 1
                i = next
            }
            n = k
        }
        if contains(b, n, 0x26) { n = replace(b, n, "&quot;", 0x22) }
        if contains(b, n, 0x26) { n = replace(b, n, "&amp;", 0x26) }
        if contains(b, n, 0x26) { n = replace(b, n, "&lt;", 0x3C) }
        if contains(b, n, 0x26) { n = replace(b, n, "&gt;", 0x3E) }
        return n
    }

    /// The same replacements on a copy (tests compare it with the code-point version).
    static func preReplaced(_ b: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let end = rstripped(b)
        var out = Array(b[0..<end])
        let n = out.withUnsafeMutableBufferPointer { preReplace($0.baseAddress!, count: end) }
        out.removeSubrange(n...)
        return out
    }

    private static func contains(_ b: UnsafeMutablePointer<UInt8>, _ n: Int, _ c: UInt8) -> Bool {
        n > 0 && memchr(b, Int32(c), n) != nil
    }

    /// The index of the first `c` in `b[from..<n]`.
    private static func find(_ b: UnsafeMutablePointer<UInt8>, _ from: Int, _ n: Int, _ c: UInt8) -> Int? {
        guard from < n, let hit = memchr(b + from, Int32(c), n - from) else { return nil }
        return hit.assumingMemoryBound(to: UInt8.self) - b
    }

    /// Python's `str.replace(old, new)` in place (leftmost, non-overlapping), `new` being one
    /// byte or nothing; the stretches between matches move with memmove.
    private static func replace(_ b: UnsafeMutablePointer<UInt8>, _ n: Int, _ pattern: StaticString, _ new: UInt8?) -> Int {
        let old = pattern.utf8Start, m = pattern.utf8CodeUnitCount
        var k = 0, i = 0
        while let hit = find(b, i, n, old[0]) {
            let matched = hit + m <= n && memcmp(b + hit, old, m) == 0
            let keep = matched ? hit - i : hit + 1 - i   // bytes copied before resuming
            if k != i { memmove(b + k, b + i, keep) }
            k += keep
            i += keep
            if matched {
                if let new { b[k] = new; k += 1 }
                i += m
            }
        }
        if k != i { memmove(b + k, b + i, n - i) }
        return k + (n - i)
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
        @inline(__always) func has(_ v: UInt64, _ byte: UInt64) -> Bool {
            let x = v ^ (ones &* byte)
            return (x &- ones) & ~x & highs != 0
        }
        while i < n {
            // Eight bytes at a time (plain integer ops: Swift's generic SIMD compares are slow
            // here) while none is '<', newline, '&' or the lead byte of a non-ASCII space.
            if i + 8 <= n {
                let v = UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: UInt64.self)
                if !has(v, 0x3C) && !has(v, 0x0A) && !has(v, 0x26) && (v & highs == 0
                    || (!has(v, 0xC2) && !has(v, 0xE1) && !has(v, 0xE2) && !has(v, 0xE3))) {
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
