"""Where a flow run's results go besides the record files: the store and the report.

The store and the report belong to the app (`vnplan`), which sits above the flows; the flows
know only this interface, and the app hands them an implementation (issue 11).

A sink is not passed as a Prefect flow parameter (Prefect validates and serializes those):
`bound` registers it under a fresh key for one run, the key is the parameter, and the flow
looks the sink up with `sink_for`. The flow body (unlike its tasks) always runs in the
caller's process, whatever the task runner, so the registry is shared with it.
"""
from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol


class Sink(Protocol):
    """What the flows need from the store and the report; every call names the store's path."""

    def init_store(self, db_path: Path) -> None:
        """Create the store's tables if they are not there yet."""

    def upsert_record(self, db_path: Path, record: dict) -> None:
        """Load one record, replacing an earlier load of the same plan or source."""

    def remove_plan(self, db_path: Path, plan_id: str) -> None:
        """Drop a plan whose record is gone."""

    def write_report(self, db_path: Path, out_dir: Path) -> None:
        """Write the comparison report of everything in the store into `out_dir`."""


_bound: dict[str, Sink] = {}
_lock = threading.Lock()  # runs may start from several threads (the watcher, tests)


@contextmanager
def bound(sink: Sink) -> Iterator[str]:
    """Register `sink` for the duration of one run; yields the key to hand to the flow."""
    key = uuid.uuid4().hex
    with _lock:
        _bound[key] = sink
    try:
        yield key
    finally:
        with _lock:
            del _bound[key]


def sink_for(key: str) -> Sink:
    """The sink registered under `key` by `bound`."""
    with _lock:
        sink = _bound.get(key)
    if sink is None:
        raise LookupError(f"no sink bound under {key!r}: start the flow through run_batch, "
                          "which binds the app's store and report for the run")
    return sink
