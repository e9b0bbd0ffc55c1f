// Help and completion, both generated from the native registry and the prelude's `##` doc
// comments, so `:help`, Tab and the docs never disagree with what actually exists.
import BedrockSyntax

/// Reads `## text` and `## example: code` lines directly above `fn name(…)` in prelude files.
enum PreludeDocs {
    static func extract(_ text: String, category: String) -> [PreludeDoc] {
        var docs: [PreludeDoc] = []
        var doc: [String] = []
        var example: [String] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw).trimmedSpace
            if line.hasPrefix("## example:") {
                example.append(String(line.dropFirst(11)).trimmedSpace)
            } else if line.hasPrefix("##") {
                doc.append(String(line.dropFirst(2)).trimmedSpace)
            } else if line.hasPrefix("fn "), let paren = line.firstIndex(of: "("), let close = line.firstIndex(of: ")") {
                let name = String(line[line.index(line.startIndex, offsetBy: 3)..<paren]).trimmedSpace
                let usage = name + String(line[paren...close])
                if !doc.isEmpty { docs.append(PreludeDoc(name: name, usage: usage, doc: doc.joined(separator: " "),
                                                         example: example.joined(separator: "\n"), category: category)) }
                doc = []
                example = []
            } else if !line.isEmpty {
                doc = []
                example = []
            }
        }
        return docs
    }
}

struct Help {
    let interpreter: Interpreter

    func text(topic: String?) -> String {
        guard let topic = topic?.trimmedSpace, !topic.isEmpty else { return overview() }
        if let command = interpreter.registry.command(named: topic) { return describe(command.signature) }
        if let doc = interpreter.preludeDocs[topic] {
            return "\(doc.usage)\n  \(doc.doc)\n  example:\n" + indent(doc.example)
        }
        let entries = allEntries()
        let inCategory = entries.filter { $0.category == topic }
        if !inCategory.isEmpty {
            return "\(topic):\n" + inCategory.map { "  \($0.name.padding(18))\($0.doc)" }.joined(separator: "\n")
        }
        if let keyword = Keyword(rawValue: topic) { return "'\(keyword.rawValue)' is a keyword; see Docs/language.md for its grammar." }
        let suggestion = Suggest.closest(to: topic, in: entries.map(\.name) + Set(entries.map(\.category)))
        return "no help for '\(topic)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
    }

    func describe(_ s: NativeSignature) -> String {
        var out = s.usage + (s.isCommand ? "   (command)" : "") + "\n  \(s.doc)\n"
        for p in s.positional + (s.variadic.map { [$0] } ?? []) + s.labelled where !p.doc.isEmpty {
            out += "  \(p.name): \(p.doc)\n"
        }
        return out + "  example:\n" + indent(s.example)
    }

    func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
    }

    struct Entry { var name: String; var doc: String; var category: String }

    func allEntries() -> [Entry] {
        let natives = interpreter.registry.names.map { name -> Entry in
            let s = interpreter.registry.commands[name]!.signature
            return Entry(name: name, doc: s.doc, category: s.category)
        }
        let prelude = interpreter.preludeDocs.values.sorted { $0.name < $1.name }.map { Entry(name: $0.name, doc: $0.doc, category: $0.category) }
        return natives + prelude
    }

    func overview() -> String {
        var categories: [String] = []
        var byCategory: [String: [String]] = [:]
        for entry in allEntries() {
            if byCategory[entry.category] == nil { categories.append(entry.category) }
            byCategory[entry.category, default: []].append(entry.name)
        }
        var out = "bedrock help: `:help NAME` for one function or command, `:help CATEGORY` for a group.\n"
        for category in categories { out += "  \(category.padding(12))\(byCategory[category]!.joined(separator: ", "))\n" }
        return out + "  keywords    " + Keyword.allCases.map(\.rawValue).joined(separator: ", ")
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}

/// Tab completion: keywords, builtins, globals, and the labels of the command being typed.
struct Completion {
    let interpreter: Interpreter

    func complete(line: String, cursor: Int) -> (replaceFrom: Int, candidates: [String]) {
        let characters = Array(line)
        let end = min(max(cursor, 0), characters.count)
        if let quote = openQuote(characters, before: end) {
            // Inside a string: complete the libraries' words (model IDs) from after the quote.
            let prefix = String(characters[(quote + 1)..<end])
            let words = interpreter.options.libraries.flatMap(\.completionWords)
            return (quote + 1, Set(words.filter { $0.hasPrefix(prefix) }).sorted())
        }
        var start = end
        while start > 0, characters[start - 1].isLetter || characters[start - 1].isNumber || characters[start - 1] == "_" || characters[start - 1] == "." {
            start -= 1
        }
        let prefix = String(characters[start..<end])
        var names: Set<String> = Set(Keyword.allCases.map(\.rawValue))
        names.formUnion(interpreter.registry.names.filter { !$0.contains(" ") })
        names.formUnion(interpreter.preludeDocs.keys)
        names.formUnion(interpreter.globals.definedNames)
        let before = String(characters[..<start])
        let words = before.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        if let first = words.first {
            names.formUnion(labels(for: first, words: words))
            // The next word of a multi-word command (`request ac<Tab>`).
            let typed = words.joined(separator: " ") + " "
            for name in interpreter.registry.multiWordNames where name.hasPrefix(typed) {
                let next = name.dropFirst(typed.count).split(separator: " ").first.map(String.init) ?? ""
                if !next.isEmpty { names.insert(next) }
            }
        } else {
            names.formUnion(interpreter.registry.multiWordNames.map { String($0.split(separator: " ")[0]) })
        }
        let hits = names.filter { $0.hasPrefix(prefix) && $0 != prefix || (!prefix.isEmpty && $0 == prefix) }
        return (start, hits.sorted())
    }

    /// The index of the quote that opens the string the cursor is in, if it is in one.
    func openQuote(_ characters: [Character], before end: Int) -> Int? {
        var open: Int?
        var i = 0
        while i < end {
            if characters[i] == "\\" { i += 2; continue }
            if characters[i] == "\"" { open = open == nil ? i : nil }
            i += 1
        }
        return open
    }

    /// `label:` for each labelled parameter of the command that starts the line.
    func labels(for first: String, words: [String]) -> [String] {
        var best: NativeCommand?
        var name = ""
        for word in words {
            name = name.isEmpty ? word : name + " " + word
            if let command = interpreter.registry.command(named: name) { best = command }
        }
        if let best { return best.signature.labelled.map { $0.name + ":" } }
        if let slot = interpreter.globals.slot(named: first), interpreter.globals.defined[slot],
           case .function(let f) = interpreter.globals.values[slot] {
            return f.proto.parameterNames.map { $0 + ":" }
        }
        return []
    }
}
