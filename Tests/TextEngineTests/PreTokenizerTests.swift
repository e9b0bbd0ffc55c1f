// The llama-bpe pre-tokenizer (Llama 3's split) against the regex itself: every case below was
// printed by scripts/pretokenizer-reference.py, which runs the pattern with Python's `regex` over
// tricky strings and 48 seeded random ones. Then the tokenizer's Llama 3 behaviour on a small
// hand-made vocabulary: whole pieces looked up before merging, and the BOS it adds to a prompt.
import Testing
@testable import TextEngine

@Suite struct PreTokenizerTests {
    /// (text, the regex's pieces).
    static let llamaBPECases: [(String, [String])] = [
            ("Hello world!! It's 2024: 3.14159 apples,  don't   stop\n\n\tnow ",
             ["Hello", " world", "!!", " It", "'s", " ", "202", "4", ":", " ", "3", ".", "141", "59", " apples", ",", " ", " don", "'t", "  ", " stop", "\n\n", "\tnow", " "]),
            ("I'M HERE, YOU'RE THERE, WE'LL SEE; THEY'VE GONE'D",
             ["I", "'M", " HERE", ",", " YOU", "'RE", " THERE", ",", " WE", "'LL", " SEE", ";", " THEY", "'VE", " GONE", "'D"]),
            ("x'S 're've'll 'd'm '' ?!... ---",
             ["x", "'S", " '", "re", "'ve", "'ll", " '", "d", "'m", " ''", " ?!...", " ---"]),
            ("1234567 12 1 ١٢٣٤ ½¾ x2y33z444",
             ["123", "456", "7", " ", "12", " ", "1", " ", "١٢٣", "٤", " ", "½¾", " x", "2", "y", "33", "z", "444"]),
            ("  leading\n  \n trailing   ",
             [" ", " leading", "\n  \n", " trailing", "   "]),
            ("a\r\nb\n\r\n  c \n\n\n",
             ["a", "\r\n", "b", "\n\r\n", " ", " c", " \n\n\n"]),
            ("fn(x) {\n    return x+1;\n}\n",
             ["fn", "(x", ")", " {\n", "   ", " return", " x", "+", "1", ";\n", "}\n"]),
            ("naïve café — Ünïcödé 日本語テキスト 😀👍🏽",
             ["naïve", " café", " —", " Ünïcödé", " 日本語テキスト", " 😀👍🏽"]),
            ("\"quoted\" (paren) [bracket] <tag/> #hash @at $5.00",
             ["\"quoted", "\"", " (", "paren", ")", " [", "bracket", "]", " <", "tag", "/>", " #", "hash", " @", "at", " $", "5", ".", "00"]),
            ("tab\tsep\tvalues\t\t\nend",
             ["tab", "\tsep", "\tvalues", "\t\t\n", "end"]),
            ("!!!\n\n???\r\n...",
             ["!!!\n\n", "???\r\n", "..."]),
            ("'hello 'world' it''s",
             ["'hello", " '", "world", "'", " it", "''", "s"]),
            ("\u{00A0}nbsp\u{2009}thin\u{3000}ideographic",
             ["\u{00A0}nbsp", "\u{2009}thin", "\u{3000}ideographic"]),
            ("Dy—B9+—A`füX3Md",
             ["Dy", "—B", "9", "+—", "A", "`füX", "3", "Md"]),
            ("\u{00A0}.Uija1uCv{zlc]é9v7CbXmLアN)S\nB7t JwMHwv",
             ["\u{00A0}", ".Uija", "1", "uCv", "{zlc", "]é", "9", "v", "7", "CbXmLアN", ")S", "\n", "B", "7", "t", " JwMHwv"]),
            ("K|9  RBg% QPoexYéTLx<Dez(\u{00A0}=X|vX日Eo$dO",
             ["K", "|", "9", " ", " RBg", "%", " QPoexYéTLx", "<Dez", "(", "\u{00A0}", "=X", "|vX日Eo", "$dO"]),
            ("BC)gRf'H{m D^5A 3fqKt`g%`F4 m6q アJmNY5",
             ["BC", ")gRf", "'H", "{m", " D", "^", "5", "A", " ", "3", "fqKt", "`g", "%`", "F", "4", " m", "6", "q", " アJmNY", "5"]),
            ("K_9y s)`YgZx/qciM1~Wn(DアvO本",
             ["K", "_", "9", "y", " s", ")`", "YgZx", "/qciM", "1", "~Wn", "(DアvO本"]),
            ("o upA'\"x)hM3Ωi/wDn日[",
             ["o", " upA", "'\"", "x", ")hM", "3", "Ωi", "/wDn日", "["]),
            ("i  :Bol語Ue# s😀",
             ["i", " ", " :", "Bol語Ue", "#", " s", "😀"]),
            ("0qñxQyX\r*bLl",
             ["0", "qñxQyX", "\r", "*bLl"]),
            ("xalSJ٣@v",
             ["xalSJ", "٣", "@v"]),
            ("lE2l\u{00A0}J…q5\u{3000}6NNbC4TR'ア",
             ["lE", "2", "l", "\u{00A0}J", "…q", "5", "\u{3000}", "6", "NNbC", "4", "TR", "'ア"]),
            ("  😀IJfrUHX| zwvc5O½I::日UAzbV)MD)YSdBV^s",
             [" ", " 😀", "IJfrUHX", "|", " zwvc", "5", "O", "½", "I", "::", "日UAzbV", ")MD", ")YSdBV", "^s"]),
            ("\\K9M½.👍ggAr",
             ["\\K", "9", "M", "½", ".👍", "ggAr"]),
            ("8zlFжFx\u{0301}pQ2)RNVDah3InXh7 rKY",
             ["8", "zlFжFx", "\u{0301}pQ", "2", ")RNVDah", "3", "InXh", "7", " rKY"]),
            ("Y9本Sl9J٣@m",
             ["Y", "9", "本Sl", "9", "J", "٣", "@m"]),
            ("<\u{3000}8Wt 7|fH9Fd!~Cü…JP3$VVreGc<uUAVKSp",
             ["<", "\u{3000}", "8", "Wt", " ", "7", "|fH", "9", "Fd", "!~", "Cü", "…JP", "3", "$VVreGc", "<uUAVKSp"]),
            ("x;]cvpTFCtjEE-E-s]y%chb…x|m9GaJ:\\%$5U",
             ["x", ";]", "cvpTFCtjEE", "-E", "-s", "]y", "%chb", "…x", "|m", "9", "GaJ", ":\\%$", "5", "U"]),
            ("M$OMN9Q?H",
             ["M", "$OMN", "9", "Q", "?H"]),
            ("C2 tM\u{00A0}P cPxOq5MHz:py…",
             ["C", "2", " tM", "\u{00A0}P", " cPxOq", "5", "MHz", ":py", "…"]),
            ("RB9p'N (V95BzCsU@qw٣CPonqdb=üñ,ncdo",
             ["RB", "9", "p", "'N", " (", "V", "95", "BzCsU", "@qw", "٣", "CPonqdb", "=üñ", ",ncdo"]),
            ("ifBFy9NR½*LC;m",
             ["ifBFy", "9", "NR", "½", "*LC", ";m"]),
            ("語ZCZdWof7|",
             ["語ZCZdWof", "7", "|"]),
            ("9R+y8語mVw\u{0301}{No\t ",
             ["9", "R", "+y", "8", "語mVw", "\u{0301}{", "No", "\t "]),
            ("|gu Gw '_日Fy'cDTñfI…JYNo CP2FEjGDMW",
             ["|gu", " Gw", " '_", "日Fy", "'cDTñfI", "…JYNo", " CP", "2", "FEjGDMW"]),
            ("heSGNcUSj,d3e,GUIh3 ½I9MX^n",
             ["heSGNcUSj", ",d", "3", "e", ",GUIh", "3", " ", "½", "I", "9", "MX", "^n"]),
            ("gfesIscpCJ👍4Vw@TL",
             ["gfesIscpCJ", "👍", "4", "Vw", "@TL"]),
            ("0=}B{pJ6D\u{3000}",
             ["0", "=}", "B", "{pJ", "6", "D", "\u{3000}"]),
            ("o2#c4kqoe7A+Mア\nñ>Y O—?hN/sJ+",
             ["o", "2", "#c", "4", "kqoe", "7", "A", "+Mア", "\n", "ñ", ">Y", " O", "—?", "hN", "/sJ", "+"]),
            ("RNn7nK[rü!6SBWO4bNué",
             ["RNn", "7", "nK", "[rü", "!", "6", "SBWO", "4", "bNué"]),
            ("—M]…\\D a",
             ["—M", "]…\\", "D", " a"]),
            ("7SvyRJ pJ ",
             ["7", "SvyRJ", " pJ", " "]),
            ("ñeGd%% TAQl…WT",
             ["ñeGd", "%%", " TAQl", "…WT"]),
            ("AAvK VHKoBk\tV3!WPß",
             ["AAvK", " VHKoBk", "\tV", "3", "!WPß"]),
            ("xIvNIVW\r5c$Z9s😀eN[.ß,|HR C",
             ["xIvNIVW", "\r", "5", "c", "$Z", "9", "s", "😀eN", "[.", "ß", ",|", "HR", " C"]),
            ("TCILPh^DB",
             ["TCILPh", "^DB"]),
            ("#RqQzdGN",
             ["#RqQzdGN"]),
            ("GBFuB>@ sTp1z9ELrΩxEMCl",
             ["GBFuB", ">@", " sTp", "1", "z", "9", "ELrΩxEMCl"]),
            ("8]m日TKvr;w)w;Bp\u{00A0}3fRFgzNGEΩü 2*",
             ["8", "]m日TKvr", ";w", ")w", ";Bp", "\u{00A0}", "3", "fRFgzNGEΩü", " ", "2", "*"]),
            ("ZCTY)oe= 本L'!La/(VTcNj\nP2\tGgqG\\EDq#=jpL",
             ["ZCTY", ")oe", "=", " 本L", "'!", "La", "/(", "VTcNj", "\n", "P", "2", "\tGgqG", "\\EDq", "#=", "jpL"]),
            ("hGKN.FqxRn6YYfK G6aIy7'語w",
             ["hGKN", ".FqxRn", "6", "YYfK", " G", "6", "aIy", "7", "'語w"]),
            ("eM9Gp語Y ScqN mHHS80c\\",
             ["eM", "9", "Gp語Y", " ScqN", " mHHS", "80", "c", "\\"]),
            ("%^tIdj\u{3000}e6E3&👍qFe;b?nBs35QuM WH'cyNGe👍o",
             ["%^", "tIdj", "\u{3000}e", "6", "E", "3", "&👍", "qFe", ";b", "?nBs", "35", "QuM", " WH", "'cyNGe", "👍o"]),
            ("Z6R BvPc D8UNIBhr😀dlV",
             ["Z", "6", "R", " BvPc", " D", "8", "UNIBhr", "😀dlV"]),
            ("h👍жq23JJKDZsnv`F@mj8vIft[Pm@\u{3000}pYQsB# YzdS",
             ["h", "👍жq", "23", "JJKDZsnv", "`F", "@mj", "8", "vIft", "[Pm", "@", "\u{3000}pYQsB", "#", " YzdS"]),
            ("]b+q  93A8G",
             ["]b", "+q", " ", " ", "93", "A", "8", "G"]),
            ("t1x&ADWFvD3IOUtN=_S'n\u{0301}>FD<U",
             ["t", "1", "x", "&ADWFvD", "3", "IOUtN", "=_", "S", "'n", "\u{0301}>", "FD", "<U"]),
            ("語ZchojbfA*EGBc",
             ["語ZchojbfA", "*EGBc"]),
            (",> vIN7#*FP0WG1 IWMZL N K",
             [",>", " vIN", "7", "#*", "FP", "0", "WG", "1", " IWMZL", " N", " K"]),
            ("_]_2Qp(4=it?y😀{T",
             ["_]_", "2", "Qp", "(", "4", "=it", "?y", "😀{", "T"]),
    ]

    @Test func llamaBPESplitsAsTheRegex() {
        for (text, pieces) in Self.llamaBPECases {
            #expect(PreTokenizer.llamaBPE.split(text).map { String($0) } == pieces, "\(text.debugDescription)")
        }
    }

    @Test func theTwoPatternsDifferWhereLlama3Differs() {
        func split(_ p: PreTokenizer, _ s: String) -> [String] { p.split(s).map { String($0) } }
        // Numbers in threes against single digits; contractions in any case; a leading non-letter.
        #expect(split(.llamaBPE, "12345") == ["123", "45"] && split(.smolLM, "12345") == ["1", "2", "3", "4", "5"])
        #expect(split(.llamaBPE, "I'M") == ["I", "'M"] && split(.smolLM, "I'M") == ["I", "'", "M"])
        #expect(split(.llamaBPE, "(x") == ["(x"] && split(.smolLM, "(x") == ["(", "x"])
    }

    /// A vocabulary of the 256 byte tokens (id = byte), "ab" (from merging a and b), "abc" (no merge
    /// makes it), and two control tokens: "<s>" (BOS) and "zz".
    func tinyTokenizer(_ pre: PreTokenizer, addsBOS: Bool = false) throws -> Tokenizer {
        let bytes = ByteAlphabet.tables().byteToScalar.map { String($0) }
        let tokens = bytes + ["ab", "abc", "<s>", "zz"]
        return try Tokenizer(tokens: tokens, merges: ["a b"], tokenTypes: Array(repeating: 1, count: 258) + [3, 3],
                             bosID: 258, eosID: 258, preTokenizer: pre, addsBOS: addsBOS)
    }

    @Test func llamaBPELooksWholePiecesUpBeforeMerging() throws {
        let llama = try tinyTokenizer(.llamaBPE), smol = try tinyTokenizer(.smolLM)
        #expect(llama.encode("abc") == [257])                               // the whole piece is a token
        #expect(smol.encode("abc") == [256, Int(UInt8(ascii: "c"))])         // merges alone give ab + c
        #expect(llama.decode(llama.encode("abc abd")) == "abc abd")
        // A control token's text is never taken whole from plain text.
        #expect(llama.encode("zz") == [Int(UInt8(ascii: "z")), Int(UInt8(ascii: "z"))])
    }

    @Test func llama3sEndMarkersEndATurnWhenTheyAreControlTokens() throws {
        let bytes = ByteAlphabet.tables().byteToScalar.map { String($0) }
        let markers = ["<|eot_id|>", "<|eom_id|>", "<|end_of_text|>", "<|begin_of_text|>"]
        let control = try Tokenizer(tokens: bytes + markers, merges: [], tokenTypes: Array(repeating: 1, count: 256) + [3, 3, 3, 3],
                                    bosID: 259, eosID: 256, preTokenizer: .llamaBPE, addsBOS: true)
        #expect(control.endOfTurnIDs == [256, 257, 258])
        // The same texts as ordinary tokens end nothing but the declared eos.
        let ordinary = try Tokenizer(tokens: bytes + markers, merges: [], tokenTypes: Array(repeating: 1, count: 260),
                                     bosID: 259, eosID: 256, preTokenizer: .llamaBPE)
        #expect(ordinary.endOfTurnIDs == [256])
    }

    @Test func aTokenizerThatAddsBOSStartsEveryPromptWithItOnce() throws {
        let bos = try tinyTokenizer(.llamaBPE, addsBOS: true), plain = try tinyTokenizer(.llamaBPE)
        #expect(bos.encode([ChatPiece("abc", markup: false)]) == [258, 257])
        #expect(bos.encode([ChatPiece("<s>", markup: true), ChatPiece("abc", markup: false)]) == [258, 257])
        #expect(plain.encode([ChatPiece("abc", markup: false)]) == [257])
        #expect(bos.encode("abc") == [257])   // plain text encoding adds nothing
    }
}
