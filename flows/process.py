"""Prefect flows: one document to one record, and a folder of documents concurrently.

A document's failure never stops the batch: it is recorded (file and reason) in the
ledger and in `errors.json`, and its input file is left where it was. Records are written
atomically and loaded into the store in one transaction each. The store and the report are
the app's: the flows reach them only through the `Sink` the caller hands to `run_batch`.
"""
from __future__ import annotations

import flows.prefect_env  # noqa: F401  (must precede the prefect import)

import errno
import json
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.futures import as_completed
from prefect.runtime import flow_run
from prefect.states import Failed, State
from prefect.task_runners import ThreadPoolTaskRunner

from flows import ledger
from flows.errors_file import write_errors  # noqa: F401  (re-exported)
from flows.inputs import IGNORED_NAMES, PARTIAL_SUFFIXES, Outputs, discover, is_utf8, name_refusal, scan  # noqa: F401
from flows.server import prefect_api
from flows.sinks import Sink, bound, sink_for
from pipeline import PIPELINE_VERSION
from pipeline.build import build_record, file_sha256, write_json_atomic
from pipeline.extract.errors import ExtractError
from pipeline.settings import Settings, get_settings

# failures that say something about the machine, not the file: retried at the next run
# (the same bytes may well be read once the OCR engine or converter is back, or the machine idle)
ENVIRONMENT_REASONS = frozenset({"ocr_unavailable", "converter_unavailable", "convert_timeout", "timeout",
                                 "ocr_failed", "not_found", "unreadable", "MemoryError", "OSError",
                                 "PermissionError", "disk_full", "read_only", "output_failed"})


class OutputUnwritable(RuntimeError):
    """The output folder or store cannot be written at all (read-only, disk full): nothing
    can be processed; the message says which folder and the real cause."""


@dataclass
class BatchResult:
    processed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)  # this run's files: outcome, reason, seconds
    reconciled: list[str] = field(default_factory=list)  # records a crash left out of the store
    seconds: float = 0.0

    def summary(self) -> dict:
        return {"processed": len(self.processed), "skipped": len(self.skipped),
                "errors": len(self.errors), "seconds": round(self.seconds, 2)}


def _settings_key(settings: Settings) -> str:
    return ledger.fingerprint(settings.fingerprint())


def _task_run_name() -> str:
    """A task run is named after its file, so the Prefect UI says which document it is."""
    from prefect.runtime import task_run

    return f"build {Path(task_run.parameters['path']).name}"


@task(name="build-record", task_run_name=_task_run_name)
def build_record_task(path: str, max_seconds: float | None = None) -> dict | State:
    """Extract, parse and validate one document. A document that fails ends its task run
    Failed, with the reason as the state's message and the error as its data (the batch
    goes on); the record's warnings go to the run's logs."""
    started = time.perf_counter()
    logger = get_run_logger()
    try:
        rec = build_record(path, max_seconds=max_seconds)
    except ExtractError as exc:
        error = {"file": path, "reason": exc.reason, "message": exc.detail}
    except Exception as exc:  # noqa: BLE001 - any parser bug must not stop the batch
        error = {"file": path, "reason": type(exc).__name__, "message": str(exc)[:500]}
    else:
        for w in rec.get("warnings") or []:
            logger.warning("%s: %s: %s", Path(path).name, w.get("code"), w.get("message"))
        return {"path": path, "record": rec, "seconds": time.perf_counter() - started}
    logger.error("%s: %s: %s", path, error["reason"], error["message"])
    return Failed(message=f"{Path(path).name}: {error['reason']}: {error['message']}",
                  data={"path": path, "error": error, "seconds": time.perf_counter() - started})


def _store_record(rec: dict, path: str, sha: str, out_dir: Path, db_path: Path, settings_key: str,
                  seconds: float | None, sink: Sink) -> None:
    previous = ledger.lookup(db_path, path)
    target = out_dir / "plans" / f"{rec['id']}.json"
    new = not target.exists()
    write_json_atomic(target, rec)
    try:
        sink.upsert_record(db_path, rec)
    except BaseException:
        if new:  # the store could not take it (disk full): no record without its store rows
            target.unlink(missing_ok=True)
        raise
    ledger.record(db_path, ledger.Entry(path, sha, rec["id"], PIPELINE_VERSION, settings_key, "ok", None, None), seconds)
    _retire(previous, rec["id"], path, out_dir, db_path, sink)


def _retire(previous: ledger.Entry | None, new_id: str, path: str, out_dir: Path, db_path: Path, sink: Sink) -> None:
    """The file at `path` now holds other bytes: its old record goes, unless another path
    holds the same old bytes, which then becomes that record's source."""
    if not (previous and previous.plan_id and previous.plan_id != new_id):
        return
    old_json = out_dir / "plans" / f"{previous.plan_id}.json"
    holder = ledger.other_path_with_plan(db_path, previous.plan_id, path)
    if holder and old_json.exists():
        old = json.loads(old_json.read_text(encoding="utf-8"))
        old["source"]["path"] = holder
        write_json_atomic(old_json, old)
        sink.upsert_record(db_path, old)
    else:
        old_json.unlink(missing_ok=True)
        sink.remove_plan(db_path, previous.plan_id)


def _plan_for_unchanged(path: str, sha: str, out_dir: Path, db_path: Path, settings_key: str,
                        sink: Sink) -> str | None:
    """The id of an up-to-date record of these bytes, if there is one (so nothing is redone).
    A file overwritten with the bytes of another input drops its old plan (no phantom)."""
    same = ledger.done_with_same_bytes(db_path, sha, PIPELINE_VERSION, settings_key)
    if same and same.plan_id and (out_dir / "plans" / f"{same.plan_id}.json").exists():
        if same.path != path:
            previous = ledger.lookup(db_path, path)
            ledger.record(db_path, ledger.Entry(path, sha, same.plan_id, PIPELINE_VERSION, settings_key, "ok", None, None))
            _retire(previous, same.plan_id, path, out_dir, db_path, sink)
        return same.plan_id
    return None


def _same_error_again(path: str, sha: str, db_path: Path, settings_key: str) -> bool:
    """These bytes already failed with this pipeline and settings: they would fail again
    (the error stays in errors.json)."""
    prev = ledger.lookup(db_path, path)
    return bool(prev and prev.status == "error" and prev.sha256 == sha and prev.reason not in ENVIRONMENT_REASONS
                and prev.pipeline_version == PIPELINE_VERSION and prev.settings == settings_key)


def _probe_writable(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=folder, prefix=".vnplan-probe-"):
        pass


def _no_space(out_dir: Path) -> bool:
    try:
        return shutil.disk_usage(out_dir).free < 64 * 1024
    except OSError:
        return False


def output_failure(exc: BaseException, out_dir: Path) -> dict:
    """The real cause of a failed write into the output folder (disk full, read-only, ...)."""
    text = str(exc)
    code = getattr(exc, "errno", None) or getattr(exc, "sqlite_errorcode", None)
    if code == errno.ENOSPC or "disk is full" in text or code == sqlite3.SQLITE_FULL:
        reason = "disk_full"
    elif code in (errno.EROFS, errno.EACCES, errno.EPERM) or "readonly" in text or "read-only" in text \
            or code == sqlite3.SQLITE_READONLY:
        reason = "read_only"
    elif _no_space(out_dir):  # SQLite says "disk I/O error" when its journal cannot grow
        reason, text = "disk_full", f"{text} (no space left on the device)"
    else:
        reason = "output_failed"
    return {"reason": reason, "message": f"cannot write the outputs in {out_dir}: {text or type(exc).__name__}"}


def _progress(show: bool):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), TextColumn("{task.fields[current]}"), disable=not show)
    return progress


def _to_build(paths: list[Path], out: Path, db: Path, key: str, force: bool,
              result: BatchResult, sink: Sink) -> list[tuple[str, str]]:
    """(path, sha256) of the files to build; unreadable ones go to the errors, unchanged
    ones (and unchanged bad ones) to the skipped."""
    todo = []
    for p in paths:
        sp = str(p)
        try:
            sha = file_sha256(p)
        except OSError as exc:
            result.errors.append({"file": sp, "reason": "unreadable", "message": str(exc)})
            continue
        if not force and (_plan_for_unchanged(sp, sha, out, db, key, sink) or _same_error_again(sp, sha, db, key)):
            result.skipped.append(sp)
            continue
        todo.append((sp, sha))
    return todo


def _try(write) -> BaseException | None:
    """Run a write that may fail for the same cause as the one being reported."""
    try:
        write()
    except (OSError, sqlite3.Error) as exc:
        return exc
    return None


def _keep_outcome(res, sp: str, sha: str, out: Path, db: Path, key: str, sink: Sink, result: BatchResult) -> None:
    """Store a built record (or the ledger's error) and note the file's outcome."""
    if isinstance(res, BaseException) or not isinstance(res, dict):  # a crashed worker
        res = {"path": sp, "error": {"file": sp, "reason": type(res).__name__, "message": str(res)[:500]}}
    if "record" in res:
        try:
            _store_record(res["record"], sp, sha, out, db, key, res.get("seconds"), sink)
            result.processed.append(sp)
        except (OSError, sqlite3.Error) as exc:  # disk full, read-only output: say so, go on
            res = {**res, "error": {"file": sp, **output_failure(exc, out)}}
            del res["record"]
            result.errors.append(res["error"])
            _try(lambda: ledger.record(db, ledger.Entry(sp, sha, None, PIPELINE_VERSION, key, "error",
                                                        res["error"]["reason"], res["error"]["message"])))
    else:
        failed = _try(lambda: ledger.record(db, ledger.Entry(sp, sha, None, PIPELINE_VERSION, key, "error",
                                                             res["error"]["reason"], res["error"]["message"]),
                                            res.get("seconds")))
        if failed:  # the ledger cannot hold it: this run's errors.json still does
            result.errors.append(res["error"])
    error = res.get("error") or {}
    # what the reader did to the text that a user should know of ("converted from TCVN3 ...")
    notes = [w["message"] for w in (res.get("record") or {}).get("warnings") or [] if w.get("code") == "legacy_encoding"]
    result.files.append({"file": sp, "outcome": "ok" if "record" in res else "error",
                         "reason": error.get("reason"), "message": error.get("message"),
                         "seconds": round(res.get("seconds") or 0.0, 2), "note": "; ".join(notes) or None})


@flow(name="process-folder", log_prints=False)
def process_folder(inputs: list[str], out_dir: str = "outputs", db_path: str | None = None,
                   report: bool = True, show_progress: bool = False, force: bool = False,
                   scope: list[str] | None = None, refused: list[dict] | None = None,
                   *, sink_key: str) -> dict | State:
    """Process every document under `inputs` into `out_dir`; returns the batch summary, or a
    Failed state holding it when some files failed (the run then shows as failed in Prefect).

    `errors.json` lists the current errors of every file under `scope` (default: `inputs`),
    beside what other runs wrote there about their own files; `refused` are inputs refused
    before the flow (a name Prefect cannot carry). `sink_key` names the store and report
    bound for this run (see `run_batch`). The output folder and vnplan's own files in it are
    never read as inputs.
    """
    started = time.perf_counter()
    settings = get_settings()
    sink = sink_for(sink_key)
    out, db = Path(out_dir), Path(db_path) if db_path else Path(out_dir) / "vnplan.db"
    try:
        _probe_writable(out / "plans")  # a read-only output fails here (with the OS's words), before any reading
        sink.init_store(db)
    except (OSError, sqlite3.Error) as exc:
        raise OutputUnwritable(output_failure(exc, out)["message"]) from exc
    key = _settings_key(settings)
    outputs = Outputs(out, db)
    found = scan([Path(p) for p in inputs], outputs, roots=[Path(p) for p in scope] if scope else None)
    paths = found.paths
    result = BatchResult(errors=[*(refused or []), *found.refused])
    result.files = [{**e, "outcome": "error", "seconds": 0.0} for e in result.errors]
    result.reconciled = _reconcile(out, db, sink)
    todo = _to_build(paths, out, db, key, force, result, sink)
    with _progress(show_progress) as progress:
        unfinished = [sp for sp, _ in todo]  # in submission order: the first is being read
        bar = progress.add_task("vnplan", total=len(todo), current=_in_progress(unfinished))
        # a document over the time limit is stopped by build_record (checked between stages)
        # and reported as "timeout"; the batch goes on
        futures = {build_record_task.submit(sp, settings.max_seconds_per_document): (sp, sha) for sp, sha in todo}
        for fut in as_completed(list(futures)):
            sp, sha = futures[fut]
            _keep_outcome(fut.result(raise_on_failure=False), sp, sha, out, db, key, sink, result)
            unfinished.remove(sp)
            progress.update(bar, advance=1, current=_in_progress(unfinished))

    # errors.json: this batch's failures, including unchanged bad files skipped this time
    known = {e["file"] for e in result.errors}
    in_scope = scan([Path(p) for p in scope], outputs) if scope else found
    result.errors += [e for e in in_scope.refused if e["file"] not in known]
    known |= {e["file"] for e in in_scope.refused}
    try:
        result.errors += [e for e in ledger.errors_for(db, [str(p) for p in in_scope.paths]) if e["file"] not in known]
    except sqlite3.Error as exc:
        result.errors.append({"file": str(db), **output_failure(exc, out)})
        result.files.append({**result.errors[-1], "outcome": "error", "seconds": 0.0})
    owned = [Path(p) for p in (scope or inputs)]
    if report and (failed := _try(lambda: sink.write_report(db, out))):
        result.errors.append({"file": str(out / "comparison.html"), **output_failure(failed, out)})
        result.files.append({**result.errors[-1], "outcome": "error", "seconds": 0.0})
    errors_json = None
    if failed := _try(lambda: write_errors(out, result.errors, owned)):
        errors_json = f"errors.json not written: {output_failure(failed, out)['message']}"
        get_run_logger().error(errors_json)
    result.seconds = time.perf_counter() - started
    summary = {**result.summary(), "error_list": result.errors, "files": result.files,
               "reconciled": result.reconciled, "errors_json_failed": errors_json,
               "flow_run_id": str(flow_run.id) if flow_run.id else None}
    _batch_artifact(result, len(paths))
    if result.errors:
        return Failed(message=f"{len(result.errors)} of {len(paths)} files failed", data=summary)
    return summary


def _reconcile(out: Path, db: Path, sink: Sink) -> list[str]:
    """Records a killed run wrote but did not load (the record is renamed into place before
    its store transaction): load them now, so store and records agree from the start. A
    record whose file has since been replaced is stale and goes (its file is rebuilt)."""
    plans = out / "plans"
    if not plans.is_dir():
        return []
    known = ledger.plan_ids(db)
    done = []
    for path in sorted(plans.glob("*.json")):
        if path.stem in known:
            continue
        try:
            rec = json.loads(path.read_text(encoding="utf-8"))
            source = rec["source"]
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not a record of ours
        src = Path(source.get("path") or "")
        try:  # replaced after the record was written (a run under way has the older file)
            replaced = src.is_file() and src.stat().st_mtime > path.stat().st_mtime \
                and file_sha256(src) != source.get("sha256")
        except OSError:
            replaced = False
        if replaced:
            path.unlink(missing_ok=True)
            sink.remove_plan(db, rec["id"])
        else:
            sink.upsert_record(db, rec)
        done.append(rec["id"])
    return done


def _in_progress(unfinished: list[str]) -> str:
    return f"reading {Path(unfinished[0]).name[:50]}" if unfinished else ""


def _batch_artifact(result: BatchResult, n_files: int) -> None:
    """A markdown table of the batch on the flow run's page: processed, unchanged, failed."""
    lines = [f"**{len(result.processed)} processed, {len(result.skipped)} unchanged, "
             f"{len(result.errors)} failed** of {n_files} files", "",
             "| file | outcome | reason |", "|---|---|---|"]
    lines += [f"| {_md(Path(f).name)} | processed | |" for f in result.processed]
    lines += [f"| {_md(Path(f).name)} | unchanged | |" for f in result.skipped]
    lines += [f"| {_md(Path(e['file']).name)} | failed | {_md(e['reason'])}: {_md(e['message'])} |"
              for e in result.errors]
    create_markdown_artifact(markdown="\n".join(lines), key="vnplan-batch",
                             description="Files of this vnplan batch and why any failed")


def _md(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")[:300]


@flow(name="process-file")
def process_file(path: str, out_dir: str = "outputs", db_path: str | None = None, report: bool = False,
                 *, sink_key: str) -> dict | State:
    """One document to one record (written atomically, loaded into the store)."""
    return process_folder.fn([path], out_dir=out_dir, db_path=db_path, report=report, sink_key=sink_key)


def task_runner_for(settings: Settings):
    """The Prefect task runner named by the settings: threads (default), processes or Dask."""
    name = settings.task_runner
    if name.startswith("dask"):
        from prefect_dask import DaskTaskRunner

        if name.startswith("dask://") or name.startswith("tcp://"):
            address = name.replace("dask://", "tcp://", 1)
            return DaskTaskRunner(address=address)
        # one core per worker: its OCR reads one page at a time (the workers are the parallelism)
        return DaskTaskRunner(cluster_kwargs={"n_workers": settings.workers, "threads_per_worker": 1,
                                              "processes": True, "dashboard_address": None,
                                              "env": {"VNPLAN_OCR_THREADS": str(settings.ocr_threads or 1)}})
    if name == "processes":
        from prefect.task_runners import ProcessPoolTaskRunner

        return ProcessPoolTaskRunner(max_workers=settings.workers)
    return ThreadPoolTaskRunner(max_workers=settings.threads)


def run_batch(inputs: list[Path], out_dir: Path, db_path: Path | None = None, report: bool = True,
              show_progress: bool = False, force: bool = False, scope: list[Path] | None = None,
              *, sink: Sink) -> dict:
    """Run the folder flow with the task runner the settings choose, loading records through `sink`."""
    runner = task_runner_for(get_settings())
    # Prefect sends flow parameters as JSON: a name that is not UTF-8 is refused here, by name
    refused = [name_refusal(p) for p in inputs if not is_utf8(p)]
    inputs = [p for p in inputs if is_utf8(p)]
    with prefect_api(), bound(sink) as sink_key:
        state = process_folder.with_options(task_runner=runner)(
            [str(p) for p in inputs], out_dir=str(out_dir), db_path=str(db_path) if db_path else None,
            report=report, show_progress=show_progress, force=force,
            scope=[str(p) for p in scope] if scope else None, refused=refused, sink_key=sink_key,
            return_state=True)
    summary = state.result(raise_on_failure=False)  # a run with failed files is Failed, with its summary
    if isinstance(summary, BaseException):
        raise summary
    return summary
