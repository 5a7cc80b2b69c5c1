"""A record's responsibilities as the store's rows: one per agency, role and task, each with
its task, its timeline, the role in Vietnamese and the passage that assigns it.

The parser may read one sentence twice for an agency (as lead and as guide: "X chủ trì,
hướng dẫn ..."), or the same duty twice in a plan; the analyst sees it once, under the
strongest role (`labels.ROLE_PRIORITY`).
"""
from __future__ import annotations

import json
import re

from vnplan.labels import ROLE_LABELS, ROLE_PRIORITY

PASSAGE_MAX = 600  # a longer line is cut to the sentence holding the duty
CONTEXT_CHARS = 200
_SENTENCE_END = re.compile(r"[.;!?](?=\s)|\n")


def plan_label(md: dict, record_id: str) -> str:
    """How a plan is named: locality and number, else locality, title and date."""
    where = md.get("district") or md.get("province") or ("Trung ương" if md.get("level") == "national" else "")
    if md.get("number"):
        return f"{where} {md['number']}".strip()
    title = (md.get("title") or "").strip()
    title = title[:60] + "…" if len(title) > 60 else title
    date = md.get("issue_date") or ""
    return " — ".join(x for x in (where, title, date) if x) or record_id[:8]


def passage(text: str, start: int | None, end: int | None) -> str:
    """The line (list item) holding text[start:end]; a long line is cut to its sentence."""
    if start is None or end is None or not text:
        return ""
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    hi = len(text) if hi < 0 else hi
    if hi - lo > PASSAGE_MAX:
        ends = [m.end() for m in _SENTENCE_END.finditer(text, lo, start)]
        lo = ends[-1] if ends else lo
        m = _SENTENCE_END.search(text, max(end - 1, lo), hi)
        hi = m.end() if m else hi
    return text[lo:hi].strip()


def context(text: str, start: int | None, end: int | None, chars: int = CONTEXT_CHARS) -> str:
    """`chars` characters either side of the span, widened to whole words."""
    if start is None or end is None or not text:
        return ""
    lo, hi = max(start - chars, 0), min(end + chars, len(text))
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1
    while hi < len(text) and not text[hi].isspace():
        hi += 1
    return ("…" if lo else "") + text[lo:hi].strip() + ("…" if hi < len(text) else "")


def _span(obj: dict) -> tuple:
    span = obj.get("span") or {}
    return span.get("start"), span.get("end"), span.get("page")


def responsibility_rows(record: dict) -> list[dict]:
    """The store's responsibility rows of one record, without repeats (see module doc)."""
    md = record.get("metadata") or {}
    text = record.get("text") or ""
    tasks = {t.get("id"): t for t in record.get("tasks") or []}
    plan = {"plan_id": record["id"], "plan_label": plan_label(md, record["id"]),
            "province": md.get("province"), "province_2025": md.get("province_2025"), "level": md.get("level"),
            "issue_year": int(md["issue_date"][:4]) if (md.get("issue_date") or "")[:4].isdigit() else None,
            "programs": json.dumps(md.get("programs") or [], ensure_ascii=False),
            "source_path": (record.get("source") or {}).get("path")}
    rank = {r: n for n, r in enumerate(ROLE_PRIORITY)}
    resp = sorted(record.get("responsibilities") or [],
                  key=lambda r: (rank.get(r.get("role"), len(rank)), _span(r)[0] or 0))
    rows, seen = [], set()
    for r in resp:
        start, end, page = _span(r)
        agency, role, task_id = r.get("agency"), r.get("role"), r.get("task")
        where = passage(text, start, end) or r.get("duty") or ""
        keys = {("sentence", agency, where)}  # one sentence, one role per agency
        keys.add(("task", agency, role, task_id) if task_id else ("duty", agency, role, r.get("duty")))
        if keys & seen:
            continue
        seen |= keys
        task = tasks.get(task_id) or {}
        tl = task.get("timeline") or {}
        rows.append({**plan, "agency": agency, "agency_text": r.get("agency_text"), "agency_level": r.get("level"),
                     "role": role, "role_vi": ROLE_LABELS.get(role, role), "duty": r.get("duty"),
                     "task_id": task_id, "task_title": task.get("title"), "timeline_text": tl.get("text"),
                     "timeline_start": tl.get("start"), "timeline_end": tl.get("end"),
                     "passage": where, "context": context(text, start, end),
                     "section_id": r.get("section"), "span_start": start, "span_end": end, "page": page})
    return sorted(rows, key=lambda row: row["span_start"] or 0)
