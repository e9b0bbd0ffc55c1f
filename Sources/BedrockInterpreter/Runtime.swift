// Runtime structures the compiled code runs on: frames (a flat slot array per call, so locals are
// reached by index, never by name), the global table, compiled function prototypes, and the
// context handed to natives. Not here: compiling (Compiler*.swift) or builtins.
import Basics
import BedrockSyntax

/// Compiled code: an expression gives a value; a statement tells its caller how to continue.
typealias Eval = (Frame) throws -> Value
typealias Exec = (Frame) throws -> Flow

/// Compiled code kept in arrays is wrapped in these structs: a closure stored directly in an
/// Array (or Optional, or passed through a generic) is called through reabstraction thunks, which
/// cost about a fifth of the run time of a tight loop.
struct Step { let run: Exec }
struct Expression { let eval: Eval }

enum Flow {
    case next, breakLoop, continueLoop, returned
}

/// One activation: local variable slots, boxes for captured locals, and the running closure.
final class Frame {
    let slots: UnsafeMutablePointer<Value>
    let slotCount: Int
    let boxes: UnsafeMutablePointer<Box>
    let boxCount: Int
    let function: Function?
    var returnValue: Value = .nil

    init(slotCount: Int, boxCount: Int, function: Function?) {
        self.slotCount = slotCount
        self.boxCount = boxCount
        self.function = function
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: .nil, count: slotCount)
        // No allocation at all for the common frame without captured variables.
        boxes = boxCount == 0 ? Frame.noBoxes : .allocate(capacity: boxCount)
        for i in 0..<boxCount { (boxes + i).initialize(to: Box(.nil)) }
    }

    deinit {
        slots.deinitialize(count: slotCount)
        slots.deallocate()
        if boxCount > 0 {
            boxes.deinitialize(count: boxCount)
            boxes.deallocate()
        }
    }

    /// A never-dereferenced stand-in for frames without boxes.
    nonisolated(unsafe) static let noBoxes = UnsafeMutablePointer<Box>.allocate(capacity: 1)
}

/// Global variables by slot. The storage never moves, so compiled code keeps its pointer.
final class Globals {
    /// Slots are preallocated so compiled code can hold a stable pointer; 65,536 names is far
    /// beyond a session's needs and costs 1.5 MB.
    static let maxGlobals = 1 << 16

    let values: UnsafeMutablePointer<Value>
    let defined: UnsafeMutablePointer<Bool>
    private(set) var names: [String] = []
    private(set) var isMutable: [Bool] = []
    private(set) var isBuiltin: [Bool] = []
    private(set) var slotByName: [String: Int] = [:]

    init() {
        values = .allocate(capacity: Globals.maxGlobals)
        values.initialize(repeating: .nil, count: Globals.maxGlobals)
        defined = .allocate(capacity: Globals.maxGlobals)
        defined.initialize(repeating: false, count: Globals.maxGlobals)
    }

    deinit {
        values.deinitialize(count: Globals.maxGlobals)
        values.deallocate()
        defined.deallocate()
    }

    var count: Int { names.count }

    func slot(named name: String) -> Int? { slotByName[name] }

    /// A new slot for `name`, which now refers to it (older code keeps the slot it resolved).
    func add(_ name: String, mutable: Bool, builtin: Bool) -> Int? {
        guard names.count < Globals.maxGlobals else { return nil }
        names.append(name)
        isMutable.append(mutable)
        isBuiltin.append(builtin)
        slotByName[name] = names.count - 1
        return names.count - 1
    }

    func setMutable(_ slot: Int, _ mutable: Bool) { isMutable[slot] = mutable }

    func define(_ slot: Int, _ value: Value) {
        values[slot] = value
        defined[slot] = true
    }

    /// Defined names (for did-you-mean and completion).
    var definedNames: [String] {
        slotByName.compactMap { defined[$0.value] ? $0.key : nil }
    }
}

/// A compiled function: parameters, frame layout and body. Shared by every closure made from it.
final class FunctionProto {
    let name: String
    let location: SourceLocation
    let positionalCount: Int
    /// Labelled parameters: name, slot, and the default evaluated in the callee's frame.
    var labelled: [(name: String, slot: Int, defaultValue: Eval)] = []
    /// Parameters that closures capture: copied from their slot into a box at entry.
    var boxedParameters: [(slot: Int, box: Int)] = []
    var slotCount = 0
    var boxCount = 0
    /// Where each captured variable comes from when a closure is created.
    var captureSources: [CaptureSource] = []
    var body: Exec = { _ in .next }
    /// `fn(x) => expr` bodies; `hasExpressionBody` instead of an optional, because an optional
    /// closure is called through a reabstraction thunk.
    var expressionBody: Eval = { _ in .nil }
    var hasExpressionBody = false

    init(name: String, location: SourceLocation, positionalCount: Int) {
        self.name = name
        self.location = location
        self.positionalCount = positionalCount
    }

    var parameterNames: [String] { labelled.map(\.name) }
}

enum CaptureSource {
    /// A boxed local of the enclosing function's frame.
    case box(Int)
    /// One of the enclosing function's own captures.
    case capture(Int)
}

/// What a native body may use: output, seed, files, interrupts, and calling back into bedrock.
public struct NativeContext {
    let interpreter: Interpreter
    /// Where the native was called from (errors thrown by the body are reported here).
    public let location: SourceLocation

    /// The session's seed (`seed N`).
    public var seed: UInt64 { interpreter.seed }
    /// Directory that relative file paths resolve against (the script's directory).
    public var baseDirectory: String { interpreter.baseDirectory }
    /// Notebook mode: print wall-clock values masked.
    public var maskVolatile: Bool { interpreter.options.maskVolatile }

    /// Writes text to the session's output as is.
    public func write(_ text: String) { interpreter.options.output(text) }

    /// Throws the "interrupted" error when the user pressed Ctrl-C; long natives call it often.
    public func checkInterrupt() throws {
        if interpreter.interruptFlag.isSet { throw RuntimeError(.interrupted, at: location) }
    }

    public var isInterrupted: Bool { interpreter.interruptFlag.isSet }

    /// Calls a bedrock function (or native) value with positional and labelled arguments.
    public func call(_ function: Value, _ arguments: [Value], labelled: [(String, Value)] = []) throws -> Value {
        try interpreter.callValue(function, positional: arguments, labelled: labelled, at: location)
    }

    /// The next number of the session's seeded SplitMix64 generator.
    public func nextRandom() -> UInt64 { interpreter.random.next() }

    /// A path made absolute against the script's directory.
    public func resolvePath(_ path: String) -> String { SourceFiles.resolve(path, base: baseDirectory) }

    /// Sets the session seed and restarts the random generator from it.
    public func setSeed(_ seed: UInt64) {
        interpreter.seed = seed
        interpreter.random = SplitMix64(seed: seed)
    }
}
