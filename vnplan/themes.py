"""Task themes (the lexicon's themes.yaml): which kinds of work each plan covers."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline import lexicon
from vnplan.search_key import search_key


@dataclass(frozen=True)
class Theme:
    id: str
    label: str
    pattern: re.Pattern


@lru_cache(maxsize=1)
def themes() -> tuple[Theme, ...]:
    """The themes, each phrase list compiled once into one folded word-boundary regex."""
    data = lexicon.load("themes")
    out = []
    for t in data["themes"]:
        phrases = sorted({search_key(p) for p in t["phrases"]}, key=len, reverse=True)
        alternation = "|".join(re.escape(p).replace(r"\ ", r"[\s,-]+") for p in phrases)
        out.append(Theme(t["id"], t["label"], re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")))
    return tuple(out)


def classify(text: str) -> list[str]:
    """Ids of the themes a task's text touches, in themes.yaml order."""
    return list(_classify(text))


@lru_cache(maxsize=50_000)
def _classify(text: str) -> tuple[str, ...]:
    folded = search_key(text)
    return tuple(t.id for t in themes() if t.pattern.search(folded))


def labels() -> dict[str, str]:
    return {t.id: t.label for t in themes()}
