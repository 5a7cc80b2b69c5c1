"""Is the extracted text Vietnamese, or garbage from a legacy font encoding or bad OCR (or
another language)?

Word and PDF files typed with TCVN3 (.VnTime) or VNI fonts extract as "Uû ban nh©n
d©n" (pipeline.extract.legacy_encoding converts what it recognises); some converters split
tone marks from their letters. The share of words that are well-formed Vietnamese
syllables tells them apart from real text (about 0.9 and up); the script of the letters
and the share of letters only Vietnamese uses (ă, đ, ơ, ư, ế ...) tell another language.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from pipeline.model import Block, Extracted

TONE_MARKS = dict.fromkeys(map(ord, "\u0300\u0301\u0303\u0309\u0323"), None)
SYLLABLE = re.compile(r"^(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdđghklmnpqrstvx])?[aăâeêioôơuưy]{1,3}(?:ch|ng|nh|[cmnpt])?$")
ACRONYM = re.compile(r"^[A-ZĐ0-9][A-ZĐ0-9/&.-]*$")
EDGE_PUNCT = "\"'“”‘’()[]{}.,;:!?…-–—*/"
MIN_WORDS = 40
MIN_SHARE = 0.6
SAMPLE_CHARS = 30000
# Zero-width characters and the soft hyphen: invisible, dropped by normalization; inside a
# word they must not make it look foreign.
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
MIN_LETTERS = 200  # fewer letters than this say nothing of the language
MIN_VIETNAMESE_LETTERS = 0.01  # Vietnamese prose has about 10 % of letters like ă, đ, ơ, ư, ế
# Letters of Vietnamese written in Unicode within Latin-1: the rest of Latin-1's upper half
# (µ ¸ ¶ © « ® ...) is the mark of a legacy font encoding read as Windows-1252.
VIETNAMESE_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
LEGACY_MARKS = frozenset(chr(b) for b in range(0xA1, 0x100)) - VIETNAMESE_LATIN1
SCRIPT_NAMES = {"CJK": "Chinese (Han)", "HIRAGANA": "Japanese", "KATAKANA": "Japanese", "HANGUL": "Korean",
                "CYRILLIC": "Cyrillic", "THAI": "Thai", "LAO": "Lao", "KHMER": "Khmer", "ARABIC": "Arabic",
                "HEBREW": "Hebrew", "GREEK": "Greek", "DEVANAGARI": "Devanagari"}


def syllable_share(text: str) -> tuple[float, int]:
    """Share of letter-bearing words that are Vietnamese syllables (acronyms count as good)."""
    good = total = 0
    for raw in text.translate(INVISIBLE).split():
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


def _script(letter: str) -> str:
    return unicodedata.name(letter, "?").split(" ")[0]


def foreign_script(text: str) -> tuple[str, float] | None:
    """(script, share of letters) when most letters of `text` are not Latin (Chinese, Cyrillic ...)."""
    # each distinct letter is named once, in the order letters first occur
    letters = {c: n for c, n in Counter(text).items() if c.isalpha()}
    total = sum(letters.values())
    if total < MIN_LETTERS:
        return None
    counts: Counter[str] = Counter()
    for c, n in letters.items():
        counts[_script(c)] += n
    if counts["LATIN"] >= 0.5 * total:
        return None
    script, n = max(((s, n) for s, n in counts.items() if s != "LATIN"), key=lambda x: x[1])
    return SCRIPT_NAMES.get(script, script.title()), n / total


def vietnamese_letter_share(text: str) -> float:
    """Share of letters that, among Latin scripts, only Vietnamese uses: ă đ ĩ ũ ơ ư and the
    Latin Extended Additional block (ạ ả ấ ... ỹ)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    own = sum(1 for c in letters if c in "ăĂđĐĩĨũŨơƠưƯ" or "\u1ea0" <= c <= "\u1ef9")
    return own / len(letters)


def looks_foreign(text: str) -> bool:
    """Text in another script, or Latin text with next to no letter only Vietnamese has and no
    mark of a legacy encoding: another language (pipeline.parse.plan_checks warns of it)."""
    if foreign_script(text):
        return True
    return vietnamese_letter_share(text) < MIN_VIETNAMESE_LETTERS and not any(c in LEGACY_MARKS for c in text)


def check_text_integrity(ex: Extracted) -> None:
    """Add a `text_integrity` warning when too few words are Vietnamese syllables, unless the
    text is simply another language."""
    low = low_share(ex.blocks)
    if not low or looks_foreign(sample_text(ex.blocks)):
        return
    share, words = low
    ex.warnings.append({"code": "text_integrity", "message": (
        f"only {share:.0%} of {words} words are Vietnamese syllables: the file may use a legacy font "
        "encoding (TCVN3/VNI) or the OCR failed; extracted values are unreliable")})
