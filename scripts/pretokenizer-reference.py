#!/usr/bin/env python3
# Dev-time oracle for the engine's llama-bpe pre-tokenizer (Llama 3's split pattern, as llama.cpp
# names it in tokenizer.ggml.pre): runs the pattern with Python's `regex` module over tricky strings
# and seeded random ones, and prints them as the Swift cases of Tests/TextEngineTests/PreTokenizerTests.swift.
# Not used at run time or by the tests. Usage: python3 scripts/pretokenizer-reference.py
import random

import regex
from swift_literal import swift_string  # beside this script

LLAMA_BPE = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
             r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")

TRICKY = [
    "Hello world!! It's 2024: 3.14159 apples,  don't   stop\n\n\tnow ",
    "I'M HERE, YOU'RE THERE, WE'LL SEE; THEY'VE GONE'D",
    "x'S 're've'll 'd'm '' ?!... ---",
    "1234567 12 1 ١٢٣٤ ½¾ x2y33z444",
    "  leading\n  \n trailing   ",
    "a\r\nb\n\r\n  c \n\n\n",
    "fn(x) {\n    return x+1;\n}\n",
    "naïve café — Ünïcödé 日本語テキスト 😀👍🏽",
    "\"quoted\" (paren) [bracket] <tag/> #hash @at $5.00",
    "tab\tsep\tvalues\t\t\nend",
    "!!!\n\n???\r\n...",
    "'hello 'world' it''s",
    "\u00a0nbsp\u2009thin\u3000ideographic",
]

ALPHABET = (list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") * 3 + list("0123456789") * 2
            + [" "] * 12 + ["\t", "\n", "\n", "\r", "\u00a0", "\u3000"] + list("'''.,;:!?-_()[]{}\"/\\@#$%&*+=<>|~`^")
            + ["é", "ü", "ß", "ñ", "Ω", "ж", "日", "本", "語", "ア", "٣", "½", "😀", "👍", "\u0301", "—", "…"])


def cases():
    rng = random.Random(2026)
    out = list(TRICKY)
    for _ in range(48):
        out.append("".join(rng.choice(ALPHABET) for _ in range(rng.randint(8, 40))))
    return out


for text in cases():
    pieces = regex.findall(LLAMA_BPE, text)
    assert "".join(pieces) == text
    print("        (" + swift_string(text) + ",\n         [" + ", ".join(swift_string(p) for p in pieces) + "]),")
