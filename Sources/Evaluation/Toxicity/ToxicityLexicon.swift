// The toxicity detector's word lists, curated by hand for bedrock. Small on purpose: every entry
// is readable and every score can be traced to one. The identity slurs are stored in ROT13 so the
// source does not display them in passing; decode with `tr 'a-zA-Z' 'n-za-mN-ZA-M'`.

/// What kind of harm a match indicates.
public enum ToxicityCategory: String, Sendable, CaseIterable, Codable {
    case identityAttack = "identity-attack"
    case threat
    case selfHarm = "self-harm"
    case insult
    case profanity
}

enum ToxicityLexicon {
    /// Slurs against a group: always toxic on their own.
    static let slurWeight = 0.85
    static let slursROT13 = """
    avttre avttn avttref snttbg snttbgf snt sntf xvxr xvxrf fcvp fcvpf puvax puvaxf jrgonpx jrgonpxf \
    genaal genaavrf enturnq enturnqf gbjryurnq gbjryurnqf tbbx tbbxf qlxr qlxrf
    """
    static let slurs: Set<String> = Set(slursROT13.split(separator: " ").map { rot13(String($0)) })

    /// Insults that are insults wherever they appear.
    static let insultWeight = 0.5
    static let insults: Set<String> = [
        "idiot", "idiots", "moron", "morons", "imbecile", "imbeciles", "asshole", "assholes", "bastard", "bastards",
        "bitch", "bitches", "dickhead", "dickheads", "jackass", "dumbass", "scumbag", "scumbags", "douchebag",
        "retard", "retards", "cretin", "prick", "twat", "wanker", "halfwit", "dimwit", "nitwit",
    ]

    /// Words that insult only when aimed at someone ("you are pathetic", not "a pathetic turnout").
    static let targetedInsults: Set<String> = [
        "stupid", "dumb", "ugly", "worthless", "pathetic", "useless", "disgusting", "loser", "losers", "trash",
        "garbage", "pig", "pigs", "clown", "failure", "freak", "creep", "vermin", "scum", "filth", "parasite",
        "parasites", "subhuman", "animals", "cockroaches",
    ]

    /// Swearing: rude, not in itself an attack.
    static let profanity: [String: Double] = [
        "fuck": 0.45, "fucking": 0.45, "fucked": 0.45, "fucker": 0.6, "motherfucker": 0.7, "cunt": 0.6,
        "shit": 0.3, "shitty": 0.3, "bullshit": 0.3, "crap": 0.2, "piss": 0.25, "pissed": 0.2, "damn": 0.15,
        "goddamn": 0.2, "dick": 0.35, "cock": 0.35, "wtf": 0.3, "stfu": 0.45,
    ]

    /// Violent verbs for the threat rule.
    static let violentVerbs: Set<String> = [
        "kill", "murder", "hurt", "shoot", "stab", "strangle", "choke", "beat", "punch", "slap", "burn", "bury",
        "rape", "smash", "break",
    ]
    static let firstPerson: Set<String> = ["i", "we", "i'll", "we'll", "ill", "imma", "i'm", "im", "i'd", "we're", "gonna"]
    static let secondPerson: Set<String> = ["you", "u", "ya", "your", "ur", "you're", "youre", "yourself", "yourselves", "y'all"]
    /// Objects a threat is aimed at (second person, or a third person pointed at).
    static let threatTargets: Set<String> = secondPerson.union(["him", "her", "them", "everyone", "everybody"])
    /// Wishing harm: "you should die", "hope you suffer".
    static let harmWishes: Set<String> = ["die", "suffer", "rot", "burn"]
    static let wishWords: Set<String> = ["should", "deserve", "hope", "wish", "go", "better", "must", "ought", "need"]
    /// Urging self-harm, matched as adjacent token pairs, plus the one-token abbreviation.
    static let selfHarmPhrases: [(String, String)] = [("kill", "yourself"), ("hang", "yourself"), ("neck", "yourself"), ("kill", "urself")]
    static let selfHarmTokens: Set<String> = ["kys"]

    static func rot13(_ text: String) -> String {
        String(text.unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "a"..."z": Character(Unicode.Scalar((scalar.value - 97 + 13) % 26 + 97)!)
            case "A"..."Z": Character(Unicode.Scalar((scalar.value - 65 + 13) % 26 + 65)!)
            default: Character(scalar)
            }
        })
    }
}
