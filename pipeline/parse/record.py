"""The plan record (PLAN_SCHEMA.md) assembled from the parts the stages found."""
from __future__ import annotations

from pipeline.model import Document
from pipeline.parse.context import Context
from pipeline.parse.tables import table_records

REQUIRES = ("metadata", "sections", "objectives", "tasks", "responsibilities", "timeline", "budget",
            "all_tables", "warnings")
PROVIDES = ("record",)
SCHEMA_VERSION = "1"


def extract(doc: Document, ctx: Context) -> dict:
    sections = ctx["sections"]
    return {"record": {
        "schema_version": SCHEMA_VERSION,
        "id": doc.source["sha256"][:16],
        "source": dict(doc.source),
        "text": doc.text,
        "metadata": ctx["metadata"],
        "sections": [s.to_record(doc) for s in sections],
        "objectives": ctx["objectives"],
        "tasks": ctx["tasks"],
        "responsibilities": ctx["responsibilities"],
        "timeline": ctx["timeline"],
        "budget": ctx["budget"],
        "tables": table_records(doc, sections, ctx["all_tables"]),
        "warnings": ctx["warnings"],
    }}
