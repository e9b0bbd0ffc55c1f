// SplitMix64, the seeded generator behind every random choice in bedrock (the language's `random`,
// token sampling, adapter initialisation and epoch order, data-set sampling and prompt
// perturbations). Chosen because it is tiny, fully specified (Steele, Lea and Flood, "Fast
// splittable pseudorandom number generators", OOPSLA 2014; the constants of Vigna's splitmix64.c)
// and gives the same stream on every machine. Not cryptographic. Swift's own shuffle and hashing
// are avoided: their algorithms may change and `hashValue` is randomised per process.

/// The SplitMix64 generator: a 64-bit counter advanced by the golden-ratio increment, then mixed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform Double in [0, 1) from the top 53 bits.
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A uniform Double in [−bound, bound).
    public mutating func symmetric(_ bound: Double) -> Double { (2 * unit() - 1) * bound }

    /// A uniform integer in 0..<bound by rejection: values above the largest multiple of `bound`
    /// are redrawn, so no value is favoured.
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let b = UInt64(bound)
        let limit = UInt64.max - UInt64.max % b
        while true {
            let x = next()
            if x < limit { return Int(x % b) }
        }
    }

    /// Fisher–Yates shuffle, defined here so the order never depends on the standard library.
    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(i, below(i + 1))
        }
    }

    public mutating func shuffled<T>(_ items: [T]) -> [T] {
        var copy = items
        shuffle(&copy)
        return copy
    }
}

/// FNV-1a over UTF-8: a stable 64-bit hash for deriving sub-seeds from names ("typos", "quiz").
public func stableHash(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
}
