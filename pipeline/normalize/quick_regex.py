"""Faster scans with the same matches: a first-character lookahead, and one test for a list.

Python's `re` tries a whole pattern at every position of the text; a pattern that opens
with an optional word ("(?:các\\s+)?sở ...") or a lookbehind costs that at each character.
`quick(pattern)` puts in front of it a lookahead of the characters a match can start with,
worked out from the parsed pattern, so most positions fail at once; `any_of(patterns)`
is one such pattern for a whole list, to skip the per-pattern scans of a text in which
none of them matches. Both find exactly what the patterns find: the lookahead only
restates what the pattern requires of its first character (and under the same case
flags). A pattern whose first character cannot be worked out (a class, a dot, a match of
nothing) is compiled as it is.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

try:  # the parser of `re` (Python 3.11+); without it patterns are compiled as they are
    from re import _constants as C, _parser as P
except ImportError:  # pragma: no cover - older Pythons
    C = P = None

_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
_ZERO_WIDTH = ("AT", "ASSERT", "ASSERT_NOT")
_NAMES = {getattr(C, n): n for n in ("LITERAL", "SUBPATTERN", "BRANCH", "ATOMIC_GROUP", *_REPEATS, *_ZERO_WIDTH)
          if C is not None and hasattr(C, n)}


class _Unknown(Exception):
    """A first character the walk cannot name."""


def _first_of(seq, ignorecase: bool) -> tuple[set[tuple[str, bool]], bool]:
    """(characters a match of the parsed sequence can start with, each with its case flag;
    whether the sequence can match nothing)."""
    out: set[tuple[str, bool]] = set()
    for op, av in seq:
        first, empty = _first_item(op, av, ignorecase)
        out |= first
        if not empty:
            return out, False
    return out, True


def _first_item(op, av, ignorecase: bool) -> tuple[set[tuple[str, bool]], bool]:
    name = _NAMES.get(op)
    if name == "LITERAL":
        return {(chr(av), ignorecase)}, False
    if name == "SUBPATTERN":
        _, add, remove, p = av
        if add & C.SRE_FLAG_IGNORECASE:
            ignorecase = True
        if remove & C.SRE_FLAG_IGNORECASE:
            ignorecase = False
        return _first_of(p, ignorecase)
    if name == "BRANCH":
        out, empty = set(), False
        for p in av[1]:
            first, e = _first_of(p, ignorecase)
            out |= first
            empty = empty or e
        return out, empty
    if name in _REPEATS:
        low, _, p = av
        first, empty = _first_of(p, ignorecase)
        return first, empty or low == 0
    if name == "ATOMIC_GROUP":
        return _first_of(av, ignorecase)
    if name in _ZERO_WIDTH:
        return set(), True  # takes no character: the next item gives the first one
    raise _Unknown(name)


def first_chars(pattern: str, flags: int = 0) -> set[tuple[str, bool]] | None:
    """The characters every match of `pattern` starts with, each with whether it is matched
    ignoring case; None when the walk cannot tell (or a match may be empty)."""
    if P is None:
        return None
    try:
        parsed = P.parse(pattern, flags)
        first, empty = _first_of(parsed, bool(parsed.state.flags & C.SRE_FLAG_IGNORECASE))
    except (_Unknown, re.error, TypeError, ValueError):
        return None
    return None if empty or not first else first


def _lookahead(first: set[tuple[str, bool]]) -> str:
    parts = []
    for ignorecase in (True, False):
        chars = sorted(c for c, i in first if i is ignorecase)
        if chars:
            parts.append(f"(?{'i' if ignorecase else '-i'}:[{''.join(re.escape(c) for c in chars)}])")
    return "(?=" + "|".join(parts) + ")"


def quick(pattern: str, flags: int = 0) -> re.Pattern:
    """`pattern` compiled with a lookahead of its possible first characters in front (the
    same matches, groups and spans)."""
    first = first_chars(pattern, flags)
    if first is None:
        return re.compile(pattern, flags)
    return re.compile(_lookahead(first) + "(?:" + pattern + ")", flags)


_GROUP_NAME = re.compile(r"\(\?P<\w+>")
_BACKREF = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")


def any_of(patterns: Iterable[re.Pattern]) -> re.Pattern | None:
    """One pattern that matches at a position where any of `patterns` (compiled with the same
    flags) does: `any_of(ps).search(text) is None` says that none of them matches in `text`.
    None when the patterns cannot be joined (different flags, back-references)."""
    patterns = list(patterns)
    if not patterns or len({p.flags for p in patterns}) != 1:
        return None
    sources = [p.pattern for p in patterns]
    if any(_BACKREF.search(s) for s in sources):
        return None  # group numbers change when patterns are joined
    joined = "|".join("(?:" + _GROUP_NAME.sub("(?:", s) + ")" for s in sources)
    try:
        return quick(joined, patterns[0].flags)
    except re.error:
        return None
