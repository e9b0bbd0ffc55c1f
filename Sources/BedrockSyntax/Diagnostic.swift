// Diagnostic: a syntax error as a value (a closed enum of cases, one message each) plus where it
// happened. The lexer and parser collect these instead of stopping; nothing here prints.

/// Every kind of syntax error, each with one message.
public enum SyntaxError: Sendable, Equatable {
    /// Input ended while something was still open; the REPL reads another line on this one.
    case unexpectedEndOfInput(expected: String)
    case unexpectedToken(found: String, expected: String)
    case unterminatedString
    case invalidEscape(String)
    case invalidCharacter(String)
    case numberOutOfRange(String)
    case invalidAssignmentTarget
    case nestingTooDeep(limit: Int)
    case positionalAfterLabel
    case duplicateLabel(String)
    case duplicateParameter(String)
    case parameterWithoutDefaultAfterLabelled(String)
    case outsideLoop(String)
    case returnOutsideFunction
    case multilineStringIndentation
    case expectedLineBreakAfterOpeningQuotes
    /// Reported by the interpreter's compiler (static checks on names).
    case alreadyDeclared(String)
    case assignToConstant(String)
    case tooManyGlobals(limit: Int)

    public var message: String {
        switch self {
        case .unexpectedEndOfInput(let expected): return "unexpected end of input; expected \(expected)"
        case .unexpectedToken(let found, let expected): return "expected \(expected) near \(found)"
        case .unterminatedString: return "unterminated string literal"
        case .invalidEscape(let text): return "invalid escape sequence '\(text)' (use \\n \\t \\\" \\\\ \\u{…} or \\(…))"
        case .invalidCharacter(let text): return "unexpected character '\(text)'"
        case .numberOutOfRange(let text): return "number '\(text)' is out of range"
        case .invalidAssignmentTarget: return "can only assign to a name, a member (r.key) or an index (xs[0])"
        case .nestingTooDeep(let limit): return "expression nested more than \(limit) levels deep"
        case .positionalAfterLabel: return "positional argument after a labelled one"
        case .duplicateLabel(let name): return "label '\(name)' given twice"
        case .duplicateParameter(let name): return "parameter '\(name)' declared twice"
        case .parameterWithoutDefaultAfterLabelled(let name):
            return "parameter '\(name)' has no default but follows a labelled parameter (parameters with defaults come last)"
        case .outsideLoop(let word): return "'\(word)' outside of a loop"
        case .returnOutsideFunction: return "'return' outside of a function"
        case .multilineStringIndentation:
            return "multi-line string line is indented less than its closing \"\"\""
        case .expectedLineBreakAfterOpeningQuotes: return "multi-line string must start on a new line after \"\"\""
        case .alreadyDeclared(let name): return "'\(name)' is already declared in this scope"
        case .tooManyGlobals(let limit): return "more than \(limit) global names in one session"
        case .assignToConstant(let name): return "cannot assign to '\(name)': it was declared with 'let' (use 'var' for a variable)"
        }
    }
}

/// A syntax error at a location.
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public var error: SyntaxError
    public var location: SourceLocation

    public init(_ error: SyntaxError, at location: SourceLocation) {
        self.error = error
        self.location = location
    }

    public var message: String { error.message }
    public var isUnexpectedEndOfInput: Bool {
        if case .unexpectedEndOfInput = error { return true }
        return false
    }
    public var description: String { "\(location): error: \(message)" }
}

/// Renders any error in the one diagnostic format: `path:line:col: error: message`, the source
/// line, and a caret under the column.
public enum DiagnosticRenderer {
    public static func render(location: SourceLocation, message: String, source: String?) -> String {
        var out = "\(location): error: \(message)"
        guard let source, let line = sourceLine(source, line: location.line) else { return out }
        out += "\n" + line + "\n" + caretLine(line, column: location.column)
        return out
    }

    public static func render(_ diagnostic: Diagnostic, source: String?) -> String {
        render(location: diagnostic.location, message: diagnostic.message, source: source)
    }

    /// The 1-based `line` of `source`, without its line break.
    public static func sourceLine(_ source: String, line: Int) -> String? {
        guard line >= 1 else { return nil }
        var current = 1
        for text in source.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == line { return String(text.hasSuffix("\r") ? text.dropLast() : text) }
            current += 1
        }
        return nil
    }

    /// Spaces (tabs kept, so the caret lines up) up to the column, then `^`.
    static func caretLine(_ line: String, column: Int) -> String {
        var prefix = ""
        for (index, scalar) in line.unicodeScalars.enumerated() where index < column - 1 {
            prefix.append(scalar == "\t" ? "\t" : " ")
        }
        let missing = max(0, column - 1 - line.unicodeScalars.count)
        return prefix + String(repeating: " ", count: missing) + "^"
    }
}
