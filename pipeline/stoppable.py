"""Work that can be stopped at a deadline: a call run in a child Python process, killed
when its time is up, whatever it is doing (a regular expression deep in C, a converter).

The children are kept and reused (one per concurrent caller), so a document pays a message
to a warm process, not a Python start and the parsers' word lists each time; a child that
was killed, or died, is replaced at the next call. A child dies with its parent (Linux
PR_SET_PDEATHSIG, and EOF on its job pipe), and a killed child's converter dies with it
(pipeline.extract.doc runs soffice under `setpriv --pdeathsig` in its own pid namespace).

    result = call("pipeline.build:record_of_file", (path,), seconds=20)
    # past 20 s: Stopped(seconds, stage), stage = the last one the work reported
"""
from __future__ import annotations

import atexit
import ctypes
import importlib
import os
import pickle
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import Future
from multiprocessing.connection import Connection
from typing import Any

WARM_UP_S = 300.0  # for a fresh child's warm-up (imports, word lists) on a loaded machine
_TERM_GRACE_S = 1.0  # after SIGTERM, time for the child to kill its own children, then SIGKILL
_BOOT = ("import sys, json; sys.path[:] = json.loads(sys.argv[1]); "
         "from pipeline.stoppable import serve; serve(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))")


class Stopped(Exception):
    """The call ran past its deadline and its process was killed."""

    def __init__(self, seconds: float, stage: str | None) -> None:
        super().__init__(f"stopped after {seconds:g} s" + (f", at {stage}" if stage else ""))
        self.seconds, self.stage = seconds, stage


class WorkerDied(Exception):
    """The child process ended without an answer (killed by the system, out of memory ...)."""


# ---------------------------------------------------------------- parent side

class _Worker:
    def __init__(self) -> None:
        job_r, job_w = os.pipe()
        res_r, res_w = os.pipe()
        paths = [os.path.abspath(p) if p else os.getcwd() for p in sys.path]
        import json

        self.proc = subprocess.Popen(
            [sys.executable, "-c", _BOOT, json.dumps(paths), str(job_r), str(res_w), str(os.getpid())],
            pass_fds=(job_r, res_w), stdin=subprocess.DEVNULL)
        os.close(job_r)
        os.close(res_w)
        self.jobs, self.results = Connection(job_w, readable=False), Connection(res_r, writable=False)
        self.warmed: set[str] = set()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        """SIGTERM (the child then kills a converter it started), SIGKILL after a grace."""
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(_TERM_GRACE_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.close()

    def close(self) -> None:
        for conn in (self.jobs, self.results):
            try:
                conn.close()
            except OSError:
                pass
        if self.alive():
            try:
                self.proc.wait(_TERM_GRACE_S)  # EOF on its job pipe ends an idle child
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


_idle: list[_Worker] = []
_lock = threading.Lock()
_spawns: queue.Queue[Future] = queue.Queue()
_spawner: threading.Thread | None = None


def _take() -> _Worker:
    with _lock:
        while _idle:
            worker = _idle.pop()
            if worker.alive():
                return worker
            worker.close()
    return _new_worker()


def _new_worker() -> _Worker:
    """A child started by one long-lived thread: PR_SET_PDEATHSIG fires when the thread
    that started a process ends, and a caller's thread (a task runner's) may end first."""
    global _spawner
    with _lock:
        if _spawner is None or not _spawner.is_alive():
            _spawner = threading.Thread(target=_spawn_loop, name="stoppable-spawner", daemon=True)
            _spawner.start()
    future: Future = Future()
    _spawns.put(future)
    return future.result()


def _spawn_loop() -> None:
    while True:
        future = _spawns.get()
        try:
            future.set_result(_Worker())
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            future.set_exception(exc)


def _give_back(worker: _Worker) -> None:
    with _lock:
        _idle.append(worker)


@atexit.register
def shutdown() -> None:
    """End every idle child (each also ends by itself when this process does)."""
    with _lock:
        workers, _idle[:] = list(_idle), []
    for worker in workers:
        worker.close()


def call(target: str, args: tuple = (), seconds: float | None = None, warm: str | None = None) -> Any:
    """`target(*args)` ("module:function") run in a child process; its result, or its
    exception raised here. Past `seconds`, the child is killed and Stopped raised.
    `warm()` ("module:function") runs first in a fresh child, off the clock: loading
    what every call needs is not the first caller's time."""
    worker = _take()
    try:
        if warm and warm not in worker.warmed:
            kind, value = _run(worker, (warm, (), dict(os.environ), os.getcwd()), WARM_UP_S)
            if kind == "error":
                raise value
            worker.warmed.add(warm)
        kind, value = _run(worker, (target, args, dict(os.environ), os.getcwd()), seconds)
    except BaseException:  # past the deadline, interrupted, or the child died: it goes
        worker.kill()
        raise
    _give_back(worker)
    if kind == "error":
        raise value
    return value


def _run(worker: _Worker, job: tuple, seconds: float | None) -> tuple[str, Any]:
    """("ok", result) or ("error", exception) of one job, the stages it reports followed."""
    until = time.monotonic() + seconds if seconds is not None else None
    stage = None
    try:
        worker.jobs.send(job)
        while True:
            left = None if until is None else max(0.0, until - time.monotonic())
            if not worker.results.poll(left):
                raise Stopped(seconds, stage)
            kind, value = worker.results.recv()
            if kind != "stage":
                return kind, value
            stage = value
    except (EOFError, OSError) as exc:
        worker.kill()
        raise WorkerDied(f"the worker process ended without an answer (exit status {worker.proc.returncode})") from exc


# ---------------------------------------------------------------- child side

_results: Connection | None = None


def report(stage: str) -> None:
    """Tell the parent which stage the work has finished (named in a Stopped message)."""
    if _results is not None:
        _results.send(("stage", stage))


def serve(job_fd: int, result_fd: int, parent_pid: int) -> None:
    """The child's loop: run each job received, send back its result or exception."""
    global _results
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwinds: a converter's finally kills it
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    jobs, _results = Connection(job_fd, writable=False), Connection(result_fd, readable=False)
    while True:
        try:
            target, args, env, cwd = jobs.recv()
        except (EOFError, OSError):
            return
        os.environ.clear()
        os.environ.update(env)
        tempfile.tempdir = None  # TMPDIR as the caller has it now
        os.chdir(cwd)
        module, _, name = target.partition(":")
        try:
            answer = ("ok", getattr(importlib.import_module(module), name)(*args))
        except Exception as exc:  # noqa: BLE001 - every error goes back to the caller
            answer = ("error", exc)
        try:
            data = pickle.dumps(answer)
            pickle.loads(data)  # an exception whose class cannot be rebuilt would fail in the parent
        except Exception as exc:  # noqa: BLE001
            what = answer[1] if answer[0] == "error" else exc
            data = pickle.dumps(("error", RuntimeError(f"{type(what).__name__}: {what!s}"[:500])))
        _results.send_bytes(data)


def _die_with_parent(parent_pid: int) -> None:
    """SIGKILL when the parent ends (Linux), even in the middle of a job."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent_pid:
        os._exit(0)
