// The frozen word list the builders use to leave crude or offensive records out of the built-in
// sets (tweets and fortunes hold some). Frozen on purpose: it decides which items are chosen, so
// editing it changes the sets' checksums. The toxicity detector (Toxicity/) is separate and free
// to improve without touching the data sets.

enum SelectionFilter {
    /// Lower-case words; a record containing any of them as a whole word is skipped.
    static let blockedWords: Set<String> = [
        "ass", "asshole", "bastard", "bitch", "bitches", "bloody", "boob", "boobs", "breast", "breasts",
        "crap", "cunt", "damn", "damned", "dick", "drunk", "fuck", "fucked", "fucking", "god",
        "goddamn", "hell", "homo", "kill", "killed", "killing", "murder", "murdered", "murders", "naked", "nazi",
        "penis", "piss", "porn", "rape", "retard", "retarded", "screw", "sex", "sexual", "sexy", "shit",
        "slut", "suck", "sucks", "whore", "wtf", "lmao", "jesus", "christ", "religion", "bible", "church",
        "hitler", "suicide", "drugs", "stupid", "idiot", "dumb", "hate", "ugly", "fat",
    ]

    /// Also skips the identity slurs of the toxicity lexicon, which never change.
    static func isClean(_ text: String) -> Bool {
        !words(text).contains { blockedWords.contains($0) || ToxicityLexicon.slurs.contains($0) }
    }

    /// Lower-cased runs of letters (apostrophes split words, so "don't" gives "don", "t").
    static func words(_ text: String) -> [String] {
        text.lowercased().split { !$0.isLetter }.map(String.init)
    }

    /// Printable ASCII and spaces only: leaves out overstruck text, tabs-as-layout and mojibake.
    static func isPlainASCII(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) }
    }
}
