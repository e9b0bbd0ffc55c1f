// Turns generated token bytes into text deltas for streaming: holds back an incomplete UTF-8
// sequence split across tokens, and any tail that could still become a stop sequence, so the
// caller never sees text that is later taken back. Stop sequences match decoded text (Unicode
// scalars); the stop text itself is never emitted.

struct TextStream {
    let stops: [[Unicode.Scalar]]
    /// All text decoded so far (complete UTF-8 only).
    private(set) var scalars: [Unicode.Scalar] = []
    /// Scalars already handed to the caller.
    private(set) var emitted = 0
    private var pendingBytes: [UInt8] = []

    init(stopSequences: [String]) {
        stops = stopSequences.filter { !$0.isEmpty }.map { Array($0.unicodeScalars) }
    }

    /// Adds one token's bytes. Returns the text now safe to show, and the matched stop sequence if
    /// the text reached one (the returned text then ends just before it).
    mutating func push(_ bytes: [UInt8]) -> (delta: String, stop: String?) {
        pendingBytes += bytes
        let complete = completePrefixLength(pendingBytes)
        if complete > 0 {
            scalars += String(decoding: pendingBytes[0..<complete], as: UTF8.self).unicodeScalars
            pendingBytes.removeFirst(complete)
        }
        if let (at, stop) = firstStop() {
            let delta = take(upTo: at)
            return (delta, String(String.UnicodeScalarView(stop)))
        }
        return (take(upTo: scalars.count - heldBack()), nil)
    }

    /// Everything not yet emitted (at the end of generation), incomplete bytes decoded leniently.
    mutating func flush() -> String {
        if !pendingBytes.isEmpty {
            scalars += String(decoding: pendingBytes, as: UTF8.self).unicodeScalars
            pendingBytes = []
        }
        return take(upTo: scalars.count)
    }

    /// The emitted text so far.
    var text: String { String(String.UnicodeScalarView(scalars[0..<emitted])) }

    private mutating func take(upTo end: Int) -> String {
        guard end > emitted else { return "" }
        let s = String(String.UnicodeScalarView(scalars[emitted..<end]))
        emitted = end
        return s
    }

    /// Earliest occurrence of any stop sequence that ends after the emitted text.
    private func firstStop() -> (Int, [Unicode.Scalar])? {
        var best: (Int, [Unicode.Scalar])?
        for stop in stops where stop.count <= scalars.count {
            var i = max(0, emitted - stop.count + 1)
            while i + stop.count <= scalars.count {
                if scalars[i..<i + stop.count].elementsEqual(stop) {
                    if best == nil || i < best!.0 { best = (i, stop) }
                    break
                }
                i += 1
            }
        }
        return best
    }

    /// Length of the longest tail of the text that is a proper prefix of a stop sequence.
    private func heldBack() -> Int {
        var hold = 0
        for stop in stops {
            var n = min(stop.count - 1, scalars.count - emitted)
            while n > hold {
                if scalars[(scalars.count - n)...].elementsEqual(stop[0..<n]) { hold = n; break }
                n -= 1
            }
        }
        return hold
    }
}

/// Bytes of `bytes` that form complete UTF-8 sequences: a trailing lead byte whose sequence is not
/// finished yet is held back (invalid bytes are not held; they decode to U+FFFD).
func completePrefixLength(_ bytes: [UInt8]) -> Int {
    let n = bytes.count
    var i = n - 1
    var back = 0
    while i >= 0, back < 4 {
        let b = bytes[i]
        if b & 0xC0 != 0x80 {                      // a lead (or ASCII) byte
            let need = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
            return n - i < need ? i : n
        }
        i -= 1; back += 1
    }
    return n
}
