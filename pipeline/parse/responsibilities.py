"""Tasks and who does what (stub: replaced by the real parser)."""
from __future__ import annotations

from pipeline.model import Document, Section


def extract_assignments(doc: Document, sections: list[Section], metadata: dict) -> tuple[list[dict], list[dict]]:
    """Return (tasks, responsibilities) as record dicts."""
    return [], []
