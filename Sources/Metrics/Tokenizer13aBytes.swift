// The fused 13a stream (Tokenizer13aStream) run on UTF-8 bytes, reporting each token as a byte
// range of the input instead of copying it. Valid because 13a's stages only insert spaces, so
// every token is a contiguous run of input bytes; and because no pattern of 13a can start or end
// inside a non-ASCII character, whose bytes all act as plain letters. Callers must first reject
// texts with non-ASCII whitespace and apply 13a's pre-replacements first (`BLEU.byteCheck`).

/// Streams bytes through 13a and hands each token's [start, end) byte range to `emit`.
struct Tokenizer13aBytes {
    private static let none: UInt32 = 0xFFFF_FFFF
    private var p2 = Tokenizer13aBytes.none
    private var p3 = Tokenizer13aBytes.none
    private var p4 = Tokenizer13aBytes.none
    private var allQuiet = false
    private let bytes: UnsafeBufferPointer<UInt8>
    /// Next input byte not yet matched to a token character.
    private var cursor = 0
    private var start = 0
    private var length = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Tokenizes `bytes[0..<count]` (already rstripped).
    @inline(__always)
    static func run(_ bytes: UnsafeBufferPointer<UInt8>, count: Int, _ emit: (Int, Int) -> Void) {
        var s = Tokenizer13aBytes(bytes)
        s.stage1(0x20, emit)
        var i = 0
        while i < count {
            let c = bytes[i]
            if s.allQuiet && isPlain(c) {
                var j = i + 1
                while j < count && isPlain(bytes[j]) { j += 1 }
                if j - i >= 4 { s.plainRun(i, j, emit); i = j; continue }
            }
            s.feed(UInt32(c), emit)
            i += 1
        }
        s.stage1(0x20, emit)
        s.flush(emit)
    }

    /// ASCII whitespace as Python's `str.isspace()` sees it (non-ASCII is rejected upstream).
    @inline(__always) static func isSpace(_ c: UInt32) -> Bool {
        c == 0x20 || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F)
    }

    @inline(__always) private static func isQuiet(_ c: UInt32) -> Bool {
        if c >= 0x2C && c <= 0x39 { return c == 0x2F }
        return c != none
    }

    @inline(__always) private mutating func feed(_ c: UInt32, _ emit: (Int, Int) -> Void) {
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

    /// A letter or a byte of a non-ASCII character: quiet, no symbol, no space.
    @inline(__always) private static func isPlain(_ c: UInt8) -> Bool {
        c >= 0x80 || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A)
    }

    /// `bytes[i..<j]`, at least four plain bytes, fed while all stages are quiet: the same as
    /// shifting each, where all but the first reach the splitter as one stretch of a token.
    private mutating func plainRun(_ i: Int, _ j: Int, _ emit: (Int, Int) -> Void) {
        shift(UInt32(bytes[i]), emit); shift(UInt32(bytes[i + 1]), emit); shift(UInt32(bytes[i + 2]), emit)
        let m = j - i - 3                 // the splits of bytes[i..<(i + m)]
        split(UInt32(bytes[i]), emit)     // lands the cursor on i + 1
        length += m - 1
        cursor += m - 1
        p4 = UInt32(bytes[j - 3]); p3 = UInt32(bytes[j - 2]); p2 = UInt32(bytes[j - 1])
    }

    @inline(__always) private mutating func shift(_ c: UInt32, _ emit: (Int, Int) -> Void) {
        split(p4, emit)
        p4 = p3
        p3 = p2
        p2 = c
    }

    private mutating func stage1(_ c: UInt32, _ emit: (Int, Int) -> Void) {
        if Tokenizer13a.isSymbol(c) {
            stage2(0x20, emit); stage2(c, emit); stage2(0x20, emit)
        } else {
            stage2(c, emit)
        }
    }

    private mutating func stage2(_ c: UInt32, _ emit: (Int, Int) -> Void) {
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

    private mutating func stage3(_ c: UInt32, _ emit: (Int, Int) -> Void) {
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

    @inline(__always) private mutating func stage4(_ c: UInt32, _ emit: (Int, Int) -> Void) {
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

    /// `str.split()`: the non-space characters reaching here are the input's non-space bytes in
    /// order, so `cursor` (skipping input whitespace) finds where each one came from.
    @inline(__always) private mutating func split(_ c: UInt32, _ emit: (Int, Int) -> Void) {
        if Self.isSpace(c) {
            if length > 0 { emit(start, cursor); length = 0 }
        } else {
            while Self.isSpace(UInt32(bytes[cursor])) { cursor += 1 }
            if length == 0 { start = cursor }
            length += 1
            cursor += 1
        }
    }

    private mutating func flush(_ emit: (Int, Int) -> Void) {
        if p2 != Self.none { let x = p2; p2 = Self.none; stage3(x, emit) }
        if p3 != Self.none { let x = p3; p3 = Self.none; stage4(x, emit) }
        if p4 != Self.none { let x = p4; p4 = Self.none; split(x, emit) }
        if length > 0 { emit(start, cursor); length = 0 }
    }
}
