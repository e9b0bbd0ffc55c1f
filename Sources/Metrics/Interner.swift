// Exact interning of tokens and n-grams into small integer ids, the speed core of ROUGE and BLEU.
// Tokens are compared by code points (Python `str` equality), never by Swift `String` equality.
// N-grams are interned as (order, prefix n-gram id, last token id) triples, so an n-gram of any
// order is one integer and counting is array indexing. Not a general-purpose hash map.

/// Maps token code-point sequences to dense ids 0, 1, 2, … in order of first appearance.
/// A struct (not a class like `PairInterner`): its arrays grow, and growing arrays held by a
/// class pay a dynamic exclusivity check on every access.
struct TokenInterner {
    private struct Entry { var hash: UInt64; var offset: Int32; var length: Int32 }
    private var slots: [Int32]
    private var mask: Int
    private var entries: [Entry] = []
    private var storage: [UInt32] = []

    init(expected: Int = 64) {
        var cap = 16
        while cap < expected * 2 { cap <<= 1 }
        slots = Array(repeating: -1, count: cap)
        mask = cap - 1
        entries.reserveCapacity(expected)
        storage.reserveCapacity(expected * 6)
    }

    var count: Int { entries.count }

    /// The id of `token`, adding it when new.
    mutating func id(_ token: ArraySlice<UInt32>) -> Int32 {
        token.withUnsafeBufferPointer { id($0) }
    }

    /// The id of `token`, adding it when new.
    mutating func id(_ token: UnsafeBufferPointer<UInt32>) -> Int32 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in 0..<token.count { h = (h ^ UInt64(token[i])) &* 0x0000_0100_0000_01b3 }
        h ^= h >> 29
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let existing = slots[slot]
            if existing < 0 { break }
            if entries[Int(existing)].hash == h && equals(Int(existing), token) { return existing }
            slot = (slot + 1) & mask
        }
        let newID = Int32(entries.count)
        slots[slot] = newID
        entries.append(Entry(hash: h, offset: Int32(storage.count), length: Int32(token.count)))
        storage.append(contentsOf: token)
        if entries.count * 2 > slots.count { grow() }
        return newID
    }

    private func equals(_ id: Int, _ token: UnsafeBufferPointer<UInt32>) -> Bool {
        let e = entries[id]
        guard Int(e.length) == token.count else { return false }
        return storage.withUnsafeBufferPointer { s in
            let start = Int(e.offset)
            for i in 0..<token.count where s[start + i] != token[i] { return false }
            return true
        }
    }

    private mutating func grow() {
        let cap = slots.count * 2
        slots = Array(repeating: -1, count: cap)
        mask = cap - 1
        for id in entries.indices {
            var slot = Int(truncatingIfNeeded: entries[id].hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id)
        }
    }
}

/// Maps (order, prefix n-gram id, last token id) to dense ids. A class over raw storage: it is
/// the innermost loop of BLEU and ROUGE-N, and array copy-on-write checks cost more than the
/// hashing. Never shared across threads (each score call makes its own).
final class PairInterner {
    private var keys: UnsafeMutablePointer<UInt64>
    private var values: UnsafeMutablePointer<Int32>
    private var capacity: Int
    private var mask: Int
    private(set) var count = 0

    init(expected: Int = 64) {
        var cap = 16
        while cap < expected * 2 { cap <<= 1 }
        capacity = cap
        mask = cap - 1
        keys = .allocate(capacity: cap)
        keys.initialize(repeating: .max, count: cap)
        values = .allocate(capacity: cap)
        values.initialize(repeating: -1, count: cap)
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// Keys pack (order: 6 bits, a + 1: 29 bits, b: 29 bits); ids stay far below 2^29.
    @inline(__always)
    private static func key(_ order: Int32, _ a: Int32, _ b: Int32) -> UInt64 {
        UInt64(order) << 58 | UInt64(UInt32(bitPattern: a &+ 1)) << 29 | UInt64(UInt32(bitPattern: b))
    }

    func id(_ order: Int32, _ a: Int32, _ b: Int32) -> Int32 {
        let key = Self.key(order, a, b)
        var slot = Self.slot(key) & mask
        while keys[slot] != .max {
            if keys[slot] == key { return values[slot] }
            slot = (slot + 1) & mask
        }
        let newID = Int32(count)
        keys[slot] = key
        values[slot] = newID
        count += 1
        if count * 2 > capacity { grow() }
        return newID
    }

    /// The id of (order, a, b) if present, else nil; never inserts.
    func find(_ order: Int32, _ a: Int32, _ b: Int32) -> Int32? {
        let key = Self.key(order, a, b)
        var slot = Self.slot(key) & mask
        while keys[slot] != .max {
            if keys[slot] == key { return values[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    @inline(__always)
    private static func slot(_ key: UInt64) -> Int {
        var h = key &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 31
        return Int(truncatingIfNeeded: h)
    }

    private func grow() {
        let oldKeys = keys, oldValues = values, oldCapacity = capacity
        capacity *= 2
        mask = capacity - 1
        keys = .allocate(capacity: capacity)
        keys.initialize(repeating: .max, count: capacity)
        values = .allocate(capacity: capacity)
        values.initialize(repeating: -1, count: capacity)
        for i in 0..<oldCapacity where oldKeys[i] != .max {
            var slot = Self.slot(oldKeys[i]) & mask
            while keys[slot] != .max { slot = (slot + 1) & mask }
            keys[slot] = oldKeys[i]
            values[slot] = oldValues[i]
        }
        oldKeys.deallocate()
        oldValues.deallocate()
    }
}

/// Ids for n-grams of orders 1…maxOrder over token ids, all in one dense id space: an n-gram is
/// the pair (order, id of its (n−1)-gram prefix, last token), a unigram (1, −1, token). One table
/// and one id space keep counting to a single array per text, which is what makes BLEU fast.
struct NgramIndex {
    private let table: PairInterner
    let maxOrder: Int

    init(maxOrder: Int, expected: Int) {
        self.maxOrder = maxOrder
        table = PairInterner(expected: max(16, expected * max(1, maxOrder)))
    }

    /// Number of distinct n-grams (all orders) so far; every id is below it.
    var count: Int { table.count }

    /// Where order `n`'s ids start in a flat n-gram array of a text of `length` tokens: orders
    /// are stored one after another, order k holding max(0, length − k + 1) ids.
    static func start(order n: Int, length: Int) -> Int {
        var s = 0
        for k in 1..<n { s += max(0, length - k + 1) }
        return s
    }

    /// All n-gram ids of `tokens`, orders 1…maxOrder one after another (see `start`). With
    /// `insert` false nothing is added: an unseen n-gram gets −1, and so does every longer one
    /// starting with it (for a hypothesis, whose unseen n-grams cannot match a reference).
    mutating func flatNgrams(_ tokens: [Int32], insert: Bool = true) -> [Int32] {
        let len = tokens.count
        let total = Self.start(order: maxOrder + 1, length: len)
        return [Int32](unsafeUninitializedCapacity: total) { out, count in
            var prevStart = 0
            for i in 0..<len { out[i] = insert ? table.id(1, -1, tokens[i]) : table.find(1, -1, tokens[i]) ?? -1 }
            var cur = len
            if maxOrder >= 2 {
                for n in 2...maxOrder where len >= n {
                    for i in 0...(len - n) {
                        let prefix = out[prevStart + i]
                        out[cur + i] = insert ? table.id(Int32(n), prefix, tokens[i + n - 1])
                            : prefix < 0 ? -1 : table.find(Int32(n), prefix, tokens[i + n - 1]) ?? -1
                    }
                    prevStart = cur
                    cur += len - n + 1
                }
            }
            count = total
        }
    }

    /// N-gram ids of `tokens` per order 1…maxOrder (empty for orders longer than the text).
    mutating func ngrams(_ tokens: [Int32]) -> [[Int32]] {
        var out: [[Int32]] = []
        out.reserveCapacity(maxOrder)
        guard maxOrder >= 1 else { return out }
        var prev = tokens.map { table.id(1, -1, $0) }
        out.append(prev)
        if maxOrder < 2 { return out }
        for n in 2...maxOrder {
            guard tokens.count >= n else { out.append([]); prev = []; continue }
            var cur = [Int32]()
            cur.reserveCapacity(tokens.count - n + 1)
            for i in 0...(tokens.count - n) { cur.append(table.id(Int32(n), prev[i], tokens[i + n - 1])) }
            out.append(cur)
            prev = cur
        }
        return out
    }
}
