"""The app's sink for the flows: the SQLite store and the comparison report.

The CLI builds a `StoreSink` and hands it to `flows.process.run_batch` / `flows.watch.watch`,
so the flows never import the app (issue 11). It implements `flows.sinks.Sink`.
"""
from __future__ import annotations

from pathlib import Path

from vnplan import store


class StoreSink:
    """Loads records into `vnplan.store` and writes `vnplan.report`'s comparison files."""

    def init_store(self, db_path: Path) -> None:
        store.init_db(db_path)

    def upsert_record(self, db_path: Path, record: dict) -> None:
        store.upsert_record(db_path, record)

    def remove_plan(self, db_path: Path, plan_id: str) -> None:
        store.remove_plan(db_path, plan_id=plan_id)

    def write_report(self, db_path: Path, out_dir: Path) -> None:
        from vnplan.report import write_comparison  # pandas and openpyxl: loaded only when a report is due

        write_comparison(db_path, out_dir)
