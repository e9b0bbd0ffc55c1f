// Plain-text layout helpers shared by the card and table renderers: aligned "label: value" blocks
// and column tables padded to the widest cell. No colours or terminal control: front ends add those.

public enum TextLayout {
    /// Lines "label  value" with every value starting in the same column; nil values are skipped.
    public static func labelled(_ rows: [(String, String?)], indent: String = "") -> String {
        let present = rows.compactMap { row in row.1.map { (row.0, $0) } }
        let width = present.map { $0.0.count }.max() ?? 0
        return present.map { label, value in
            let pad = String(repeating: " ", count: width - label.count)
            let continued = value.replacingNewlines(with: "\n" + indent + String(repeating: " ", count: width + 2))
            return indent + label + ":" + pad + " " + continued
        }.joined(separator: "\n")
    }

    /// A table: header row, a rule, then rows; columns padded to their widest cell, two spaces apart.
    /// `rightAligned` lists column indexes (numbers) aligned right.
    public static func table(header: [String], rows: [[String]], rightAligned: Set<Int> = []) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, cell) in cells.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                parts.append(rightAligned.contains(i) ? pad + cell : cell + pad)
            }
            return String(parts.joined(separator: "  ").reversed().drop(while: { $0 == " " }).reversed())
        }
        let rule = widths.map { String(repeating: "-", count: $0) }
        return ([line(header), line(rule)] + rows.map(line)).joined(separator: "\n")
    }
}

extension String {
    func replacingNewlines(with replacement: String) -> String {
        split(separator: "\n", omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
