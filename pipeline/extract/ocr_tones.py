"""Tone and vowel marks repaired from the dictionary: a syllable OCR read unsurely with a
wrong mark ("những tôn tại", "TÔ CHỨC", "cụ thê") takes the marks that make a word of
Vietnamese with its neighbour (Viet74K's two-syllable words, pipeline.lexicon.compounds).

Only where the reading itself is no word with either neighbour, exactly one other marking
of its letters is, and that neighbour is not already part of a word on its other side
("để điều chỉnh" keeps "để": "điều" belongs to "điều chỉnh", though "đê điều" is a word).
Only words Tesseract was unsure of (confidence under UNSURE) are considered: a syllable
read surely is left as read.
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from pipeline import lexicon
import unicodedata

# Tesseract's word confidence under which a syllable's marks may be wrong: the misreads of
# the 200-dpi scan of corpus/extra2/30_bimson were read at 68-94 ("tô chức" 77, "đâu tiên"
# 93), correct syllables the rule would change at 96.6-97 ("độ mật", "dựa vào": no Viet74K words)
UNSURE = 95.0
_WORD = re.compile(r"^(?P<pre>[(\"“]?)(?P<core>[^\W\d_]+)(?P<post>[.,;:)\"”]?)$")


# tone marks, circumflex and breve: what OCR loses or adds on a vowel; the horn (ư, ơ) and
# the stroke of đ change the letter and are kept
_LOSABLE = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306"}


def letters(syllable: str) -> str:
    """The syllable without the marks OCR gets wrong: "tồn" -> "ton", "chế" -> "che", "đủ" -> "đu"."""
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", syllable) if c not in _LOSABLE))


@lru_cache(maxsize=1)
def _dictionary() -> tuple[frozenset[tuple[str, str]], dict[str, frozenset[str]]]:
    """The two-syllable words (each also with its tone mark placed the other way: Viet74K
    writes "uỷ", "hoá", plans mostly "ủy", "hóa"), and each syllable's letters (marks
    aside) -> its markings."""
    pairs = set(lexicon.compounds())
    pairs |= {(_placed(a), _placed(b)) for a, b in pairs}
    by_bare: dict[str, set[str]] = defaultdict(set)
    for a, b in pairs:
        by_bare[letters(a)].add(a)
        by_bare[letters(b)].add(b)
    return frozenset(pairs), {k: frozenset(v) for k, v in by_bare.items()}


_OLD_PLACE = {"oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa", "oè": "òe", "oé": "óe", "oẻ": "ỏe",
              "oẽ": "õe", "oẹ": "ọe", "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy"}
_NEW_PLACE = {v: k for k, v in _OLD_PLACE.items()}


def _placed(syllable: str) -> str:
    """The syllable with its tone mark on the other vowel of "oa", "oe", "uy" at its end
    ("hoá" <-> "hóa", "uỷ" <-> "ủy"); others as they are."""
    for table in (_OLD_PLACE, _NEW_PLACE):
        for a, b in table.items():
            if syllable.endswith(a) and not (a.startswith("u") and syllable.endswith("qu" + a[1:])):
                return syllable[: -len(a)] + b
    return syllable


def _cased(like: str, word: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    return word[0].upper() + word[1:] if like[0].isupper() else word


def repair_tones(words: list[tuple[str, float]], sure: frozenset[str] = frozenset()) -> list[str]:
    """The texts of one OCR line's (word, confidence) with unsure marks repaired; a syllable
    in `sure` (read surely elsewhere in the document, lower case) is a word as read."""
    pairs, by_bare = _dictionary()
    texts = [w for w, _ in words]
    parts = [_WORD.match(t) for t in texts]
    cores = [m.group("core").lower() if m and _one_case(m.group("core")) else None for m in parts]

    def joined(i: int, j: int) -> bool:
        """Words i and j (j = i + 1) are adjacent syllables: no punctuation between them."""
        return (0 <= i and j < len(cores) and cores[i] is not None and cores[j] is not None
                and not parts[i].group("post") and not parts[j].group("pre"))

    for i, (_, conf) in enumerate(words):
        w = cores[i]
        if w is None or conf >= UNSURE or w in sure:
            continue
        prev = cores[i - 1] if joined(i - 1, i) else None
        nxt = cores[i + 1] if joined(i, i + 1) else None
        if (prev, w) in pairs or (w, nxt) in pairs:
            continue
        if texts[i][:1].isupper() and not parts[i].group("core").isupper() and any(
                k is not None and texts[k][:1].isupper() for k in (i - 1 if prev else None, i + 1 if nxt else None)):
            continue  # a proper name ("Bỉm Sơn", "Văn Thuân"): its syllables need not make words
        # a neighbour already in a word on its other side is not free to pair
        prev_free = prev is not None and not (joined(i - 2, i - 1) and (cores[i - 2], prev) in pairs)
        next_free = nxt is not None and not (joined(i + 1, i + 2) and (nxt, cores[i + 2]) in pairs)
        options = {v for v in by_bare.get(letters(w), ()) if v != w
                   and ((prev_free and (prev, v) in pairs) or (next_free and (v, nxt) in pairs))}
        if len(options) == 1:
            m = parts[i]
            cores[i] = options.pop()
            texts[i] = m.group("pre") + _cased(m.group("core"), cores[i]) + m.group("post")
    return texts


def _one_case(core: str) -> bool:
    """Lower case, title case or all capitals: a word, not a code like "HĐND"... read mixed."""
    return core.islower() or core.isupper() or (core[0].isupper() and core[1:].islower())


def tone_fixes(lines: list[list[tuple[str, float]]]) -> dict[str, str]:
    """{phrase as read: phrase repaired} for a document's OCR lines of (word, confidence):
    each repaired syllable with its neighbours on the line, to replace in the blocks' text.
    A syllable the document has read surely somewhere is left alone everywhere ("tỉnh",
    "cấp tỉnh": no Viet74K word); a phrase repaired two ways is left alone."""
    sure = frozenset(m.group("core").lower() for line in lines for t, c in line
                     if c >= UNSURE and (m := _WORD.match(t)))
    fixes: dict[str, str] = {}
    clash: set[str] = set()
    for line in lines:
        texts = [t for t, _ in line]
        new = repair_tones(line, sure)
        for i, (a, b) in enumerate(zip(texts, new)):
            if a == b:
                continue
            lo, hi = max(0, i - 1), min(len(texts), i + 2)
            old_phrase, new_phrase = " ".join(texts[lo:hi]), " ".join(new[lo:hi])
            if fixes.get(old_phrase, new_phrase) != new_phrase:
                clash.add(old_phrase)
            fixes[old_phrase] = new_phrase
    return {k: v for k, v in fixes.items() if k not in clash}
