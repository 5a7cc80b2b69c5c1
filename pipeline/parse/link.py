"""Links between the parts: each responsibility row and each timeline entry points to the
innermost task whose span holds it; each task gets its lead, coordinators and timeline
from them. Extractors that already know the task (a task table's row) set it themselves.
"""
from __future__ import annotations

import bisect

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


class TaskSpans:
    """innermost_task for many spans: the tasks sorted by start, and each lookup walks back
    from the span's start only while an earlier task could still be smaller (a plan with
    thousands of task rows would otherwise cost tasks x rows)."""

    def __init__(self, tasks: list[dict]) -> None:
        self.items = sorted((t["span"]["start"], i, t) for i, t in enumerate(tasks) if t.get("span"))
        self.starts = [start for start, _, _ in self.items]

    def innermost(self, span: dict | None) -> dict | None:
        """The same task as innermost_task(tasks, span): the smallest holder, the first on a tie."""
        if not span:
            return None
        best: tuple[int, int, dict] | None = None
        for k in range(bisect.bisect_right(self.starts, span["start"]) - 1, -1, -1):
            start, i, task = self.items[k]
            if best and span["end"] - start > best[0]:
                break  # this task and every one before it are longer than the best
            if span["end"] <= task["span"]["end"] and (best is None or (task["span"]["end"] - start, i) < best[:2]):
                best = (task["span"]["end"] - start, i, task)
        return best[2] if best else None


def link_responsibilities(tasks: list[dict], rows: list[dict]) -> None:
    """Point each row to its task, and fill each task's lead and coordinators from its rows."""
    by_id = {t["id"]: t for t in tasks}
    spans = TaskSpans(tasks)
    for r in rows:
        if r.get("task") is None:
            holder = spans.innermost(r["span"])
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
    spans = TaskSpans(tasks)
    for entry in timeline:
        if not entry.get("task"):
            holder = spans.innermost(entry.get("span"))
            if holder:
                entry["task"] = holder["id"]
    first: dict = {}
    for entry in timeline:
        first.setdefault(entry.get("task"), entry)
    for task in tasks:
        if not task.get("timeline") and task["id"] in first:
            task["timeline"] = dict(first[task["id"]])
