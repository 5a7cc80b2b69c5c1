"""The Prefect API the flows report to: the user's server (PREFECT_API_URL), or a local one
that lives exactly as long as the command that started it.

Prefect's own temporary server is stopped by an atexit hook only, so a SIGTERM or a kill -9
of the command left it running (about 220 MB each). This one is started by us, once per
process, and cannot outlive it:
- the kernel kills it when its parent dies, however it dies (Linux PR_SET_PDEATHSIG);
- a normal exit, SIGINT or SIGTERM (the CLI turns SIGTERM into SystemExit) stops it;
- each start records the server and its owner under PREFECT_HOME, and the next start stops
  any server whose owner is gone (on a system without PR_SET_PDEATHSIG).
"""
from __future__ import annotations

import flows.prefect_env  # noqa: F401  (PREFECT_HOME and the other defaults, before prefect)

import atexit
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

CREATE_APP = "prefect.server.api.server:create_app"
PR_SET_PDEATHSIG = 1
STOP_WAIT = 5.0  # seconds a server gets to exit after SIGTERM before it is killed
TERM_GRACE = 3.0  # seconds a SIGTERM'd command gets to report the crashed run before it leaves

_lock = threading.Lock()
_server: "LocalServer | None" = None


class ServerError(RuntimeError):
    """The local Prefect server could not be started (the message says why)."""


def _die_with_parent() -> None:
    """In the child, before exec: the kernel sends SIGTERM when the parent process dies."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:  # not Linux: the owner records cover it
        pass


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_prefect_server(pid: int) -> bool:
    try:
        return CREATE_APP in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False


def _records_dir() -> Path:
    return Path(os.environ["PREFECT_HOME"]) / "vnplan-servers"


def sweep_orphans() -> list[int]:
    """Stop the servers started by a vnplan process that no longer exists; return their PIDs."""
    stopped = []
    folder = _records_dir()
    for rec in folder.glob("*.json") if folder.is_dir() else []:
        try:
            info = json.loads(rec.read_text())
        except (OSError, ValueError):
            rec.unlink(missing_ok=True)
            continue
        if _alive(info.get("owner", 0)):
            continue
        pid = info.get("pid", 0)
        if pid and _alive(pid) and _is_prefect_server(pid):
            os.kill(pid, signal.SIGTERM)
            stopped.append(pid)
        rec.unlink(missing_ok=True)
    return stopped


class LocalServer:
    """A Prefect API server (uvicorn, SQLite in PREFECT_HOME) on a free loopback port."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/api"
        self.process: subprocess.Popen | None = None
        self.record = _records_dir() / f"{os.getpid()}-{self.port}.json"

    def start(self, timeout: float) -> None:
        home = Path(os.environ["PREFECT_HOME"])
        home.mkdir(parents=True, exist_ok=True)  # a PREFECT_HOME whose folder is missing
        env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
               "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
        env.pop("PREFECT_API_URL", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", CREATE_APP, "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "error", "--lifespan", "on"],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            preexec_fn=_die_with_parent)
        self.record.parent.mkdir(parents=True, exist_ok=True)
        self.record.write_text(json.dumps({"pid": self.process.pid, "owner": os.getpid(), "port": self.port}))
        try:
            self._wait_healthy(timeout)
        except BaseException:  # a SIGTERM or Ctrl-C while it starts, too
            self.stop()
            raise

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=2) as client:
            while time.monotonic() < deadline:
                code = self.process.poll()
                if code is not None:
                    err = (self.process.stderr.read() or b"").decode(errors="replace")[-2000:]
                    self.stop()
                    raise ServerError(f"the local Prefect server exited with code {code}: {err.strip()}")
                try:
                    if client.get(f"{self.url}/health").status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
        self.stop()
        raise ServerError(f"the local Prefect server did not answer within {timeout:g} s "
                          f"(PREFECT_HOME={os.environ['PREFECT_HOME']}; raise "
                          "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS on a loaded machine)")

    def stop(self) -> None:
        proc, self.process = self.process, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=STOP_WAIT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.record.unlink(missing_ok=True)


def _stop_server() -> None:
    global _server
    with _lock:
        if _server is not None:
            _server.stop()
            _server = None


atexit.register(_stop_server)


def api_url() -> str:
    """The URL of the Prefect API for this process: the user's, or the local server (started
    on first use, stopped when the process ends)."""
    global _server
    configured = os.environ.get("PREFECT_API_URL")
    if configured:
        return configured
    with _lock:
        if _server is None or _server.process is None or _server.process.poll() is not None:
            sweep_orphans()
            server = LocalServer()
            server.start(float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")))
            _server = server
        return _server.url


@contextmanager
def prefect_api() -> Iterator[str]:
    """Run the enclosed flows against api_url()."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    url = api_url()
    with temporary_settings(updates={PREFECT_API_URL: url}):
        yield url


def exit_now(code: int) -> None:
    """Stop the local server and leave at once: a thread still reading a page (OCR) would
    otherwise hold the exit until it finishes. Records are written whole or not at all, so
    nothing is left half-written."""
    _stop_server()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def stop_on_sigterm() -> None:
    """SIGTERM ends the process as Ctrl-C does: `finally` blocks and atexit hooks run, so
    the local server is stopped (the default action would skip them)."""
    def handler(signum, frame):  # noqa: ARG001
        # Prefect reports the run as crashed, then joins the task threads, which may be in
        # the middle of a long OCR page: leave after a short grace whatever they do
        timer = threading.Timer(TERM_GRACE, exit_now, args=(128 + signum,))
        timer.daemon = True
        timer.start()
        raise SystemExit(128 + signum)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handler)
