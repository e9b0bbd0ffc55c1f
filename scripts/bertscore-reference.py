#!/usr/bin/env python3
# Dev-time tool: end-to-end BERTScore reference values for all-MiniLM-L6-v2, computed with numpy
# alone (torch is not available here) and written as the table of
# Tests/BedrockPlatformTests/BERTScoreAgreementTests.swift. It is not used at run time or by tests.
#
# It reproduces what bert-score 0.3.13 does with model_type pointed at the local MiniLM directory,
# num_layers=L, idf=False, no baseline:
#   * tokenizer: the fast BertTokenizer (clean text, pad CJK, NFD, drop Mn, lowercase, split on
#     whitespace/punctuation, WordPiece), [CLS] … [SEP], truncation=True at model_max_length 512
#     (keeps the first 510 word pieces);
#   * get_model(…, num_layers=L) keeps encoder.layer[:L], so the vectors are hidden_states[L]
#     (layer 0 = the embedding output after its LayerNorm);
#   * greedy_cos_idf: rows L2-normalised, sim = hyp @ ref.T over ALL rows ([CLS]/[SEP] included,
#     so they can be a token's best match), idf weight 0 for [CLS]/[SEP] and 1 otherwise,
#     P = mean over candidate tokens of row max, R = mean over reference tokens of column max,
#     F = 2PR/(P+R), P = R = 0 for an empty candidate or reference, F = 0 where NaN;
#   * several references: P, R and F are each the max over the references (score.py,
#     ref_group_boundaries: all_preds[beg:end].max(dim=0)), not the scores of the best-F reference.
# Each pair is scored alone, i.e. as bert-score does with batch_size=1. In a bigger batch bert-score
# pads to the batch's longest sentence and `sim * masks` puts 0 in padded cells, so a token whose
# best cosine is negative would score 0 there instead: batch-dependent, not reproduced (Metrics
# scores the unpadded pair). The script reports (stderr) every case with such a negative max.
#
# The encoder is the numpy forward pass of ../shared/oracles/minilm_ref.py (copied, extended to
# return every hidden state and to truncate like the Hugging Face tokenizer).
# Usage: scripts/bertscore-reference.py [MODEL_DIR] > Tests/BedrockPlatformTests/BERTScoreAgreementTests.swift
import datetime
import json
import math
import os
import struct
import sys
import unicodedata

import numpy as np

import swift_literal  # beside this script

MODEL_DIR = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.environ.get("BEDROCK_MODELS") or os.path.join(os.environ.get("BEDROCK_HOME") or os.path.expanduser("~/.bedrock"), "models"),
    "minilm")
MAX_LEN = 512  # tokenizer_config.json model_max_length


def load_safetensors(path):
    b = open(path, "rb").read()
    n = struct.unpack("<Q", b[:8])[0]
    header = json.loads(b[8:8 + n])
    base = 8 + n
    tensors = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        s, e = v["data_offsets"]
        dt = {"F32": np.float32, "I64": np.int64}[v["dtype"]]
        tensors[k] = np.frombuffer(b[base + s:base + e], dtype=dt).reshape(v["shape"])
    return tensors


T = load_safetensors(os.path.join(MODEL_DIR, "model.safetensors"))
VOCAB = {w.rstrip("\n"): i for i, w in enumerate(open(os.path.join(MODEL_DIR, "vocab.txt"), encoding="utf-8"))}


def is_cjk(cp):
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF or 0x2A700 <= cp <= 0x2B73F
            or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def is_punct(c):
    cp = ord(c)
    return 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126 or unicodedata.category(c).startswith("P")


def normalize(text):
    # The Rust BertNormalizer's order: clean, CJK padding, strip accents (NFD, drop Mn), lowercase.
    out = []
    for c in text:
        cp = ord(c)
        if cp == 0 or cp == 0xFFFD or (unicodedata.category(c).startswith("C") and c not in "\t\n\r"):
            continue
        if c.isspace():
            out.append(" ")
        elif is_cjk(cp):
            out.append(" " + c + " ")
        else:
            out.append(c)
    text = unicodedata.normalize("NFD", "".join(out))
    return "".join(c for c in text if unicodedata.category(c) != "Mn").lower()


def basic_split(text):
    words, cur = [], ""
    for c in normalize(text):
        if c.isspace():
            if cur:
                words.append(cur)
            cur = ""
        elif is_punct(c):
            if cur:
                words.append(cur)
            cur = ""
            words.append(c)
        else:
            cur += c
    if cur:
        words.append(cur)
    return words


def wordpiece(w):
    if len(w) > 100:
        return ["[UNK]"]
    out, s = [], 0
    while s < len(w):
        e, found = len(w), None
        while s < e:
            sub = ("##" if s > 0 else "") + w[s:e]
            if sub in VOCAB:
                found = sub
                break
            e -= 1
        if found is None:
            return ["[UNK]"]
        out.append(found)
        s = e
    return out


def encode(text):
    pieces = [VOCAB[p] for w in basic_split(text) for p in wordpiece(w)][:MAX_LEN - 2]
    return [VOCAB["[CLS]"]] + pieces + [VOCAB["[SEP]"]]


def layer_norm(x, w, b, eps=1e-12):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + eps) * w + b


_erf = np.vectorize(math.erf, otypes=[np.float64])


def gelu(x):
    return (0.5 * x * (1 + _erf(x / np.sqrt(2)))).astype(np.float32)


def hidden_states(ids):
    """hidden_states[0…6] of one unpadded sequence, each (len(ids), 384)."""
    n, P, H, hd = len(ids), "embeddings.", 12, 32
    x = T[P + "word_embeddings.weight"][ids] + T[P + "position_embeddings.weight"][:n] + T[P + "token_type_embeddings.weight"][0]
    x = layer_norm(x, T[P + "LayerNorm.weight"], T[P + "LayerNorm.bias"])
    states = [x]
    for l in range(6):
        p = f"encoder.layer.{l}."
        A = p + "attention."
        q = x @ T[A + "self.query.weight"].T + T[A + "self.query.bias"]
        k = x @ T[A + "self.key.weight"].T + T[A + "self.key.bias"]
        v = x @ T[A + "self.value.weight"].T + T[A + "self.value.bias"]
        q, k, v = [t.reshape(n, H, hd) for t in (q, k, v)]
        a = np.einsum("qhd,khd->hqk", q, k) / np.sqrt(hd)
        a = np.exp(a - a.max(-1, keepdims=True))
        a /= a.sum(-1, keepdims=True)
        o = np.einsum("hqk,khd->qhd", a, v).reshape(n, 384) @ T[A + "output.dense.weight"].T + T[A + "output.dense.bias"]
        x = layer_norm(x + o, T[A + "output.LayerNorm.weight"], T[A + "output.LayerNorm.bias"])
        h = gelu(x @ T[p + "intermediate.dense.weight"].T + T[p + "intermediate.dense.bias"]) @ T[p + "output.dense.weight"].T + T[p + "output.dense.bias"]
        x = layer_norm(x + h, T[p + "output.LayerNorm.weight"], T[p + "output.LayerNorm.bias"])
        states.append(x)
    return states


_cache = {}
NEGATIVE_MAX = []  # best-match cosines <= 0 seen while scoring the current case


def token_matrix(text, layer):
    if text not in _cache:
        _cache[text] = hidden_states(encode(text))
    return np.asarray(_cache[text][layer], dtype=np.float64)


def greedy_cos(cand, ref):
    """bert-score's greedy_cos_idf for one pair with idf=False; rows include [CLS]/[SEP]."""
    if len(cand) == 2 or len(ref) == 2:  # only [CLS] [SEP]: bert-score sets P = R = 0, F = 0
        return 0.0, 0.0, 0.0
    c = cand / np.linalg.norm(cand, axis=1, keepdims=True)
    r = ref / np.linalg.norm(ref, axis=1, keepdims=True)
    sim = c @ r.T
    best_c, best_r = sim.max(axis=1)[1:-1], sim.max(axis=0)[1:-1]  # weight 0 on [CLS]/[SEP]
    if min(best_c.min(), best_r.min()) <= 0:
        NEGATIVE_MAX.append(round(float(min(best_c.min(), best_r.min())), 4))
    p, r_ = best_c.mean(), best_r.mean()
    return p, r_, 2 * p * r_ / (p + r_)


def bertscore(candidate, references, layer):
    scores = [greedy_cos(token_matrix(candidate, layer), token_matrix(ref, layer)) for ref in references]
    return tuple(max(s[i] for s in scores) for i in range(3))


LONG_A = " ".join(
    f"In year {1900 + i} the committee met in the old hall, reviewed report number {i}, and argued about budgets, roads and schools."
    for i in range(40))
LONG_B = " ".join(
    f"During {1900 + i} a council gathered at the former hall to study document {i} and debate spending, streets and education."
    for i in range(40))

# (name, candidate, references, layer)
PAIRS = [
    ("paraphrase", "The cat sat on the mat.", ["A cat was sitting on the mat."], 6),
    ("paraphrase layer 4", "The cat sat on the mat.", ["A cat was sitting on the mat."], 4),
    ("identical", "A man is eating food.", ["A man is eating food."], 6),
    ("identical layer 4", "A man is eating food.", ["A man is eating food."], 4),
    ("unrelated", "The stock market fell sharply on Monday.", ["My grandmother grows tomatoes in her garden."], 6),
    ("unrelated layer 4", "The stock market fell sharply on Monday.", ["My grandmother grows tomatoes in her garden."], 4),
    ("one word each", "hello", ["hi"], 6),
    ("one word same", "hello", ["hello"], 6),
    ("one word vs sentence", "yes", ["Yes, I will be there tomorrow morning."], 6),
    ("punctuation only", "?!", ["..."], 6),
    ("punctuation heavy", "Wait... what?! No -- really?", ["Wait, what? No, really!"], 6),
    ("accents", "Le café était très agréable à Noël.", ["The cafe was very pleasant at Christmas."], 6),
    ("accents stripped", "naïve résumé façade", ["naive resume facade"], 6),
    ("numbers", "The invoice total is $1,234.56 due 2024-03-15.", ["Pay 1234.56 dollars by March 15, 2024."], 6),
    ("numbers layer 4", "The invoice total is $1,234.56 due 2024-03-15.", ["Pay 1234.56 dollars by March 15, 2024."], 4),
    ("word pieces", "Unbelievably, the antidisestablishmentarianism debate continued.", ["The debate about disestablishment went on."], 6),
    ("case insensitive", "THE QUICK BROWN FOX", ["the quick brown fox"], 6),
    ("word order", "dog bites man", ["man bites dog"], 6),
    ("negation", "The service was not good at all.", ["The service was good."], 6),
    ("negation layer 4", "The service was not good at all.", ["The service was good."], 4),
    ("summary", "Heavy rain caused flooding across the region, closing schools.",
     ["Schools in the region were closed after heavy rainfall led to widespread floods."], 6),
    ("question answer", "Paris", ["The capital of France is Paris."], 6),
    ("repeated words", "very very very very good", ["very good"], 6),
    ("subset", "The weather is nice", ["The weather is nice today in the park near the river."], 6),
    ("superset", "The weather is nice today in the park near the river.", ["The weather is nice"], 6),
    ("translation style", "He has lived here for ten years.", ["He lives here since ten years."], 6),
    ("code", "def add(a, b): return a + b", ["function add(a, b) { return a + b; }"], 6),
    ("url and email", "Contact support@example.com or visit https://example.com/help.",
     ["Email support at example dot com for help."], 6),
    ("whitespace", "  spaced   out\ttext\n here ", ["spaced out text here"], 6),
    ("cjk", "我爱北京", ["I love Beijing"], 6),
    ("emoji unknown", "great job 🎉", ["great job"], 6),
    ("hyphens apostrophes", "It's a well-known, state-of-the-art model.", ["It is a famous, modern model."], 6),
    ("long sentence", "After months of negotiation, the two companies finally agreed to merge, creating the largest "
                      "logistics provider in the country, although regulators still have to approve the deal.",
     ["The two firms agreed to a merger after long talks, forming the nation's biggest logistics company, "
      "pending regulatory approval."], 6),
    ("multi ref", "A man is playing a guitar on stage.",
     ["Someone plays guitar at a concert.", "A musician performs with his guitar.", "The kitchen is being cleaned."], 6),
    ("multi ref layer 4", "A man is playing a guitar on stage.",
     ["Someone plays guitar at a concert.", "A musician performs with his guitar.", "The kitchen is being cleaned."], 4),
    ("multi ref identical", "The train was late again.", ["Trains are never on time.", "The train was late again."], 6),
    # P's best reference is not R's: bert-score's per-metric max, not the best-F reference's scores.
    ("multi ref mixed maxima", "The weather is nice", ["The weather is nice today in the park near the river.", "weather"], 6),
    ("empty candidate", "", ["Something was said."], 6),
    ("empty reference", "Something was said.", [""], 6),
    ("layer 0", "The cat sat on the mat.", ["A cat was sitting on the mat."], 0),
    ("truncated long texts", LONG_A, [LONG_B], 6),
    ("long vs short", LONG_A, ["The committee met every year to discuss budgets."], 6),
]


def swift_string(s):
    return swift_literal.swift_string(s, ascii_only=True)


def swift_text(s):
    # The long texts are written as their generator expression to keep the table readable.
    if s == LONG_A:
        return "longA"
    if s == LONG_B:
        return "longB"
    return swift_string(s)


def main():
    rows = []
    for name, cand, refs, layer in PAIRS:
        NEGATIVE_MAX.clear()
        p, r, f = bertscore(cand, refs, layer)
        if NEGATIVE_MAX:
            print(f"note: {name}: best-match cosine <= 0 ({min(NEGATIVE_MAX)}); a padded bert-score batch would differ", file=sys.stderr)
        tokens = [len(encode(t)) for t in [cand] + refs]
        rows.append((name, cand, refs, layer, p, r, f))
        print(f"{name:24s} L{layer} tokens={tokens} P={p:.6f} R={r:.6f} F={f:.6f}", file=sys.stderr)
    today = datetime.date.today().isoformat()
    print(HEADER.format(numpy=np.__version__, date=today, n=len(rows)))
    for name, cand, refs, layer, p, r, f in rows:
        refs_s = ", ".join(swift_text(x) for x in refs)
        print(f"    .init({swift_string(name)}, {swift_text(cand)}, [{refs_s}], layer: {layer}, "
              f"p: {p:.6f}, r: {r:.6f}, f: {f:.6f}),")
    print(FOOTER)


HEADER = """// End-to-end BERTScore agreement: Platform.bertScore (EmbeddingEngine's MiniLM token vectors →
// Metrics.BERTScore) against bert-score 0.3.13's algorithm (idf off, no baseline) recomputed in
// numpy. Not a test of idf or baseline rescaling (the Metrics tests cover those).
// Provenance: generated by scripts/bertscore-reference.py (numpy {numpy}, {date}) from the local
// all-MiniLM-L6-v2; {n} cases; tolerance 1e-3 on P, R and F1. Regenerate rather than edit.
import Testing
@testable import BedrockPlatform

/// The 40 sentences the two long cases repeat (over 512 tokens, so both sides truncate to 510).
private let longA = (0..<40).map {{
    "In year \\(1900 + $0) the committee met in the old hall, reviewed report number \\($0), and argued about budgets, roads and schools."
}}.joined(separator: " ")
private let longB = (0..<40).map {{
    "During \\(1900 + $0) a council gathered at the former hall to study document \\($0) and debate spending, streets and education."
}}.joined(separator: " ")

struct BERTScoreCase: Sendable, CustomTestStringConvertible {{
    let name: String
    let candidate: String
    let references: [String]
    let layer: Int
    let p: Double, r: Double, f: Double
    init(_ name: String, _ candidate: String, _ references: [String], layer: Int, p: Double, r: Double, f: Double) {{
        (self.name, self.candidate, self.references, self.layer, self.p, self.r, self.f) = (name, candidate, references, layer, p, r, f)
    }}
    var testDescription: String {{ "\\(name) (layer \\(layer))" }}
}}

private let tolerance = 1e-3
private let platform = Result {{ try Platform.ephemeral() }}

@Test(arguments: bertScoreReference)
func bertScoreAgreesWithTheReference(_ c: BERTScoreCase) throws {{
    let s = try platform.get().bertScore(candidate: c.candidate, references: c.references, layer: c.layer).scores
    #expect(abs(s.precision - c.p) <= tolerance, "P \\(s.precision) vs \\(c.p)")
    #expect(abs(s.recall - c.r) <= tolerance, "R \\(s.recall) vs \\(c.r)")
    #expect(abs(s.f - c.f) <= tolerance, "F1 \\(s.f) vs \\(c.f)")
}}

/// Reference P, R, F1 (bert-score 0.3.13 semantics: [CLS]/[SEP] matched but weighted 0, max per
/// metric over several references, 0 for an empty side).
let bertScoreReference: [BERTScoreCase] = ["""

FOOTER = "]"

if __name__ == "__main__":
    main()
