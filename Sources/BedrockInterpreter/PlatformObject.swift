// PlatformObject: the protocol later modules adopt so their objects (model cards, jobs, bookings,
// evaluation reports) become opaque bedrock values that print readably and expose members.
// The interpreter knows nothing else about them.

/// An object owned by the platform, shown to programs as an opaque handle.
public protocol PlatformObject: Sendable {
    /// The kind, used as the value's type name and in parameter types (`handle(kind)`), e.g. "model".
    var kind: String { get }
    /// How `print` shows it (one or more lines).
    var displayText: String { get }
    /// The value of `object.name`, or nil when there is no such member.
    func member(_ name: String) -> Value?
    /// Every member name, for completion, did-you-mean and `keys(object)`.
    var memberNames: [String] { get }
    /// Whether two handles denote the same object (default: never, so only identical handles match).
    func isSame(as other: any PlatformObject) -> Bool
}

extension PlatformObject {
    public func isSame(as other: any PlatformObject) -> Bool { false }
}

/// The boxed handle stored in a `Value`.
public final class Handle: @unchecked Sendable {
    public let object: any PlatformObject
    public init(_ object: any PlatformObject) { self.object = object }
}

extension Value {
    /// Wraps a platform object as a value.
    public static func handle(_ object: any PlatformObject) -> Value { .handle(Handle(object)) }
}
