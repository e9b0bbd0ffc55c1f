// ScriptFile: the checks every front end makes before handing a path to the interpreter, so that
// a missing file, a folder, an unreadable file or invalid UTF-8 gets one clear message (and exit
// status 66) instead of an interpreter error or a crash. Does not parse anything.
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum ScriptFileProblem: Error, Equatable, CustomStringConvertible {
    case missing(path: String)
    case isDirectory(path: String)
    case unreadable(path: String, reason: String)
    case invalidUTF8(path: String, line: Int, column: Int)

    public var description: String {
        switch self {
        case .missing(let path): "\(path): no such file"
        case .isDirectory(let path): "\(path): is a directory, not a script"
        case .unreadable(let path, let reason): "\(path): cannot read: \(reason)"
        case .invalidUTF8(let path, let line, let column): "\(path):\(line):\(column): error: invalid UTF-8"
        }
    }
}

public enum ScriptFile {
    /// The file's text, or why it cannot be a script.
    public static func check(_ path: String) -> Result<String, ScriptFileProblem> {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return errno == ENOENT || errno == ENOTDIR ? .failure(.missing(path: path))
                : .failure(.unreadable(path: path, reason: String(cString: strerror(errno))))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { return .failure(.isDirectory(path: path)) }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(.unreadable(path: path, reason: access(path, R_OK) != 0 ? "permission denied" : "read failed"))
        }
        let bytes = [UInt8](data)
        if let text = String(validating: bytes, as: UTF8.self) { return .success(text) }
        let (line, column) = firstInvalidUTF8(bytes)
        return .failure(.invalidUTF8(path: path, line: line, column: column))
    }

    /// Line and column (1-based, in bytes) of the first byte that is not valid UTF-8.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> (Int, Int) {
        var line = 1, lineStart = 0, index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length = byte < 0x80 ? 1 : byte >> 5 == 0b110 ? 2 : byte >> 4 == 0b1110 ? 3 : byte >> 3 == 0b11110 ? 4 : 0
            let end = index + length
            if length == 0 || end > bytes.count
                || String(validating: bytes[index..<end], as: UTF8.self) == nil {
                return (line, index - lineStart + 1)
            }
            if byte == 0x0A { line += 1; lineStart = end }
            index = end
        }
        return (line, index - lineStart + 1)
    }
}

extension StringProtocol {
    /// Without leading and trailing whitespace.
    var trimmed: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
