"""Regenerates the Metrics test tables from the reference Python libraries.

Writes Tests/MetricsTests/Reference/*.json, each with a provenance block (library versions,
date, command). Run through scripts/metrics-reference/run, which makes the private venv.
The Swift tests read these files; they never run Python.
"""
import datetime
import importlib.metadata as md
import json
import os
import platform
import re
import string
import sys
from collections import Counter

import numpy as np
import jiwer
import sacrebleu
from nltk.stem import porter
from rouge_score import rouge_scorer
from sacrebleu.metrics import BLEU, CHRF
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

import pairs as pairsmod

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "Tests", "MetricsTests", "Reference")


def provenance(what, tolerance):
    return {
        "what": what,
        "tolerance": tolerance,
        "generated": datetime.date.today().isoformat(),
        "command": "scripts/metrics-reference/run",
        "python": platform.python_version(),
        "libraries": {name: md.version(name) for name in
                      ["rouge-score", "sacrebleu", "nltk", "jiwer", "numpy"]},
    }


def write(name, prov, cases, **extra):
    os.makedirs(OUT, exist_ok=True)
    doc = {"provenance": prov, **extra, "cases": cases}
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"{name}: {len(cases)} cases")


def rouge_table(pairs):
    types = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
    cases = []
    for stem in (False, True):
        scorer = rouge_scorer.RougeScorer(types, use_stemmer=stem)
        for cand, refs in pairs:
            s = scorer.score_multi(refs, cand)
            cases.append({"candidate": cand, "references": refs, "stem": stem,
                          "scores": {t: [s[t].precision, s[t].recall, s[t].fmeasure] for t in types}})
    write("rouge.json", provenance("rouge_score.RougeScorer(['rouge1','rouge2','rougeL','rougeLsum'], "
                                   "use_stemmer=stem).score_multi(references, candidate); [P, R, F]", 1e-6), cases)


BLEU_VARIANTS = [
    {},
    {"tokenize": "none"},
    {"smooth_method": "floor"},
    {"smooth_method": "add-k"},
    {"smooth_method": "none"},
    {"lowercase": True},
    {"effective_order": False},
    {"smooth_method": "floor", "smooth_value": 0.01, "tokenize": "none"},
]


def bleu_entry(score, bleu):
    return {"score": score.score, "precisions": score.precisions, "bp": score.bp,
            "sys_len": score.sys_len, "ref_len": score.ref_len,
            "counts": [float(c) for c in score.counts], "totals": [float(t) for t in score.totals],
            "signature": str(bleu.get_signature())}


def bleu_table(pairs):
    cases = []
    for i, (cand, refs) in enumerate(pairs):
        variants = [BLEU_VARIANTS[0], BLEU_VARIANTS[1 + i % (len(BLEU_VARIANTS) - 1)]]
        for v in variants:
            kw = {"effective_order": True, **v}
            bleu = BLEU(**kw)
            s = bleu.sentence_score(cand, refs)
            cases.append({"kind": "sentence", "hypotheses": [cand], "references": [refs], "options": kw,
                          **bleu_entry(s, bleu)})
    # Corpus BLEU: single-reference and variable-reference corpora.
    singles = [(c, r) for c, r in pairs if len(r) == 1]
    for kw, subset in [({}, singles), ({"tokenize": "none"}, singles[:50]), ({}, pairs),
                       ({"smooth_method": "floor"}, pairs[40:120])]:
        hyps = [c for c, _ in subset]
        nmax = max(len(r) for _, r in subset)
        streams = [[r[k] if k < len(r) else None for _, r in subset] for k in range(nmax)]
        bleu = BLEU(**kw)
        s = bleu.corpus_score(hyps, streams)
        cases.append({"kind": "corpus", "hypotheses": hyps, "references": [r for _, r in subset],
                      "options": kw, **bleu_entry(s, bleu)})
    tok = Tokenizer13a()
    texts = sorted({t for c, refs in pairs for t in [c] + refs})
    tokens = [[t, tok(t.rstrip())] for t in texts]
    write("bleu.json", provenance("sacrebleu.metrics.BLEU(**options).sentence_score / corpus_score; "
                                  "tokens13a = Tokenizer13a()(text.rstrip())", 1e-6), cases, tokens13a=tokens)


def chrf_table(pairs):
    cases = []
    for kw in ({}, {"word_order": 2}):
        for cand, refs in pairs:
            m = CHRF(**kw)
            s = m.sentence_score(cand, refs)
            cases.append({"kind": "sentence", "hypotheses": [cand], "references": [refs], "options": kw,
                          "score": s.score, "signature": str(m.get_signature())})
        singles = [(c, r) for c, r in pairs if len(r) == 1]
        m = CHRF(**kw)
        s = m.corpus_score([c for c, _ in singles], [[r[0] for _, r in singles]])
        cases.append({"kind": "corpus", "hypotheses": [c for c, _ in singles], "references": [r for _, r in singles],
                      "options": kw, "score": s.score, "signature": str(m.get_signature())})
    write("chrf.json", provenance("sacrebleu.metrics.CHRF(**options).sentence_score / corpus_score", 1e-6), cases)


def porter_table():
    """Every distinct [a-z]+ word (length > 3) in the reference libraries' own sources and docs,
    plus suffix-built forms, stemmed by nltk's default PorterStemmer (NLTK_EXTENSIONS)."""
    words = set()
    site = os.path.dirname(os.path.dirname(porter.__file__))
    for root, _, files in os.walk(os.path.dirname(site)):
        for f in files:
            if f.endswith((".py", ".txt", ".md", ".rst")):
                try:
                    with open(os.path.join(root, f), encoding="utf-8", errors="ignore") as fh:
                        words.update(w for w in re.findall(r"[a-z]+", fh.read().lower()) if len(w) > 3)
                except OSError:
                    pass
    words = set(sorted(words)[::4])
    bases = sorted(words)[::11][:800]
    suffixes = ["s", "es", "ies", "ed", "ied", "ing", "ly", "ness", "ful", "ation", "ational", "izer",
                "alli", "bli", "logi", "ement", "ism", "ity", "iveness", "ousli", "y", "e", "ll"]
    words.update(b + s for b in bases for s in suffixes)
    words.update(["skies", "dying", "lying", "tying", "news", "innings", "outings", "cannings", "howe",
                  "proceed", "exceed", "succeed", "yyyy", "syzygy", "ayyy", "feed", "agreed", "ties",
                  "generously", "hopefulness", "conditional", "sensibiliti", "controll", "roll"])
    words = sorted(words)
    stemmer = porter.PorterStemmer()
    cases = [[w, stemmer.stem(w)] for w in words]
    write("porter.json", provenance("nltk.stem.porter.PorterStemmer().stem(word) (mode NLTK_EXTENSIONS)", 0), cases)


def wer_table(pairs):
    cases = []
    for cand, refs in pairs:
        out = jiwer.process_words(refs[0], cand)
        cases.append({"kind": "single", "hypotheses": [cand], "references": [refs[0]], "wer": float(out.wer),
                      "errors": out.substitutions + out.deletions + out.insertions})
    hyps = [c for c, _ in pairs]
    refs = [r[0] for _, r in pairs]
    out = jiwer.process_words(refs, hyps)
    cases.append({"kind": "corpus", "hypotheses": hyps, "references": refs, "wer": float(out.wer),
                  "errors": out.substitutions + out.deletions + out.insertions})
    write("wer.json", provenance("jiwer.process_words(reference, hypothesis) (default transform): wer, S+D+I", 0), cases)


# The official SQuAD v1.1 evaluation functions (evaluate-v1.1.py), reproduced verbatim.
def squad_normalize(s):
    def remove_articles(text):
        return re.sub(r'\b(a|an|the)\b', ' ', text)

    def white_space_fix(text):
        return ' '.join(text.split())

    def remove_punc(text):
        exclude = set(string.punctuation)
        return ''.join(ch for ch in text if ch not in exclude)

    return white_space_fix(remove_articles(remove_punc(s.lower())))


def squad_f1(prediction, ground_truth):
    p = squad_normalize(prediction).split()
    g = squad_normalize(ground_truth).split()
    common = Counter(p) & Counter(g)
    num_same = sum(common.values())
    if num_same == 0:
        return 0
    precision = 1.0 * num_same / len(p)
    recall = 1.0 * num_same / len(g)
    return (2 * precision * recall) / (precision + recall)


def qa_table(pairs):
    extra = [("The Eiffel Tower", ["Eiffel Tower", "the eiffel tower in Paris"]),
             ("an apple", ["apple"]), ("Theatre", ["the atre"]), ("a", ["the"]),
             ("Paris, France.", ["paris france"]), ("1,000", ["1000"]), ("the_end", ["the end"])]
    cases = []
    for pred, answers in [(c, r) for c, r in pairs] + extra:
        cases.append({"prediction": pred, "answers": answers, "normalized": squad_normalize(pred),
                      "em": max(float(squad_normalize(pred) == squad_normalize(a)) for a in answers),
                      "f1": max(float(squad_f1(pred, a)) for a in answers)})
    write("qa.json", provenance("official SQuAD v1.1 normalize_answer / exact match / f1_score, max over answers", 0), cases)


def bertscore_table():
    """bert-score 0.3.13 greedy_cos_idf in float64 numpy over seeded matrices: rows 0 and -1
    are [CLS]/[SEP] (in the similarity max, weight 0)."""
    rng = np.random.default_rng(5)
    cases = []

    def score(c, r, wc, wr):
        cn = c / np.linalg.norm(c, axis=1, keepdims=True)
        rn = r / np.linalg.norm(r, axis=1, keepdims=True)
        sim = cn @ rn.T
        if len(c) == 2 or len(r) == 2:
            return [0.0, 0.0, 0.0]
        p = (sim.max(axis=1) * wc / wc.sum()).sum()
        rr = (sim.max(axis=0) * wr / wr.sum()).sum()
        f = 2 * p * rr / (p + rr)
        return [float(p), float(rr), float(0.0 if np.isnan(f) else f)]

    for k in range(40):
        dim = int(rng.integers(3, 9))
        nrefs = 1 if k % 4 else int(rng.integers(2, 4))
        idf = k % 3 == 1
        # float32-representable inputs: the Swift side takes Float matrices, as the encoder makes.
        c = rng.normal(size=(int(rng.integers(2, 9)), dim)).astype(np.float32).astype(np.float64)
        refs = [rng.normal(size=(int(rng.integers(2, 9)), dim)).astype(np.float32).astype(np.float64) for _ in range(nrefs)]
        if k % 5 == 2:
            c[1] = refs[0][1] * 2.0   # an exact direction match
        def weights(m):
            w = rng.uniform(0.2, 3.0, size=len(m)) if idf else np.ones(len(m))
            w[0] = w[-1] = 0.0
            return w
        wc = weights(c)
        wrs = [weights(r) for r in refs]
        per_ref = np.array([score(c, r, wc, wr) for r, wr in zip(refs, wrs)])
        best = per_ref.max(axis=0)
        baseline = [0.3, 0.35, 0.32] if k % 6 == 5 else None
        final = best if baseline is None else (best - np.array(baseline)) / (1 - np.array(baseline))
        cases.append({"dimension": dim, "candidate": c.flatten().tolist(), "candidateWeights": wc.tolist(),
                      "references": [r.flatten().tolist() for r in refs], "referenceWeights": [w.tolist() for w in wrs],
                      "idf": idf, "baseline": baseline, "scores": [float(x) for x in final]})
    write("bertscore.json", provenance("numpy derivation of bert-score 0.3.13 greedy_cos_idf (float64); "
                                       "max of P, R, F over references, then (x - b) / (1 - b); tolerance relative to max(1, |x|), "
                                       "the Swift side using float32 cosines as bert-score does", 1e-5), cases)


def main():
    pairs = pairsmod.all_pairs()
    rouge_table(pairs)
    bleu_table(pairs)
    chrf_table(pairs)
    wer_table(pairs)
    qa_table(pairs)
    porter_table()
    bertscore_table()


if __name__ == "__main__":
    main()
