// Evaluation jobs a killed or crashed process left InProgress (or Stopping): marked Failed when a
// platform opens the workspace, so `jobs` never shows a job running that nothing runs. Such a job
// wrote no report: its aggregates and files are written only at its end.
import Foundation
import Workspace

extension Platform {
    /// Marks Failed every evaluation job shown running whose process has ended; returns their IDs.
    @discardableResult
    public func recoverInterruptedEvaluationJobs() throws -> [String] {
        let open = try workspace.read { tx in try tx.evaluationJobs().filter { $0.status == .inProgress || $0.status == .stopping } }
        var failed: [String] = []
        for var job in open where !runningJobIDs.contains(job.id) {
            let folder = workspace.evaluationFolder(id: job.id)
            if RunningMarker.heldByAnotherLiveProcess(in: folder) { continue }
            job.status = .failed
            job.failureMessage = "the process running the evaluation ended before it finished; no report was written"
            job.endedAt = try workspace.read { try $0.now() }
            try workspace.write { try $0.updateEvaluationJob(job) }
            RunningMarker.remove(in: folder)
            failed.append(job.id)
        }
        return failed
    }
}
