"""Objectives and quantified targets (stub: replaced by the real parser)."""
from __future__ import annotations

from pipeline.model import Document, Section


def extract_objectives(doc: Document, sections: list[Section], metadata: dict) -> list[dict]:
    return []
