"""Is the extracted text Vietnamese, or garbage from a legacy font encoding or bad OCR?

Word and PDF files typed with TCVN3 (.VnTime) or VNI fonts extract as "Uû ban nh©n
d©n"; some converters split tone marks from their letters. The share of words that are
well-formed Vietnamese syllables tells them apart from real text (about 0.9 and up).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pipeline.model import Block, Extracted

TONE_MARKS = dict.fromkeys(map(ord, "\u0300\u0301\u0303\u0309\u0323"), None)
SYLLABLE = re.compile(r"^(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnpqrstvx])?[aăâeêioôơuưy]{1,3}(?:ch|ng|nh|[cmnpt])?$")
ACRONYM = re.compile(r"^[A-ZĐ0-9][A-ZĐ0-9/&.-]*$")
EDGE_PUNCT = "\"'“”‘’()[]{}.,;:!?…-–—*/"
MIN_WORDS = 40
MIN_SHARE = 0.6
SAMPLE_CHARS = 30000


def syllable_share(text: str) -> tuple[float, int]:
    """Share of letter-bearing words that are Vietnamese syllables (acronyms count as good)."""
    good = total = 0
    for raw in text.split():
        verdict = _word_verdict(raw)
        if verdict is not None:
            total += 1
            good += verdict
    return (good / total if total else 1.0), total


@lru_cache(maxsize=65536)
def _word_verdict(raw: str) -> bool | None:
    """None for a word without letters, else whether it is a syllable or an acronym
    (cached: a page repeats the same few hundred syllables)."""
    word = raw.strip(EDGE_PUNCT)
    if not word or not any(c.isalpha() for c in word):
        return None
    if ACRONYM.match(word):
        return True
    base = unicodedata.normalize("NFC", unicodedata.normalize("NFD", word.lower()).translate(TONE_MARKS))
    return bool(SYLLABLE.match(base))


def sample_text(blocks: list[Block]) -> str:
    """The text of the first blocks (paragraphs and table cells), about SAMPLE_CHARS long."""
    parts: list[str] = []
    size = 0
    for b in blocks:
        chunk = b.text if b.kind == "paragraph" else " ".join(c for r in b.rows or [] for c in r)
        parts.append(chunk)
        size += len(chunk)
        if size > SAMPLE_CHARS:
            break
    return " ".join(parts)


def low_share(blocks: list[Block]) -> tuple[float, int] | None:
    """(share, words) when too few words of the blocks are Vietnamese syllables, else None."""
    share, words = syllable_share(sample_text(blocks))
    return (share, words) if words >= MIN_WORDS and share < MIN_SHARE else None


def garbled(blocks: list[Block]) -> bool:
    """Text that is not Vietnamese: a font without proper Unicode (TCVN3/VNI) or failed OCR."""
    return low_share(blocks) is not None


def check_text_integrity(ex: Extracted) -> None:
    """Add a `text_integrity` warning when too few words are Vietnamese syllables."""
    low = low_share(ex.blocks)
    if low:
        share, words = low
        ex.warnings.append({"code": "text_integrity", "message": (
            f"only {share:.0%} of {words} words are Vietnamese syllables: the file may use a legacy font "
            "encoding (TCVN3/VNI) or the OCR failed; extracted values are unreliable")})
