"""Character and word error rates of OCR text against a reference text, by character class.

Both texts get the same normalization (NFC, one kind of dash and quote, whitespace runs
as one space), then one Levenshtein alignment (rapidfuzz) of the characters. Each edit
is counted for the class of the reference character it replaces or deletes, or of the
character it inserts:

- letters: every letter, with its diacritics (a wrong, missing or extra dấu counts);
- marks: the dấu alone, among the reference letters whose base letter was read right
  (a letter read with the right base and the wrong or missing mark, e.g. "ổ" -> "ố" or
  "o"): how often the marks go wrong, apart from the letters themselves;
- digits: 0-9.

CER = edits / reference characters of the class. WER is the same over word tokens.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields

from rapidfuzz.distance import Levenshtein

DASHES = re.compile(r"[‐‑‒–—―−]")
QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "…": "...", "\uf0b7": "•"})


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(QUOTES)
    text = DASHES.sub("-", text)
    return " ".join(text.split())


def base(c: str) -> str:
    """The letter without any diacritic: "ộ" -> "o", "Đ" -> "D"."""
    if c in "đĐ":
        return "d" if c == "đ" else "D"
    return unicodedata.normalize("NFD", c)[0]


@dataclass
class Counts:
    """Reference sizes (n_*) and edits (e_*) of one page or a sum of pages."""

    n_chars: int = 0
    e_chars: int = 0
    n_letters: int = 0
    e_letters: int = 0
    n_marks: int = 0
    e_marks: int = 0
    n_digits: int = 0
    e_digits: int = 0
    n_words: int = 0
    e_words: int = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def rate(self, kind: str) -> float:
        n = getattr(self, f"n_{kind}")
        return getattr(self, f"e_{kind}") / n if n else 0.0


def compare(reference: str, ocr: str) -> Counts:
    """Counts of `ocr` against `reference`, both normalized here."""
    ref, hyp = normalize(reference), normalize(ocr)
    c = Counts(n_chars=len(ref))
    c.n_letters = sum(ch.isalpha() for ch in ref)
    c.n_digits = sum(ch.isdigit() for ch in ref)
    ops = Levenshtein.editops(ref, hyp)
    c.e_chars = len(ops)
    wrong_base = 0  # reference letters not read as their base letter: outside the marks count
    for op in ops:
        if op.tag == "insert":
            ch = hyp[op.dest_pos]
            c.e_letters += ch.isalpha()
            c.e_digits += ch.isdigit()
            continue
        r = ref[op.src_pos]
        c.e_letters += r.isalpha()
        c.e_digits += r.isdigit()
        if r.isalpha():
            h = hyp[op.dest_pos] if op.tag == "replace" else ""
            if h.isalpha() and base(h) == base(r):
                c.e_marks += 1
            else:
                wrong_base += 1
    c.n_marks = c.n_letters - wrong_base
    ref_words, hyp_words = ref.split(), hyp.split()
    c.n_words = len(ref_words)
    c.e_words = Levenshtein.distance(ref_words, hyp_words)
    return c
