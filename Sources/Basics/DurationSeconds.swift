// A Duration as a Double number of seconds, for rates and timings (tokens per second, checkpoint
// costs); the standard library offers only its integer components.

extension Duration {
    /// The duration in seconds.
    public var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
