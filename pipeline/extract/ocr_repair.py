"""Post-OCR repair of what Tesseract gets wrong in Vietnamese administrative text.

General rules only (measured with bench/ocr_cer.py; each one leaves correct text alone,
tests/test_ocr_repair.py checks them on the corpus's own text):
- letters from other alphabets that look like Vietnamese ones ("Ð" Icelandic eth for
  "Đ", doubled as "ĐÐ" where the stroke is thick);
- a capital accented vowel inside a lower-case word ("nghiỆp", "vỆ"), or a whole word
  in capitals inside lower-case text ("2020; ĐỂ nâng cao"): Tesseract's case confusion
  on stacked marks;
- tokens of marks that plans never write (a scan's specks read as "_", "ˆ", "`", "¬");
- document numbers split after a hyphen ("1883/QĐ- UBND", "37- CT/TW"), a Roman
  numeral heading glued to its title ("I.MỤC TIÊU") or misread ("IL MỤC TIÊU"), a
  quarter's numeral read as digits ("quý 11/2020" for "quý II/2020"), a mark read for a
  digit inside a number ("17§1-CV/TU" for "1781-CV/TU").
Known-word repairs of tone marks use lexicon/data/ocr_repair.yaml.
"""
from __future__ import annotations

import re
import unicodedata

from pipeline import lexicon

LEX = lexicon.load("ocr_repair")
LOOKALIKES = str.maketrans(LEX["lookalikes"])
DOUBLED_D = re.compile(r"Đ(?=Ð)|Ð(?=Đ)")
JUNK = "".join(LEX["junk_marks"])
JUNK_TOKEN = re.compile(rf"(?:(?<=\s)|^)[{re.escape(JUNK)}]+(?=\s|$)")
JUNK_EDGE = re.compile(rf"(?:(?<=\s)|^)[{re.escape(JUNK)}]+(?=\w)|(?<=\w)[{re.escape(JUNK)}]+(?=\s|$)")
UPPER = "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
CAPITAL_INSIDE = re.compile(rf"(?<=\w)[{UPPER}]")
# "1883/QĐ- UBND", "181/2024/NĐ- CP", "37- CT/TW": a number's code goes on after the hyphen
NUMBER_SPLIT = re.compile(r"(\d+(?:/\d{2,4})?(?:/[A-ZĐ][A-ZĐa-z]*)*)-\s+(?:-\s*)?(?=[A-ZĐ][A-ZĐa-zđ]*(?:[/-][A-ZĐ][A-ZĐa-zđ]*)*\b)")
ROMAN_GLUED = re.compile(r"^([IVX]{1,5}\.)(?=[A-ZĐ])", re.MULTILINE)
# a Roman numeral heading misread: "IL MỤC TIÊU", "l. MỤC TIÊU" (a bare "XIII CỦA ĐẢNG" is a
# wrapped title line, left alone)
ROMAN_HEADING = re.compile(rf"^([IVXLl1|]{{1,5}})\.?\s+(?=[A-ZĐ{UPPER}]{{2,}}\b)(?![IVXL]+\b)", re.MULTILINE)
ROMAN = re.compile(r"^(X{0,2})(IX|IV|V?I{0,3})$")
# a quarter read with digits or "l" for its Roman "I"s: "quý 11/2020", "quý II1/2020" (quý 1 stays)
QUARTER = re.compile(r"(?i)\b(quý)\s+([IVl1|]{2,4}|[l|])(?=\s*/|\s|[.,;]|$)")
FRACTION_SLASH = re.compile(r"/?\s*\u2044\s*")
DIGIT_LOOKALIKES = LEX.get("digit_lookalikes", {})
DIGIT_LOOKALIKE = re.compile(rf"(?<=\d)[{re.escape(''.join(DIGIT_LOOKALIKES))}](?=\d)") if DIGIT_LOOKALIKES else None


def _roman_heading(m: re.Match) -> str:
    """The numeral of a heading line read right, when the line is an upper-case heading."""
    token = m.group(1)
    end = m.string.find("\n", m.end())
    rest = m.string[m.end(): end if end >= 0 else len(m.string)]
    letters = [c for c in rest if c.isalpha()]
    if token == "1" or re.fullmatch(r"[IVX]+", token) or not letters or sum(c.isupper() for c in letters) < 0.8 * len(letters):
        return m.group(0)
    numeral = re.sub(r"[Ll1|]", "I", token)
    return f"{numeral}. " if ROMAN.match(numeral) else m.group(0)


def _caps_in_text(line: str) -> str:
    """A word in capitals between lower-case words ("2020; ĐỂ nâng cao") capitalised only,
    when it carries a mark after its first letter: acronyms (UBND, HTX, OCOP) carry none."""
    tokens = line.split(" ")
    for i in range(1, len(tokens) - 1):
        w, before, after = tokens[i], tokens[i - 1], tokens[i + 1]
        if (len(w) >= 2 and w.isupper() and any(c in UPPER for c in w[1:])
                and (before[-1:].islower() or before[-1:] in (",", ";", ":")) and after[:1].islower()):
            tokens[i] = w[0] + w[1:].lower()
    return " ".join(tokens)


def _quarter(m: re.Match) -> str:
    numeral = re.sub(r"[l1|]", "I", m.group(2))
    return f"{m.group(1)} {numeral}" if numeral in ("I", "II", "III", "IV") else m.group(0)


def repair_word(text: str) -> str:
    """One OCR word: look-alike letters and case confusion repaired."""
    text = DOUBLED_D.sub("", text).translate(LOOKALIKES)
    if DIGIT_LOOKALIKE is not None:
        text = DIGIT_LOOKALIKE.sub(lambda m: DIGIT_LOOKALIKES[m.group(0)], text)
    if CAPITAL_INSIDE.search(text) and not text.isupper():
        # lower-cased where the letter before it is lower case (Tesseract's letters: "nghiỆp")
        text = CAPITAL_INSIDE.sub(lambda m: m.group(0).lower() if text[m.start() - 1].islower() else m.group(0), text)
    return text


def repair_block_text(text: str) -> str:
    """A paragraph or cell of OCR text: junk marks dropped, numbers and headings mended."""
    text = unicodedata.normalize("NFC", text)
    text = JUNK_TOKEN.sub("", text)
    text = JUNK_EDGE.sub("", text)
    text = NUMBER_SPLIT.sub(r"\1-", text)
    text = "\n".join(_caps_in_text(ln) for ln in text.split("\n"))
    text = ROMAN_GLUED.sub(r"\1 ", text)
    text = ROMAN_HEADING.sub(_roman_heading, text)
    text = FRACTION_SLASH.sub("/", text)
    text = QUARTER.sub(_quarter, text)
    return "\n".join(re.sub(r"[ \t]{2,}", lambda m: "\t" if "\t" in m.group(0) else " ", ln).strip(" ")
                     for ln in text.split("\n"))
