// Edit distance for "did you mean" suggestions everywhere (model IDs, metric names, data-set names,
// variables). Each caller keeps its own rule for how close counts as a likely typo; the distance is
// computed here once.

/// Levenshtein distance (insertions, deletions, substitutions each cost 1). With `transpositions`,
/// swapping two adjacent elements also costs 1 (optimal string alignment), so "pirnt" is one edit
/// from "print".
public func editDistance<T: Equatable>(_ a: [T], _ b: [T], transpositions: Bool = false) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    // Three rolling rows: the one two back is needed only for transpositions.
    var older = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if transpositions, i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                current[j] = min(current[j], older[j - 2] + 1)
            }
        }
        (older, previous, current) = (previous, current, older)
    }
    return previous[b.count]
}

/// Edit distance between two strings, by Character.
public func editDistance(_ a: String, _ b: String, transpositions: Bool = false) -> Int {
    editDistance(Array(a), Array(b), transpositions: transpositions)
}
