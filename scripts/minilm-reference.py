#!/usr/bin/env python3
"""Dev-time reference values for the EmbeddingEngine tests (never run by the tests).

Extends the project's oracle (/work/shared/oracles/minilm_ref.py: numpy BERT encoder, mean pooling,
L2 norm) with BERT's full BasicTokenizer behaviour (text cleaning, CJK padding, Unicode whitespace
and controls), truncation to 512 tokens, and per-layer token states. When the Hugging Face
`tokenizers` package is importable (pip install --no-deps tokenizers), every tokenization is also
checked against its BertWordPieceTokenizer, the tokenizer sentence-transformers runs.

Usage:
  python3 scripts/minilm-reference.py reference [MODEL_DIR] > Tests/EmbeddingEngineTests/MiniLMReference.swift
  python3 scripts/minilm-reference.py fuzz [MODEL_DIR] > Tests/EmbeddingEngineTests/MiniLMTokenizerFuzz.swift
  OPENBLAS_NUM_THREADS=1 python3 scripts/minilm-reference.py bench   (numpy peer for scripts/bench-embed)
MODEL_DIR defaults to $BEDROCK_MODELS/minilm, $BEDROCK_HOME/models/minilm or ~/.bedrock/models/minilm.
"fuzz" writes seeded random strings mixing many scripts, whitespace, controls and combining marks
with their IDs from Hugging Face tokenizers (required for this mode).
"""
import json, math, os, struct, sys, unicodedata
import numpy as np


MODE = sys.argv[1] if len(sys.argv) > 1 else "reference"


def model_dir():
    if len(sys.argv) > 2:
        return sys.argv[2]
    if os.environ.get("BEDROCK_MODELS"):
        return os.environ["BEDROCK_MODELS"] + "/minilm"
    if os.environ.get("BEDROCK_HOME"):
        return os.environ["BEDROCK_HOME"] + "/models/minilm"
    return os.path.expanduser("~/.bedrock/models/minilm")


D = model_dir()


def load_st(p):
    b = open(p, "rb").read()
    n = struct.unpack("<Q", b[:8])[0]
    h = json.loads(b[8:8 + n])
    base = 8 + n
    out = {}
    for k, v in h.items():
        if k == "__metadata__":
            continue
        s, e = v["data_offsets"]
        dt = {"F32": np.float32, "I64": np.int64}[v["dtype"]]
        out[k] = np.frombuffer(b[base + s:base + e], dtype=dt).reshape(v["shape"])
    return out


T = load_st(D + "/model.safetensors")
VOCAB = {w.rstrip("\n"): i for i, w in enumerate(open(D + "/vocab.txt", encoding="utf-8"))}

# --- tokenizer: HF tokenizers' BertNormalizer + BertPreTokenizer + WordPiece, in its order ---


def is_ws(c):
    return c in "\t\n\r" or c.isspace()  # controls are removed before this test, as in Rust


def is_control(c):
    return c not in "\t\n\r" and unicodedata.category(c).startswith("C")


def is_cjk(cp):
    # 0x2B920, not BERT's 0x2B820: Hugging Face tokenizers' BertNormalizer has it so, and that is
    # the tokenizer sentence-transformers runs; U+2B820..U+2B91F stay inside words.
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B920 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def is_punc(c):
    cp = ord(c)
    return (33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126
            or unicodedata.category(c).startswith("P"))


def normalize(text):
    out = []
    for c in text:
        cp = ord(c)
        if cp == 0 or cp == 0xFFFD or is_control(c):
            continue
        if is_ws(c):
            out.append(" ")
        elif is_cjk(cp):
            out += [" ", c, " "]
        else:
            out.append(c)
    s = unicodedata.normalize("NFD", "".join(out))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return "".join(c.lower() for c in s)  # per character, like Rust's char::to_lowercase


def words(text):
    out, cur = [], ""
    for c in normalize(text):
        if c.isspace():
            if cur:
                out.append(cur)
            cur = ""
        elif is_punc(c):
            if cur:
                out.append(cur)
            cur = ""
            out.append(c)
        else:
            cur += c
    if cur:
        out.append(cur)
    return out


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


def encode(text, max_len=512):
    pieces = [VOCAB[p] for w in words(text) for p in wordpiece(w)]
    kept = pieces[:max_len - 2]
    return [VOCAB["[CLS]"]] + kept + [VOCAB["[SEP]"]], len(pieces) - len(kept)


try:
    from tokenizers import BertWordPieceTokenizer
    HF = BertWordPieceTokenizer(D + "/vocab.txt", lowercase=True)
except ImportError:
    HF = None


def checked_encode(text):
    ids, dropped = encode(text)
    if HF is not None:
        hf = HF.encode(text).ids
        full = hf[:-1][:511] + [hf[-1]]  # HF without truncation settings: compare the same window
        if full != ids:
            sys.exit(f"tokenizer mismatch with HF tokenizers for {text!r}:\n ours {ids}\n hf   {full}")
    return ids, dropped

# --- encoder: the oracle's numpy forward pass, with per-layer outputs ---


def ln(x, w, b, eps=1e-12):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + eps) * w + b


ERF = np.vectorize(math.erf)


def layers_of(ids):
    n, P, H, hd = len(ids), "embeddings.", 12, 32
    x = T[P + "word_embeddings.weight"][ids] + T[P + "position_embeddings.weight"][:n] + T[P + "token_type_embeddings.weight"][0]
    x = ln(x, T[P + "LayerNorm.weight"], T[P + "LayerNorm.bias"])
    states = [x]
    for l in range(6):
        p = f"encoder.layer.{l}."
        A = p + "attention."
        q, k, v = [(x @ T[A + f"self.{m}.weight"].T + T[A + f"self.{m}.bias"]).reshape(n, H, hd) for m in ("query", "key", "value")]
        a = np.einsum("qhd,khd->hqk", q, k) / np.sqrt(hd)
        a = np.exp(a - a.max(-1, keepdims=True))
        a /= a.sum(-1, keepdims=True)
        o = np.einsum("hqk,khd->qhd", a, v).reshape(n, 384) @ T[A + "output.dense.weight"].T + T[A + "output.dense.bias"]
        x = ln(x + o, T[A + "output.LayerNorm.weight"], T[A + "output.LayerNorm.bias"])
        f = x @ T[p + "intermediate.dense.weight"].T + T[p + "intermediate.dense.bias"]
        f = 0.5 * f * (1 + ERF(f / np.sqrt(2)))
        h = f @ T[p + "output.dense.weight"].T + T[p + "output.dense.bias"]
        x = ln(x + h, T[p + "output.LayerNorm.weight"], T[p + "output.LayerNorm.bias"])
        states.append(x)
    return states


def sentence_embedding(ids):
    e = layers_of(ids)[-1].mean(0)
    return e / np.linalg.norm(e)

# --- the cases ---


LONG_SENTENCE, LONG_REPEAT = "The quick brown fox jumps over the lazy dog while the band plays on.", 45
LONG = " ".join([LONG_SENTENCE] * LONG_REPEAT)
TOKENIZER_CASES = [
    "A man is eating food.",
    "Crème brûlée à la française, naïve café!",
    "我爱北京天安门。",
    "日本語のテキストと한국어",
    "Hello,world!!(test)[x]{y}<z> @#$%^&*_+=~`|\\/",
    "don't stop\u2014it's \u201cquoted\u201d \u00abguillemets\u00bb \u00bfQu\u00e9? \u00a1S\u00ed!",
    "tab\there\nnewline\r\nand\u00a0nbsp\u2003emspace\u3000ideographic",
    "zero\u200bwidth\u0000null\ufffdreplacement\u0007bell\u000bvtab\u0085nel",
    "\u039f\u0394\u039f\u03a3 \u03a3\u03af\u03c3\u03c5\u03c6\u03bf\u03c2 \u0130stanbul STRASSE stra\u00dfe \u01c5",
    "unaffable antidisestablishmentarianism supercalifragilisticexpialidocious",
    "a" * 101 + " " + "b" * 100 + " end",
    "emoji \U0001F600\U0001F44D\U0001F3FD and math \u2211\u222b \u221a2 \u2248 1.414",
    "",
    "   \t\n ",
    "3.14159 1,000,000 2026-11-29 12:30pm $5.99 50%",
    "\ufb01 ligature \u216b \u2460 \uff21\uff22\uff23 full-width",
    "e\u0301 vs \u00e9 and A\u030a vs \u00c5 vs \u212b",
    "Tokenizers split CJK like \u4e2d\u6587 inside English\u3002",
    "\U00020000\U0002A700 extension ideographs and \uE000 private use",
    "\U0002B820x \U0002B920x: HF's CJK range starts at U+2B920",
    LONG,
]
EMBED_FULL = ["A man is eating food.", "Crème brûlée à la française, naïve café!", "我爱北京天安门。", LONG]
COSINE_SET = ["A man is eating food.", "A man is eating a piece of bread.", "The new movie is awesome.",
              "The cat sits outside.", "A man is playing guitar."]
TOKEN_LAYER_TEXT = "A man is eating food."


def swift_str(s):
    out = []
    for c in s:
        cp = ord(c)
        if c == "\\":
            out.append("\\\\")
        elif c == '"':
            out.append('\\"')
        elif 32 <= cp < 127:
            out.append(c)
        else:
            out.append("\\u{%X}" % cp)
    return '"' + "".join(out) + '"'


def floats(v, per_line=6, indent="        "):
    items = ["%.9g" % float(x) for x in v]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return ("[\n" + ",\n".join(indent + l for l in lines) + ",\n" + indent[:-4] + "]") if v is not None else "[]"


def main():
    print("// Generated by scripts/minilm-reference.py: do not edit. Provenance: numpy forward pass of the")
    print("// project oracle (shared/oracles/minilm_ref.py) on ~/.bedrock/models/minilm; token IDs also")
    print(f"// matched Hugging Face tokenizers' BertWordPieceTokenizer: {'yes' if HF else 'not available'}.")
    print("// Tolerances live in the tests, not here.\n")
    print("enum MiniLMReference {")
    print(f"    static let longText = Array(repeating: {swift_str(LONG_SENTENCE)}, count: {LONG_REPEAT}).joined(separator: \" \")")
    print("    /// (text, token IDs incl. [CLS]/[SEP] within 512, word pieces dropped)")
    print("    static let tokenizerCases: [(text: String, ids: [Int32], dropped: Int)] = [")
    for t in TOKENIZER_CASES:
        ids, dropped = checked_encode(t)
        if t == LONG:
            print(f"        (longText, {ids}, {dropped}),")
        else:
            print(f"        ({swift_str(t)}, {ids}, {dropped}),")
    print("    ]")
    print("    /// Full normalised sentence embeddings.")
    print("    static let embeddings: [(text: String, vector: [Float])] = [")
    for t in EMBED_FULL:
        ids, _ = checked_encode(t)
        name = "longText" if t == LONG else swift_str(t)
        print(f"        ({name}, {floats(sentence_embedding(ids), indent='            ')}),")
    print("    ]")
    E = np.array([sentence_embedding(checked_encode(s)[0]) for s in COSINE_SET])
    print("    static let cosineTexts: [String] = [" + ", ".join(swift_str(s) for s in COSINE_SET) + "]")
    print("    /// cosineMatrix[i][j] = cos(cosineTexts[i], cosineTexts[j])")
    print("    static let cosineMatrix: [[Float]] = [")
    for row in E @ E.T:
        print("        [" + ", ".join("%.6f" % x for x in row) + "],")
    print("    ]")
    states = layers_of(checked_encode(TOKEN_LAYER_TEXT)[0])
    print("    static let tokenLayerText = " + swift_str(TOKEN_LAYER_TEXT))
    print("    /// tokenStates[layer] = every token's first 8 dims at layers 0 (embeddings), 3 and 6.")
    print("    static let tokenStates: [Int: [[Float]]] = [")
    for l in (0, 3, 6):
        rows = ",\n".join("            [" + ", ".join("%.7g" % x for x in r[:8]) + "]" for r in states[l])
        print(f"        {l}: [\n{rows},\n        ],")
    print("    ]")
    print("}")


FUZZ_POOLS = [
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    "\u00e0\u00e1\u00e2\u00e3\u00e4\u00e5\u00e6\u00e7\u00e8\u00e9\u00ea\u00eb\u00f1\u00f6\u00f8\u00fc\u00ff\u00c0\u00c9\u0152\u0153\u0160\u0130\u0131\u0132\u0141\u0150\u0178\u01c5\u01c6",
    "\u0391\u0392\u0393\u0394\u03a3\u03a9\u03b1\u03b2\u03b3\u03c2\u03c3\u03c9\u03ac\u03ad\u0390\u03b0",
    "\u0410\u0411\u0412\u0401\u0416\u042f\u0430\u0431\u0432\u0451\u0436\u044f\u0439",
    "\u4e2d\u6587\u65e5\u672c\u8a9e\u6f22\u5b57\u5317\u4eac\u7684\u4e00\u662f\u4e0d\u4e86",
    "\u3072\u3089\u304c\u306a\u30ab\u30bf\u30ab\u30ca\u30fc\ud55c\uad6d\uc5b4\u3131\u314f",
    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\u00a1\u00bf\u00ab\u00bb\u2018\u2019\u201c\u201d\u2020\u2026\u3001\u3002\u300c\u300d\uff5e\u00b7\u2013\u2014",
    " \t\n\r\u00a0\u1680\u2000\u2003\u2009\u2028\u2029\u202f\u205f\u3000\u0085\u000b\u000c",
    "\u0000\u0001\u0007\u001b\u007f\u0080\u009f\u00ad\u200b\u200c\u200d\u200e\u2060\ufeff\ufffd\ue000\uf8ff",
    "\u0300\u0301\u0302\u0303\u0308\u030a\u0327\u0345\u0483\u064b\u0951\u20d7\u302a",
    "\U0001F600\U0001F44D\U0001F3FD\u200d\u2764\ufe0f\u2713\u2605\u2211\u222b\u221a\u2248\u20ac\u00a9\u2122\ufb01\u216b\u2460\uff21\uff71",
    "\u093e\u093f\u0940\u0941\u0905\u0906\u0915\u0916\u0917\u0628\u062a\u062b\u062c\u0632",
    "\U00020000\U0002A700\U0002B820\U0002B920\U0002F800\uf900",
]


def fuzz_main(count=150, seed=20261129):
    if HF is None:
        sys.exit("fuzz mode needs Hugging Face tokenizers: pip install --no-deps tokenizers")
    import random
    rng = random.Random(seed)
    print("// Generated by scripts/minilm-reference.py fuzz: do not edit. Seeded random strings (seed")
    print(f"// {seed}) over many scripts, whitespace, controls and combining marks, with the token IDs of")
    print("// Hugging Face tokenizers' BertWordPieceTokenizer (lowercase) on the MiniLM vocab.txt.\n")
    print("enum MiniLMTokenizerFuzz {")
    print("    static let cases: [(text: String, ids: [Int32])] = [")
    for _ in range(count):
        chars = []
        for _ in range(rng.randint(0, 40)):
            r = rng.random()
            pool = FUZZ_POOLS[0] if r < 0.35 else (" \t" if r < 0.45 else rng.choice(FUZZ_POOLS))
            chars.append(rng.choice(pool))
        text = "".join(chars)
        ids, _ = checked_encode(text)
        print(f"        ({swift_str(text)}, {ids}),")
    print("    ]")
    print("}")


def bench_main(batch=256, rounds=3):
    """A peer for scripts/bench-embed: numpy (its bundled OpenBLAS) on the same 256 sentences,
    one padded batch with an attention mask, scipy's erf. Threads: OPENBLAS_NUM_THREADS."""
    import time
    from scipy.special import erf
    subjects = ["A man", "The woman", "A child", "The old dog", "Our team", "A small robot", "The chef", "My neighbour"]
    verbs = ["is eating", "plays", "is reading", "watches", "builds", "paints", "is cooking", "repairs"]
    objects = ["food.", "a guitar.", "the newspaper.", "a movie.", "a wooden table.", "the fence.", "pasta.", "an old bicycle."]
    texts = [f"{subjects[i % 8]} {verbs[(i // 8) % 8]} {objects[(i // 64 + i) % 8]}" for i in range(batch)]
    ids = [encode(t)[0] for t in texts]
    B, L = len(ids), max(map(len, ids))
    tok = np.zeros((B, L), dtype=np.int64)
    mask = np.zeros((B, L), dtype=np.float32)
    for b, row in enumerate(ids):
        tok[b, :len(row)] = row
        mask[b, :len(row)] = 1
    P, H, hd = "embeddings.", 12, 32
    W = {k: (v.T.copy() if v.ndim == 2 and "embeddings" not in k else v) for k, v in T.items()}

    def forward():
        x = W[P + "word_embeddings.weight"][tok] + W[P + "position_embeddings.weight"][:L] + W[P + "token_type_embeddings.weight"][0]
        x = ln(x, W[P + "LayerNorm.weight"], W[P + "LayerNorm.bias"]).reshape(B * L, 384)
        bias = ((1 - mask) * -1e9)[:, None, None, :]
        for l in range(6):
            p = f"encoder.layer.{l}."
            A = p + "attention."
            q, k, v = [(x @ W[A + f"self.{m}.weight"] + W[A + f"self.{m}.bias"]).reshape(B, L, H, hd) for m in ("query", "key", "value")]
            a = np.einsum("bqhd,bkhd->bhqk", q, k) / np.float32(np.sqrt(hd)) + bias
            a = np.exp(a - a.max(-1, keepdims=True))
            a /= a.sum(-1, keepdims=True)
            o = np.einsum("bhqk,bkhd->bqhd", a, v).reshape(B * L, 384) @ W[A + "output.dense.weight"] + W[A + "output.dense.bias"]
            x = ln(x + o, W[A + "output.LayerNorm.weight"], W[A + "output.LayerNorm.bias"])
            f = x @ W[p + "intermediate.dense.weight"] + W[p + "intermediate.dense.bias"]
            f = 0.5 * f * (1 + erf(f / np.float32(np.sqrt(2))))
            x = ln(x + f @ W[p + "output.dense.weight"] + W[p + "output.dense.bias"], W[p + "output.LayerNorm.weight"], W[p + "output.LayerNorm.bias"])
        x = x.reshape(B, L, 384)
        e = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        return e / np.linalg.norm(e, axis=1, keepdims=True)

    check = forward()[0]   # warm-up, and a check that the batched pass is the reference one
    assert np.abs(check - sentence_embedding(ids[0])).max() < 1e-4, "batched numpy pass disagrees"
    times, cpu0 = [], time.process_time()
    for _ in range(rounds):
        t0 = time.perf_counter()
        forward()
        times.append(time.perf_counter() - t0)
    per_cpu = B * rounds / (time.process_time() - cpu0)
    rates = sorted(B / t for t in times)
    print(f"numpy peer (OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}): "
          f"{rates[-1]:.0f} sentences/s best; runs: {', '.join(f'{r:.0f}' for r in rates)}; "
          f"{per_cpu:.0f} sentences per CPU-second")


if MODE == "fuzz":
    fuzz_main()
elif MODE == "bench":
    bench_main()
else:
    main()
