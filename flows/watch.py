"""Watch an inbox folder: each new or changed document becomes a record, store row and report.

On start the backlog (files that arrived while the watcher was down) is processed. A file
is read only once its size and modification time have stayed the same for `settle`
seconds, so a file still being copied in is never half-read. Each batch of ready files is
one run of the `process-folder` flow; the ledger (content hash) makes the same bytes
never processed twice.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from flows.inputs import IGNORED_NAMES, PARTIAL_SUFFIXES, Outputs, inside_output
from flows.process import OutputUnwritable, run_batch
from flows.sinks import Sink


class _Collector(FileSystemEventHandler):
    def __init__(self, outputs: Outputs | None = None, inbox: Path | None = None) -> None:
        self.pending: dict[str, tuple[int, float, float]] = {}
        self.lock = threading.Lock()
        self.outputs = outputs
        self.inbox = inbox or Path(".")

    def _note(self, path: str) -> None:
        name = Path(path).name
        if name.startswith(IGNORED_NAMES) or name.endswith(PARTIAL_SUFFIXES):
            return
        if self.outputs and self._ours(Path(path)):
            return  # the watcher's own outputs (an --out inside the inbox) are never inputs
        with self.lock:
            self.pending[path] = (-1, -1.0, time.monotonic())

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory or event.event_type not in ("created", "modified", "moved", "closed"):
            return
        self._note(event.dest_path or event.src_path)  # a move names its new place

    def _ours(self, path: Path) -> bool:
        return self.outputs.written_by_us(path) or inside_output(path, self.outputs.out_dir, self.inbox)

    def ready(self, settle: float) -> list[str]:
        """Paths whose size and mtime have not changed for `settle` seconds."""
        now = time.monotonic()
        out = []
        with self.lock:
            for path, (size, mtime, since) in list(self.pending.items()):
                try:
                    st = Path(path).stat()
                except FileNotFoundError:
                    del self.pending[path]
                    continue
                if (st.st_size, st.st_mtime) != (size, mtime):
                    self.pending[path] = (st.st_size, st.st_mtime, now)
                elif now - since >= settle:
                    out.append(path)
                    del self.pending[path]
        return out


def watch(inbox: Path, out_dir: Path, db_path: Path | None = None, settle: float = 0.5,
          poll: float = 0.1, stop: threading.Event | None = None, max_seconds: float | None = None,
          on_batch: Callable[[dict], None] | None = None, *, sink: Sink) -> None:
    """Process the backlog, then every new file, until `stop` is set or `max_seconds` pass;
    store rows and the report go through `sink`."""
    inbox.mkdir(parents=True, exist_ok=True)
    collector = _Collector(Outputs(out_dir, db_path), inbox)
    observer = Observer()
    observer.schedule(collector, str(inbox), recursive=True)
    observer.start()  # before the backlog run, so nothing dropped meanwhile is missed
    started = time.monotonic()
    def batch(paths: list[Path], scope: list[Path] | None) -> None:
        try:
            summary = run_batch(paths, out_dir, db_path, report=True, scope=scope, sink=sink)
        except OutputUnwritable as exc:  # a full or read-only output: say so, keep watching
            summary = {"processed": 0, "skipped": 0, "errors": 1, "files": [],
                       "error_list": [{"file": str(out_dir), "reason": "output_unwritable", "message": str(exc)}]}
            for p in paths if scope else []:
                collector._note(str(p))  # tried again once the output can be written
        if on_batch:
            on_batch(summary)

    try:
        batch([inbox], None)
        while not (stop and stop.is_set()):
            if max_seconds is not None and time.monotonic() - started > max_seconds:
                break
            ready = collector.ready(settle)
            if ready:
                batch([Path(p) for p in ready], [inbox])
            time.sleep(poll)
    finally:
        observer.stop()
        observer.join(timeout=5)
