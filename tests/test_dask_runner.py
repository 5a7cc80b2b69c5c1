"""The same flow on Dask gives byte-identical records: a local Dask cluster started by the
runner (VNPLAN_TASK_RUNNER=dask) and a running scheduler with its worker in separate
processes (VNPLAN_TASK_RUNNER=dask://host:port). Each Dask flow run costs 10-15 s here."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from flows.process import run_batch, task_runner_for
from pipeline.settings import get_settings
from vnplan.sink import StoreSink

from conftest import EXTRA, PLANS, ROOT

sys.path.insert(0, str(ROOT))  # bench/ is a folder of the checkout, not an installed package
from bench.synth import make_corpus  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.e2e]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """A small mixed folder: real samples (txt, and a PDF if the renditions exist) and synthetic DOCX."""
    folder = tmp_path_factory.mktemp("dask-inputs")
    for src in [PLANS / "laichau_ocop_2020_qd.txt", EXTRA / "14_laocai_sct_kh2242_2026_kiem_tra_gcn_vlncn_draft.txt",
                *sorted(PLANS.glob("krongno*.pdf"))[:1]]:
        shutil.copy(src, folder / src.name)
    for p in make_corpus(tmp_path_factory.mktemp("synth"), n_txt=1, n_docx=1, seed=5).values():
        for f in p:
            shutil.copy(f, folder / f.name)
    return folder


@pytest.fixture(scope="module")
def local_records(inputs, tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("local-out")
    os.environ["VNPLAN_TASK_RUNNER"] = "local"
    try:
        summary = run_batch([inputs], out, report=False, sink=StoreSink())
    finally:
        os.environ.pop("VNPLAN_TASK_RUNNER", None)
    assert summary["errors"] == 0, summary["error_list"]
    return _record_bytes(out)


def _record_bytes(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "plans").glob("*.json"))}


def _assert_identical(got: dict[str, bytes], want: dict[str, bytes]) -> None:
    assert sorted(got) == sorted(want)
    for name, data in want.items():
        if got[name] != data:  # show the first differing field, not two long blobs
            a, b = json.loads(got[name]), json.loads(data)
            diff = [k for k in b if a.get(k) != b.get(k)]
            pytest.fail(f"{name} differs from the local runner's in {diff}")


def test_settings_choose_the_runner(monkeypatch):
    from prefect.task_runners import ThreadPoolTaskRunner
    from prefect_dask import DaskTaskRunner

    monkeypatch.setenv("VNPLAN_TASK_RUNNER", "dask://127.0.0.1:8786")
    runner = task_runner_for(get_settings())
    assert isinstance(runner, DaskTaskRunner) and runner.address == "tcp://127.0.0.1:8786"
    monkeypatch.setenv("VNPLAN_TASK_RUNNER", "dask")
    monkeypatch.setenv("VNPLAN_WORKERS", "3")
    runner = task_runner_for(get_settings())
    assert isinstance(runner, DaskTaskRunner) and runner.address is None
    assert runner.cluster_kwargs["n_workers"] == 3
    assert runner.cluster_kwargs["env"] == {"VNPLAN_OCR_THREADS": "1"}  # one core per worker
    monkeypatch.setenv("VNPLAN_TASK_RUNNER", "local")
    assert isinstance(task_runner_for(get_settings()), ThreadPoolTaskRunner)


def test_the_local_clusters_workers_read_one_page_at_a_time(monkeypatch):
    """The cluster the runner starts gives its workers VNPLAN_OCR_THREADS=1: with N workers,
    N Tesseracts run at once, not N times the page threads of a local run."""
    from distributed import Client, LocalCluster

    monkeypatch.setenv("VNPLAN_TASK_RUNNER", "dask")
    monkeypatch.setenv("VNPLAN_WORKERS", "2")
    monkeypatch.delenv("VNPLAN_OCR_THREADS", raising=False)
    assert get_settings().ocr_page_threads() == 2  # here, outside the cluster
    runner = task_runner_for(get_settings())
    with LocalCluster(**runner.cluster_kwargs) as cluster, Client(cluster) as client:
        seen = client.run(lambda: get_settings().ocr_page_threads())
    assert sorted(seen.values()) == [1, 1]


def test_local_dask_cluster_gives_identical_records(inputs, local_records, tmp_path, monkeypatch):
    monkeypatch.setenv("VNPLAN_TASK_RUNNER", "dask")
    monkeypatch.setenv("VNPLAN_WORKERS", "2")
    summary = run_batch([inputs], tmp_path / "out", report=False, sink=StoreSink())
    assert summary["errors"] == 0, summary["error_list"]
    _assert_identical(_record_bytes(tmp_path / "out"), local_records)


def test_running_dask_scheduler_gives_identical_records(inputs, local_records, tmp_path, monkeypatch):
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("VNPLAN_TASK_RUNNER", None)
    dask = str(Path(sys.executable).with_name("dask"))
    log = (tmp_path / "dask.log").open("ab")
    procs = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)]
    try:
        procs.append(subprocess.Popen([dask, "worker", f"tcp://127.0.0.1:{port}", "--nworkers", "2", "--nthreads", "1",
                                       "--no-dashboard", "--name", "vnplan-test"],
                                      cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        from distributed import Client

        with Client(f"tcp://127.0.0.1:{port}", timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
        monkeypatch.setenv("VNPLAN_TASK_RUNNER", f"dask://127.0.0.1:{port}")
        summary = run_batch([inputs], tmp_path / "out", report=False, sink=StoreSink())
        assert summary["errors"] == 0, summary["error_list"]
        _assert_identical(_record_bytes(tmp_path / "out"), local_records)
    finally:
        for p in reversed(procs):
            p.send_signal(signal.SIGTERM)
        for p in reversed(procs):
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=10)
        log.close()
