"""Legacy Vietnamese 8-bit encodings (TCVN3 / ABC, VNI) converted to Unicode.

Old Word and PDF files typed in ".VnTime" or "VNI-Times" fonts hold one Windows-1252
character per byte ("Uû ban nh©n d©n" for "Ủy ban nhân dân"). Where a font is named (a
DOCX run, a PDF character) the font says the encoding; elsewhere (plain text, HTML, a PDF
whose fonts say nothing) character statistics do: the share of words that are Vietnamese
syllables before and after conversion. The tables are data (lexicon legacy_encodings.yaml).
Conversion runs in the readers, before normalization strips soft hyphens (TCVN3's "ư")
and moves tone marks (pipeline.normalize.text), which would make the text unconvertible.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline import lexicon
from pipeline.extract.integrity import VIETNAMESE_LATIN1, sample_text, syllable_share
from pipeline.model import Block

LABELS = {"tcvn3": "TCVN3", "vni": "VNI"}
# What a PDF adds to a font's name: a subset tag ("ABCDEF+") and a style (",Bold", "-Italic").
FONT_SUBSET = re.compile(r"^[A-Z]{6}\+")
FONT_STYLE = re.compile(r"[,-](?:Bold|Italic|Oblique|BoldItalic|BoldOblique|Regular)$", re.IGNORECASE)
# Detection by statistics: converted text must read as Vietnamese, and much better than before.
MIN_WORDS = 20
GOOD_SHARE = 0.8
MIN_GAIN = 0.15


@dataclass(frozen=True)
class Table:
    name: str
    pattern: re.Pattern  # the longest key first
    mapping: dict[str, str]
    font_prefixes: tuple[str, ...]
    font_exclude: tuple[str, ...]
    upper_suffix: str
    signature: frozenset[str]  # characters of the keys that Vietnamese Unicode text never holds

    def convert(self, text: str, upper: bool = False) -> str:
        out = self.pattern.sub(lambda m: self.mapping[m.group(0)], text)
        return out.upper() if upper else out

    def convert_lines(self, text: str) -> str:
        """Text without its font: converted line by line, upper-case lines restored (TCVN3)."""
        if not self.upper_suffix:
            return self.convert(text)
        return "\n".join(restore_case(line, self.convert(line)) for line in text.split("\n"))


@lru_cache(maxsize=1)
def tables() -> dict[str, Table]:
    out = {}
    for name, spec in lexicon.load("legacy_encodings").items():
        mapping = spec["map"]
        keys = sorted(mapping, key=len, reverse=True)
        chars = {c for k in keys for c in k if ord(c) > 0x7F}
        out[name] = Table(name=name, pattern=re.compile("|".join(map(re.escape, keys))), mapping=mapping,
                          font_prefixes=tuple(spec["font_prefixes"]), font_exclude=tuple(spec["font_exclude"]),
                          upper_suffix=spec["upper_font_suffix"], signature=frozenset(chars - VIETNAMESE_LATIN1))
    return out


def font_base_name(font: str) -> str:
    """A font's family name as a document names it: PDF subset tag and style suffix dropped."""
    return FONT_STYLE.sub("", FONT_SUBSET.sub("", font.strip()))


def font_encoding(font: str | None) -> tuple[str, bool] | None:
    """(encoding, upper case) that a font's name says, e.g. ".VnTimeH" -> ("tcvn3", True);
    None for a Unicode font."""
    if not font:
        return None
    base = font_base_name(font)
    low = base.lower()
    for t in tables().values():
        if low.startswith(t.font_prefixes) and not any(low.lstrip(".").startswith(x) for x in t.font_exclude):
            return t.name, bool(t.upper_suffix) and base.endswith(t.upper_suffix)
    return None


def is_8bit(text: str) -> bool:
    """Text a legacy font can hold: Windows-1252 characters only (a run with "ơ" or "ế" in it
    is Unicode, whatever its font says)."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def convert(text: str, encoding: str, upper: bool = False) -> str:
    """`text` in `encoding` ("tcvn3" or "vni") as Unicode; upper-cased for an "H" font."""
    return tables()[encoding].convert(text, upper)


def convert_by_font(text: str, font: str | None) -> str:
    """The (text, font name) function for readers that know each run's font (PDF): the text
    converted when the font is a legacy one and the text could be in it, else unchanged."""
    enc = font_encoding(font)
    if enc is None or not is_8bit(text):
        return text
    return convert(text, *enc)


@dataclass
class FontConverter:
    """Converts runs by their font and remembers which legacy fonts it converted, for the
    reader's warning ("converted from TCVN3 (font .VnTime)")."""
    fonts: dict[str, set[str]] = field(default_factory=dict)

    def __call__(self, text: str, font: str | None) -> str:
        out = convert_by_font(text, font)
        if out != text:
            self.fonts.setdefault(font_encoding(font)[0], set()).add(font_base_name(font))
        return out

    def warnings(self) -> list[dict]:
        return [font_warning(enc, fonts) for enc, fonts in sorted(self.fonts.items())]


def convert_chars(chars: list[dict], fonts: FontConverter) -> None:
    """PDF characters (dicts with "text", "fontname", "size", "adv", "x1", as pdfplumber gives
    them) converted in place where their font is a legacy one, before words, lines and tables
    are made of them: a VNI mark's character is merged into its letter's (the letter reaches
    to the mark's right edge). TCVN3's "ư" (byte 0xAD) comes out of pdfminer as a space: one
    wider than the font's other spaces, right after a letter, is taken for it."""
    out: list[dict] = []
    i = 0
    while i < len(chars):
        font = chars[i].get("fontname")
        j = i + 1
        while j < len(chars) and chars[j].get("fontname") == font:
            j += 1
        run = chars[i:j]
        enc = font_encoding(font)
        if enc is not None and all(len(c["text"]) == 1 for c in run):
            run = _convert_run(run, font, enc, fonts)
        out.extend(run)
        i = j
    chars[:] = out


def _convert_run(run: list[dict], font: str, enc: tuple[str, bool], fonts: FontConverter) -> list[dict]:
    if enc[0] == "tcvn3":
        spaces = [c.get("adv", 0) for c in run if c["text"] == " "]
        for k in range(1, len(run)):
            c = run[k]
            if c["text"] == " " and c.get("adv", 0) > 1.3 * min(spaces) and run[k - 1]["text"].strip():
                c["text"] = "\u00ad"  # wider than the font's real spaces, right after a letter
            elif c["text"] == "-" and _inside_lower_word(run, k):
                c["text"] = "\u00ad"  # PDFium reads the byte as "-": between lower-case letters ("th-¬ng")
    text = "".join(c["text"] for c in run)
    t = tables()[enc[0]]
    out: list[dict] = []
    pos = 0
    for m in t.pattern.finditer(text):
        out.extend(_upper(c, font, enc, fonts) for c in run[pos:m.start()])
        first, last = run[m.start()], run[m.end() - 1]
        merged = {**first, "text": fonts(m.group(0), font), "x1": last.get("x1", first.get("x1"))}
        if "x0" in merged and "x1" in merged:
            merged["width"] = merged["x1"] - merged["x0"]
        out.append(merged)
        pos = m.end()
    out.extend(_upper(c, font, enc, fonts) for c in run[pos:])
    return out


def _inside_lower_word(run: list[dict], k: int) -> bool:
    """A "-" inside a lower-case word: TCVN3's "ư" (0xAD) as PDFium reads it. A real hyphen
    in Vietnamese stands between spaced words or in upper-case codes ("KH-UBND")."""
    if k == 0 or k + 1 >= len(run):
        return False
    before, after = run[k - 1]["text"], run[k + 1]["text"]
    return before.isalpha() and before.islower() and bool(after.strip()) and not after.isupper() \
        and not after.isdigit() and after not in "-–/,.;:)"


def _upper(c: dict, font: str, enc: tuple[str, bool], fonts: FontConverter) -> dict:
    """An unmapped character of the run: upper case in an "H" font."""
    return {**c, "text": fonts(c["text"], font)} if enc[1] else c


def font_warning(encoding: str, fonts: Iterable[str]) -> dict:
    names = sorted(fonts)
    what = f"font {names[0]}" if len(names) == 1 else "fonts " + ", ".join(names)
    return {"code": "legacy_encoding", "message": f"converted from {LABELS[encoding]} ({what})"}


# --------------------------------------------------------------------------- upper case without the font

WORD = re.compile(r"\S+")


def _upper_word(src: str) -> bool | None:
    """Whether a TCVN3 word was set upper case (in an "H" font) by its ASCII letters: True when
    one after the first is upper case ("THõA", "ñY"), False when one is lower case, None when
    only its first letter is ASCII ("KÕ", "Sè"), or it holds a digit (KH-UBND is no evidence)."""
    if any(c in "0123456789" for c in src):
        return None
    ascii_letters = [(i, c) for i, c in enumerate(src) if c.isascii() and c.isalpha()]
    if any(c.islower() for _, c in ascii_letters):
        return False
    if any(i > 0 and c.isupper() for i, c in ascii_letters):
        return True
    return None


def restore_case(src: str, out: str) -> str:
    """TCVN3 text converted without its font: the words of an upper-case line ("ñY BAN", "KÕ
    HO¹CH") upper-cased, since TCVN3 writes their toned letters with lower-case bytes. An
    ambiguous word ("KÕ") follows the other words of its line."""
    if len(src) != len(out):
        return out
    words = [(m.start(), m.end(), _upper_word(m.group(0))) for m in WORD.finditer(src)]
    known = [u for _, _, u in words if u is not None]
    line_upper = bool(known) and all(known)
    parts, pos = [], 0
    for start, end, upper in words:
        if upper or (upper is None and line_upper):
            parts.append(out[pos:start] + out[start:end].upper())
            pos = end
    parts.append(out[pos:])
    return "".join(parts)


# --------------------------------------------------------------------------- detection by statistics

def detect(text: str) -> tuple[str, float, float] | None:
    """(encoding, share before, share after) when `text` reads as Vietnamese only once
    converted from a legacy encoding; None for Unicode text (or text no table mends)."""
    if not any(c in t.signature for t in tables().values() for c in text):
        return None
    before, words = syllable_share(text)
    if words < MIN_WORDS or before >= GOOD_SHARE:
        return None
    best = None
    for t in tables().values():
        after, _ = syllable_share(t.convert(text))
        if after >= GOOD_SHARE and after - before >= MIN_GAIN and (best is None or after > best[2]):
            best = (t.name, before, after)
    return best


def _convert_block_text(text: str, t: Table) -> str:
    """A block's text converted unless it reads worse so, or holds letters no legacy font has
    (a Unicode line of the same file stays as it is)."""
    if not is_8bit(text):
        return text
    out = t.convert_lines(text)
    if out != text and syllable_share(out)[0] < syllable_share(text)[0]:
        return text
    return out


def convert_blocks(blocks: list[Block]) -> dict | None:
    """Convert blocks (in place) of a document whose text is in a legacy encoding by its
    statistics; the warning to give, or None when the text is not."""
    found = detect(sample_text(blocks))
    if found is None:
        return None
    name, before, after = found
    t = tables()[name]
    for b in blocks:
        if b.kind == "table" and b.rows:
            b.rows = [[_convert_block_text(c, t) if c else c for c in r] for r in b.rows]
        elif b.text:
            b.text = _convert_block_text(b.text, t)
    return stats_warning(name, before, after)


def stats_warning(name: str, before: float, after: float, why: str = "no font named it; ") -> dict:
    return {"code": "legacy_encoding", "message": (
        f"converted from {LABELS[name]} ({why}{before:.0%} of words were Vietnamese syllables before, {after:.0%} after)")}


def decode_legacy_bytes(data: bytes) -> tuple[str, dict] | None:
    """Bytes that are not UTF-8: (Unicode text, warning) when they are TCVN3 or VNI text."""
    text = data.decode("cp1252", errors="replace")
    found = detect(text)
    if found is None:
        return None
    name, before, after = found
    return tables()[name].convert_lines(text), stats_warning(name, before, after, "the file is not UTF-8; ")
