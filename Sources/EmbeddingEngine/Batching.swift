// How a list of texts becomes encoder work: length-sorted groups (little padding) and a fixed
// round-robin assignment of groups to threads. Neither choice can change a text's numbers, since
// every kernel treats rows independently; they only change speed. No thread pool is kept.

import Dispatch

enum BatchPlanner {
    /// Padded tokens (sequences × longest length) per group: keeps the FFN activations ~12 MB.
    static let maxGroupTokens = 2048
    /// Sequences per group: enough rows for the 4-row GEMM tile to reuse each weight panel.
    static let maxGroupSequences = 64

    /// Indices grouped by ascending length (ties by index), each group within the limits above.
    /// The sequence cap shrinks so the groups come in a multiple of `workers` of similar size
    /// (100 texts on 2 threads: 2 × 50, not 64 + 36).
    static func groups(lengths: [Int], workers: Int = 1) -> [[Int]] {
        let order = lengths.indices.sorted { (lengths[$0], $0) < (lengths[$1], $1) }
        let w = max(1, workers)
        let groupCount = ((lengths.count + maxGroupSequences - 1) / maxGroupSequences + w - 1) / w * w
        let cap = max(1, (lengths.count + groupCount - 1) / max(1, groupCount))
        var groups: [[Int]] = []
        var current: [Int] = []
        for i in order {
            let longest = max(lengths[i], current.last.map { lengths[$0] } ?? 0)
            if !current.isEmpty,
               current.count == cap || (current.count + 1) * longest > maxGroupTokens {
                groups.append(current)
                current = []
            }
            current.append(i)
        }
        if !current.isEmpty { groups.append(current) }
        return groups
    }
}

enum Parallel {
    /// Runs `body(i)` for i in 0..<count; thread t takes i = t, t + threads, … (fixed, not dynamic).
    static func forEach(_ count: Int, threads: Int, _ body: @Sendable (Int) -> Void) {
        let t = max(1, min(threads, count))
        if t == 1 {
            for i in 0..<count { body(i) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: t) { worker in
            for i in stride(from: worker, to: count, by: t) { body(i) }
        }
    }
}

/// A raw pointer handed to worker threads that touch disjoint parts of its memory.
struct SendablePointer<P>: @unchecked Sendable {   // callers guarantee disjoint writes and a join before reuse
    let pointer: P
    init(_ pointer: P) { self.pointer = pointer }
}

/// Write-once result slots filled from several threads, each index by exactly one thread.
final class ResultSlots<T: Sendable>: @unchecked Sendable {   // disjoint indices; read only after the join
    private let slots: UnsafeMutablePointer<T?>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: max(1, count))
        slots.initialize(repeating: nil, count: count)
    }

    func set(_ i: Int, _ value: T) { slots[i] = value }

    /// All values, in index order; every slot must have been set.
    func finish() -> [T] { (0..<count).map { slots[$0]! } }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }
}
