// PlatformLibrary: binds the platform's operations to language commands. Each command is a thin
// binding — read the arguments, call one Platform operation, wrap the result as a value. The
// rules live in BedrockPlatform; nothing here decides anything.
import BedrockInterpreter
import BedrockPlatform
import Catalog
import Synchronization

/// The platform's commands, registered into every session created with it.
public struct PlatformLibrary: NativeLibrary {
    let source: PlatformSource

    /// A library bound to an open platform.
    public init(platform: Platform) { source = PlatformSource { platform } }

    /// A library that opens its platform on first use, so a script that never touches the
    /// platform never opens the workspace (`bedrock run` starts in milliseconds).
    public init(opening open: @escaping @Sendable () throws -> Platform) { source = PlatformSource(open) }

    /// The platform, opened on first use.
    var platform: Platform { get throws { try source.get() } }

    /// Lets the jobs this session started end before the process does: `bedrock run` waits for
    /// them after a script (so a script that starts a job never leaves it half-done); with
    /// `stopping` (an error, or leaving the REPL) they are asked to stop first and end Stopped.
    public func finishJobs(stopping: Bool) {
        guard let p = source.ifOpened else { return }
        if stopping { for id in p.runningJobIDs { p.requestStop(jobID: id) } }
        p.waitForAllJobs()
    }

    /// Model IDs, for completing `model "amaz<Tab>`.
    public var completionWords: [String] { (try? Catalog.standard().identifiers) ?? [] }

    public func register(into registry: inout NativeRegistry) {
        registerCatalog(into: &registry)
        registerAccess(into: &registry)
        registerPricing(into: &registry)
        registerThroughput(into: &registry)
        registerClockAndCost(into: &registry)
        registerRuntime(into: &registry)
        registerChat(into: &registry)
        registerEmbeddings(into: &registry)
        registerMetrics(into: &registry)
        registerJobs(into: &registry)
        registerCustomization(into: &registry)
        registerEvaluation(into: &registry)
        registerDataFiles(into: &registry)
        registerImport(into: &registry)
    }

    /// A model from a `model` handle, a booking handle (the model it serves) or an ID string.
    func card(_ value: Value) throws -> ModelCard {
        switch value {
        case .handle(let h):
            if let m = h.object as? ModelHandle { return m.card }
            if let b = h.object as? BookingHandle { return try platform.model(id: b.booking.modelID) }
            throw NativeError("expected a model or a model ID, got a \(h.object.kind)")
        case .string(let id):
            return try platform.model(id: id)
        default:
            throw NativeError("expected a model or a model ID, got \(value.typeName)")
        }
    }

    func modelHandle(_ card: ModelCard) throws -> Value {
        let catalog = try platform.catalog
        return .handle(ModelHandle(card: card, rendered: CardRenderer.render(card, policies: catalog.policies, asOf: catalog.asOf)))
    }
}

/// Opens the platform once, on first use, and keeps it.
final class PlatformSource: Sendable {
    private let open: @Sendable () throws -> Platform
    private let opened = Mutex<Platform?>(nil)

    init(_ open: @escaping @Sendable () throws -> Platform) { self.open = open }

    /// The platform if a command has opened it.
    var ifOpened: Platform? { opened.withLock { $0 } }

    func get() throws -> Platform {
        try opened.withLock { slot in
            if let p = slot { return p }
            let p = try open()
            slot = p
            return p
        }
    }
}

/// The parameter type of a model argument.
let modelParameter = ParamType.oneOf(.handle("model"), .string)

extension NativeArguments {
    /// An optional string argument.
    func optionalString(_ name: String) throws -> String? {
        guard let value = optional(name) else { return nil }
        guard case .string(let s) = value else { throw NativeError("'\(name)' must be a string") }
        return s
    }

    /// An optional integer argument (a whole float is accepted).
    func optionalInt(_ name: String) throws -> Int? {
        guard let value = optional(name) else { return nil }
        switch value {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 1e15: return Int(d)
        default: throw NativeError("'\(name)' must be a whole number, got \(value.typeName)")
        }
    }
}
