"""The store as pandas DataFrames, for notebooks: `vnplan.load("outputs/vnplan.db")`."""
from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pandas as pd

from vnplan.store import connect, require

# Each frame carries the plan's locality columns so it can be grouped without a join.
_PLAN_COLS = "p.locality, p.province, p.province_2025, p.level, p.number"
FRAMES = {
    "plans": "SELECT * FROM plans ORDER BY province, issue_date",
    # responsibilities carry the plan's province, level ... themselves (Datasette facets on them)
    "responsibilities": "SELECT r.*, p.locality, p.number FROM responsibilities r JOIN plans p ON p.id = r.plan_id "
                        "ORDER BY r.id",
    "targets": f"SELECT t.*, {_PLAN_COLS} FROM targets t JOIN plans p ON p.id = t.plan_id ORDER BY t.id",
    "timeline": f"SELECT t.*, {_PLAN_COLS} FROM timeline t JOIN plans p ON p.id = t.plan_id ORDER BY t.id",
    "budget_items": f"SELECT b.*, {_PLAN_COLS} FROM budget_items b JOIN plans p ON p.id = b.plan_id ORDER BY b.id",
    "budget_sources": f"SELECT b.*, {_PLAN_COLS} FROM budget_sources b JOIN plans p ON p.id = b.plan_id ORDER BY b.id",
    "tasks": f"SELECT t.*, {_PLAN_COLS} FROM tasks t JOIN plans p ON p.id = t.plan_id ORDER BY t.id",
}


def load(db: Path | str = "outputs/vnplan.db", include_text: bool = False) -> dict[str, pd.DataFrame]:
    """One DataFrame per table (plans without the full text unless `include_text`)."""
    with closing(connect(require(db), readonly=True)) as conn:
        frames = {name: pd.read_sql_query(sql, conn) for name, sql in FRAMES.items()}
    if not include_text:
        frames["plans"] = frames["plans"].drop(columns=["text"])
    return frames
