// The worker pool hands out every item exactly once, in chunks, with thread indices in range, for
// any pool size and chunk size, over many back-to-back jobs (the ticket protocol must never let a
// late worker run a finished job or skip a live one).
import Testing
import Synchronization
@testable import Numerics

@Suite struct WorkerPoolTests {
    @Test(arguments: [1, 2, 3], [1, 5, 64])
    func everyItemRunsOnce(threads: Int, chunk: Int) {
        let pool = WorkerPool.shared(threads: threads)
        for count in [0, 1, 7, 100, 1000] {
            let hits = UnsafeMutablePointer<Int>.allocate(capacity: max(1, count))
            hits.initialize(repeating: 0, count: max(1, count))
            let badThread = Atomic<Int>(0)
            for _ in 0..<50 {   // many short jobs in a row
                pool.parallel(count, chunk: chunk) { items, thread in
                    if thread < 0 || thread >= threads { badThread.add(1, ordering: .relaxed) }
                    for i in items { hits[i] += 1 }   // items are disjoint, so no two threads share a slot
                }
            }
            #expect((0..<count).allSatisfy { hits[$0] == 50 }, "\(threads) threads, chunk \(chunk), \(count) items")
            #expect(badThread.load(ordering: .relaxed) == 0)
            hits.deallocate()
        }
    }
}
