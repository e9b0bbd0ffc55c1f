// AtomicFile: replace a file's contents so that a reader sees the old text or the new, never a
// half-written mix: write a temp file in the same folder, fsync it, rename it over the target,
// fsync the folder. Used by `:save` and `bedrock notebook --update`.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum AtomicFileError: Error, Equatable, CustomStringConvertible {
    case cannotCreate(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case cannotRename(from: String, to: String, reason: String)

    public var description: String {
        switch self {
        case .cannotCreate(let path, let reason): "cannot create \(path): \(reason)"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        case .cannotRename(let from, let to, let reason): "cannot rename \(from) to \(to): \(reason)"
        }
    }
}

public enum AtomicFile {
    /// Writes `text` to `path` atomically; keeps the target's permissions when it exists.
    public static func write(_ text: String, to path: String) throws(AtomicFileError) {
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let temp = (folder.isEmpty ? "" : folder + "/") + ".\(name).tmp-\(getpid())"
        var mode: mode_t = 0o644
        var info = stat()
        if stat(path, &info) == 0 { mode = info.st_mode & 0o7777 }
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, mode)
        guard fd >= 0 else { throw .cannotCreate(path: temp, reason: lastError()) }
        var ok = true
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while ok && offset < bytes.count {
                let n = rawWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { ok = false } else { offset += n }
            }
        }
        if ok && fsync(fd) != 0 { ok = false }
        let reason = lastError()
        close(fd)
        guard ok else {
            unlink(temp)
            throw .cannotWrite(path: temp, reason: reason)
        }
        guard rename(temp, path) == 0 else {
            let reason = lastError()
            unlink(temp)
            throw .cannotRename(from: temp, to: path, reason: reason)
        }
        let dir = open(folder.isEmpty ? "/" : folder, O_RDONLY)
        if dir >= 0 { _ = fsync(dir); close(dir) }   // makes the rename itself durable
    }

    private static func lastError() -> String {
        String(cString: strerror(errno))
    }
}

/// `write` is shadowed inside `AtomicFile` by its own `write(_:to:)`.
private func rawWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
