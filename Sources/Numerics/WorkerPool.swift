// A small persistent thread pool for the kernels: the caller plus `threads − 1` workers run one job
// per call, each told its worker index, and split the work by that index with a fixed partition
// (`WorkerPool.range`). Nothing is split dynamically, so results never depend on timing or on the
// thread count. Workers spin briefly between jobs (a generation step issues ~200 jobs in a few
// milliseconds) and then sleep on a semaphore. Not a general task scheduler.
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
    }

    private let generation = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let workers: [Worker]
    /// The current job; written only by the caller before publishing a new generation.
    nonisolated(unsafe) private var job: ((Int) -> Void)?

    /// Spin iterations before a worker sleeps (~50–100 µs).
    private static let spinLimit = 20_000

    /// A pool with `threads` participants (at least 1). 1 means everything runs on the caller.
    init(threads: Int) {
        self.threads = max(1, threads)
        workers = (1..<max(1, threads)).map { _ in Worker() }
        for (i, worker) in workers.enumerated() {
            // A plain pthread (not Foundation.Thread): the context is retained for the thread's lifetime.
            // The worker starts from the generation at creation (0), not from whatever it reads once
            // it runs: a job published before the thread first runs must not be missed.
            let context = Unmanaged.passRetained(WorkerStart(pool: self, index: i + 1, worker: worker)).toOpaque()
            var thread = pthread_t()
            let rc = pthread_create(&thread, nil, { raw in
                let start = Unmanaged<WorkerStart>.fromOpaque(raw!).takeRetainedValue()
                start.pool.loop(index: start.index, worker: start.worker, from: 0)
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

    /// The fixed share of `0..<count` for worker `index`: contiguous, in index order, sizes differ by at most one.
    @inline(__always)
    public func range(_ count: Int, worker index: Int) -> Range<Int> {
        let lo = count * index / threads, hi = count * (index + 1) / threads
        return lo..<hi
    }

    /// Serializes jobs from different callers sharing this pool (e.g. two models, parallel tests).
    private let jobLock = Mutex<Void>(())

    /// Runs `body(index)` for every index in 0..<threads (index 0 on the caller) and returns when all
    /// are done. Concurrent callers take turns. `body` must not call `run` on the same pool.
    public func run(_ body: (Int) -> Void) {
        if threads == 1 { body(0); return }
        jobLock.withLock { _ in runLocked(body) }
    }

    private func runLocked(_ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { escaping in
            job = escaping
            finished.store(0, ordering: .relaxed)
            // Sequentially consistent on both sides (store, then load of the other flag), so either the
            // worker sees the new generation or this sees the worker asleep: no lost wake-up.
            generation.add(1, ordering: .sequentiallyConsistent)
            for w in workers where w.sleeping.load(ordering: .sequentiallyConsistent) { w.wake.signal() }
            escaping(0)
            // Spin while the workers finish; if they take long (the machine is oversubscribed and a
            // worker is waiting for a core), yield this core instead of burning it.
            var spins = 0
            while finished.load(ordering: .acquiring) < workers.count {
                spins += 1
                if spins > 2_000 { sched_yield() } else { spinPause() }
            }
            job = nil
        }
    }

    private func loop(index: Int, worker: Worker, from initialGeneration: Int) {
        var seen = initialGeneration
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                if spins < Self.spinLimit { spinPause(); continue }
                worker.sleeping.store(true, ordering: .sequentiallyConsistent)
                if generation.load(ordering: .sequentiallyConsistent) == seen { worker.wake.wait() }
                worker.sleeping.store(false, ordering: .releasing)
                spins = 0
            }
            seen = generation.load(ordering: .acquiring)
            job?(index)
            finished.add(1, ordering: .releasing)
        }
    }
}

@inline(__always) private func spinPause() {
    // No portable pause instruction in Swift; a relaxed no-op keeps the loop from being optimized away.
    _ = 0
}
