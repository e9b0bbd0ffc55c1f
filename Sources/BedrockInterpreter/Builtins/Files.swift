// File builtins, paths relative to the script's directory: read_text, write_text (atomic: a temp
// file, fsync, rename), read_jsonl (errors name file:line), write_jsonl, read_csv (header row →
// records). Every failure names the file and what went wrong.
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

enum FileIO {
    static func readText(_ path: String, shown: String) throws -> String {
        switch SourceFiles.read(path: path) {
        case .success(let text): return text
        case .failure(let error): throw NativeError("cannot read '\(shown)': \(error.message)")
        }
    }

    /// Writes to `path.tmp-PID-RANDOM`, flushes it to disk, then renames over `path`, so readers never
    /// see a half-written file.
    static func writeAtomically(_ text: String, to path: String, shown: String) throws {
        // Unique per write: two writers of one file (threads, processes) never share a temp file.
        let temporary = path + ".tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw NativeError("cannot write '\(shown)': \(String(cString: strerror(errno)))") }
        var ok = true
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { ok = false; return }
                offset += n
            }
        }
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw NativeError("cannot write '\(shown)': \(reason)")
        }
    }

    /// RFC 4180 fields: commas, quoted fields with "" escapes and line breaks inside quotes.
    static func parseCSV(_ text: String, shown: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var iterator = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? { if let p = pending { pending = nil; return p }; return iterator.next() }
        var fieldStarted = false
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if let n = next() { if n == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; pending = n } } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty && !fieldStarted: inQuotes = true; fieldStarted = true
            case ",": row.append(field); field = ""; fieldStarted = false
            case "\r": continue
            case "\n":
                row.append(field); field = ""; fieldStarted = false
                if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
                row = []
                line += 1
            default: field.unicodeScalars.append(c); fieldStarted = true
            }
        }
        if inQuotes { throw NativeError("\(shown):\(line): unterminated quoted field") }
        if fieldStarted || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    /// A new private folder (mkdtemp under $TMPDIR, else /tmp).
    static func makeScratchFolder() throws -> String {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base + "/bedrock-XXXXXX").utf8CString)
        return try template.withUnsafeMutableBufferPointer { buffer in
            guard let made = mkdtemp(buffer.baseAddress!) else {
                throw NativeError("cannot create a scratch folder in \(base): \(String(cString: strerror(errno)))")
            }
            return String(cString: made)
        }
    }
}

extension Builtins {
    static func registerFiles(into r: inout NativeRegistry) {
        r.register("temp_dir", doc: "A private scratch folder of this session (created on first use), for generated files such as training data.",
                   example: "write_text(temp_dir() + \"/notes.txt\", \"hi\")", category: "files") { _, ctx in
            if let folder = ctx.interpreter.scratchFolder { return .string(folder) }
            let folder = try FileIO.makeScratchFolder()
            ctx.interpreter.scratchFolder = folder
            return .string(folder)
        }
        r.register("read_text", positional: [NativeParameter("path", .string)], doc: "The whole text of a file (relative to the script).",
                   example: "write_text(\"/tmp/bedrock-example.txt\", \"hi\")\nprint read_text(\"/tmp/bedrock-example.txt\")",
                   category: "files") { args, ctx in
            let path = try args.string("path")
            return .string(try FileIO.readText(ctx.resolvePath(path), shown: path))
        }
        r.register("write_text", positional: [NativeParameter("path", .string), NativeParameter("text", .string)],
                   doc: "Writes text to a file atomically (a temporary file renamed into place).",
                   example: "write_text(\"/tmp/bedrock-example.txt\", \"hello\\n\")", category: "files") { args, ctx in
            let path = try args.string("path")
            try FileIO.writeAtomically(try args.string("text"), to: ctx.resolvePath(path), shown: path)
            return .nil
        }
        r.register("read_jsonl", positional: [NativeParameter("path", .string)],
                   doc: "One value per non-empty line of a JSON Lines file; a bad line is reported as file:line.",
                   example: "write_jsonl(\"/tmp/bedrock-example.jsonl\", [{a: 1}, {a: 2}])\nprint read_jsonl(\"/tmp/bedrock-example.jsonl\")",
                   category: "files") { args, ctx in
            let path = try args.string("path")
            let text = try FileIO.readText(ctx.resolvePath(path), shown: path)
            var rows: [Value] = []
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if line.allSatisfy(\.isWhitespace) { continue }
                do {
                    rows.append(try JSONParser.parse(String(line)))
                } catch let error as JSONError {
                    throw NativeError("\(path):\(number + 1): invalid JSON at column \(error.column): \(error.message)")
                }
                if rows.count > Limits.maxListCount { throw RuntimeErrorKind.listTooLong(Limits.maxListCount) }
            }
            return .list(rows)
        }
        r.register("write_jsonl", positional: [NativeParameter("path", .string), NativeParameter("rows", .list)],
                   doc: "Writes each item as one line of JSON, atomically.",
                   example: "write_jsonl(\"/tmp/bedrock-example.jsonl\", [{q: \"2+2\", a: \"4\"}])", category: "files") { args, ctx in
            let path = try args.string("path")
            let lines = try args.list("rows").map { try JSONFormatter.format($0, indent: 0) + "\n" }
            try FileIO.writeAtomically(lines.joined(), to: ctx.resolvePath(path), shown: path)
            return .nil
        }
        r.register("read_csv", positional: [NativeParameter("path", .string)],
                   doc: "Rows of a CSV file as records keyed by the header row (values stay text).",
                   example: "write_text(\"/tmp/bedrock-example.csv\", \"name,score\\nada,3\\n\")\nprint read_csv(\"/tmp/bedrock-example.csv\")",
                   category: "files") { args, ctx in
            let path = try args.string("path")
            let rows = try FileIO.parseCSV(try FileIO.readText(ctx.resolvePath(path), shown: path), shown: path)
            guard let header = rows.first else { return .list([]) }
            var records: [Value] = []
            for (number, row) in rows.dropFirst().enumerated() {
                guard row.count == header.count else {
                    throw NativeError("\(path): record \(number + 1) has \(row.count) fields, the header has \(header.count)")
                }
                records.append(.record(Record(zip(header, row.map(Value.string)).map { ($0, $1) })))
            }
            return .list(records)
        }
    }
}
