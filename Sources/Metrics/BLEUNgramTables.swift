// The scratch tables of one sentence-BLEU call on the byte path (BLEUBytes.swift): an open-
// addressing table of the hypothesis's tokens (hash and id packed in one word, bytes compared
// eight at a time), and one of its n-grams (ids packed 16 bits each) with their hypothesis count
// and best count in any reference. One heap block, freed by the caller. Not used by corpus
// statistics of other tokenizers, which go through Interner.swift.

/// Per-call n-gram tables; `hyp` is the padded, prepared hypothesis the token ids point into.
struct NgramTables {
    /// One hypothesis n-gram: its count, its best count in a reference so far, and its count in
    /// reference number `last`, the one being scanned.
    struct Gram {
        var hyp: Int32
        var refMax: Int32
        var cur: Int32
        var last: Int32
    }

    private let block: UnsafeMutableRawPointer
    private let tokenSlots: UnsafeMutablePointer<UInt64>   // 0 empty, else hash high bits | id
    private let tokenMask: Int
    private let starts: UnsafeMutablePointer<Int32>        // by id
    private let lengths: UnsafeMutablePointer<Int32>       // by id
    private let keys: UnsafeMutablePointer<UInt64>          // packed n-gram, 0 empty
    private let grams: UnsafeMutablePointer<Gram>          // valid where the key is not 0
    private let unigrams: UnsafeMutablePointer<Gram>       // by token id: order 1 needs no hashing
    private let gramShift: UInt64
    private let gramMask: Int
    private let used: UnsafeMutablePointer<Int32>           // the slots with keys, in insertion order
    private let hyp: UnsafePointer<UInt8>
    private var tokenCount = 0
    private var usedCount = 0

    init(tokenCount t: Int, order: Int, hyp: UnsafePointer<UInt8>) {
        var tokenCapacity = 16
        while tokenCapacity < 2 * t { tokenCapacity <<= 1 }
        var grams = 0   // the hypothesis n-grams of orders 2…order
        for k in 1..<order { grams += max(0, t - k) }
        var gramCapacity = 16, gramBits: UInt64 = 4
        while gramCapacity < 2 * grams { gramCapacity <<= 1; gramBits += 1 }
        // Layout: 8-byte arrays first, then 16-byte Grams, then 4-byte arrays.
        let bytes = 8 * (tokenCapacity + gramCapacity) + 16 * (gramCapacity + t + 1) + 4 * (2 * (t + 1) + grams)
        block = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 16)
        tokenSlots = block.bindMemory(to: UInt64.self, capacity: tokenCapacity)
        tokenSlots.initialize(repeating: 0, count: tokenCapacity)
        keys = (block + 8 * tokenCapacity).bindMemory(to: UInt64.self, capacity: gramCapacity)
        keys.initialize(repeating: 0, count: gramCapacity)
        self.grams = (block + 8 * (tokenCapacity + gramCapacity)).bindMemory(to: Gram.self, capacity: gramCapacity)
        unigrams = self.grams + gramCapacity
        let small = block + 8 * (tokenCapacity + gramCapacity) + 16 * (gramCapacity + t + 1)
        starts = small.bindMemory(to: Int32.self, capacity: 2 * (t + 1) + grams)
        lengths = starts + (t + 1)
        used = lengths + (t + 1)
        tokenMask = tokenCapacity - 1
        gramMask = gramCapacity - 1
        gramShift = 64 - gramBits
        self.hyp = hyp
    }

    func deallocate() { block.deallocate() }

    /// Interns the hypothesis's `t` tokens at `ranges` (start, end pairs) and counts its n-grams.
    mutating func addHypothesis(_ ranges: UnsafeMutablePointer<Int32>, tokenCount t: Int, order: Int) {
        var window: UInt64 = 0
        for i in 0..<t {
            let s = Int(ranges[2 * i]), e = Int(ranges[2 * i + 1])
            let id = intern(s, e)
            unigrams[Int(id)].hyp &+= 1
            window = window << 16 | UInt64(id)
            var k = 2
            while k <= min(i &+ 1, order) { addGram(window & Self.mask(k)); k &+= 1 }
        }
    }

    /// Counts the n-grams of one prepared reference into `refMax`; returns its token count.
    mutating func scanReference(_ b: UnsafePointer<UInt8>, count: Int, index: Int32, order: Int) -> Int {
        var window: UInt64 = 0
        var n = 0
        Tokenizer13aBytes.run(UnsafeBufferPointer(start: b, count: count), count: count) { s, e in
            let id = find(b, s, e)
            window = window << 16 | UInt64(id)   // 0xFFFF: in no hypothesis n-gram
            n &+= 1
            guard id != 0xFFFF else { return }
            Self.count(unigrams + Int(id), index)
            var k = 2
            while k <= min(n, order) {
                let slot = gramSlot(window & Self.mask(k))
                // Absent: no longer n-gram ending here is in the hypothesis either.
                if keys[slot] == 0 { break }
                Self.count(grams + slot, index)
                k &+= 1
            }
        }
        return n
    }

    /// One more occurrence of a hypothesis n-gram in reference number `index`.
    @inline(__always) static func count(_ g: UnsafeMutablePointer<Gram>, _ index: Int32) {
        if g.pointee.last != index { g.pointee.last = index; g.pointee.cur = 0 }
        g.pointee.cur &+= 1
        if g.pointee.cur > g.pointee.refMax { g.pointee.refMax = g.pointee.cur }
    }

    /// Adds Σ min(hypothesis count, best reference count) per order to `stats.matches`.
    func addMatches(to stats: inout BLEUStatistics) {
        var unigramMatches = 0
        for id in 1..<(tokenCount + 1) { unigramMatches += Int(min(unigrams[id].hyp, unigrams[id].refMax)) }
        stats.matches[0] += unigramMatches
        for j in 0..<usedCount {
            let slot = Int(used[j])
            let k = (64 - keys[slot].leadingZeroBitCount + 15) / 16   // the highest id lane
            stats.matches[k - 1] += Int(min(grams[slot].hyp, grams[slot].refMax))
        }
    }

    /// Keeps the n-gram of order `k` (its last k ids) from a window of packed ids.
    @inline(__always) static func mask(_ k: Int) -> UInt64 {
        k >= 4 ? .max : (1 << (16 * UInt64(k))) - 1
    }

    /// The low `n` bytes (1…8) of the word at `p`.
    @inline(__always) static func word(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        let w = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
        return n >= 8 ? w : w & (UInt64.max >> (64 - 8 * UInt64(n)))
    }

    /// A token's hash, eight bytes at a time (the buffers are padded, the tail masked).
    @inline(__always) static func hash(_ p: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        var h = UInt64(length) &* 0x9E37_79B9_7F4A_7C15
        var i = 0
        repeat {
            h = (h ^ word(p + i, length - i)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        } while i < length
        return h
    }

    @inline(__always) static func same(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        var i = 0
        repeat {
            if word(a + i, length - i) != word(b + i, length - i) { return false }
            i += 8
        } while i < length
        return true
    }

    /// The id of `b[s..<e]` among the hypothesis tokens, or 0xFFFF.
    @inline(__always) func find(_ b: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> UInt16 {
        let h = Self.hash(b + s, e - s)
        var slot = Int(truncatingIfNeeded: h >> 40) & tokenMask
        while true {
            let entry = tokenSlots[slot]
            if entry == 0 { return 0xFFFF }
            let id = Int(entry & 0xFFFF)
            if entry >> 16 == h >> 16 && Int(lengths[id]) == e - s && Self.same(hyp + Int(starts[id]), b + s, e - s) {
                return UInt16(id)
            }
            slot = (slot + 1) & tokenMask
        }
    }

    /// The id of hypothesis token `hyp[s..<e]`, adding it when new.
    @inline(__always) mutating func intern(_ s: Int, _ e: Int) -> UInt16 {
        let h = Self.hash(hyp + s, e - s)
        var slot = Int(truncatingIfNeeded: h >> 40) & tokenMask
        while true {
            let entry = tokenSlots[slot]
            if entry == 0 { break }
            let id = Int(entry & 0xFFFF)
            if entry >> 16 == h >> 16 && Int(lengths[id]) == e - s && Self.same(hyp + Int(starts[id]), hyp + s, e - s) {
                return UInt16(id)
            }
            slot = (slot + 1) & tokenMask
        }
        tokenCount += 1
        unigrams[tokenCount] = Gram(hyp: 0, refMax: 0, cur: 0, last: -1)
        starts[tokenCount] = Int32(s)
        lengths[tokenCount] = Int32(e - s)
        tokenSlots[slot] = (h >> 16) << 16 | UInt64(tokenCount)
        return UInt16(tokenCount)
    }

    @inline(__always) func gramSlot(_ key: UInt64) -> Int {
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> gramShift)
        while keys[slot] != 0 && keys[slot] != key { slot = (slot + 1) & gramMask }
        return slot
    }

    @inline(__always) mutating func addGram(_ key: UInt64) {
        let slot = gramSlot(key)
        if keys[slot] == 0 {
            keys[slot] = key
            grams[slot] = Gram(hyp: 1, refMax: 0, cur: 0, last: -1)
            used[usedCount] = Int32(slot)
            usedCount += 1
        } else {
            grams[slot].hyp += 1
        }
    }
}
