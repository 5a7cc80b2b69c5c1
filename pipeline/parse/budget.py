"""Budget (stub: replaced by the real parser)."""
from __future__ import annotations

from pipeline.model import Document, Section


def extract_budget(doc: Document, sections: list[Section], metadata: dict) -> dict | None:
    return None
