"""Header metadata (stub: replaced by the real parser)."""
from __future__ import annotations

from pipeline.model import Document, Section


def parse_metadata(doc: Document, sections: list[Section]) -> dict:
    return {
        "doc_type": "other", "attached_doc_types": [], "number": None, "issue_date": None,
        "issue_place": None, "issuer": None, "level": None, "province": None, "district": None,
        "province_2025": None, "title": "", "programs": [], "period": None, "signer": None,
        "legal_bases": [], "references": [], "recipients": [],
    }
