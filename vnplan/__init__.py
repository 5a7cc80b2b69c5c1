"""vnplan: Vietnamese government plans as structured, comparable records.

`vnplan.load(db)` gives the store as pandas DataFrames; imports stay lazy so that
`import vnplan` is cheap.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas


def load(db: Path | str = "outputs/vnplan.db") -> "dict[str, pandas.DataFrame]":
    """The store's main tables as DataFrames: plans, responsibilities, targets, timeline,
    budget_items, tasks (see vnplan.api.load)."""
    from vnplan.api import load as _load

    return _load(db)
