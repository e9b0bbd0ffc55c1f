// Builds `builtin:summaries` (summarization) from the project's own hand-written passages
// (Data/summaries.jsonl, embedded in the binary): each record has a topic, a passage and a one- or
// two-sentence reference summary. All records are used, in file order; nothing is sampled.

public enum SummaryBuilder {
    public static let fileName = "summaries.jsonl"
    public static let instruction = "Summarize the following passage in one or two sentences."

    /// Parses the JSONL; every record needs exactly `topic`, `passage` and `summary`, non-empty.
    public static func build(jsonl text: String) throws(DatasetBuildError) -> [DatasetItem] {
        var items: [DatasetItem] = []
        for (offset, line) in text.lines().enumerated() where !line.isEmpty {
            let fail = { (reason: String) in DatasetBuildError.badRecord(file: fileName, line: offset + 1, reason: reason) }
            guard case .object(let members) = try? parseJSONLine(String(line)) else { throw fail("not a JSON object") }
            var fields: [String: String] = [:]
            for member in members {
                guard case .string(let value) = member.value, !value.isEmpty else { throw fail("'\(member.key)' must be a non-empty string") }
                fields[member.key] = value
            }
            guard Set(fields.keys) == ["topic", "passage", "summary"], let topic = fields["topic"],
                  let passage = fields["passage"], let summary = fields["summary"] else {
                throw fail("expected exactly the keys topic, passage, summary")
            }
            items.append(DatasetItem(id: "summaries:\(offset + 1)", prompt: instruction + "\n\n" + passage,
                                     referenceResponses: [summary], category: topic))
        }
        return items
    }
}
