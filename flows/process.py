"""Prefect flows: one document to one record, and a folder of documents concurrently.

A document's failure never stops the batch: it is recorded (file and reason) in the
ledger and in `errors.json`, and its input file is left where it was. Records are written
atomically and loaded into the store in one transaction each. The store and the report are
the app's: the flows reach them only through the `Sink` the caller hands to `run_batch`.
"""
from __future__ import annotations

import flows.prefect_env  # noqa: F401  (must precede the prefect import)

import json
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
from flows.server import prefect_api
from flows.sinks import Sink, bound, sink_for
from pipeline import PIPELINE_VERSION
from pipeline.build import build_record, file_sha256, write_json_atomic
from pipeline.extract.errors import ExtractError
from pipeline.settings import Settings, get_settings

IGNORED_NAMES = (".", "~$")  # hidden files and Office lock files
PARTIAL_SUFFIXES = (".tmp", ".part", ".crdownload", ".swp")  # downloads and copies under way


@dataclass
class BatchResult:
    processed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)  # this run's files: outcome, reason, seconds
    seconds: float = 0.0

    def summary(self) -> dict:
        return {"processed": len(self.processed), "skipped": len(self.skipped),
                "errors": len(self.errors), "seconds": round(self.seconds, 2)}


def discover(inputs: list[Path]) -> list[Path]:
    """Every candidate document under the inputs (files given directly are kept as they are)."""
    found: list[Path] = []
    for item in inputs:
        item = Path(item)
        if item.is_file():
            found.append(item)
            continue
        for p in sorted(item.rglob("*")):
            if not p.is_file() or any(part.startswith(".") for part in p.relative_to(item).parts):
                continue
            if p.name.startswith(IGNORED_NAMES) or p.name.endswith(PARTIAL_SUFFIXES):
                continue
            found.append(p)
    return found


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
    write_json_atomic(out_dir / "plans" / f"{rec['id']}.json", rec)
    sink.upsert_record(db_path, rec)
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
    return bool(prev and prev.status == "error" and prev.sha256 == sha
                and prev.pipeline_version == PIPELINE_VERSION and prev.settings == settings_key)


def write_errors(out_dir: Path, errors: list[dict]) -> Path:
    target = out_dir / "errors.json"
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(".errors.json.tmp")
    tmp.write_text(json.dumps(errors, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(target)
    return target


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


def _keep_outcome(res, sp: str, sha: str, out: Path, db: Path, key: str, sink: Sink, result: BatchResult) -> None:
    """Store a built record (or the ledger's error) and note the file's outcome."""
    if isinstance(res, BaseException) or not isinstance(res, dict):  # a crashed worker
        res = {"path": sp, "error": {"file": sp, "reason": type(res).__name__, "message": str(res)[:500]}}
    if "record" in res:
        _store_record(res["record"], sp, sha, out, db, key, res.get("seconds"), sink)
        result.processed.append(sp)
    else:
        ledger.record(db, ledger.Entry(sp, sha, None, PIPELINE_VERSION, key, "error",
                                       res["error"]["reason"], res["error"]["message"]), res.get("seconds"))
    error = res.get("error") or {}
    result.files.append({"file": sp, "outcome": "ok" if "record" in res else "error",
                         "reason": error.get("reason"), "message": error.get("message"),
                         "seconds": round(res.get("seconds") or 0.0, 2)})


@flow(name="process-folder", log_prints=False)
def process_folder(inputs: list[str], out_dir: str = "outputs", db_path: str | None = None,
                   report: bool = True, show_progress: bool = False, force: bool = False,
                   scope: list[str] | None = None, *, sink_key: str) -> dict | State:
    """Process every document under `inputs` into `out_dir`; returns the batch summary, or a
    Failed state holding it when some files failed (the run then shows as failed in Prefect).

    `errors.json` lists the current errors of every file under `scope` (default: `inputs`).
    `sink_key` names the store and report bound for this run (see `run_batch`).
    """
    started = time.perf_counter()
    settings = get_settings()
    sink = sink_for(sink_key)
    out, db = Path(out_dir), Path(db_path) if db_path else Path(out_dir) / "vnplan.db"
    sink.init_store(db)
    key = _settings_key(settings)
    paths = discover([Path(p) for p in inputs])
    result = BatchResult()
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
    scoped = discover([Path(p) for p in scope]) if scope else paths
    result.errors += [e for e in ledger.errors_for(db, [str(p) for p in scoped]) if e["file"] not in known]
    write_errors(out, result.errors)
    if report:
        sink.write_report(db, out)
    result.seconds = time.perf_counter() - started
    summary = {**result.summary(), "error_list": result.errors, "files": result.files,
               "flow_run_id": str(flow_run.id) if flow_run.id else None}
    _batch_artifact(result, len(paths))
    if result.errors:
        return Failed(message=f"{len(result.errors)} of {len(paths)} files failed", data=summary)
    return summary


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
        return DaskTaskRunner(cluster_kwargs={"n_workers": settings.workers, "threads_per_worker": 1,
                                              "processes": True, "dashboard_address": None})
    if name == "processes":
        from prefect.task_runners import ProcessPoolTaskRunner

        return ProcessPoolTaskRunner(max_workers=settings.workers)
    return ThreadPoolTaskRunner(max_workers=settings.threads)


def run_batch(inputs: list[Path], out_dir: Path, db_path: Path | None = None, report: bool = True,
              show_progress: bool = False, force: bool = False, scope: list[Path] | None = None,
              *, sink: Sink) -> dict:
    """Run the folder flow with the task runner the settings choose, loading records through `sink`."""
    runner = task_runner_for(get_settings())
    with prefect_api(), bound(sink) as sink_key:
        state = process_folder.with_options(task_runner=runner)(
            [str(p) for p in inputs], out_dir=str(out_dir), db_path=str(db_path) if db_path else None,
            report=report, show_progress=show_progress, force=force,
            scope=[str(p) for p in scope] if scope else None, sink_key=sink_key, return_state=True)
    summary = state.result(raise_on_failure=False)  # a run with failed files is Failed, with its summary
    if isinstance(summary, BaseException):
        raise summary
    return summary
