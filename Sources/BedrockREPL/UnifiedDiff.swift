// UnifiedDiff: a longest-common-subsequence line diff printed in unified format (`@@ -a,b +c,d @@`,
// three lines of context), with a pluggable line equality so notebook wildcards count as equal.
// Quadratic in time and memory: meant for cell outputs, not for large files.

public enum DiffOp: Equatable, Sendable {
    /// Both sides have it (indices into expected and actual).
    case same(Int, Int)
    case removed(Int)
    case added(Int)
}

public enum UnifiedDiff {
    /// Above this many cell pairs the diff gives up on alignment and replaces everything.
    static let maxTableSize = 16_000_000

    /// The edit script turning `expected` into `actual`.
    public static func operations(_ expected: [String], _ actual: [String], equal: (String, String) -> Bool) -> [DiffOp] {
        let n = expected.count, m = actual.count
        guard n * m <= maxTableSize else {
            return (0..<n).map { DiffOp.removed($0) } + (0..<m).map { DiffOp.added($0) }
        }
        // table[i][j] = LCS length of expected[i...] and actual[j...], flattened.
        var table = [Int32](repeating: 0, count: (n + 1) * (m + 1))
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i * (m + 1) + j] = equal(expected[i], actual[j])
                    ? table[(i + 1) * (m + 1) + j + 1] + 1
                    : max(table[(i + 1) * (m + 1) + j], table[i * (m + 1) + j + 1])
            }
        }
        var ops: [DiffOp] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n && j < m && equal(expected[i], actual[j]) {
                ops.append(.same(i, j)); i += 1; j += 1
            } else if i < n && (j == m || table[(i + 1) * (m + 1) + j] >= table[i * (m + 1) + j + 1]) {
                ops.append(.removed(i)); i += 1   // removals first on ties, as diff -u prints them
            } else {
                ops.append(.added(j)); j += 1
            }
        }
        return ops
    }

    /// The unified diff text, empty when the two sides are equal. Line numbers in hunk headers
    /// start at `firstLine` on both sides (the notebook line where the output cell's text begins).
    public static func render(expected: [String], actual: [String], expectedLabel: String, actualLabel: String,
                              firstLine: Int = 1, context: Int = 3,
                              equal: (String, String) -> Bool = { $0 == $1 }) -> String {
        let ops = operations(expected, actual, equal: equal)
        let changed = ops.indices.filter { if case .same = ops[$0] { false } else { true } }
        guard !changed.isEmpty else { return "" }
        var text = "--- \(expectedLabel)\n+++ \(actualLabel)\n"
        for hunk in hunks(changed: changed, count: ops.count, context: context) {
            let before = ops[..<hunk.lowerBound]
            let consumedOld = before.filter { if case .added = $0 { false } else { true } }.count
            let consumedNew = before.filter { if case .removed = $0 { false } else { true } }.count
            text += render(hunk: Array(ops[hunk]), expected: expected, actual: actual, firstLine: firstLine,
                           startOld: consumedOld, startNew: consumedNew)
        }
        return text
    }

    /// Groups changed positions into ranges of ops, each widened by `context` and merged when close.
    static func hunks(changed: [Int], count: Int, context: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        for index in changed {
            let low = max(0, index - context), high = min(count, index + context + 1)
            if let last = ranges.last, low <= last.upperBound {
                ranges[ranges.count - 1] = last.lowerBound..<max(last.upperBound, high)
            } else {
                ranges.append(low..<high)
            }
        }
        return ranges
    }

    private static func render(hunk: [DiffOp], expected: [String], actual: [String], firstLine: Int,
                               startOld: Int, startNew: Int) -> String {
        var body = "", oldCount = 0, newCount = 0
        var oldStart: Int?, newStart: Int?
        var nextOld = startOld, nextNew = startNew   // where a side with no lines in the hunk sits
        for op in hunk {
            switch op {
            case .same(let i, let j):
                body += " " + expected[i] + "\n"
                oldStart = oldStart ?? i; newStart = newStart ?? j
                oldCount += 1; newCount += 1; nextOld = i + 1; nextNew = j + 1
            case .removed(let i):
                body += "-" + expected[i] + "\n"
                oldStart = oldStart ?? i; oldCount += 1; nextOld = i + 1
            case .added(let j):
                body += "+" + actual[j] + "\n"
                newStart = newStart ?? j; newCount += 1; nextNew = j + 1
            }
        }
        // Unified format: an empty side is numbered by the line before it.
        let old = oldCount == 0 ? firstLine + nextOld - 1 : firstLine + oldStart!
        let new = newCount == 0 ? firstLine + nextNew - 1 : firstLine + newStart!
        return "@@ -\(old),\(oldCount) +\(new),\(newCount) @@\n" + body
    }
}
