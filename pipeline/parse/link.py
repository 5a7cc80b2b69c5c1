"""Links between the parts: each responsibility row and each timeline entry points to the
innermost task whose span holds it; each task gets its lead, coordinators and timeline
from them. Extractors that already know the task (a task table's row) set it themselves.
"""
from __future__ import annotations

from pipeline.model import Document
from pipeline.parse.context import Context

REQUIRES = ("tasks", "responsibilities", "timeline")
PROVIDES = ("tasks", "responsibilities", "timeline")  # the same lists, linked


def extract(doc: Document, ctx: Context) -> dict:
    tasks, rows, timeline = ctx["tasks"], ctx["responsibilities"], ctx["timeline"]
    link_responsibilities(tasks, rows)
    link_timeline(tasks, timeline)
    return {"tasks": tasks, "responsibilities": rows, "timeline": timeline}


def _contains(outer: dict | None, inner: dict | None) -> bool:
    return bool(outer and inner) and outer["start"] <= inner["start"] and inner["end"] <= outer["end"]


def innermost_task(tasks: list[dict], span: dict | None) -> dict | None:
    """The smallest task whose span holds `span`."""
    holders = [t for t in tasks if _contains(t.get("span"), span)]
    return min(holders, key=lambda t: t["span"]["end"] - t["span"]["start"]) if holders else None


def link_responsibilities(tasks: list[dict], rows: list[dict]) -> None:
    """Point each row to its task, and fill each task's lead and coordinators from its rows."""
    by_id = {t["id"]: t for t in tasks}
    for r in rows:
        if r.get("task") is None:
            holder = innermost_task(tasks, r["span"])
            r["task"] = holder["id"] if holder else None
        t = by_id.get(r["task"])
        if t is None:
            continue
        if r["role"] == "lead" and r["agency"] not in t["lead"]:
            t["lead"].append(r["agency"])
        elif r["role"] == "coordinate" and r["agency"] not in t["coordinators"] and r["agency"] not in t["lead"]:
            t["coordinators"].append(r["agency"])


def link_timeline(tasks: list[dict], timeline: list[dict]) -> None:
    """Point each entry to its task; a task without a timeline takes its first entry."""
    for entry in timeline:
        if not entry.get("task"):
            holder = innermost_task(tasks, entry.get("span"))
            if holder:
                entry["task"] = holder["id"]
    for task in tasks:
        if task.get("timeline"):
            continue
        for entry in timeline:
            if entry.get("task") == task["id"]:
                task["timeline"] = dict(entry)
                break
