"""Numbers written the Vietnamese way: "1.500" (thousands dot), "1,5" (decimal comma), "02"."""
from __future__ import annotations

import re

# A number as written in Vietnamese administrative text.
NUMBER_PATTERN = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
NUMBER = re.compile(rf"(?<![\d.,])(?:{NUMBER_PATTERN})(?![\d])")
_DOT_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_COMMA_DECIMAL = re.compile(r"\d+,\d+")
_DOT_DECIMAL = re.compile(r"\d+(?:\.\d+)?")
_COMMA_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def parse_number(text: str, comma_thousands: bool = False) -> float | None:
    """'17.770' -> 17770, '1,5' -> 1.5, '02' -> 2, '1.500,25' -> 1500.25; None if not a number.

    A single dot followed by exactly three digits is a thousands separator ("1.500"),
    as Vietnamese writes it; "1.5" (not three digits) is read as a decimal, as typed by
    people used to English notation. `comma_thousands` reads "2,150" as 2150 (a caller
    that knows the commas of its numbers separate thousands: a column of whole numbers).
    """
    s = text.strip().replace(" ", "")
    if not s:
        return None
    if comma_thousands and _COMMA_THOUSANDS.fullmatch(s):
        return float(s.replace(",", ""))
    if _DOT_THOUSANDS.fullmatch(s):
        return float(s.replace(".", "").replace(",", "."))
    if _COMMA_DECIMAL.fullmatch(s):
        # "1,500" with three digits after the comma is ambiguous; Vietnamese reads it as 1.5
        return float(s.replace(",", "."))
    if _DOT_DECIMAL.fullmatch(s):
        return float(s)
    if _COMMA_THOUSANDS.fullmatch(s):
        # English-style thousands separators, seen in tables copied from spreadsheets
        return float(s.replace(",", ""))
    return None


def as_int_if_whole(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value
