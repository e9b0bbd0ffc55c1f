// A read-only memory map of a whole file (mmap via the C library). The model's weights are used in
// place from this map, so opening a 100 MB model costs a few page-table entries, not a copy. Files
// are mapped private and read-only; nothing here writes.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a file, mapped for reading until this object is released.
public final class MappedFile: @unchecked Sendable {
    /// The file's path, for messages.
    public let path: String
    /// File size in bytes.
    public let count: Int
    let bytes: UnsafeRawPointer

    /// Maps `path`; throws GGUFError.cannotOpen with the system's reason when it can't.
    public init(path: String) throws(GGUFError) {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        count = Int(info.st_size)
        guard count > 0 else { throw .truncated(path: path, offset: 0, needed: 24, what: "GGUF header") }
        guard let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw .cannotOpen(path: path, reason: "mmap: " + String(cString: strerror(errno)))
        }
        bytes = UnsafeRawPointer(p)
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: bytes), count) }
}
