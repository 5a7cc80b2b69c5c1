"""List numbering as Vietnamese plans write it: "I.", "II/", "1.", "1.2.", "a)", "đ)", "-",
"+", "•"; Roman numerals; and the style of a number (roman, arabic, dotted, letter, bullet).

Every parser builds its numbering patterns from the pieces here, so that what counts as a
Roman numeral, a lower-case item letter or a bullet is said once. The parsers still choose
which forms they accept where (a table's first cell may be "A" or "—"; an item inside a
sentence only "a)" or "1."), and how many digits a level may have.
"""
from __future__ import annotations

import re

ROMAN_LETTERS = "IVXLC"
LETTER = "[a-zđ]"  # an item letter: a) b) ... đ) (Vietnamese order has đ after d)
UPPER_LETTER = "[A-Z]"
BULLETS = "-–—+*•"  # dash, en and em dash, plus, star, bullet
# A valid Roman numeral (I..CCC...), not just Roman letters: "IIII" and "VX" are not.
ROMAN_NUMERAL = re.compile(r"^(?=[IVXLC])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_DOTTED = re.compile(r"\d+(?:\.\d+)+")
_BULLET_STYLE = {"-": "dash", "–": "dash", "—": "dash", "+": "plus", "*": "star", "•": "dot"}


def roman(letters: str = ROMAN_LETTERS, most: int | None = None) -> str:
    """A run of Roman letters (`most` at the most): the pattern, not a check of validity."""
    return f"[{letters}]" + (f"{{1,{most}}}" if most else "+")


def arabic(first: int | None = None, rest: int | None = None) -> str:
    """An arabic number with dotted levels, "1", "1.2", "2.3.1": `first` and `rest` digits
    at the most for the first level and the others (None: any)."""
    head = rf"\d{{1,{first}}}" if first else r"\d+"
    tail = rf"\d{{1,{rest}}}" if rest else r"\d+"
    return rf"{head}(?:\.{tail})*"


def bullet(chars: str = BULLETS) -> str:
    """One bullet character of `chars`, as a character class."""
    return "[" + chars.replace("-", r"\-") + "]"


def is_roman(text: str) -> bool:
    return bool(ROMAN_NUMERAL.match(text))


def style(numbering: str, prev_styles: list[str]) -> str:
    """The style of an item's numbering: roman, arabic, dotted<N>, upper, lower, dash, plus,
    star, dot, other or none. A single "I", "V", "X" after upper-case letters (A, B, ...)
    is a letter, unless Roman numerals came first."""
    n = numbering.strip().rstrip(".):")
    if not n:
        return "none"
    if _DOTTED.fullmatch(n):
        return f"dotted{n.count('.')}"
    if n.isdigit():
        return "arabic"
    if is_roman(n) and not ("upper" in prev_styles and len(n) == 1 and "roman" not in prev_styles):
        return "roman"
    if re.fullmatch(UPPER_LETTER, n):
        return "upper"
    if re.fullmatch(LETTER, n):
        return "lower"
    return _BULLET_STYLE.get(n, "other")
