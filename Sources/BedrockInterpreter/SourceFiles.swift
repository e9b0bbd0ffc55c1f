// SourceFiles: reading script files safely (missing file, directory, invalid UTF-8 → a clear
// message, never a crash), resolving paths against a base directory, and running the evaluator on
// a thread with a large stack. Not here: the file builtins (Builtins/Files.swift).
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

enum SourceFileError: Error, Equatable {
    case notFound, isDirectory, invalidUTF8(byteOffset: Int), unreadable(String)

    var message: String {
        switch self {
        case .notFound: return "no such file"
        case .isDirectory: return "is a directory, not a script"
        case .invalidUTF8(let offset): return "file is not valid UTF-8 (first bad byte at offset \(offset))"
        case .unreadable(let why): return "cannot read file: \(why)"
        }
    }
}

enum SourceFiles {
    static func read(path: String) -> Result<String, SourceFileError> {
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .failure(.notFound) }
        if isDirectory { return .failure(.isDirectory) }
        guard let data = FileManager.default.contents(atPath: path) else { return .failure(.unreadable("permission denied or I/O error")) }
        return decode(Array(data))
    }

    static func decode(_ bytes: [UInt8]) -> Result<String, SourceFileError> {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var text = String.UnicodeScalarView()
        var offset = 0
        var consumed = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                text.append(scalar)
                consumed += UTF8.width(scalar)
                offset = consumed
            case .emptyInput:
                return .success(String(text))
            case .error:
                return .failure(.invalidUTF8(byteOffset: offset))
            }
        }
    }

    /// `path` made absolute against `base` (absolute paths are kept).
    static func resolve(_ path: String, base: String) -> String {
        if path.hasPrefix("/") { return path }
        if base.isEmpty { return path }
        return base.hasSuffix("/") ? base + path : base + "/" + path
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

/// Runs a closure on a fresh thread with a 512 MiB stack and waits for it. The stack is only
/// reserved address space; pages are touched as recursion goes deeper.
enum LargeStack {
    static let stackBytes = 512 << 20

    private class Job {
        func run() {}
    }

    private final class TypedJob<T>: Job {
        let body: () -> T
        var result: T?
        init(_ body: @escaping () -> T) { self.body = body }
        override func run() { result = body() }
    }

    static func run<T>(_ body: @escaping () -> T) -> T {
        let job = TypedJob(body)
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackBytes)
        var thread = pthread_t()
        let context = Unmanaged<Job>.passRetained(job).toOpaque()
        let status = pthread_create(&thread, &attributes, { context in
            let job = Unmanaged<Job>.fromOpaque(context!).takeRetainedValue()
            job.run()
            return nil
        }, context)
        if status != 0 {
            Unmanaged<Job>.fromOpaque(context).release()
            return body()   // no thread available: run here, still bounded by the call limit
        }
        pthread_join(thread, nil)
        return job.result!
    }
}

extension SourceFiles {
    /// Removes `.` components and folds `dir/..`, so one file imported two ways counts once.
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        return path.hasPrefix("/") ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
}
