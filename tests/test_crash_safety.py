"""Crash safety: `vnplan run` and `vnplan watch` killed with SIGKILL at random moments leave
valid records, a sound store that agrees with them, and a state the next run completes.

The real CLI runs in a subprocess. The first kill uses the default set-up (Prefect's
temporary server, started by the CLI itself); the later runs talk to one `prefect server`
started for this module, so each run costs seconds rather than the temporary server's
start-up. Set VNPLAN_CRASH_SEED to replay the kill moments of a failed run.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipeline.normalize.schema import schema_errors
from vnplan import store

from conftest import ROOT

sys.path.insert(0, str(ROOT))  # bench/ is a folder of the checkout, not an installed package
from bench.synth import make_corpus  # noqa: E402

pytestmark = pytest.mark.slow

SEED = int(os.environ.get("VNPLAN_CRASH_SEED", random.SystemRandom().randrange(10**6)))
VNPLAN = [str(Path(sys.executable).with_name("vnplan"))] if Path(sys.executable).with_name("vnplan").exists() \
    else [sys.executable, "-m", "vnplan.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _base_env(prefect_home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_API_URL", "VNPLAN_"))}
    env.update(PREFECT_HOME=str(prefect_home), PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_UI_ENABLED="false", PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="120")
    # the console script imports whatever checkout the venv was installed from: run this one's code
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _start(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    # own session: the process and anything it starts (Prefect's temporary server) can be
    # reaped by process group after the SIGKILL of the main process
    return subprocess.Popen(args, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log.open("ab"),
                            stderr=subprocess.STDOUT, start_new_session=True)


def _kill9(proc: subprocess.Popen) -> None:
    """SIGKILL the process itself (what a crash does), then reap what it left behind."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory):
    home = tmp_path_factory.mktemp("prefect-server-home")
    port = _free_port()
    log = home / "server.log"
    proc = _start([str(Path(sys.executable).with_name("prefect")), "server", "start", "--host", "127.0.0.1",
                   "--port", str(port)], _base_env(home), log)
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                _kill9(proc)
                pytest.fail(f"prefect server did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.3)
    env = _base_env(home)
    env["PREFECT_API_URL"] = url
    yield env
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        pass
    _kill9(proc)


def _records(out: Path) -> dict[str, dict]:
    """Every record file, parsed: a file that does not parse fails the test."""
    recs = {}
    for p in sorted((out / "plans").glob("*.json")) if (out / "plans").exists() else []:
        rec = json.loads(p.read_text(encoding="utf-8"))
        assert schema_errors(rec) == [], p
        assert p.stem == rec["id"], p
        recs[rec["id"]] = rec
    return recs


def check_consistent(out: Path, files: list[Path], context: str) -> dict[str, dict]:
    """The invariants a crash at any moment must keep; returns the records."""
    recs = _records(out)
    assert {r["source"]["path"] for r in recs.values()} <= {str(f) for f in files}, context
    db = out / "vnplan.db"
    if not db.exists():
        assert not recs, context
        return recs
    store.init_db(db)  # the store opens (and recovers its WAL) after the crash
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", context
        rows = {r[0] for r in conn.execute("SELECT id FROM plans")}
        has_ledger = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'ledger'").fetchone()
        done = {r[0] for r in conn.execute("SELECT plan_id FROM ledger WHERE status = 'ok'")} if has_ledger else set()
    # a row is loaded only after its record file is written, and the ledger says "done" only
    # after the row is loaded; a record file without a row is "not yet processed"
    assert rows <= set(recs), f"{context}: store rows without a record file: {rows - set(recs)}"
    assert done <= rows, f"{context}: ledger says done but no store row: {done - rows}"
    assert not (set(recs) - rows) & done, context
    return recs


def check_complete(out: Path, files: list[Path], context: str) -> None:
    recs = check_consistent(out, files, context)
    assert sorted(r["source"]["path"] for r in recs.values()) == sorted(str(f) for f in files), context
    with sqlite3.connect(out / "vnplan.db") as conn:
        rows = {r[0] for r in conn.execute("SELECT id FROM plans")}
        done = {r[0] for r in conn.execute("SELECT path FROM ledger WHERE status = 'ok'")}
    assert rows == set(recs), context
    assert done == {str(f) for f in files}, context
    assert not [p.name for p in (out / "plans").iterdir() if p.name.endswith(".tmp")], context
    assert json.loads((out / "errors.json").read_text(encoding="utf-8")) == [], context


def _wait_for_records(out: Path, n: int, proc: subprocess.Popen, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (out / "plans").exists() and len(list((out / "plans").glob("*.json"))) >= n:
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.05)
    return False


def test_run_killed_at_random_moments_then_rerun_completes(tmp_path, prefect_server):
    rng = random.Random(SEED)
    made = make_corpus(tmp_path / "synth", n_txt=20, n_docx=5, seed=11)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    files = []
    for p in made["txt"] + made["docx"]:
        files.append(Path(shutil.copy(p, inbox / p.name)))
    out = tmp_path / "out"
    log = tmp_path / "run.log"
    args = [*VNPLAN, "run", str(inbox), "--out", str(out)]

    # 1: the default set-up (temporary Prefect server), killed during start-up or the first documents
    proc = _start(args, _base_env(tmp_path / "prefect-default"), log)
    time.sleep(rng.uniform(1.0, 6.0))
    _kill9(proc)
    check_consistent(out, files, f"seed {SEED}, kill 1")

    # 2 and 3: killed while documents are being processed, at different moments
    for kill, (lo, hi) in enumerate([(0.0, 0.3), (0.3, 2.0)], start=2):
        before = len(_records(out))
        proc = _start(args, prefect_server, log)
        _wait_for_records(out, before + 1, proc, timeout=120)
        time.sleep(rng.uniform(lo, hi))
        _kill9(proc)
        check_consistent(out, files, f"seed {SEED}, kill {kill}")

    done = subprocess.run(args, cwd=ROOT, env=prefect_server, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    check_complete(out, files, f"seed {SEED}, rerun")


def test_watcher_killed_then_backlog_is_processed(tmp_path, prefect_server):
    rng = random.Random(SEED + 1)
    made = make_corpus(tmp_path / "synth", n_txt=10, seed=12)["txt"]
    inbox, out, log = tmp_path / "inbox", tmp_path / "out", tmp_path / "watch.log"
    inbox.mkdir()
    first, during, while_down = made[:3], made[3:6], made[6:]
    for p in first:
        shutil.copy(p, inbox / p.name)
    args = [*VNPLAN, "watch", str(inbox), "--out", str(out), "--settle", "0.2"]
    proc = _start(args, prefect_server, log)
    try:
        assert _wait_for_records(out, len(first), proc, timeout=120), log.read_text()[-2000:]
        for p in during:  # dropped while it runs; killed at some moment of their processing
            shutil.copy(p, inbox / p.name)
        time.sleep(rng.uniform(0.0, 1.5))
    finally:
        _kill9(proc)
    check_consistent(out, [inbox / p.name for p in made], f"seed {SEED}, watcher kill")

    for p in while_down:
        shutil.copy(p, inbox / p.name)
    files = sorted(inbox.iterdir())
    proc = _start(args, prefect_server, log)
    try:
        assert _wait_for_records(out, len(files), proc, timeout=120), log.read_text()[-2000:]
        deadline = time.monotonic() + 30  # the record files come first; wait for the ledger too
        while time.monotonic() < deadline:
            try:
                check_complete(out, files, f"seed {SEED}, watcher restart")
                break
            except (AssertionError, FileNotFoundError, sqlite3.OperationalError):
                time.sleep(0.2)
    finally:
        _kill9(proc)
    check_complete(out, files, f"seed {SEED}, watcher restart")
