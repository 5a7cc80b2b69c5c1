"""The `vnplan` command: run, watch, evaluate, and the analyst's who/query/compare/serve."""
from __future__ import annotations

import json
import sys
import time
from datetime import datetime
from pathlib import Path

import typer
from rich.console import Console

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  context_settings={"help_option_names": ["-h", "--help"]},
                  help="Turn Vietnamese plans (Kế hoạch, Quyết định) into structured, comparable data.")
console = Console(stderr=True)

DEFAULT_OUT = Path("outputs")

# Exit status: 0 every file processed, 1 some files failed (listed in OUT/errors.json),
# 2 a usage error (a missing input, an unknown option).
EXIT_FAILED_FILES = 1
EXIT_USAGE = 2


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def _report_files(summary: dict) -> None:
    """One line per file of the batch: time, outcome, file, reason (plain, never wrapped,
    so a log file or grep reads it); files that failed before and are unchanged as well."""
    seen = set()
    for f in summary.get("files", []):
        seen.add(f["file"])
        note = f"; {f['note']}" if f.get("note") else ""
        why = f" {f['reason']}: {f['message']}" if f["outcome"] == "error" else f" ({f['seconds']} s{note})"
        console.print(f"{_now()} {f['outcome']:5} {f['file']}{why}", soft_wrap=True, markup=False,
                      highlight=False)
    for err in summary.get("error_list", []):
        if err["file"] not in seen:
            console.print(f"{_now()} error {err['file']} {err['reason']}: {err['message']} (unchanged since)",
                          soft_wrap=True, markup=False, highlight=False)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        from pipeline import PIPELINE_VERSION

        print(f"vnplan {version('vnplan')} (pipeline {PIPELINE_VERSION})")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="Print the version and exit.")) -> None:
    """Turn Vietnamese plans (Kế hoạch, Quyết định) into structured, comparable data."""


@app.command()
def run(
    inputs: list[Path] = typer.Argument(..., help="Folders (searched recursively) or files to process."),
    out: Path = typer.Option(DEFAULT_OUT, "--out", "-o", help="Output folder: plans/, vnplan.db, comparison.*, errors.json."),
    db: Path | None = typer.Option(None, "--db", help="Store path (default OUT/vnplan.db)."),
    force: bool = typer.Option(False, "--force", help="Reprocess files even when unchanged."),
    no_report: bool = typer.Option(False, "--no-report", help="Skip the comparison report."),
) -> None:
    """Process every document under INPUTS through the Prefect flow.

    Exit status 0 when every file was processed, 1 when some failed (each is in
    OUT/errors.json with its reason), 2 for a usage error."""
    for p in inputs:
        if not p.exists():
            console.print(f"[red]error:[/red] {p}: no such file or folder")
            raise typer.Exit(EXIT_USAGE)
    from flows.process import OutputUnwritable, run_batch  # Prefect: imported only by the commands that run flows
    from flows.server import exit_now, stop_on_sigterm
    from vnplan.sink import StoreSink

    stop_on_sigterm()
    started = time.monotonic()
    try:
        summary = run_batch(inputs, out, db, report=not no_report, show_progress=sys.stderr.isatty(), force=force,
                            sink=StoreSink())
    except (KeyboardInterrupt, SystemExit) as exc:
        console.print("stopped: files not finished are processed by the next run")
        exit_now(exc.code if isinstance(exc, SystemExit) and isinstance(exc.code, int) else 130)
    except OutputUnwritable as exc:  # read-only or full output folder: the cause, no traceback
        console.print(f"error: {exc}", soft_wrap=True, markup=False, highlight=False)
        raise typer.Exit(EXIT_FAILED_FILES) from None
    _report_files(summary)
    if summary.get("errors_json_failed"):
        console.print(f"error: {summary['errors_json_failed']}", soft_wrap=True, markup=False, highlight=False)
    console.print(f"processed {summary['processed']}, unchanged {summary['skipped']}, errors {summary['errors']} "
                  f"in {time.monotonic() - started:.1f} s -> {out}")
    if summary["errors"]:
        raise typer.Exit(EXIT_FAILED_FILES)


@app.command()
def watch(
    inbox: Path = typer.Argument(..., help="Folder to watch; new or changed documents are processed."),
    out: Path = typer.Option(DEFAULT_OUT, "--out", "-o"),
    db: Path | None = typer.Option(None, "--db"),
    settle: float = typer.Option(0.5, help="Seconds a file must stay unchanged before it is read."),
    create: bool = typer.Option(False, "--create", help="Create INBOX when it does not exist."),
) -> None:
    """Process the backlog in INBOX, then every document dropped into it (Ctrl-C stops)."""
    if not inbox.is_dir() and not (create and not inbox.exists()):
        what = "is not a folder" if inbox.exists() else "does not exist (--create makes it)"
        console.print(f"[red]error:[/red] {inbox}: the inbox {what}")
        raise typer.Exit(EXIT_USAGE)
    from flows.server import stop_on_sigterm
    from flows.watch import watch as watch_inbox
    from vnplan.sink import StoreSink

    stop_on_sigterm()

    def report(summary: dict) -> None:
        _report_files(summary)
        failed = sum(1 for f in summary.get("files", []) if f["outcome"] == "error")
        console.print(f"{_now()} batch: processed {summary['processed']}, unchanged {summary['skipped']}, "
                      f"failed {failed}")

    console.print(f"watching {inbox} -> {out} (Ctrl-C to stop)")
    try:
        watch_inbox(inbox, out, db, settle=settle, on_batch=report, sink=StoreSink())
    except KeyboardInterrupt:
        pass


@app.command()
def evaluate(
    gold_dir: Path = typer.Argument(..., help="Folder of *.gold.json files."),
    records_dir: Path = typer.Argument(DEFAULT_OUT / "plans", help="Folder of plan records."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show every mismatch."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    only_present: bool = typer.Option(False, "--only-present",
                                      help="Score only the gold documents that have a record (a run on part of the corpus)."),
) -> None:
    """Score records against gold facts: precision, recall and F1 per area."""
    from vnplan.scoring import format_result, score

    for folder in (gold_dir, records_dir):
        if not folder.is_dir():
            console.print(f"[red]error:[/red] {folder}: no such folder")
            raise typer.Exit(EXIT_USAGE)
    result, log = score(gold_dir, records_dir, only_present=only_present)
    if verbose:
        print("\n".join(log))
    print(json.dumps(result, ensure_ascii=False) if as_json else format_result(result))


@app.command()
def diagnose(
    paths: list[Path] = typer.Argument(..., help="Plan records (JSON), or folders searched for them."),
    fmt: str = typer.Option("table", "--format", help="table or json."),
    show: int = typer.Option(20, "--show", help="How many unexplained cues to list per corpus (table)."),
    only: str = typer.Option("", "--only", help="Keep the records whose source path holds this text."),
    exclude: list[str] = typer.Option(["SOURCES", "README"], "--exclude",
                                      help="Leave out the records whose source file name holds this text (the corpus notes)."),
) -> None:
    """Cue coverage: every role cue, money amount and time expression either in the record,
    explained (cited document, vague collective, ...) or listed as unexplained."""
    from pipeline.diagnose import diagnose as cue_report, format_table, load_records

    if fmt not in ("table", "json"):
        raise typer.BadParameter("--format is table or json")
    records = [r for r in load_records(paths) if only in ((r.get("source") or {}).get("path") or "")
               and not any(x and x in Path((r.get("source") or {}).get("path") or "").name for x in exclude)]
    report = cue_report(records)
    print(json.dumps(report, ensure_ascii=False, indent=1) if fmt == "json" else format_table(report, show))


try:  # the analyst's commands live in their own module
    from vnplan.commands_analyst import register
except ImportError:  # pragma: no cover - during development only
    register = None
if register is not None:
    register(app)


if __name__ == "__main__":
    app()
