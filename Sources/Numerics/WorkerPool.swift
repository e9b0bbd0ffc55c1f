// A small persistent thread pool for the kernels: the caller plus `threads − 1` workers share one
// job at a time, claiming chunks of its items from an atomic counter, so a worker the OS has not
// scheduled yet delays nothing (the caller takes its chunks, and a worker that never started is
// released from the job). Which thread computes an item varies, but every item is computed by the
// same code from the same inputs (no reduction is ever split across items), so results never depend
// on timing or thread count. Workers spin briefly between jobs (a generation step issues ~150 jobs in
// a few milliseconds) and then sleep on a semaphore. Not a general task scheduler.
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

public final class WorkerPool: @unchecked Sendable {
    /// Threads taking part in each job, the caller included.
    public let threads: Int

    private final class WorkerStart {
        let pool: WorkerPool, index: Int, worker: Worker
        init(pool: WorkerPool, index: Int, worker: Worker) { self.pool = pool; self.index = index; self.worker = worker }
    }

    fileprivate final class Worker: Sendable {
        let sleeping = Atomic<Bool>(false)
        let wake = DispatchSemaphore(value: 0)
        /// The last job generation this worker joined, or that the caller closed without it. Whoever
        /// moves it from g − 1 to g first decides whether the worker takes part in job g.
        let ticket = Atomic<Int>(0)
        /// The last generation this worker finished.
        let done = Atomic<Int>(0)
    }

    private let generation = Atomic<Int>(0)
    /// The next unclaimed item of the current job.
    private let next = Atomic<Int>(0)
    private let workers: [Worker]
    /// The current job; written only by the caller before publishing a new generation.
    nonisolated(unsafe) private var job: ((Range<Int>, Int) -> Void)?
    nonisolated(unsafe) private var itemCount = 0, chunk = 1

    /// Spin iterations before a worker sleeps (~50–100 µs).
    private static let spinLimit = 20_000

    /// A pool with `threads` participants (at least 1). 1 means everything runs on the caller.
    init(threads: Int) {
        self.threads = max(1, threads)
        workers = (1..<max(1, threads)).map { _ in Worker() }
        for (i, worker) in workers.enumerated() {
            // A plain pthread (not Foundation.Thread): the context is retained for the thread's lifetime.
            let context = Unmanaged.passRetained(WorkerStart(pool: self, index: i + 1, worker: worker)).toOpaque()
            var thread = pthread_t()
            let rc = pthread_create(&thread, nil, { raw in
                let start = Unmanaged<WorkerStart>.fromOpaque(raw!).takeRetainedValue()
                start.pool.loop(index: start.index, worker: start.worker)
                return nil
            }, context)
            precondition(rc == 0, "pthread_create failed: \(rc)")
            pthread_detach(thread)
        }
    }

    private static let cache = Mutex<[Int: WorkerPool]>([:])

    /// The process-wide pool with `threads` participants. Pools live as long as the process: their
    /// threads sleep when idle, and sharing them keeps the thread count bounded.
    public static func shared(threads: Int) -> WorkerPool {
        cache.withLock { pools in
            if let pool = pools[max(1, threads)] { return pool }
            let pool = WorkerPool(threads: threads)
            pools[pool.threads] = pool
            return pool
        }
    }

    /// Serializes jobs from different callers sharing this pool (e.g. two models, parallel tests).
    private let jobLock = Mutex<Void>(())

    /// Runs `body(items, thread)` over 0..<count in chunks of `chunk` items, on the caller and the
    /// workers, and returns when all are done. `thread` (0..<threads, 0 = caller) is unique among
    /// concurrently running bodies, for per-thread scratch. Concurrent callers take turns. `body`
    /// must give each item the same result whichever thread runs it, and must not call the pool.
    public func parallel(_ count: Int, chunk: Int = 1, _ body: (Range<Int>, Int) -> Void) {
        if count <= 0 { return }
        let chunk = max(1, chunk)
        if threads == 1 || count <= chunk { body(0..<count, 0); return }
        jobLock.withLock { _ in runLocked(count, chunk, body) }
    }

    private func runLocked(_ count: Int, _ chunk: Int, _ body: (Range<Int>, Int) -> Void) {
        withoutActuallyEscaping(body) { escaping in
            job = escaping
            itemCount = count
            self.chunk = chunk
            next.store(0, ordering: .relaxed)
            // Sequentially consistent on both sides (store, then load of the other flag), so either the
            // worker sees the new generation or this sees the worker asleep: no lost wake-up.
            let g = generation.add(1, ordering: .sequentiallyConsistent).newValue
            for w in workers where w.sleeping.load(ordering: .sequentiallyConsistent) { w.wake.signal() }
            work(thread: 0)
            for w in workers {
                // A worker that has not joined yet never will: close its ticket and move on.
                if w.ticket.compareExchange(expected: g - 1, desired: g, ordering: .sequentiallyConsistent).exchanged { continue }
                var spins = 0
                while w.done.load(ordering: .acquiring) != g {   // it joined: wait for its last chunk
                    spins += 1
                    if spins > 2_000 { sched_yield() }
                }
            }
            job = nil
        }
    }

    /// Claims and runs chunks until none is left.
    private func work(thread: Int) {
        guard let job else { return }
        let count = itemCount, chunk = self.chunk
        while true {
            let start = next.add(chunk, ordering: .relaxed).oldValue
            if start >= count { return }
            job(start..<min(count, start + chunk), thread)
        }
    }

    private func loop(index: Int, worker: Worker) {
        var seen = 0
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                if spins < Self.spinLimit { continue }
                worker.sleeping.store(true, ordering: .sequentiallyConsistent)
                if generation.load(ordering: .sequentiallyConsistent) == seen { worker.wake.wait() }
                worker.sleeping.store(false, ordering: .releasing)
                spins = 0
            }
            let g = generation.load(ordering: .acquiring)
            seen = g
            if worker.ticket.compareExchange(expected: g - 1, desired: g, ordering: .sequentiallyConsistent).exchanged {
                work(thread: index)
                worker.done.store(g, ordering: .releasing)
            }
        }
    }
}
