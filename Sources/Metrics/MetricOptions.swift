// The string-keyed entry point the scripting language calls: metric names and options arrive as
// text (`bleu(h, r, tokenize: "none", smooth: "floor")`) and become the typed options structs.
// Every unknown name is rejected by name with the closest valid one; every value is checked for
// kind and range. Not the language binding itself, which lives in the interpreter.

/// An option value as the language passes it.
public enum OptionValue: Sendable, Equatable, CustomStringConvertible {
    case bool(Bool)
    case number(Double)
    case string(String)
    case list([String])

    public var description: String {
        switch self {
        case .bool(let b): "\(b)"
        case .number(let x): "\(x)"
        case .string(let s): "\"\(s)\""
        case .list(let l): "[" + l.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        }
    }

    var kind: String {
        switch self {
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .list: "a list of strings"
        }
    }
}

/// The metrics the language can name.
public enum MetricName: String, Sendable, CaseIterable {
    case rouge, bleu, chrf, bertscore, perplexity, qa, accuracy, wer

    /// Parses a metric name, suggesting the closest one on a typo.
    public init(parsing name: String) throws(MetricError) {
        guard let m = MetricName(rawValue: name) else {
            throw .unknownMetric(name: name, closest: closestName(to: name, in: MetricName.allCases.map(\.rawValue)))
        }
        self = m
    }
}

/// Reads typed values out of a string-keyed option dictionary for one metric.
struct OptionReader {
    let metric: String
    let options: [String: OptionValue]

    init(metric: String, options: [String: OptionValue], valid: [String]) throws(MetricError) {
        // Sorted so the error names the same option on every run.
        for name in options.keys.sorted() where !valid.contains(name) {
            throw .unknownOption(metric: metric, name: name, closest: closestName(to: name, in: valid), valid: valid)
        }
        self.metric = metric
        self.options = options
    }

    func bool(_ name: String, default d: Bool) throws(MetricError) -> Bool {
        guard let v = options[name] else { return d }
        guard case .bool(let b) = v else { throw .wrongOptionType(metric: metric, name: name, expected: "a boolean", got: v.kind) }
        return b
    }

    func number(_ name: String) throws(MetricError) -> Double? {
        guard let v = options[name] else { return nil }
        guard case .number(let x) = v else { throw .wrongOptionType(metric: metric, name: name, expected: "a number", got: v.kind) }
        return x
    }

    func int(_ name: String, default d: Int, range: ClosedRange<Int>) throws(MetricError) -> Int {
        guard let x = try number(name) else { return d }
        guard x == x.rounded(), x >= Double(range.lowerBound), x <= Double(range.upperBound) else {
            throw .invalidOptionValue(metric: metric, name: name, value: "\(x)", allowed: "a whole number in \(range.lowerBound)…\(range.upperBound)")
        }
        return Int(x)
    }

    func choice(_ name: String, default d: String, allowed: [String]) throws(MetricError) -> String {
        guard let v = options[name] else { return d }
        guard case .string(let s) = v else { throw .wrongOptionType(metric: metric, name: name, expected: "a string", got: v.kind) }
        guard allowed.contains(s) else {
            let hint = closestName(to: s, in: allowed).map { " (did you mean \"\($0)\"?)" } ?? ""
            throw .invalidOptionValue(metric: metric, name: name, value: "\"\(s)\"", allowed: allowed.joined(separator: ", ") + hint)
        }
        return s
    }

    func strings(_ name: String) throws(MetricError) -> [String]? {
        switch options[name] {
        case nil: return nil
        case .string(let s)?: return [s]
        case .list(let l)?: return l
        case let v?: throw .wrongOptionType(metric: metric, name: name, expected: "a string or a list of strings", got: v.kind)
        }
    }
}

extension RougeOptions {
    public static let optionNames = ["types", "stem"]

    /// `types: ["rouge1", "rougeL"]`, `stem: true`.
    public init(options: [String: OptionValue]) throws(MetricError) {
        let r = try OptionReader(metric: "rouge", options: options, valid: Self.optionNames)
        var types = RougeType.standard
        if let names = try r.strings("types") {
            types = []
            for n in names {
                guard let t = RougeType(name: n) else {
                    let hint = closestName(to: n, in: RougeType.validNames).map { " (did you mean \"\($0)\"?)" } ?? ""
                    throw .invalidOptionValue(metric: "rouge", name: "types", value: "\"\(n)\"", allowed: RougeType.validNames.joined(separator: ", ") + hint)
                }
                types.append(t)
            }
            if types.isEmpty { throw .empty(what: "rouge option 'types'") }
        }
        self.init(types: types, stemming: try r.bool("stem", default: false))
    }
}

extension BLEUOptions {
    public static let optionNames = ["tokenize", "lowercase", "smooth", "smoothValue", "effectiveOrder", "maxOrder"]

    /// `tokenize: "13a"|"none"`, `lowercase:`, `smooth: "exp"|"floor"|"add-k"|"none"`, `smoothValue:`,
    /// `effectiveOrder:` (default: true for a sentence, false for a corpus), `maxOrder:` 1…9.
    public init(options: [String: OptionValue], sentence: Bool) throws(MetricError) {
        let r = try OptionReader(metric: "bleu", options: options, valid: Self.optionNames)
        let tok = try r.choice("tokenize", default: "13a", allowed: BLEUTokenizer.allCases.map(\.rawValue))
        let method = try r.choice("smooth", default: "exp", allowed: BLEUSmoothing.names)
        let value = try r.number("smoothValue")
        let smoothing: BLEUSmoothing
        switch method {
        case "floor": smoothing = .floor(value ?? 0.1)
        case "add-k": smoothing = .addK(value ?? 1)
        case "none": smoothing = .none
        default: smoothing = .exp
        }
        if value != nil, method == "exp" || method == "none" {
            throw .invalidOptionValue(metric: "bleu", name: "smoothValue", value: "\(value!)", allowed: "only with smooth: \"floor\" or \"add-k\"")
        }
        self.init(tokenizer: BLEUTokenizer(rawValue: tok)!, lowercase: try r.bool("lowercase", default: false),
                  smoothing: smoothing, effectiveOrder: try r.bool("effectiveOrder", default: sentence),
                  maxNgramOrder: try r.int("maxOrder", default: 4, range: 1...9))
    }
}

extension CHRFOptions {
    public static let optionNames = ["charOrder", "wordOrder", "beta", "lowercase", "whitespace", "epsSmoothing"]

    public init(options: [String: OptionValue]) throws(MetricError) {
        let r = try OptionReader(metric: "chrf", options: options, valid: Self.optionNames)
        self.init(charOrder: try r.int("charOrder", default: 6, range: 1...12),
                  wordOrder: try r.int("wordOrder", default: 0, range: 0...4),
                  beta: try r.int("beta", default: 2, range: 1...10),
                  lowercase: try r.bool("lowercase", default: false),
                  whitespace: try r.bool("whitespace", default: false),
                  epsSmoothing: try r.bool("epsSmoothing", default: false))
    }
}

extension BERTScoreSettings {
    public static let optionNames = ["model", "layer", "idf", "baseline"]

    /// `idf: true`, `layer: 6`, `baseline: ["0.83", "0.83", "0.83"]` (P, R, F; as strings or numbers in a list).
    public init(options: [String: OptionValue]) throws(MetricError) {
        let r = try OptionReader(metric: "bertscore", options: options, valid: Self.optionNames)
        var baseline: PrecisionRecallF? = nil
        if let parts = try r.strings("baseline") {
            let xs = parts.compactMap(Double.init)
            guard xs.count == 3, xs.allSatisfy({ $0 < 1 }) else {
                throw .invalidOptionValue(metric: "bertscore", name: "baseline", value: "\(parts)", allowed: "three numbers below 1 (P, R, F)")
            }
            baseline = PrecisionRecallF(precision: xs[0], recall: xs[1], f: xs[2])
        }
        var model = "all-MiniLM-L6-v2"
        if let v = options["model"] {
            guard case .string(let m) = v else { throw .wrongOptionType(metric: "bertscore", name: "model", expected: "a string", got: v.kind) }
            model = m
        }
        self.init(model: model, layer: try r.int("layer", default: 6, range: 1...48), idf: try r.bool("idf", default: false),
                  baseline: baseline, customBaseline: true)
    }
}

/// Sliding-window settings for perplexity.
public struct PerplexityOptions: Sendable, Equatable {
    public var window: Int
    public var stride: Int
    public static let optionNames = ["window", "stride"]

    public init(window: Int, stride: Int) {
        self.window = window
        self.stride = stride
    }

    /// `window:` defaults to the model's context, `stride:` to half the window.
    public init(options: [String: OptionValue], context: Int) throws(MetricError) {
        let r = try OptionReader(metric: "perplexity", options: options, valid: Self.optionNames)
        let w = try r.int("window", default: context, range: 2...max(2, context))
        self.init(window: w, stride: try r.int("stride", default: max(1, w / 2), range: 1...w))
    }
}
