"""The parse stages, in order: each a module with REQUIRES, PROVIDES and `extract(doc, ctx)`.

As in spaCy's pipeline of components (each declares what it requires and what it assigns)
and dateparser's list of parsers, the order is data: a tool may run a prefix of STAGES or
its own list. `check_order` refuses a list in which a stage requires a part that no
earlier stage provides, so a reordering fails at once rather than deep in a parser.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from types import ModuleType

from pipeline.model import Document
from pipeline.parse import (budget, link, metadata, objectives, plan_checks, record, responsibilities, sections,
                            tables, tasks, time_context, timeline)
from pipeline.parse.context import Context

STAGES: tuple[ModuleType, ...] = (
    sections,          # the heading tree
    metadata,          # header, title, period, legal bases and references
    time_context,      # the year, period and issue date time expressions are read against
    timeline,          # expressions that schedule work
    tasks,             # numbered items of task sections, task-table rows
    responsibilities,  # who leads, coordinates, advises ... from tables and sentences
    objectives,        # objectives and their quantified targets
    tables,            # ruled tables merged across pages
    budget,            # tables rebuilt from OCR'd text, total, sources, items, checks
    link,              # responsibilities and timeline entries to their tasks
    plan_checks,       # warnings
    record,            # the plan record
)


class StageOrderError(ValueError):
    """A stage list in which some stage requires what no earlier stage provides."""


def stage_name(stage: ModuleType) -> str:
    return stage.__name__.rsplit(".", 1)[-1]


def check_order(stages: Sequence[ModuleType], given: Sequence[str] = ()) -> None:
    """Raise StageOrderError unless every stage's REQUIRES is provided before it
    (`given`: parts already in the context)."""
    have = set(given)
    for stage in stages:
        missing = [p for p in stage.REQUIRES if p not in have]
        if missing:
            raise StageOrderError(f"stage {stage_name(stage)!r} requires {', '.join(missing)}, "
                                  "which no earlier stage provides")
        have.update(stage.PROVIDES)


def run(doc: Document, stages: Sequence[ModuleType] = STAGES, ctx: Context | None = None,
        after: Callable[[str], None] | None = None) -> Context:
    """Run `stages` on `doc` and return the context holding every part they provided;
    `after(stage name)` is called after each stage (the time limit's check)."""
    ctx = ctx if ctx is not None else Context(doc)
    check_order(stages, list(ctx.parts))
    for stage in stages:
        parts = stage.extract(doc, ctx)
        if set(parts) != set(stage.PROVIDES):
            raise StageOrderError(f"stage {stage_name(stage)!r} returned {sorted(parts)}, "
                                  f"declared {sorted(stage.PROVIDES)}")
        ctx.parts.update(parts)
        if after is not None:
            after(stage_name(stage))
    return ctx
