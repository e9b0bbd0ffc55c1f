// Vector helpers over embeddings: L2 normalisation, cosine similarity and nearest-k search.
// Sums run in Double in a fixed order so scores are reproducible and symmetric. This is not an
// index: nearest-k is a linear scan, fine for the hundreds of texts a script passes.

/// A candidate's position in the searched list and its cosine similarity to the query.
public struct Neighbor: Sendable, Equatable {
    public var index: Int
    public var score: Float
}

public enum VectorMathError: Error, Equatable, CustomStringConvertible, Sendable {
    case dimensionMismatch(expected: Int, actual: Int, candidate: Int?)

    public var description: String {
        switch self {
        case let .dimensionMismatch(e, a, c):
            let which = c.map { "candidate \($0)" } ?? "second vector"
            return "\(which) has \(a) dimensions, expected \(e) like the first"
        }
    }
}

public enum VectorMath {
    /// v / ‖v‖₂; a zero vector stays zero.
    public static func normalized(_ v: [Float]) -> [Float] {
        var sq: Double = 0
        for x in v { sq += Double(x) * Double(x) }
        guard sq > 0 else { return v }
        let inv = Float(1 / sq.squareRoot())
        return v.map { $0 * inv }
    }

    /// Cosine similarity in [-1, 1]; 0 when either vector is zero.
    public static func cosineSimilarity(_ a: [Float], _ b: [Float]) throws(VectorMathError) -> Float {
        guard a.count == b.count else { throw .dimensionMismatch(expected: a.count, actual: b.count, candidate: nil) }
        return cosine(a, b)
    }

    /// The `k` candidates most similar to `query`, best first; ties keep the lower index first.
    public static func nearest(_ query: [Float], in candidates: [[Float]], k: Int) throws(VectorMathError) -> [Neighbor] {
        for (i, c) in candidates.enumerated() where c.count != query.count {
            throw .dimensionMismatch(expected: query.count, actual: c.count, candidate: i)
        }
        return nearestUnchecked(query, in: candidates, k: k)
    }

    static func nearestUnchecked(_ query: [Float], in candidates: [[Float]], k: Int) -> [Neighbor] {
        let scored = candidates.enumerated().map { Neighbor(index: $0.offset, score: cosine(query, $0.element)) }
        let sorted = scored.sorted { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }
        return Array(sorted.prefix(max(0, k)))
    }

    static func cosineUnchecked(_ a: [Float], _ b: [Float]) -> Float { cosine(a, b) }

    private static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        var dot: Double = 0, na: Double = 0, nb: Double = 0
        for i in a.indices {
            let x = Double(a[i]), y = Double(b[i])
            dot += x * y; na += x * x; nb += y * y
        }
        guard na > 0, nb > 0 else { return 0 }
        return Float(dot / (na.squareRoot() * nb.squareRoot()))
    }
}
