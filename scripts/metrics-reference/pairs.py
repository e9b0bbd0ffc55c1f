"""Deterministic text pairs for the metrics reference tables and the benchmark.

Hand-written edge cases (empty, one word, punctuation only, Unicode, numbers, repeated n-grams,
long texts, newline-separated summaries) followed by seeded random pairs built from a small
vocabulary by edits (drop, swap, substitute, insert), so candidates overlap their references
by varying amounts. Same seed, same pairs, on every machine.
"""
import random

EDGE = [
    ("", ""),
    ("", "the cat sat on the mat"),
    ("the cat sat on the mat", ""),
    ("cat", "cat"),
    ("cat", "dog"),
    ("...", "!!!"),
    ("?!", "hello world ."),
    ("Hello, world!", "hello world"),
    ("The cat sat on the mat.", "The cat sat on the mat."),
    ("The cat sat on the mat.", "A cat was sitting on a mat."),
    ("the the the the the", "the cat the cat"),
    ("a b a b a b a b", "a b a b"),
    ("Café crème brûlée à la carte", "cafe creme brulee a la carte"),
    ("naïve résumé über straße", "naive resume uber strasse"),
    ("İstanbul is big", "istanbul is big"),
    ("a 10K race (KELVIN \u212a)", "a 10k race"),
    ("東京は日本の首都です。", "東京は日本の首都である。"),
    ("北京 是 中国 的 首都", "北京 是 中国 首都"),
    ("Привет, как дела?", "Привет как дела"),
    ("ΟΔΥΣΣΕΥΣ ΚΑΙ Σ", "οδυσσευς και σ"),
    ("The price rose 3.5% to $1,234.56 on 2024-01-05.", "Prices rose 3.5 % to $1234.56 on 5 Jan 2024."),
    ("1 2 3 4 5 6 7 8 9 10", "1 2 3 4 5 6 7 8 9 10 11"),
    ("pi is 3.14159, e is 2.71828", "pi is 3.14, e is 2.72"),
    ("well-known state-of-the-art results", "well known state of the art results"),
    ("He said \"hello\" & left <quickly>.", "He said &quot;hello&quot; &amp; left &lt;quickly&gt;."),
    ("don't can't won't it's", "do not cannot will not it is"),
    ("tab\tseparated\twords here", "tab separated words  here"),
    ("trailing spaces   ", "   leading spaces"),
    ("emoji 😀 test 🚀 go", "emoji test go"),
    ("running runners ran runs easily fairly", "run runner ran run easy fair"),
    ("generously generalization organizational", "generous general organization"),
    ("The quick brown fox jumps over the lazy dog.\nIt was very quick.",
     "A quick brown fox jumped over a lazy dog.\nThe fox was quick."),
    ("First sentence here.\nSecond sentence there.\nThird one.",
     "Second sentence there.\nFirst sentence here."),
    ("one line only", "line one\nline two\nline three"),
    ("\n\nblank lines\n\naround\n", "blank lines\naround"),
    ("windows\r\nline endings\r\n", "windows\nline endings"),
    ("police killed the gunman", "the gunman police killed"),
    ("police kill the gunman", "police killed the gunman"),
    ("a a a a a a a a a a", "a"),
    ("to be or not to be that is the question", "to be or not to be"),
    ("<skipped> text with skip", "text with skip"),
    ("hyphen-\nated word", "hyphenated word"),
    ("1-2-3 go", "1 - 2 - 3 go"),
    ("U.S.A. and U.K. agreed.", "USA and UK agreed."),
    ("{braces} [brackets] `ticks` ~tilde~ ^caret^ |pipe|", "braces brackets ticks tilde caret pipe"),
    ("An apple a day keeps the doctor away", "the apple keeps a doctor away"),
]

WORDS = ("the a an of to in on for with by from at as is was were be been are it this that these "
         "cat dog house tree river city country government market report study model data system "
         "result method language translation summary question answer people time year day way "
         "run runs running ran walk walked walking quick quickly slow slowly good better best new "
         "old large small early late first last many few more most other same different important "
         "said says say make made makes take took taken know known knew see saw seen use used using "
         "1 2 3 10 100 2024 3.5 42 , . ! ? ; : ' \" ( ) - $ % & "
         "économie naïve café Zürich 東京 北京 Москва").split()


def _edit(rng, words):
    out = list(words)
    for _ in range(rng.randint(0, max(1, len(out) // 3))):
        op = rng.random()
        if op < 0.3 and out:
            del out[rng.randrange(len(out))]
        elif op < 0.55 and len(out) > 1:
            i = rng.randrange(len(out) - 1)
            out[i], out[i + 1] = out[i + 1], out[i]
        elif op < 0.8 and out:
            out[rng.randrange(len(out))] = rng.choice(WORDS)
        else:
            out.insert(rng.randrange(len(out) + 1), rng.choice(WORDS))
    return out


def _sentence(rng, lo, hi):
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    if words and rng.random() < 0.5:
        words[0] = words[0].capitalize()
    return " ".join(words) + (rng.choice([" .", ".", "!", "?", ""]))


def random_pairs(count, seed=5, lo=3, hi=30):
    """(candidate, [references]) pairs; some with 2-3 references, some multi-line."""
    rng = random.Random(seed)
    out = []
    for k in range(count):
        kind = rng.random()
        if kind < 0.15:   # newline-separated summaries
            ref_sents = [_sentence(rng, lo, hi // 2) for _ in range(rng.randint(2, 4))]
            cand_sents = [" ".join(_edit(rng, s.split())) for s in ref_sents]
            rng.shuffle(cand_sents)
            out.append(("\n".join(cand_sents), ["\n".join(ref_sents)]))
            continue
        ref = _sentence(rng, lo, hi)
        cand = " ".join(_edit(rng, ref.split()))
        refs = [ref]
        if kind > 0.8:
            refs += [" ".join(_edit(rng, ref.split())) for _ in range(rng.randint(1, 2))]
        out.append((cand, refs))
    return out


def long_pairs(count, seed=7):
    return random_pairs(count, seed=seed, lo=80, hi=200)


def all_pairs():
    """The table pairs: edge cases (single and with extra references) then random ones."""
    pairs = [(c, [r]) for c, r in EDGE]
    pairs += [(c, [r, c[::-1], "the"]) for c, r in EDGE[::5]]
    pairs += random_pairs(200)
    pairs += long_pairs(12)
    return pairs
