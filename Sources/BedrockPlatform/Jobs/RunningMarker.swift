// The "running.pid" file a job keeps in its folder while a process runs it. When a workspace is
// opened, a job the database still shows running is known to be orphaned (its process was killed
// or crashed) when no live process other than this one holds its marker. Used by customization and
// evaluation jobs; import jobs keep the pid in their row and ask `isAnotherLiveProcess` directly.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum RunningMarker {
    static let name = "running.pid"

    /// Records this process as the one running the job whose folder is `folder`.
    static func write(in folder: URL) {
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? Data("\(getpid())\n".utf8).write(to: folder.appendingPathComponent(name))
    }

    static func remove(in folder: URL) {
        try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
    }

    /// True when the marker names a live process other than this one. A missing or unreadable
    /// marker, or this process's own pid (its jobs are listed by the job runner), count as not held.
    static func heldByAnotherLiveProcess(in folder: URL) -> Bool {
        guard let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) else { return false }
        return isAnotherLiveProcess(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// True when `pid` names a live process other than this one (whose own jobs the job runner lists).
    static func isAnotherLiveProcess(_ pid: Int32?) -> Bool {
        guard let pid, pid > 0, pid != getpid() else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
