// Interpreter: one program's state (globals, registry, seed, imports, sources for diagnostics)
// and the drivers parse → compile → run for scripts, imports and REPL entries, including error
// rendering. Not here: code generation (Compiler*.swift) and calling (Interpreter+Calls.swift).
import Basics
import BedrockSyntax
import Synchronization

/// A thread-safe flag that interrupts the running statement (set from a signal handler thread).
final class InterruptFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .relaxed) }
    func clear() { flag.store(false, ordering: .relaxed) }
    var isSet: Bool { flag.load(ordering: .relaxed) }
}

/// Documentation of a prelude function, read from its `##` comment lines.
struct PreludeDoc {
    var name: String
    var usage: String
    var doc: String
    var example: String
    var category: String
}

final class Interpreter {
    let options: SessionOptions
    let interruptFlag = InterruptFlag()
    let globals = Globals()
    var registry = NativeRegistry()
    var seed: UInt64 = 0
    var random = SplitMix64(seed: 0)
    /// Current call depth, checked against Limits.maxCallDepth.
    var depth = 0
    var baseDirectory: String
    /// The session's scratch folder (`temp_dir()`), made on first use: one per session, so
    /// sessions in one process (notebooks run side by side in tests) never share files.
    var scratchFolder: String?
    /// Source text by file name, for rendering diagnostics.
    var sources: [String: String] = [:]
    var imported: Set<String> = []
    /// The directory each run or imported file's relative imports resolve against.
    var directories: [String: String] = [:]
    var preludeDocs: [String: PreludeDoc] = [:]
    /// Syntax or runtime errors in the embedded prelude (a test asserts there are none).
    var preludeErrors: [String] = []

    init(options: SessionOptions) {
        self.options = options
        self.baseDirectory = options.baseDirectory
        Builtins.register(into: &registry)
        for library in options.libraries { library.register(into: &registry) }
        defineNatives()
        defineBuiltin("args", .list(options.scriptArguments.map(Value.string)))
        loadPrelude()
    }

    func defineBuiltin(_ name: String, _ value: Value) {
        if let slot = globals.add(name, mutable: false, builtin: true) { globals.define(slot, value) }
    }

    /// Single-word natives become builtin globals; `json.parse` becomes member `parse` of a
    /// builtin record `json`; multi-word commands are reached only through command calls.
    func defineNatives() {
        var modules: [String: Record] = [:]
        var moduleOrder: [String] = []
        for name in registry.names where !name.contains(" ") {
            let value = Value.native(NativeFunction(registry.commands[name]!))
            if let dot = name.firstIndex(of: ".") {
                let module = String(name[..<dot])
                if modules[module] == nil { moduleOrder.append(module); modules[module] = Record() }
                modules[module]![String(name[name.index(after: dot)...])] = value
            } else {
                defineBuiltin(name, value)
            }
        }
        for module in moduleOrder { defineBuiltin(module, .record(modules[module]!)) }
    }

    func loadPrelude() {
        for (file, text) in EmbeddedStdlib.files.sorted(by: { $0.key < $1.key }) {
            let name = "<prelude:\(file)>"
            sources[name] = text
            let category = file.hasSuffix(".bedrock") ? String(file.dropLast(8)) : file
            for doc in PreludeDocs.extract(text, category: category) { preludeDocs[doc.name] = doc }
            let parsed = Parser.parse(source: text, file: name)
            if !parsed.diagnostics.isEmpty { preludeErrors += parsed.diagnostics.map(\.description); continue }
            let compiler = Compiler(interpreter: self, file: name, allowRedeclare: false, definesBuiltins: true, statements: parsed.statements)
            let unit = compiler.compileUnit(parsed.statements)
            if !compiler.diagnostics.isEmpty { preludeErrors += compiler.diagnostics.map(\.description); continue }
            do {
                _ = try unit.code(Frame(slotCount: unit.slotCount, boxCount: unit.boxCount, function: nil))
            } catch let error as RuntimeError {
                preludeErrors.append(error.message)
            } catch {
                preludeErrors.append("\(error)")
            }
        }
    }

    var userGlobalNames: [String] {
        (0..<globals.count).filter { !globals.isBuiltin[$0] && globals.defined[$0] }.map { globals.names[$0] }
    }

    // MARK: running

    enum Failure: Error {
        case syntax([Diagnostic])
        case runtime(RuntimeError)
    }

    /// Parses and compiles a unit; `echoLast` makes a final expression statement's value the result.
    func compile(source: String, name: String, interactive: Bool) throws(Failure) -> (Exec, Eval?, Int, Int) {
        let (code, echo, slots, boxes, _) = try compileUnit(source: source, name: name, interactive: interactive)
        return (code, echo, slots, boxes)
    }

    /// As `compile`, also telling whether the echoed final statement is a native command call
    /// (its result then echoes in display form, as a script would print it).
    func compileUnit(source: String, name: String, interactive: Bool) throws(Failure) -> (Exec, Eval?, Int, Int, Bool) {
        sources[name] = source
        let parsed = Parser.parse(source: source, file: name)
        if !parsed.diagnostics.isEmpty { throw .syntax(parsed.diagnostics) }
        var statements = parsed.statements
        var last: Expr?
        if interactive, case .expression(let expr)? = statements.last?.kind {
            last = expr
            statements.removeLast()
        }
        let compiler = Compiler(interpreter: self, file: name, allowRedeclare: interactive, definesBuiltins: false, statements: parsed.statements)
        let unit = compiler.compileUnit(statements)
        let echo = last.map { compiler.compileCommandOrExpression($0) }
        let echoIsCommand = last.map(compiler.isNativeCommandCall) ?? false
        if !compiler.diagnostics.isEmpty { throw .syntax(compiler.diagnostics.sorted(by: Parser.order)) }
        return (unit.code, echo, compiler.scope.slotCount, compiler.scope.boxCount, echoIsCommand)
    }

    func execute(_ code: Exec, _ echo: Eval?, slots: Int, boxes: Int) throws(Failure) -> Value {
        let frame = Frame(slotCount: slots, boxCount: boxes, function: nil)
        depth = 0
        do {
            _ = try code(frame)
            return try echo?(frame) ?? .nil
        } catch let error as RuntimeError {
            throw .runtime(error)
        } catch {
            throw .runtime(RuntimeError(.native("\(error)"), at: SourceLocation(file: "<unknown>", line: 0, column: 0)))
        }
    }

    func run(source: String, name: String) -> RunOutcome {
        interruptFlag.clear()
        imported.insert(name)
        do throws(Failure) {
            let (code, _, slots, boxes) = try compile(source: source, name: name, interactive: false)
            _ = try execute(code, nil, slots: slots, boxes: boxes)
            return .ok
        } catch {
            switch error {
            case .syntax(let diagnostics): return .syntaxErrors(rendered: render(diagnostics), count: diagnostics.count)
            case .runtime(let error): return .runtimeError(rendered: render(error))
            }
        }
    }

    func evaluateInteractive(source: String, name: String) -> InteractiveOutcome {
        interruptFlag.clear()
        do throws(Failure) {
            let (code, echo, slots, boxes, echoIsCommand) = try compileUnit(source: source, name: name, interactive: true)
            let value = try execute(code, echo, slots: slots, boxes: boxes)
            if case .nil = value { return .value(nil) }
            return .value(echoIsCommand ? ValueFormatter.display(value) : ValueFormatter.repr(value))
        } catch {
            switch error {
            case .syntax(let diagnostics):
                if diagnostics.allSatisfy(\.isUnexpectedEndOfInput) { return .incomplete }
                return .syntaxErrors(rendered: render(diagnostics))
            case .runtime(let error): return .runtimeError(rendered: render(error))
            }
        }
    }

    /// `import "path"`: runs the file once per session, relative to the importing file.
    func importFile(_ path: String, from importer: String, at location: SourceLocation) throws {
        let directory = directories[importer] ?? baseDirectory
        let resolved = SourceFiles.normalize(SourceFiles.resolve(path, base: directory))
        if imported.contains(resolved) { return }
        imported.insert(resolved)
        directories[resolved] = SourceFiles.directory(of: resolved)
        let text: String
        switch SourceFiles.read(path: resolved) {
        case .failure(let error): throw RuntimeError(.importFailed(path: path, reason: error.message), at: location)
        case .success(let t): text = t
        }
        do {
            let (code, _, slots, boxes) = try compile(source: text, name: resolved, interactive: false)
            let savedDepth = depth
            defer { depth = savedDepth }
            _ = try code(Frame(slotCount: slots, boxCount: boxes, function: nil))
        } catch Failure.syntax(let diagnostics) {
            let reason = "\(diagnostics.count) syntax error\(diagnostics.count == 1 ? "" : "s")\n" + render(diagnostics)
            throw RuntimeError(.importFailed(path: path, reason: reason), at: location)
        }
    }

    // MARK: diagnostics

    func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { DiagnosticRenderer.render($0, source: sources[$0.location.file]) }.joined(separator: "\n")
    }

    func render(_ error: RuntimeError) -> String {
        var out = DiagnosticRenderer.render(location: error.location, message: error.message, source: sources[error.location.file])
        if !error.trace.isEmpty {
            out += "\ncall trace (innermost first):"
            for entry in error.trace.prefix(20) { out += "\n  in \(entry.function), called from \(entry.callSite)" }
            if error.trace.count > 20 { out += "\n  … \(error.trace.count - 20) more calls" }
        }
        return out
    }

    /// "Did you mean" for an unknown name: globals, builtins, visible locals and keywords.
    func suggestName(_ name: String, extra: [String]) -> String? {
        Suggest.closest(to: name, in: globals.definedNames + extra + Keyword.allCases.map(\.rawValue))
    }
}
