// JobRunner: runs long platform work (customization, evaluation and model import jobs) on threads of its own, so
// the REPL stays usable while a job trains or evaluates. It only runs, reports progress and relays
// stop requests; each job's work closure owns its workspace row (InProgress → Completed / Failed /
// Stopping / Stopped), so the database, not this runner, is the record of what happened.
import Foundation
import Synchronization

/// The kinds of Bedrock job that run in the background.
public enum JobKind: String, Sendable, CaseIterable {
    case customization, evaluation
    /// Custom Model Import (CreateModelImportJob).
    case modelImport = "import"
}

/// Where a running job is: a fraction done and a one-line summary such as
/// `epoch 1/2 · step 3/10 · loss 2.314 · 412 tok/s · ETA 0:12`.
public struct JobProgress: Sendable, Equatable {
    public var fraction: Double
    public var summary: String
    public init(fraction: Double, summary: String) {
        self.fraction = min(1, max(0, fraction))
        self.summary = summary
    }
}

/// What a job's work sees: its ID, whether a stop was asked for, and where to report progress.
public final class JobContext: Sendable {
    public let id: String
    public let kind: JobKind
    struct State {
        var progress = JobProgress(fraction: 0, summary: "starting")
        var stopRequested = false
        /// Stop once this many steps are done (`stop job … after_step:`), when set.
        var stopAfterStep: Int?
        var finished = false
    }
    let state = Mutex(State())

    init(id: String, kind: JobKind) {
        self.id = id
        self.kind = kind
    }

    /// True once `stop job` (or Ctrl-C while waiting) asked the job to stop; work checks it between steps.
    public var isStopRequested: Bool { state.withLock { $0.stopRequested } }

    /// True when the job should stop now that `completedSteps` steps are done: a plain stop request,
    /// or a request to stop after a given step that has been reached.
    public func shouldStop(completedSteps: Int) -> Bool {
        state.withLock { s in s.stopRequested || s.stopAfterStep.map { completedSteps >= $0 } == true }
    }

    /// Records the job's progress for `jobs` and for `wait`'s progress bar.
    public func report(_ progress: JobProgress) { state.withLock { $0.progress = progress } }

    var progress: JobProgress { state.withLock { $0.progress } }
    var isFinished: Bool { state.withLock { $0.finished } }
}

/// The jobs started by this process.
final class JobRunner: Sendable {
    private let contexts = Mutex<[String: JobContext]>([:])

    func start(id: String, kind: JobKind, work: @escaping @Sendable (JobContext) -> Void) {
        let context = JobContext(id: id, kind: kind)
        contexts.withLock { $0[id] = context }
        let thread = Thread {
            work(context)
            context.state.withLock { $0.finished = true }
        }
        thread.name = "bedrock-job-\(id)"
        // Training's backward pass keeps deep call chains on this thread; give it a main-thread-sized stack.
        thread.stackSize = 8 << 20
        thread.start()
    }

    func context(_ id: String) -> JobContext? { contexts.withLock { $0[id] } }

    /// Jobs started here that are still running.
    var running: [JobContext] { contexts.withLock { Array($0.values) }.filter { !$0.isFinished } }
}

/// How `waitForJob` ended.
public enum JobWaitOutcome: Sendable, Equatable {
    /// The job's work returned (its row says how it ended).
    case finished
    /// The caller was interrupted first; the job was asked to stop and this waited for it.
    case interrupted
    /// No job with that ID runs in this process (it ended earlier, or another process ran it).
    case notRunning
}

extension Platform {
    /// Starts `work` on a thread of its own. The work owns the job's workspace row.
    public func startJob(id: String, kind: JobKind, work: @escaping @Sendable (JobContext) -> Void) {
        jobRunner.start(id: id, kind: kind, work: work)
    }

    /// The progress of a job running in this process.
    public func jobProgress(id: String) -> JobProgress? {
        guard let c = jobRunner.context(id), !c.isFinished else { return nil }
        return c.progress
    }

    /// Asks a running job to stop at its next step, or, with `afterStep`, once that many steps are
    /// done (a customization job; a job already past it stops at its next step). False when it is
    /// not running in this process.
    @discardableResult
    public func requestStop(jobID: String, afterStep: Int? = nil) -> Bool {
        guard let c = jobRunner.context(jobID), !c.isFinished else { return false }
        c.state.withLock { s in
            if let afterStep { s.stopAfterStep = min(afterStep, s.stopAfterStep ?? afterStep) } else { s.stopRequested = true }
        }
        return true
    }

    /// Waits for a job, calling `onProgress` about ten times a second. When `isInterrupted` turns
    /// true (Ctrl-C) the job is asked to stop and the wait continues until it has (checkpoint kept).
    public func waitForJob(id: String, onProgress: (JobProgress) -> Void = { _ in },
                           isInterrupted: () -> Bool = { false }) -> JobWaitOutcome {
        guard let c = jobRunner.context(id) else { return .notRunning }
        var interrupted = false
        while !c.isFinished {
            if !interrupted, isInterrupted() {
                interrupted = true
                c.state.withLock { $0.stopRequested = true }
            }
            onProgress(c.progress)
            Thread.sleep(forTimeInterval: 0.1)
        }
        return interrupted ? .interrupted : .finished
    }

    /// Waits for every job this process started (`bedrock run` does so before it exits, so a
    /// script that starts a job and ends never leaves it half-done).
    public func waitForAllJobs() {
        for c in jobRunner.running { _ = waitForJob(id: c.id) }
    }

    /// IDs of the jobs running in this process.
    public var runningJobIDs: [String] { jobRunner.running.map(\.id).sorted() }
}
