"""A person's name read twice by OCR with different marks: the sure reading wins.

A plan names its signer in the signature and often in its text too ("Ông Hoàng Văn Thuân -
Trưởng đoàn"). The signature is set in bold over a seal, where Tesseract misreads stacked
marks ("Thuần"), and tells so by a low word confidence; the same name in the text is
read surely. A name here is a family name of the lexicon followed by one to four words
in title case; two names are the same when their letters are (marks aside). The reading
whose words were all read surely replaces one whose differing words were all read unsurely,
everywhere in the document's blocks; when both readings were sure (two people, or a name
written two ways), nothing changes.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

from pipeline import lexicon
from pipeline.model import Block

SURE = 90.0  # every word of the reading kept read with at least this confidence
UNSURE = 80.0  # every differing word of the reading replaced read with less

_SURNAMES = frozenset(lexicon.load("doc_types")["surnames"])


def bare(word: str) -> str:
    """The word's letters without marks, lower case: "Thuần" -> "thuan", "Đặng" -> "dang"."""
    s = unicodedata.normalize("NFD", word.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def _title(word: str) -> bool:
    return word.isalpha() and word[0].isupper() and (len(word) == 1 or word[1:].islower())


def names_in_line(words: list[tuple[str, float]]) -> list[list[tuple[str, float]]]:
    """Runs of a lexicon family name and 1-4 title-case words in one OCR line of (word, confidence)."""
    out, i = [], 0
    while i < len(words):
        w = unicodedata.normalize("NFC", words[i][0])
        if w in _SURNAMES:
            j = i + 1
            while j < len(words) and j - i < 5 and _title(unicodedata.normalize("NFC", words[j][0].rstrip(".,;:"))):
                j += 1
            if j - i >= 2:
                out.append([(unicodedata.normalize("NFC", t.rstrip(".,;:")), c) for t, c in words[i:j]])
                i = j
                continue
        i += 1
    return out


def name_fixes(lines: list[list[tuple[str, float]]]) -> dict[str, str]:
    """{unsure reading: sure reading} of the names in a document's OCR lines."""
    readings: dict[tuple[str, ...], dict[str, list[list[float]]]] = defaultdict(lambda: defaultdict(list))
    for line in lines:
        for run in names_in_line(line):
            readings[tuple(bare(t) for t, _ in run)][" ".join(t for t, _ in run)].append([c for _, c in run])
    fixes: dict[str, str] = {}
    for spellings in readings.values():
        if len(spellings) < 2:
            continue
        sure = [s for s, confs in spellings.items() if all(min(c) >= SURE for c in confs)]
        if len(sure) != 1:
            continue
        best = sure[0]
        for s, confs in spellings.items():
            differing = [k for k, (a, b) in enumerate(zip(s.split(" "), best.split(" "))) if a != b]
            if s != best and all(c[k] < UNSURE for c in confs for k in differing):
                fixes[s] = best
    return fixes


def apply_fixes(blocks: list[Block], fixes: dict[str, str]) -> None:
    """Each unsure reading replaced by the sure one in the blocks' text and cells (in place)."""
    if not fixes:
        return
    rx = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, sorted(fixes, key=len, reverse=True))) + r")(?!\w)")
    for b in blocks:
        if b.kind == "table":
            b.rows = [[rx.sub(lambda m: fixes[m.group(1)], c) for c in row] for row in b.rows or []]
        else:
            b.text = rx.sub(lambda m: fixes[m.group(1)], b.text)
