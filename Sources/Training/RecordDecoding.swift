// Decodes one JSONL line into a TrainingRecord of one of Bedrock's shapes, collecting every problem
// of the record (not only the first) with its column and JSON path. Used by validateDataset; shape
// rules follow reference §4.3: exact key sets, string types, non-empty text, conversations of at
// least two messages starting with "user", alternating, ending with "assistant".

struct RecordDecoder {
    let file: String, line: Int
    private(set) var issues: [DataIssue] = []

    init(file: String, line: Int) { self.file = file; self.line = line }

    mutating func report(_ p: DataIssue.Problem, column: Int?, field: String?) {
        issues.append(DataIssue(file: file, line: line, column: column, field: field, problem: p))
    }

    /// The shape the line's keys select (nil when none does) and the record (nil when any problem was found).
    private(set) var shape: RecordShape?

    mutating func decode(_ line: Substring, allowed: [RecordShape]) -> TrainingRecord? {
        let node: JSONNode
        do { node = try JSONLineParser.parse(line) } catch {
            report(.malformedJSON(error.message), column: error.column, field: nil); return nil
        }
        guard case .object(let members) = node.value else {
            report(.notAnObject(found: node.value.typeName), column: node.column, field: nil); return nil
        }
        let keys = members.map(\.key)
        let shape: RecordShape
        if keys.contains("messages") { shape = keys.contains("schemaVersion") ? .novaConversation : .conversation }
        else if keys.contains("input") { shape = .text }
        else if keys.contains("prompt") || keys.contains("completion") { shape = .promptCompletion }
        else { report(.unknownShape(keys: keys, allowed: allowed), column: node.column, field: nil); return nil }
        self.shape = shape
        guard allowed.contains(shape) else {
            report(.shapeNotAllowed(found: shape, allowed: allowed), column: node.column, field: nil); return nil
        }
        let before = issues.count
        let record: TrainingRecord?
        switch shape {
        case .promptCompletion:
            let o = object(members, required: ["prompt", "completion"], optional: [], path: nil)
            let p = text(o["prompt"], "prompt"), c = text(o["completion"], "completion")
            record = p.flatMap { p in c.map { .promptCompletion(prompt: p, completion: $0) } }
        case .text:
            let o = object(members, required: ["input"], optional: [], path: nil)
            record = text(o["input"], "input").map { .text($0) }
        case .conversation:
            let o = object(members, required: ["messages"], optional: ["system"], path: nil)
            let system = o["system"].flatMap { text($0, "system", allowEmpty: true) }
            record = messages(o["messages"], nova: false).map { .conversation(system: system, messages: $0) }
        case .novaConversation:
            let o = object(members, required: ["schemaVersion", "messages"], optional: ["system"], path: nil)
            if let v = o["schemaVersion"], v.value != .string("bedrock-conversation-2024") {
                report(.wrongValue(expected: "\"bedrock-conversation-2024\"", found: describe(v.value)), column: v.column, field: "schemaVersion")
            }
            let system = o["system"].flatMap { textBlocks($0, "system") }
            record = messages(o["messages"], nova: true).map { .conversation(system: system, messages: $0) }
        }
        guard issues.count == before, let record else { return nil }
        return record
    }

    /// Checks the key set of an object: required keys present, nothing unknown, nothing repeated.
    private mutating func object(_ members: [(key: String, value: JSONNode)], required: [String], optional: [String],
                                 path: String?, column: Int = 1) -> [String: JSONNode] {
        var out: [String: JSONNode] = [:]
        let allowed = required + optional
        for (k, v) in members {
            let field = path.map { "\($0).\(k)" } ?? k
            if out[k] != nil { report(.duplicateKey(k), column: v.column, field: field); continue }
            if !allowed.contains(k) { report(.unexpectedKey(k, allowed: allowed), column: v.column, field: field); continue }
            out[k] = v
        }
        for k in required where out[k] == nil { report(.missingKey(k), column: column, field: path) }
        return out
    }

    private mutating func text(_ node: JSONNode?, _ field: String, allowEmpty: Bool = false) -> String? {
        guard let node else { return nil }
        guard case .string(let s) = node.value else {
            report(.wrongType(expected: "a string", found: node.value.typeName), column: node.column, field: field); return nil
        }
        if !allowEmpty && s.allSatisfy(\.isWhitespace) { report(.emptyText, column: node.column, field: field); return nil }
        return s
    }

    /// Nova's content: an array of `{"text": …}` blocks, joined.
    private mutating func textBlocks(_ node: JSONNode, _ field: String) -> String? {
        guard case .array(let items) = node.value else {
            report(.wrongType(expected: "an array of {\"text\"} blocks", found: node.value.typeName), column: node.column, field: field)
            return nil
        }
        var parts: [String] = []
        for (i, item) in items.enumerated() {
            let path = "\(field)[\(i)]"
            guard case .object(let m) = item.value else {
                report(.wrongType(expected: "an object", found: item.value.typeName), column: item.column, field: path); continue
            }
            let o = object(m, required: ["text"], optional: [], path: path, column: item.column)
            if let t = text(o["text"], "\(path).text") { parts.append(t) }
        }
        if items.isEmpty { report(.emptyText, column: node.column, field: field) }
        return parts.count == items.count && !items.isEmpty ? parts.joined(separator: "\n") : nil
    }

    private mutating func messages(_ node: JSONNode?, nova: Bool) -> [ChatMessage]? {
        guard let node else { return nil }
        guard case .array(let items) = node.value else {
            report(.wrongType(expected: "an array of messages", found: node.value.typeName), column: node.column, field: "messages")
            return nil
        }
        if items.count < 2 { report(.tooFewMessages(count: items.count, minimum: 2), column: node.column, field: "messages") }
        var out: [ChatMessage] = [], ok = true
        for (i, item) in items.enumerated() {
            let path = "messages[\(i)]"
            guard case .object(let m) = item.value else {
                report(.wrongType(expected: "an object", found: item.value.typeName), column: item.column, field: path); ok = false; continue
            }
            let o = object(m, required: ["role", "content"], optional: [], path: path, column: item.column)
            let content = o["content"].flatMap { nova ? textBlocks($0, "\(path).content") : text($0, "\(path).content") }
            guard let roleNode = o["role"] else { ok = false; continue }
            guard case .string(let roleName) = roleNode.value else {
                report(.wrongType(expected: "a string", found: roleNode.value.typeName), column: roleNode.column, field: "\(path).role")
                ok = false; continue
            }
            guard let role = ChatMessage.Role(rawValue: roleName) else {
                report(.unknownRole(roleName), column: roleNode.column, field: "\(path).role"); ok = false; continue
            }
            let expected: ChatMessage.Role = i % 2 == 0 ? .user : .assistant
            if role != expected {
                if i == 0 { report(.firstRoleNotUser(found: roleName), column: roleNode.column, field: "\(path).role") }
                else { report(.rolesNotAlternating(expected: expected.rawValue, found: roleName), column: roleNode.column, field: "\(path).role") }
            }
            if i == items.count - 1, i > 0, role != .assistant, role == expected {
                report(.lastRoleNotAssistant(found: roleName), column: roleNode.column, field: "\(path).role")
            }
            guard let content else { ok = false; continue }
            out.append(ChatMessage(role: role, content: content))
        }
        return ok ? out : nil
    }

    private func describe(_ v: JSONValue) -> String {
        if case .string(let s) = v { return "\"\(s)\"" }
        return v.typeName
    }
}
