// 13a's token boundaries computed directly on UTF-8 bytes with a byte-class table, reporting
// each token as a byte range of the input. Valid because 13a only inserts spaces (every token is
// a contiguous run of input bytes) and because no 13a pattern involves a non-ASCII character.
// Callers first reject non-ASCII whitespace and apply 13a's pre-replacements (`BLEU.byteCheck`,
// `BLEU.preReplace`). The four regex passes themselves are BLEUTokenizer.swift; tests compare both.

/// 13a on bytes. The regexes of sacrebleu's `TokenizerRegexp`, read as boundary rules:
/// 1. whitespace separates; a symbol of `[{-~[-` -&(-+:-@/]` is a token of its own;
/// 2. `-` after a digit is a token of its own (`([0-9])(-)` → `\1 \2 `);
/// 3. in a maximal run of n periods/commas between `a` and `b`, every one is a token of its own,
///    except the last, which stays attached to a digit `b` when (`a` is a digit) == (n is odd),
///    and then, for n = 1, also to the digit `a` ("3.14" stays one token). Why: `([^0-9])([.,])`
///    pairs `a` (when not a digit) or the run's own members left to right without overlap, so
///    the parity of n decides whether the last one was paired; `([.,])([^0-9])` then isolates
///    every period or comma that is not directly followed by a digit.
enum Tokenizer13aBytes {
    /// Byte classes; every byte ≥ 0x80 is `plain` (part of a letter).
    static let plain: UInt8 = 0, space: UInt8 = 1, symbol: UInt8 = 2, digit: UInt8 = 3, period: UInt8 = 4, dash: UInt8 = 5

    /// The class of every byte value. Read through a pointer: an Array here would be retained
    /// and released on every call. Written once, never mutated or freed.
    nonisolated(unsafe) static let classes: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        for b in 0..<256 {
            let c = UInt32(b)
            table[b] = isSpace(c) ? space : c >= 0x30 && c <= 0x39 ? digit : c == 0x2E || c == 0x2C ? period
                : c == 0x2D ? dash : c < 0x80 && Tokenizer13a.isSymbol(c) ? symbol : plain
        }
        return UnsafePointer(table)
    }()

    /// ASCII whitespace as Python's `str.isspace()` sees it (non-ASCII is rejected upstream).
    @inline(__always) static func isSpace(_ c: UInt32) -> Bool {
        c == 0x20 || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F)
    }

    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// 0x80 in each byte of `v` that is an ASCII letter or digit or a non-ASCII byte (all plain
    /// or digit); SWAR range checks on the low seven bits, which cannot carry between bytes.
    @inline(__always) static func wordBytes(_ v: UInt64) -> UInt64 {
        let low = v & ~highs
        let x = low | 0x2020_2020_2020_2020                        // ASCII letters folded to lower case
        let letter = (x &+ 0x1F1F_1F1F_1F1F_1F1F) & ~(x &+ 0x0505_0505_0505_0505)     // 0x61…0x7A
        let digit = (low &+ 0x5050_5050_5050_5050) & ~(low &+ 0x4646_4646_4646_4646)  // 0x30…0x39
        return (v | letter | digit) & highs
    }

    /// Tokenizes `bytes[0..<count]` (already rstripped and pre-replaced), calling `emit(start, end)`
    /// for each token in order.
    @inline(__always)
    static func run(_ bytes: UnsafeBufferPointer<UInt8>, count: Int, _ emit: (Int, Int) -> Void) {
        scan(bytes.baseAddress!, count: count, classes, emit)
    }

    /// The tokenizer proper; `cls` is `classes` (loaded once per call, not per byte). Indices stay
    /// below `count`, so wrapping arithmetic (`&+`) cannot wrap.
    @inline(__always)
    static func scan(_ b: UnsafePointer<UInt8>, count: Int, _ cls: UnsafePointer<UInt8>, _ emit: (Int, Int) -> Void) {
        var i = 0
        var start = -1   // start of the token being read, -1 between tokens
        while i < count {
            var c = cls[Int(b[i])]
            if c == plain || c == digit {
                if start < 0 { start = i }
                i = i &+ 1
                // The common case: the rest of a word, eight bytes at a time while they are
                // letters, digits or non-ASCII, then byte by byte (apostrophes, the tail).
                while i &+ 8 <= count {
                    let w = wordBytes(UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self))
                    if w == highs { i = i &+ 8; continue }
                    i = i &+ ((~w & highs).trailingZeroBitCount >> 3)
                    break
                }
                while i < count {
                    c = cls[Int(b[i])]
                    if c != plain && c != digit { break }
                    i = i &+ 1
                }
                if i == count { break }
            }
            switch c {
            case space:
                if start >= 0 { emit(start, i); start = -1 }
                i = i &+ 1
            case symbol:
                if start >= 0 { emit(start, i); start = -1 }
                emit(i, i &+ 1)
                i = i &+ 1
            case dash:
                if i > 0 && cls[Int(b[i &- 1])] == digit {
                    if start >= 0 { emit(start, i); start = -1 }
                    emit(i, i &+ 1)
                } else if start < 0 {
                    start = i
                }
                i = i &+ 1
            default:   // period or comma: the whole run at once (rule 3)
                var j = i &+ 1
                while j < count && cls[Int(b[j])] == period { j = j &+ 1 }
                let n = j &- i
                let afterDigit = i > 0 && cls[Int(b[i &- 1])] == digit
                let glue = j < count && cls[Int(b[j])] == digit && afterDigit == (n & 1 == 1)
                if n == 1 && glue { i = j; continue }   // "3.14": a digit started this token
                if start >= 0 { emit(start, i); start = -1 }
                var k = i
                while k < (glue ? j &- 1 : j) { emit(k, k &+ 1); k = k &+ 1 }
                if glue { start = j &- 1 }
                i = j
            }
        }
        if start >= 0 { emit(start, count) }
    }
}
