"""Python side of scripts/bench-metrics: times rouge-score 0.1.2 (rouge1, rouge2, rougeL,
rougeLsum) and sacrebleu 2.6.0 sentence BLEU (CPU time, time.process_time) on the same seeded pairs the Swift side scores,
and writes the pairs and every Python score to one JSON file for the agreement check.

usage: bench_reference.py COUNT OUT.json
"""
import json
import sys
import time

from rouge_score import rouge_scorer
from sacrebleu.metrics import BLEU

import pairs as pairsmod


def main():
    count, out = int(sys.argv[1]), sys.argv[2]
    pairs = pairsmod.random_pairs(count, seed=11)
    types = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
    scorer = rouge_scorer.RougeScorer(types)
    t0 = time.process_time()
    rouge = []
    for cand, refs in pairs:
        s = scorer.score_multi(refs, cand)
        rouge.append([v for t in types for v in (s[t].precision, s[t].recall, s[t].fmeasure)])
    t_rouge = time.process_time() - t0
    bleu = BLEU(effective_order=True)
    t0 = time.process_time()
    bleus = [bleu.sentence_score(cand, refs).score for cand, refs in pairs]
    t_bleu = time.process_time() - t0
    words = sum(len(c.split()) + sum(len(r.split()) for r in refs) for c, refs in pairs)
    print(f"python  rouge-score 0.1.2 (4 types)  : {count / t_rouge:10.0f} pairs/s ({t_rouge:.2f} CPU s)")
    print(f"python  sacrebleu 2.6.0 sentence BLEU: {count / t_bleu:10.0f} pairs/s ({t_bleu:.2f} CPU s)")
    print(f"        ({count} pairs, {words} words, {sum(len(r) > 1 for _, r in pairs)} with several references)")
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"pairs": [{"candidate": c, "references": r} for c, r in pairs],
                   "rouge": rouge, "bleu": bleus,
                   "seconds": {"rouge": t_rouge, "bleu": t_bleu}}, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
