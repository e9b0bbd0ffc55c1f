// table(rows): prints rows as aligned columns. Rows are records (columns are the keys, in first-
// seen order, with a header and a rule) or lists (no header). Numbers align right, text left.

extension Builtins {
    static func registerTable(into r: inout NativeRegistry) {
        r.register("table", positional: [NativeParameter("rows", .list)],
                   labelled: [NativeParameter("columns", .list, default: .nil, doc: "which record keys to show, in order")],
                   doc: "Prints a list of records (or of lists) as aligned columns.",
                   example: #"table([{model: "titan", tokens: 12}, {model: "claude", tokens: 7}])"#,
                   category: "output") { args, ctx in
            ctx.write(try renderTable(try args.list("rows"), columns: args.optional("columns")))
            return .nil
        }
    }

    static func renderTable(_ rows: [Value], columns: Value?) throws -> String {
        var header: [String]?
        var cells: [[Value]] = []
        if rows.allSatisfy({ if case .record = $0 { return true }; return false }), !rows.isEmpty {
            var keys: [String] = []
            if case .list(let chosen)? = columns {
                keys = chosen.map(ValueFormatter.display)
            } else {
                for case .record(let rec) in rows { for k in rec.keys where !keys.contains(k) { keys.append(k) } }
            }
            header = keys
            cells = rows.map { row in
                guard case .record(let rec) = row else { return [] }
                return keys.map { rec[$0] ?? .nil }
            }
        } else {
            for row in rows {
                guard case .list(let items) = row else {
                    throw NativeError("rows must all be records or all be lists, found a \(row.typeName)")
                }
                cells.append(items)
            }
        }
        let width = max(header?.count ?? 0, cells.map(\.count).max() ?? 0)
        let texts = cells.map { row in (0..<width).map { $0 < row.count ? cellText(row[$0]) : "" } }
        var widths = [Int](repeating: 0, count: width)
        for row in texts + (header.map { [$0] } ?? []) { for (i, t) in row.enumerated() { widths[i] = max(widths[i], t.count) } }
        let numeric = (0..<width).map { i in
            !cells.isEmpty && cells.allSatisfy { row in
                guard i < row.count else { return true }
                switch row[i] { case .int, .double, .decimal, .nil: return true; default: return false }
            }
        }
        func line(_ row: [String]) -> String {
            row.enumerated().map { i, t in
                let pad = String(repeating: " ", count: widths[i] - t.count)
                return numeric[i] ? pad + t : t + pad
            }.joined(separator: "  ").trailingSpaceTrimmed + "\n"
        }
        var out = ""
        if let header {
            out += line(header)
            out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        }
        for row in texts { out += line(row) }
        return out
    }

    static func cellText(_ v: Value) -> String {
        if case .nil = v { return "" }
        return ValueFormatter.display(v).replacing("\n", with: " ")
    }
}

extension String {
    var trailingSpaceTrimmed: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
