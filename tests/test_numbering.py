"""List numbering: Roman numerals and item styles, as plans write them."""
from __future__ import annotations

import re

import pytest

from pipeline.normalize import numbering


@pytest.mark.parametrize("text, ok", [("I", True), ("IV", True), ("XIV", True), ("IIII", False), ("VX", False),
                                      ("", False), ("IL", False)])
def test_roman_numerals_are_valid_ones_only(text, ok):
    assert numbering.is_roman(text) is ok


@pytest.mark.parametrize("number, before, style", [
    ("II.", [], "roman"), ("1.", [], "arabic"), ("1.2.", [], "dotted1"), ("a)", [], "lower"), ("đ)", [], "lower"),
    ("-", [], "dash"), ("+", [], "plus"), ("", [], "none"),
    ("I.", ["upper"], "upper"),  # "A. ... B. ... I." : the ninth letter, not Roman one
    ("I.", ["roman", "upper"], "roman"),
])
def test_style_of_a_numbering(number, before, style):
    assert numbering.style(number, before) == style


def test_pieces_build_the_row_numbering_of_a_task_table():
    row = re.compile(rf"^(?:{numbering.roman(most=6)}|{numbering.arabic(3, 2)}|{numbering.LETTER}|{numbering.bullet()})[.):]?$")
    assert all(row.match(t) for t in ("III", "12.3", "đ)", "—", "1."))
    assert not any(row.match(t) for t in ("Sở", "2020 - 2025", "1.123"))
