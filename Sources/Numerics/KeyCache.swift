// One layer's cached attention keys, stored already transposed in blocks of 64 positions, so
// attention reads 16 keys per vector load without copying the cache first. Transposing the whole
// cache for every generated token cost about a tenth of generation time; writing each new key into
// its columns costs a few hundred scattered stores. Values stay row-major (FloatMatrix).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keys of positions 0..<capacity for `kvHeads` heads of `headDim` values, laid out
/// [kvHead][block of 64 positions][d][position mod 64]. Zero-filled and allocated lazily (calloc),
/// so only blocks that were written are resident.
public final class KeyCache: @unchecked Sendable {
    /// Positions per block: the attention kernel computes 64 scores per pass.
    public static let blockSize = 64
    public let capacity: Int, kvHeads: Int, headDim: Int
    let blocks: Int
    let base: UnsafeMutablePointer<Float>

    public init(capacity: Int, kvHeads: Int, headDim: Int) {
        precondition(capacity >= 0 && kvHeads > 0 && headDim > 0)
        self.capacity = capacity; self.kvHeads = kvHeads; self.headDim = headDim
        blocks = (capacity + Self.blockSize - 1) / Self.blockSize
        let count = max(1, kvHeads * blocks * headDim * Self.blockSize)
        guard let raw = calloc(count, MemoryLayout<Float>.stride) else { fatalError("out of memory: \(count) floats") }
        base = raw.bindMemory(to: Float.self, capacity: count)
    }

    deinit { free(base) }

    /// The (headDim, 64) block holding positions 64·block..<64·block+64 of KV head `head`.
    @inline(__always)
    func block(head: Int, _ block: Int) -> UnsafeMutablePointer<Float> {
        base + ((head * blocks + block) * headDim) * Self.blockSize
    }

    /// Stores rows 0..<n of `k` (n, kvHeads·headDim) as positions at..<at+n.
    public func store(_ k: FloatMatrix, rows n: Int, at: Int) {
        precondition(k.cols == kvHeads * headDim && at + n <= capacity && n <= k.rows,
                     "key cache store out of range: \(at)+\(n) of \(capacity)")
        for i in 0..<n {
            let p = at + i, row = k.pointer(row: i)
            for h in 0..<kvHeads {
                let dst = block(head: h, p / Self.blockSize) + p % Self.blockSize, src = row + h * headDim
                for d in 0..<headDim { dst[d * Self.blockSize] = src[d] }
            }
        }
    }

    /// The key of position `p`, head `h`, as a row (for tests and debugging).
    public func key(position p: Int, head h: Int) -> [Float] {
        let b = block(head: h, p / Self.blockSize) + p % Self.blockSize
        return (0..<headDim).map { b[$0 * Self.blockSize] }
    }
}
