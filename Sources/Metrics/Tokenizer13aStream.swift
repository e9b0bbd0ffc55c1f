// The 13a tokenizer fused into one streaming pass for speed: the symbol padding and the three
// two-character substitutions run as a pipeline of one-character-lookahead stages feeding the
// whitespace splitter, so no intermediate strings are built. Each stage reproduces `re.sub`'s
// leftmost non-overlapping scan exactly; a test checks it against `Tokenizer13a.apply` on random
// strings of the tricky characters. BLEU uses it; `BLEUTokenizer.tokens` keeps the plain passes.

/// Streams code points through 13a and hands each finished token to `emit`.
struct Tokenizer13aStream {
    /// Marks an empty stage slot (not a code point).
    private static let none: UInt32 = 0xFFFF_FFFF
    // Pending first character of each two-character stage.
    private var p2 = Tokenizer13aStream.none
    private var p3 = Tokenizer13aStream.none
    private var p4 = Tokenizer13aStream.none
    /// All three slots hold quiet characters (see `feed`).
    private var allQuiet = false
    // The token being built: stages only insert spaces, so no token is longer than the input.
    private var token: UnsafeMutablePointer<UInt32>
    private var length = 0

    private init(capacity: Int) { token = .allocate(capacity: capacity) }

    /// Tokenizes `cps` (already rstripped and with the pre-replacements applied).
    static func run(_ cps: UnsafeBufferPointer<UInt32>, _ emit: (UnsafeBufferPointer<UInt32>) -> Void) {
        var s = Tokenizer13aStream(capacity: cps.count + 1)
        defer { s.token.deallocate() }
        s.stage1(0x20, emit)
        for c in cps { s.feed(c, emit) }
        s.stage1(0x20, emit)
        s.flush(emit)
    }

    /// Tokenizes UTF-8 `bytes[0..<count]` that are all ASCII (bytes are then code points).
    static func runASCII(_ bytes: UnsafeBufferPointer<UInt8>, count: Int, _ emit: (UnsafeBufferPointer<UInt32>) -> Void) {
        var s = Tokenizer13aStream(capacity: count + 1)
        defer { s.token.deallocate() }
        s.stage1(0x20, emit)
        for i in 0..<count { s.feed(UInt32(bytes[i]), emit) }
        s.stage1(0x20, emit)
        s.flush(emit)
    }

    /// A character none of the three two-character patterns can start or end a match with:
    /// anything but a digit, '.', ',' or '-' (whitespace and symbols included).
    @inline(__always) private static func isQuiet(_ c: UInt32) -> Bool {
        if c >= 0x2C && c <= 0x39 { return c == 0x2F }   // , - . / 0…9: only '/' is quiet
        return c != none
    }

    /// Fast path: when every stage holds a quiet character and a quiet one arrives, no pattern
    /// can match, so stages 2–4 act as a three-character delay line in front of the splitter.
    @inline(__always) private mutating func feed(_ c: UInt32, _ emit: (UnsafeBufferPointer<UInt32>) -> Void) {
        if allQuiet && Self.isQuiet(c) {
            if Tokenizer13a.isSymbol(c) {
                shift(0x20, emit); shift(c, emit); shift(0x20, emit)
            } else {
                shift(c, emit)
            }
        } else {
            stage1(c, emit)
            allQuiet = Self.isQuiet(p2) && Self.isQuiet(p3) && Self.isQuiet(p4)
        }
    }

    @inline(__always) private mutating func shift(_ c: UInt32, _ emit: (UnsafeBufferPointer<UInt32>) -> Void) {
        split(p4, emit)
        p4 = p3
        p3 = p2
        p2 = c
    }

    /// ([\{-\~\[-\` -\&\(-\+\:-\@\/]) → ' \1 '
    private mutating func stage1(_ c: UInt32, _ emit: (UnsafeBufferPointer<UInt32>) -> Void) {
        if Tokenizer13a.isSymbol(c) {
            stage2(0x20, emit); stage2(c, emit); stage2(0x20, emit)
        } else {
            stage2(c, emit)
        }
    }

    /// ([^0-9])([\.,]) → '\1 \2 '
    private mutating func stage2(_ c: UInt32, _ emit: (UnsafeBufferPointer<UInt32>) -> Void) {
        let x = p2
        if x == Self.none { p2 = c; return }
        if !Tokenizer13a.isDigit(x) && Tokenizer13a.isPeriodComma(c) {
            p2 = Self.none
            stage3(x, emit); stage3(0x20, emit); stage3(c, emit); stage3(0x20, emit)
        } else {
            p2 = c
            stage3(x, emit)
        }
    }

    /// ([\.,])([^0-9]) → ' \1 \2'
    private mutating func stage3(_ c: UInt32, _ emit: (UnsafeBufferPointer<UInt32>) -> Void) {
        let x = p3
        if x == Self.none { p3 = c; return }
        if Tokenizer13a.isPeriodComma(x) && !Tokenizer13a.isDigit(c) {
            p3 = Self.none
            stage4(0x20, emit); stage4(x, emit); stage4(0x20, emit); stage4(c, emit)
        } else {
            p3 = c
            stage4(x, emit)
        }
    }

    /// ([0-9])(-) → '\1 \2 '
    @inline(__always) private mutating func stage4(_ c: UInt32, _ emit: (UnsafeBufferPointer<UInt32>) -> Void) {
        let x = p4
        if x == Self.none { p4 = c; return }
        if Tokenizer13a.isDigit(x) && c == 0x2D {
            p4 = Self.none
            split(x, emit); split(0x20, emit); split(c, emit); split(0x20, emit)
        } else {
            p4 = c
            split(x, emit)
        }
    }

    /// `str.split()`: whitespace ends a token.
    @inline(__always) private mutating func split(_ c: UInt32, _ emit: (UnsafeBufferPointer<UInt32>) -> Void) {
        if PythonText.isSpace(c) {
            if length > 0 { emit(UnsafeBufferPointer(start: token, count: length)); length = 0 }
        } else {
            token[length] = c
            length += 1
        }
    }

    /// Drains the pending characters stage by stage, then the last token.
    private mutating func flush(_ emit: (UnsafeBufferPointer<UInt32>) -> Void) {
        if p2 != Self.none { let x = p2; p2 = Self.none; stage3(x, emit) }
        if p3 != Self.none { let x = p3; p3 = Self.none; stage4(x, emit) }
        if p4 != Self.none { let x = p4; p4 = Self.none; split(x, emit) }
        if length > 0 { emit(UnsafeBufferPointer(start: token, count: length)); length = 0 }
    }
}
