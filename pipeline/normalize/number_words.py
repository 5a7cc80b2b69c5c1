"""Vietnamese number words: "mười" -> 10, "hai mươi lăm" -> 25, "một trăm linh năm" -> 105.

Digits are read by `pipeline.normalize.numbers.parse_number`; this module reads numbers
written in words and finds them in text (`find_number_words`). Vocabulary in
the lexicon (number_words.yaml).
"""
from __future__ import annotations

import functools
import re


from pipeline import lexicon
from pipeline.normalize.numbers import parse_number



@functools.cache
def _vocab() -> dict:
    v = lexicon.load("number_words")
    every = set(v["digits"]) | set(v["ten"]) | set(v["tens"]) | set(v["hundred"]) | set(v["link"]) | set(v["scales"])
    alt = "|".join(sorted(every, key=len, reverse=True))
    v["regex"] = re.compile(rf"(?<!\w)(?:{alt})(?:\s+(?:{alt}))*(?!\w)", re.IGNORECASE)
    v["not_before"] = re.compile(r"^\s+(?:" + "|".join(map(re.escape, v["not_before"])) + r")(?!\w)", re.IGNORECASE)
    return v


def parse_number_words(text: str) -> int | None:
    """The value of a run of number words ("hai mươi lăm" -> 25), None if it is not one."""
    v = _vocab()
    toks = text.lower().split()
    if not toks:
        return None
    if len(toks) == 1 and toks[0] in v["only_inside"]:
        return None
    if not any(t in v["digits"] or t in v["ten"] for t in toks):
        return None  # "tỷ lệ", "phần trăm": a scale word alone is not a number
    total, group, pending = 0, 0, None
    prev = None
    for tok in toks:
        if tok in v["digits"]:
            if pending is not None:
                return None  # "hai ba": two digits in a row is not one number
            pending = v["digits"][tok]
        elif tok in v["ten"]:
            if pending is not None:
                return None
            group += 10
        elif tok in v["tens"]:
            if pending is None:
                return None
            group += pending * 10
            pending = None
        elif tok in v["hundred"]:
            group += (1 if pending is None else pending) * 100
            pending = None
        elif tok in v["link"]:
            if prev not in v["hundred"]:
                return None
        elif tok in v["scales"]:
            group += pending or 0
            total += (group or 1) * v["scales"][tok]
            group, pending = 0, None
        else:
            return None
        prev = tok
    return total + group + (pending or 0)


def find_number_words(text: str) -> list[tuple[int, int, int]]:
    """(start, end, value) of every number written in words ("một số" and the like skipped)."""
    v = _vocab()
    out = []
    for m in v["regex"].finditer(text):
        if v["not_before"].match(text[m.end():]):
            continue
        # trailing "năm" after a complete number is the noun "year": "hai năm" = two years
        words = m.group(0).split()
        end = m.end()
        while len(words) > 1 and words[-1].lower() in ("năm",) and parse_number_words(" ".join(words)) is None:
            words = words[:-1]
            end = m.start() + len(" ".join(words))
        value = parse_number_words(" ".join(words))
        if value is not None:
            out.append((m.start(), end, value))
    return out


def parse_any_number(text: str) -> float | None:
    """Digits the Vietnamese way ("1.500", "1,5", "02") or number words ("mười")."""
    value = parse_number(text)
    if value is not None:
        return value
    words = parse_number_words(text)
    return float(words) if words is not None else None
