"""Amounts of money written the Vietnamese way, as an integer number of đồng.

"17.770 triệu đồng" -> 17_770_000_000; "1,5 tỷ đồng" -> 1_500_000_000; a table cell "540"
under "ĐVT: Triệu đồng" -> 540_000_000. Numbers go through `parse_number` (thousands dot,
decimal comma); unit words live in the lexicon (money.yaml). Unit words are matched with tone marks
and case ignored, because OCR drops and swaps them ("triệu đông").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


from pipeline import lexicon
from pipeline.normalize.fold import fold
from pipeline.normalize.numbers import NUMBER, NUMBER_PATTERN, parse_number



@dataclass(frozen=True)
class Unit:
    multiplier: int
    text: str  # as written, e.g. "Triệu đồng"


@dataclass(frozen=True)
class Amount:
    vnd: int
    start: int
    end: int
    unit: Unit
    per_unit: bool  # "50 triệu đồng/sản phẩm": a rate, not a sum
    low_vnd: int | None = None  # a range "91.299 - 97.386 tỷ đồng": its lower bound (vnd the upper)






@dataclass(frozen=True)
class _Tables:
    word_re: re.Pattern  # any unit word, on folded text
    currency_re: re.Pattern  # unit words that name the đồng
    declaration_re: re.Pattern  # "ĐVT: <unit>"
    multipliers: dict  # folded word -> multiplier
    amount_re: re.Pattern  # number + unit (+ number + unit ...), on folded text
    part_re: re.Pattern  # one number + unit of an amount (groups: number, unit word)
    joiner_re: re.Pattern  # what joins the bounds of a range, alone between them (folded)
    low_re: re.Pattern  # a bare number and a joiner just before an amount: "12.173 - " (folded)


def _alternation(words: list[str]) -> str:
    # longest first, so "triệu đồng" wins over "triệu"; a word ends where letters end
    alts = sorted({re.escape(fold(w)).replace(r"\ ", r"\s*") for w in words}, key=len, reverse=True)
    return "(?:" + "|".join(alts) + r")(?![^\W\d_])"


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    data = lexicon.load("money")
    mult: dict[str, int] = {}
    words: list[str] = []
    currency: list[str] = []
    for unit in data["units"]:
        for w in unit["currency_words"] + unit.get("bare_words", []):
            mult[re.sub(r"\s+", "", fold(w))] = int(unit["multiplier"])
            words.append(w)
        currency.extend(unit["currency_words"])
    word = _alternation(words)
    decl = _alternation(data["declarations"])
    amount = rf"{NUMBER.pattern}\s*{word}(?:\s*{NUMBER.pattern}\s*{word})*"
    joiner = "(?:" + "|".join(re.escape(fold(w)) for w in sorted(data["range_joiners"], key=len, reverse=True)) + ")"
    return _Tables(
        word_re=re.compile(word),
        currency_re=re.compile(_alternation(currency)),
        declaration_re=re.compile(rf"{decl}\s*[:.]?\s*\(?\s*({word})"),
        multipliers=mult,
        amount_re=re.compile(amount),
        part_re=re.compile(rf"({NUMBER_PATTERN})\s*({word})"),
        joiner_re=re.compile(rf"^\s*{joiner}\s*$"),
        low_re=re.compile(rf"(?<![\d.,])({NUMBER_PATTERN})\s*{joiner}\s*$"),
    )


def _unit_of(word: str, original: str) -> Unit | None:
    m = _tables().multipliers.get(re.sub(r"\s+", "", word))
    return Unit(m, original.strip()) if m else None


def declared_unit(text: str) -> Unit | None:
    """The unit a caption or header declares: "ĐVT: Triệu đồng", "Đơn vị tính: tỷ đồng"."""
    m = _tables().declaration_re.search(fold(text))
    return _unit_of(m.group(1), text[m.start(1):m.end(1)]) if m else None


def currency_unit(text: str) -> Unit | None:
    """A unit naming the đồng anywhere in `text`: "Kinh phí (triệu đồng)", "ĐVT: ..."."""
    unit = declared_unit(text)
    if unit:
        return unit
    m = _tables().currency_re.search(fold(text))
    return _unit_of(m.group(0), text[m.start():m.end()]) if m else None


NUMBER_IN_CELL = re.compile(rf"^\s*(?:{NUMBER_PATTERN})\s*$")
SPACED_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?: \d{3})+(?![\d])")  # "17 770": a space for the dot
FOOTNOTE = re.compile(r"[*\u00b9\u00b2\u00b3]+$|\(\d\)$")


def parse_amount(text: str, unit: Unit | None = None, comma_thousands: bool = False) -> int | None:
    """One amount, from a table cell or a short phrase; None when it holds no amount.

    A unit written in `text` wins over `unit` (the table's declared unit). Without any
    unit the number is taken as đồng. `comma_thousands` reads "2,150" as 2150 (a column
    whose other cells are whole numbers: the comma is a misread or English-style dot).
    """
    s = FOOTNOTE.sub("", (text or "").strip()).strip()
    s = SPACED_THOUSANDS.sub(lambda m: m.group(0).replace(" ", "."), s)
    if not s:
        return None
    folded = fold(s)
    m = _tables().amount_re.fullmatch(folded)
    if m:
        return _compound(s, folded)
    if not NUMBER_IN_CELL.match(s):
        return None
    value = parse_number(s, comma_thousands)
    if value is None:
        return None
    return round(value * (unit.multiplier if unit else 1))


def _compound(s: str, folded: str) -> int | None:
    """ "2 tỷ 500 triệu đồng" -> sum of each number times the unit after it."""
    total = 0.0
    for m in _tables().part_re.finditer(folded):
        value = parse_number(s[m.start(1):m.end(1)])
        unit = _unit_of(m.group(2), "")
        if value is None or unit is None:
            return None
        total += value * unit.multiplier
    return round(total)


OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "Z": "2", "z": "2", "S": "5", "l": "1", "I": "1", "B": "8"})
OCR_NUMBER = re.compile(r"^(?=.*\d)[\dOoZzSlIB.,]+$")


def repair_ocr_digits(token: str) -> str:
    """ "Z5" -> "25", "1O0" -> "100": letters OCR reads for digits inside a number; any
    other token comes back unchanged."""
    if not OCR_NUMBER.match(token) or token.isdigit():
        return token
    fixed = token.translate(OCR_DIGITS)
    return fixed if parse_number(fixed) is not None else token


PER_UNIT = re.compile(r"^\s*(?:/|\bmỗi\b|\bmột\b\s+\w|cho\s+mỗi)", re.IGNORECASE)


def find_amounts(text: str, bare_units: bool = False) -> list[Amount]:
    """Money amounts written with a unit in prose: "17.770 triệu đồng", "1,5 tỷ đồng".

    Bare multipliers ("1,5 tỷ", "300 triệu") count only with `bare_units`, for lines the
    caller already knows are about money (a budget section).
    """
    tabs = _tables()
    folded = fold(text)
    out: list[Amount] = []
    for m in tabs.amount_re.finditer(folded):
        piece = folded[m.start():m.end()]
        if not bare_units and not tabs.currency_re.search(piece) and not _currency_follows(folded, m.end()):
            continue
        bare_dong = re.search(r"\d\s*dong$", piece)
        if "\t" in piece or "\n" in piece or (bare_dong and _word_goes_on(text, m.end())):
            continue  # "4<tab>Đồng bộ hóa", "2050 đồng bộ": a cell's number, or "đồng" in a word
        vnd = _compound(text[m.start():m.end()], piece)
        if vnd is None:
            continue
        last_unit = list(tabs.word_re.finditer(piece))[-1]
        unit = _unit_of(last_unit.group(0), text[m.start() + last_unit.start():m.start() + last_unit.end()])
        per_unit = bool(PER_UNIT.match(text[m.end():m.end() + 12]))
        out.append(Amount(vnd, m.start(), m.end(), unit, per_unit))
    return out


def _word_goes_on(text: str, end: int) -> bool:
    """The amount's last word is the first syllable of a longer word ("đồng bộ", "đồng
    thời", "đồng ý"): the dictionary's two-syllable words (lexicon.compounds)."""
    last = re.search(r"(\w+)$", text[:end])
    nxt = re.match(r"[ \u00a0]+(\w+)", text[end:end + 20])
    return bool(last and nxt and (last.group(1).lower(), nxt.group(1).lower()) in lexicon.compounds())


def _currency_follows(folded: str, end: int) -> bool:
    """ "1,5 tỷ đồng" is split by the greedy unit match as "1,5 tỷ" + " đồng"."""
    return bool(re.match(r"\s*(?:dong|vnd)(?![^\W\d_])", folded[end:end + 8]))


YEAR = re.compile(r"(?:19|20)\d\d")


def with_ranges(text: str, amounts: list[Amount]) -> list[Amount]:
    """`amounts` (of `text`, as find_amounts gives them) with each range made one amount:
    "91.299 tỷ đồng - 97.386 tỷ đồng" and "12.173 - 18.260 tỷ đồng" become the upper bound
    with `low_vnd` the lower one, spanning both."""
    tabs = _tables()
    folded = fold(text)
    out: list[Amount] = []
    for a in amounts:
        prev = out[-1] if out else None
        if prev is not None and prev.low_vnd is None and not prev.per_unit \
                and tabs.joiner_re.match(folded[prev.end:a.start]) and prev.vnd < a.vnd:
            out[-1] = Amount(a.vnd, prev.start, a.end, a.unit, a.per_unit, prev.vnd)
            continue
        low = tabs.low_re.search(folded, prev.end if prev else 0, a.start)
        bare = text[low.start(1):low.end(1)] if low and low.end() == a.start else ""
        value = parse_number(bare) if bare and not YEAR.fullmatch(bare) else None  # "Năm 2024 - 2.500 triệu"
        if value is not None and 0 < value * a.unit.multiplier < a.vnd:
            out.append(Amount(a.vnd, low.start(1), a.end, a.unit, a.per_unit, round(value * a.unit.multiplier)))
            continue
        out.append(a)
    return out
