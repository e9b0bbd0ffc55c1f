// Human evaluation: Bedrock's five rating methods, what a valid rating of each looks like, the
// JSONL file scripts supply ratings in (every bad record reported with its line), and the
// aggregates a report shows: approval rate, mean Likert score, win rate, mean rank.
// Storing ratings and charging for them is the platform's job; this file only reads and counts.

/// Bedrock's `ratingMethod`s (the Workspace stores the same names).
public enum HumanRatingMethod: String, CaseIterable, Sendable, Codable {
    case thumbsUpDown = "ThumbsUpDown"
    case individualLikertScale = "IndividualLikertScale"
    case comparisonLikertScale = "ComparisonLikertScale"
    case comparisonChoice = "ComparisonChoice"
    case comparisonRank = "ComparisonRank"

    /// Comparison methods rate two responses (A and B) at once; the others rate one.
    public var isComparison: Bool { self != .thumbsUpDown && self != .individualLikertScale }

    /// What a rater types or a file holds.
    public var expected: String {
        switch self {
        case .thumbsUpDown: "\"up\" or \"down\""
        case .individualLikertScale: "a whole number from 1 (poor) to 5 (excellent)"
        case .comparisonLikertScale: "a whole number from 1 (A much better) through 3 (equal) to 5 (B much better)"
        case .comparisonChoice: "\"A\" or \"B\""
        case .comparisonRank: "a ranking, best first: [\"A\", \"B\"] or \"A>B\""
        }
    }

    /// The method for a name, ignoring case ("thumbsupdown" works).
    public static func named(_ name: String) -> HumanRatingMethod? {
        allCases.first { $0.rawValue.lowercased() == name.lowercased() }
    }

    /// The stored form of a rating typed as text, or nil when it is not valid for this method.
    public func canonical(_ text: String) -> String? {
        let t = text.trimmingSpaces
        switch self {
        case .thumbsUpDown:
            switch t.lowercased() { case "up", "u", "+", "yes", "y": return "up"; case "down", "d", "-", "no", "n": return "down"; default: return nil }
        case .individualLikertScale, .comparisonLikertScale:
            guard let n = Int(t), (1...5).contains(n) else { return nil }
            return String(n)
        case .comparisonChoice:
            let u = t.uppercased()
            return u == "A" || u == "B" ? u : nil
        case .comparisonRank:
            let parts = t.split(whereSeparator: { $0 == ">" || $0 == "," || $0 == " " }).map { $0.uppercased() }
            return Set(parts) == ["A", "B"] && parts.count == 2 ? parts.joined(separator: ">") : nil
        }
    }
}

/// One valid record of a ratings file.
public struct RatingRecord: Sendable, Equatable {
    public var line: Int
    public var itemID: String
    public var rater: String
    /// The canonical rating ("up", "4", "A", "B>A").
    public var value: String
    /// For a one-response method on a two-model job: which response (0 = A, 1 = B); else 0.
    public var response: Int

    public init(line: Int, itemID: String, rater: String, value: String, response: Int = 0) {
        self.line = line; self.itemID = itemID; self.rater = rater; self.value = value; self.response = response
    }
}

/// Every problem of a ratings file, in line order, as `file:line:col: error: message`.
public struct RatingsFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var problems: [Problem]

    public struct Problem: Equatable, Sendable {
        public var line: Int
        public var column: Int
        public var message: String
    }

    public var description: String {
        problems.map { "\(file):\($0.line):\($0.column): error: \($0.message)" }.joined(separator: "\n")
    }
}

public enum RatingsFile {
    public static let allowedKeys = ["item", "rater", "rating", "response"]

    /// Parses a ratings file for one job: `{"item": "…", "rater": "…", "rating": …}` per line, plus
    /// `"response": "A"|"B"` when a one-response method rates a two-model job. Nothing is returned
    /// while any record is bad. `itemIDs` are the job's items (unknown ones get did-you-mean).
    public static func parse(_ text: String, file: String, method: HumanRatingMethod, modelCount: Int,
                             itemIDs: [String]) throws(RatingsFileError) -> [RatingRecord] {
        var records: [RatingRecord] = [], problems: [RatingsFileError.Problem] = []
        let known = Set(itemIDs)
        if method.isComparison, modelCount < 2 {
            throw RatingsFileError(file: file, problems: [.init(line: 1, column: 1, message:
                "\(method.rawValue) compares two responses, but this job evaluated one model (use ThumbsUpDown or IndividualLikertScale)")])
        }
        for (offset, raw) in Substring(text).lines().enumerated() {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let n = offset + 1
            func problem(_ column: Int, _ message: String) { problems.append(.init(line: n, column: column, message: message)) }
            let value: JSONValue
            do { value = try parseJSONLine(line) } catch { problem(error.column, "malformed JSON: \(error.message)"); continue }
            guard case .object(let members) = value else { problem(1, "expected a JSON object per line, found \(value.typeName)"); continue }
            var item: String?, rater: String?, rating: String?, response = 0, bad = false
            for m in members {
                switch m.key {
                case "item", "rater":
                    guard case .string(let s) = m.value, !s.isEmpty else { problem(m.column, "\"\(m.key)\" must be a non-empty string"); bad = true; continue }
                    if m.key == "item" { item = s } else { rater = s }
                case "rating":
                    guard let r = canonical(m.value, method) else {
                        problem(m.column, "\"rating\" must be \(method.expected) for \(method.rawValue)"); bad = true; continue
                    }
                    rating = r
                case "response":
                    guard !method.isComparison, case .string(let s) = m.value, ["A", "B"].contains(s.uppercased()) else {
                        problem(m.column, method.isComparison ? "\"response\" is only for one-response methods; \(method.rawValue) rates A against B"
                                : "\"response\" must be \"A\" or \"B\""); bad = true; continue
                    }
                    response = s.uppercased() == "A" ? 0 : 1
                    if response >= modelCount { problem(m.column, "\"response\" is B, but this job evaluated one model"); bad = true }
                default:
                    problem(m.column, "unknown key \"\(m.key)\"" + (closestName(to: m.key, in: allowedKeys).map { "; did you mean \"\($0)\"?" } ?? "")
                            + " (allowed: \(allowedKeys.joined(separator: ", ")))"); bad = true
                }
            }
            for key in ["item", "rater", "rating"] where !members.contains(where: { $0.key == key }) { problem(1, "missing \"\(key)\""); bad = true }
            if !method.isComparison, modelCount == 2, !members.contains(where: { $0.key == "response" }) {
                problem(1, "missing \"response\": this job compared two models, so say which response (\"A\" or \"B\") is rated"); bad = true
            }
            if let id = item, !known.contains(id) {
                let column = members.first { $0.key == "item" }?.column ?? 1
                problem(column, "no item \"\(id)\" in this job" + (closestName(to: id, in: itemIDs).map { "; did you mean \"\($0)\"?" } ?? ""))
                bad = true
            }
            if !bad, let item, let rater, let rating {
                records.append(RatingRecord(line: n, itemID: item, rater: rater, value: rating, response: response))
            }
        }
        if records.isEmpty, problems.isEmpty { problems.append(.init(line: 1, column: 1, message: "the file holds no ratings")) }
        guard problems.isEmpty else { throw RatingsFileError(file: file, problems: problems) }
        return records
    }

    static func canonical(_ value: JSONValue, _ method: HumanRatingMethod) -> String? {
        switch value {
        case .string(let s): return method.canonical(s)
        case .number(let n): return method.canonical(n)
        case .bool(let b) where method == .thumbsUpDown: return b ? "up" : "down"
        case .array(let parts) where method == .comparisonRank:
            let names = parts.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
            return names.count == parts.count ? method.canonical(names.joined(separator: ">")) : nil
        default: return nil
        }
    }
}

/// One stored rating as the aggregates need it.
public struct RatingView: Sendable, Equatable {
    public var method: HumanRatingMethod
    public var value: String
    /// The rated model, or A and B for comparisons.
    public var modelIDs: [String]
    public init(method: HumanRatingMethod, value: String, modelIDs: [String]) {
        self.method = method; self.value = value; self.modelIDs = modelIDs
    }
}

/// A model's human-evaluation aggregates; nil where no rating of that kind exists.
public struct ModelRatingSummary: Sendable, Equatable {
    public var modelID: String
    /// Thumbs up ÷ thumbs, and how many.
    public var approvalRate: Double?, thumbs = 0
    /// Mean 1–5 score of IndividualLikertScale, and how many.
    public var meanLikert: Double?, likerts = 0
    /// Wins ÷ comparisons (a tie counts half) over ComparisonChoice and ComparisonLikertScale.
    public var winRate: Double?, comparisons = 0
    /// Mean position in ComparisonRank (1 = best), and how many.
    public var meanRank: Double?, ranks = 0

    public static func summarize(_ ratings: [RatingView], models: [String]) -> [ModelRatingSummary] {
        models.map { model in
            var s = ModelRatingSummary(modelID: model)
            var up = 0.0, likert = 0.0, wins = 0.0, rank = 0.0
            for r in ratings {
                switch r.method {
                case .thumbsUpDown where r.modelIDs.first == model:
                    s.thumbs += 1; if r.value == "up" { up += 1 }
                case .individualLikertScale where r.modelIDs.first == model:
                    s.likerts += 1; likert += Double(r.value) ?? 0
                case .comparisonChoice, .comparisonLikertScale:
                    guard let side = r.modelIDs.firstIndex(of: model), r.modelIDs.count == 2 else { continue }
                    s.comparisons += 1
                    wins += winShare(r, side: side)
                case .comparisonRank:
                    guard let side = r.modelIDs.firstIndex(of: model) else { continue }
                    let order = r.value.split(separator: ">").map(String.init)
                    guard let position = order.firstIndex(of: side == 0 ? "A" : "B") else { continue }
                    s.ranks += 1; rank += Double(position + 1)
                default: continue
                }
            }
            if s.thumbs > 0 { s.approvalRate = up / Double(s.thumbs) }
            if s.likerts > 0 { s.meanLikert = likert / Double(s.likerts) }
            if s.comparisons > 0 { s.winRate = wins / Double(s.comparisons) }
            if s.ranks > 0 { s.meanRank = rank / Double(s.ranks) }
            return s
        }
    }

    /// 1 for a win, 0.5 for a tie (Likert 3), 0 for a loss, from the point of view of `side` (0 = A).
    static func winShare(_ r: RatingView, side: Int) -> Double {
        if r.method == .comparisonChoice { return (r.value == "A") == (side == 0) ? 1 : 0 }
        guard let n = Int(r.value) else { return 0 }
        if n == 3 { return 0.5 }
        return (n < 3) == (side == 0) ? 1 : 0
    }
}
