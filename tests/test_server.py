"""The local Prefect server lives exactly as long as the command that started it (issue 16)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from flows import server

from conftest import PLANS, ROOT


def _gone(pid: int, within: float = 30.0) -> bool:
    """True once `pid` has exited (polled; the bound only stops a hung test)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not server._alive(pid) or _zombie(pid):
            return True
        time.sleep(0.2)
    return False


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except OSError:
        return False


def _server_records(home: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in (home / "vnplan-servers").glob("*.json")]


def _env(home: Path) -> dict:
    env = {**os.environ, "PREFECT_HOME": str(home), "PYTHONPATH": str(ROOT)}
    env.pop("PREFECT_API_URL", None)
    return env


def test_one_server_per_process_answers_health():
    url = server.api_url()
    assert server.api_url() == url
    assert httpx.get(f"{url}/health", timeout=10).status_code == 200


def test_the_server_dies_with_a_killed_owner(tmp_path):
    """kill -9 of the command: the kernel stops its server (PR_SET_PDEATHSIG)."""
    home = tmp_path / "prefect"
    owner = subprocess.Popen([sys.executable, "-c", "from flows.server import api_url; print(api_url(), flush=True); "
                              "import time; time.sleep(120)"], cwd=ROOT, env=_env(home), stdout=subprocess.PIPE, text=True)
    try:
        assert owner.stdout.readline().startswith("http://127.0.0.1:")
        (rec,) = _server_records(home)
        assert server._alive(rec["pid"]) and rec["owner"] == owner.pid
        owner.kill()
        owner.wait()
        assert _gone(rec["pid"]), "the server outlived its owner"
    finally:
        owner.kill()


def test_a_server_left_by_a_dead_owner_is_stopped_at_the_next_start(tmp_path, monkeypatch):
    """Where the kernel cannot stop it (no PR_SET_PDEATHSIG), the next start does."""
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stray = subprocess.Popen([sys.executable, "-c", "import time; print('up', flush=True); time.sleep(120)",
                              server.CREATE_APP], stdout=subprocess.PIPE, text=True)
    try:
        assert stray.stdout.readline() == "up\n"
        (tmp_path / "vnplan-servers").mkdir()
        (tmp_path / "vnplan-servers" / "x.json").write_text(json.dumps({"pid": stray.pid, "owner": dead.pid}))
        assert server.sweep_orphans() == [stray.pid]
        assert stray.wait(timeout=30) == -signal.SIGTERM
        assert not list((tmp_path / "vnplan-servers").glob("*.json"))
    finally:
        stray.kill()


@pytest.mark.slow
def test_sigterm_stops_a_run_and_its_server(tmp_path):
    """SIGTERM while a scan is being OCR'd: exit status 143, no server left behind."""
    home, out = tmp_path / "prefect", tmp_path / "out"
    run = subprocess.Popen([sys.executable, "-m", "vnplan.cli", "run", str(PLANS / "scans"), "--out", str(out),
                            "--no-report"], cwd=ROOT, env=_env(home), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not _server_records(home) and time.monotonic() < deadline and run.poll() is None:
            time.sleep(0.2)
        (rec,) = _server_records(home)
        time.sleep(2)  # into the flow
        run.send_signal(signal.SIGTERM)
        assert run.wait(timeout=60) == 128 + signal.SIGTERM
        assert _gone(rec["pid"]), "the server outlived the run"
        assert not _server_records(home)
    finally:
        run.kill()
