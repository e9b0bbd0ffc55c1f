// AtomicFile: replace a file so that readers (and a crash) see either the old or the new bytes.
// Write to a temporary name in the same folder, fsync the file, rename it over the target, fsync
// the folder so the rename itself is durable. Used for custom-model weights, metric CSVs and
// evaluation reports. It does not lock: two writers of one path race, and the last rename wins.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum AtomicFile {
    /// Atomically replaces (or creates) `url` with `data`, creating missing folders.
    public static func write(_ data: Data, to url: URL) throws {
        try write(to: url) { handle in try handle.write(contentsOf: data) }
    }

    /// Atomically replaces `url` with whatever `produce` writes to the handle, for contents too
    /// large to hold in memory. If `produce` throws, the target is untouched and the temp file removed.
    public static func write(to url: URL, _ produce: (FileHandle) throws -> Void) throws {
        let folder = url.deletingLastPathComponent()
        try makeFolder(folder, for: url)
        let temp = folder.appendingPathComponent(".\(url.lastPathComponent)\(tempMarker)\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(url, "create temporary file", errno) }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do {
            try produce(handle)
            guard fsync(fd) == 0 else { throw failure(url, "fsync file", errno) }
            try handle.close()
            guard rename(temp.path, url.path) == 0 else { throw failure(url, "rename into place", errno) }
        } catch {
            try? handle.close()
            unlink(temp.path)
            if error is WorkspaceError { throw error }
            throw WorkspaceError.fileWriteFailed(path: url.path, step: "write", reason: "\(error)")
        }
        try syncFolder(folder, for: url)
    }

    /// Temporary names are `.<name>.tmp-<pid>-<random>`: the pid tells a live writer's file from
    /// one a killed process left behind.
    static let tempMarker = ".tmp-"

    /// Removes temporary files that interrupted writes left in `folder`, skipping those whose
    /// writing process is still alive. Returns the names removed.
    @discardableResult
    public static func removeLeftovers(in folder: URL) throws -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var removed: [String] = []
        for name in names where name.hasPrefix(".") {
            guard let marker = name.range(of: tempMarker, options: .backwards),
                  let pid = Int32(name[marker.upperBound...].prefix { $0 != "-" }) else { continue }
            if kill(pid, 0) == 0 || errno == EPERM { continue }  // that writer is still running
            let path = folder.appendingPathComponent(name).path
            guard unlink(path) == 0 else { throw failure(URL(fileURLWithPath: path), "remove leftover", errno) }
            removed.append(name)
        }
        return removed.sorted()
    }

    /// Creates `folder` (and parents) if missing, syncing each new entry's parent.
    private static func makeFolder(_ folder: URL, for url: URL) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                throw WorkspaceError.fileWriteFailed(path: url.path, step: "create folder",
                                                     reason: "\(folder.path) is not a folder")
            }
            return
        }
        try makeFolder(folder.deletingLastPathComponent(), for: url)
        guard mkdir(folder.path, 0o755) == 0 || errno == EEXIST else { throw failure(url, "create folder", errno) }
        try syncFolder(folder.deletingLastPathComponent(), for: url)
    }

    /// fsync on a folder makes the names in it (our rename) durable.
    private static func syncFolder(_ folder: URL, for url: URL) throws {
        let fd = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(url, "open folder", errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure(url, "fsync folder", errno) }
    }

    private static func failure(_ url: URL, _ step: String, _ code: Int32) -> WorkspaceError {
        .fileWriteFailed(path: url.path, step: step, reason: String(cString: strerror(code)))
    }
}
