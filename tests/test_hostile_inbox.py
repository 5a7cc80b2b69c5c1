"""Hostile or careless input at the app layer (issue 15): each case is built by the test, next
to a good plan, and goes through the real flows, store, report, query and Datasette.

Names that are not UTF-8, formulas in Excel cells, an output folder inside the input folder,
symlinks out of the inbox, SQL that writes, a full or read-only output disk, failures of the
environment cached, errors.json shared by two runs, and a run killed between its record and
its store row.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from datasette_server import datasette_server

from flows.errors_file import write_errors
from flows.process import OutputUnwritable, run_batch
from plan_factory import khanh_hoa, krong_no
from vnplan import query, store
from vnplan.report import write_comparison
from vnplan.sink import StoreSink

from conftest import PLANS, ROOT

pytestmark = pytest.mark.e2e

SINK = StoreSink()
GOOD = PLANS / "laichau_ocop_2020_qd.txt"
OTHER = PLANS / "krongno_ocop_2021_kh83.txt"
WINDOWS_NAME = b"K\xd5 ho\xb9ch.txt"  # "Kế hoạch" in a legacy code page, as unzip leaves it


def records(out: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((out / "plans").glob("*.json"))}


def errors_json(out: Path) -> dict[str, dict]:
    return {e["file"]: e for e in json.loads((out / "errors.json").read_text(encoding="utf-8"))}


def store_ids(out: Path) -> set[str]:
    with sqlite3.connect(out / "vnplan.db") as conn:
        return {r[0] for r in conn.execute("SELECT id FROM plans")}


def watch_in_thread(inbox: Path, out: Path, batches: list, **kw) -> tuple[threading.Thread, threading.Event]:
    from flows.watch import watch

    stop = threading.Event()
    t = threading.Thread(target=watch, args=(inbox, out), daemon=True,
                         kwargs={"stop": stop, "on_batch": batches.append, "settle": 0.3, "sink": SINK, **kw})
    t.start()
    return t, stop


def wait_until(cond, timeout: float = 90) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.1)
    return False


# ----------------------------------------------------------------------------- 1. names


def test_a_name_that_is_not_utf8_is_reported_and_the_batch_goes_on(tmp_path):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    shutil.copy(GOOD, inbox / "tốt.txt")
    bad = os.path.join(os.fsencode(inbox), WINDOWS_NAME)
    shutil.copy(OTHER, bad)
    summary = run_batch([inbox], out, report=False, sink=SINK)
    assert summary["processed"] == 1
    errors = errors_json(out)
    shown = str(inbox / "K\\xd5 ho\\xb9ch.txt")  # the bytes, escaped readably
    assert set(errors) == {shown} and errors[shown]["reason"] == "undecodable_name"
    assert "not UTF-8" in errors[shown]["message"]
    assert os.path.exists(bad)  # the file is left as it is
    assert [Path(r["source"]["path"]).name for r in records(out).values()] == ["tốt.txt"]
    # named on the command line too (Prefect's parameters are JSON): refused by name, no crash
    again = run_batch([Path(os.fsdecode(bad)), inbox / "tốt.txt"], out, report=False, sink=SINK)
    assert [e["file"] for e in again["error_list"]] == [shown] and again["skipped"] == 1


def test_the_watcher_survives_a_name_that_is_not_utf8(tmp_path):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    shutil.copy(OTHER, os.path.join(os.fsencode(inbox), WINDOWS_NAME))  # in the backlog
    batches: list[dict] = []
    t, stop = watch_in_thread(inbox, out, batches)
    try:
        assert wait_until(lambda: batches), "no backlog batch"
        shutil.copy(OTHER, os.path.join(os.fsencode(inbox), b"m\xe1i " + WINDOWS_NAME))  # dropped in
        (inbox / "ra ngoài.txt").symlink_to(PLANS / "cantho_ocop_2024_kh109.txt")  # a link out of the inbox
        shutil.copy(GOOD, inbox / "mới.txt")
        assert wait_until(lambda: any(Path(r["source"]["path"]).name == "mới.txt" for r in records(out).values()))
        assert t.is_alive()
        assert wait_until(lambda: len(errors_json(out)) == 3, 30), errors_json(out)
        assert sorted(e["reason"] for e in errors_json(out).values()) == \
            ["link_outside_input", "undecodable_name", "undecodable_name"]
        assert len(records(out)) == 1
    finally:
        stop.set()
        t.join(timeout=30)


# ----------------------------------------------------------------------------- 2. Excel


def test_document_text_reaches_excel_as_text_never_as_a_formula(tmp_path):
    rec = khanh_hoa()
    rec["metadata"]["title"] = '=HYPERLINK("http://127.0.0.1:9/x","bấm vào đây")'
    rec["tasks"][0]["title"] = "=1+2"
    rec["tasks"][1]["title"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    rec["responsibilities"][0]["duty"] = "+1+2"
    rec["responsibilities"][1]["duty"] = "\t=3*3"
    rec["responsibilities"][2]["duty"] = "- Tuyên truyền về Chương trình OCOP"  # an ordinary bullet
    db = tmp_path / "vnplan.db"
    store.upsert_record(db, rec)
    write_comparison(db, tmp_path)
    xlsx = tmp_path / "comparison.xlsx"
    with zipfile.ZipFile(xlsx) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not [n for n in sheets if b"<f>" in z.read(n) or b"<f " in z.read(n)]
    import openpyxl

    cells = {c.value: c for ws in openpyxl.load_workbook(xlsx) for row in ws.iter_rows() for c in row
             if isinstance(c.value, str)}
    for text in (rec["metadata"]["title"], "=1+2", rec["tasks"][1]["title"], "+1+2", "\t=3*3",
                 "- Tuyên truyền về Chương trình OCOP"):
        assert text in cells, text  # the text as written, not changed
        assert cells[text].data_type == "s" and cells[text].quotePrefix, text


# ----------------------------------------------------------------------------- 3. own outputs


@pytest.mark.parametrize("where", ["inside", "same"])
def test_outputs_inside_the_input_folder_are_never_read(tmp_path, where):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(GOOD, inbox / "kế hoạch.txt")
    out = inbox / "outputs" if where == "inside" else inbox
    first = run_batch([inbox], out, sink=SINK)
    second = run_batch([inbox], out, sink=SINK)
    assert (first["processed"], first["errors"]) == (1, 0), first["error_list"]
    assert (second["processed"], second["skipped"], second["errors"]) == (0, 1, 0), second
    assert (out / "comparison.html").exists() and (out / "comparison.xlsx").exists()
    assert [Path(r["source"]["path"]).name for r in records(out).values()] == ["kế hoạch.txt"]
    with sqlite3.connect(out / "vnplan.db") as conn:
        assert [Path(p).name for (p,) in conn.execute("SELECT path FROM ledger")] == ["kế hoạch.txt"]


def test_the_watcher_does_not_loop_on_its_own_outputs(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(GOOD, inbox / "kế hoạch.txt")
    out = inbox / "outputs"
    batches: list[dict] = []
    t, stop = watch_in_thread(inbox, out, batches)
    try:
        assert wait_until(lambda: batches)
        shutil.copy(OTHER, inbox / "mới.txt")
        assert wait_until(lambda: len(records(out)) == 2 and len(batches) >= 2)
        settled = len(batches)
        time.sleep(5)  # outputs were rewritten after each batch: no batch may follow from them
        assert len(batches) == settled <= 3, [b.get("files") for b in batches]
    finally:
        stop.set()
        t.join(timeout=30)
    assert all(b["errors"] == 0 for b in batches)


# ----------------------------------------------------------------------------- 4. symlinks


def test_links_out_of_the_input_folder_are_not_followed(tmp_path):
    inbox, out, secret = tmp_path / "inbox", tmp_path / "out", tmp_path / "elsewhere"
    inbox.mkdir()
    secret.mkdir()
    shutil.copy(OTHER, secret / "bí mật.txt")
    shutil.copy(GOOD, inbox / "tốt.txt")
    (inbox / "ra ngoài.txt").symlink_to(secret / "bí mật.txt")
    (inbox / "thư mục ngoài").symlink_to(secret, target_is_directory=True)
    (inbox / "treo.txt").symlink_to(tmp_path / "không có.txt")
    (inbox / "vòng a.txt").symlink_to(inbox / "vòng b.txt")
    (inbox / "vòng b.txt").symlink_to(inbox / "vòng a.txt")
    (inbox / "bên trong.txt").symlink_to(inbox / "tốt.txt")  # inside the folder: fine
    summary = run_batch([inbox], out, report=False, sink=SINK)
    reasons = {Path(f).name: e["reason"] for f, e in errors_json(out).items()}
    assert reasons == {"ra ngoài.txt": "link_outside_input", "thư mục ngoài": "link_outside_input",
                       "treo.txt": "dangling_link", "vòng a.txt": "symlink_loop", "vòng b.txt": "symlink_loop"}
    assert all(str(secret) not in r["text"] and "Krông Nô" not in r["text"] for r in records(out).values())
    assert {Path(r["source"]["path"]).name for r in records(out).values()} <= {"tốt.txt", "bên trong.txt"}
    assert summary["errors"] == 5 and len(records(out)) == 1


# ----------------------------------------------------------------------------- 5. read-only SQL and Datasette


@pytest.mark.parametrize("sql", ["VACUUM INTO '{dir}/copy.db'", "ATTACH '{dir}/new.db' AS x",
                                 "ATTACH 'file:{dir}/uri.db?mode=rwc' AS x", "CREATE TEMP TABLE t(x)",
                                 "PRAGMA user_version = 7", "DELETE FROM plans"])
def test_query_sql_writes_nothing(db, tmp_path, sql):
    with pytest.raises(sqlite3.DatabaseError):
        query.run_sql(db, sql.format(dir=tmp_path))
    assert [n for n in os.listdir(tmp_path) if not n.startswith("vnplan.db")] == []
    assert query.run_sql(db, "SELECT count(*) FROM plans")[1] == [(2,)]
    assert query.run_sql(db, "PRAGMA table_info(plans)")[1]  # reading the schema still works


def test_cli_query_sql_vacuum_into_is_refused(db, tmp_path):
    from typer.testing import CliRunner

    from vnplan.cli import app

    res = CliRunner().invoke(app, ["query", "--sql", f"VACUUM INTO '{tmp_path}/leak.db'", "--db", str(db)])
    assert res.exit_code != 0 and "authoriz" in res.output
    assert not (tmp_path / "leak.db").exists()


def test_datasette_answers_405_to_writes(tmp_path):
    db = tmp_path / "vnplan.db"
    store.upsert_record(db, khanh_hoa())
    with datasette_server(db, tmp_path / "datasette.log") as base:
        assert _status(base + "/vnplan/plans.json", "GET") == 200
        for path in ("/vnplan/plans/-/insert", "/vnplan/plans/-/upsert", "/vnplan/-/create",
                     "/vnplan/plans/-/drop", f"/vnplan/plans/{khanh_hoa()['id']}/-/update",
                     f"/vnplan/plans/{khanh_hoa()['id']}/-/delete", "/vnplan/plans", "/vnplan"):
            for method in ("POST", "PUT", "PATCH", "DELETE"):
                assert _status(base + path, method) == 405, (method, path)
        assert _status(base + "/vnplan/plans/-/insert", "GET") == 405
        assert store_ids(tmp_path) == {khanh_hoa()["id"]}
        assert "Traceback" not in (tmp_path / "datasette.log").read_text()


def _status(url: str, method: str) -> int:
    data = b'{"row": {"id": "x"}}' if method != "GET" else None
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


# ----------------------------------------------------------------------------- 6. full / read-only disk


@pytest.fixture
def small_disk(tmp_path):
    """A real tmpfs of 1 MB (the empty store takes about 200 KB) (needs root and mount rights; skipped otherwise)."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def test_a_full_disk_is_reported_with_its_cause_and_leaves_nothing_half_written(tmp_path, small_disk):
    inbox, out = tmp_path / "inbox", small_disk / "out"
    inbox.mkdir()
    for p in sorted(PLANS.glob("*.txt")):
        shutil.copy(p, inbox / p.name)
    summary = run_batch([inbox], out, sink=SINK)  # no exception: every file gets its outcome
    failed = [f for f in summary["files"] if f["outcome"] == "error"]
    assert failed and {f["reason"] for f in failed} == {"disk_full"}, failed
    assert all("disk is full" in f["message"] or "No space left" in f["message"] for f in failed)
    assert not [f for f in summary["files"] if "cannot rollback" in (f["message"] or "")]
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    # every record left has its store row, and the other way round
    assert set(records(out)) == store_ids(out)


def test_a_read_only_output_says_so_before_reading_anything(tmp_path, small_disk):
    inbox, out = tmp_path / "inbox", small_disk / "out"
    inbox.mkdir()
    shutil.copy(GOOD, inbox / "kế hoạch.txt")
    out.mkdir()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with pytest.raises(OutputUnwritable, match="Read-only file system"):
        run_batch([inbox], out, sink=SINK)
    from typer.testing import CliRunner

    from vnplan.cli import app

    res = CliRunner().invoke(app, ["run", str(inbox), "--out", str(out)])
    assert res.exit_code == 1 and "Read-only file system" in res.output and "Traceback" not in res.output


def test_a_failed_commit_keeps_its_cause(tmp_path):
    """SQLite rolls back by itself on a full disk; a second ROLLBACK must not hide the cause."""
    db = tmp_path / "vnplan.db"
    store.init_db(db)
    with pytest.raises(sqlite3.OperationalError, match="disk is full"):
        with store.connect(db) as conn, store._transaction(conn):
            conn.execute("PRAGMA max_page_count = 1")  # this connection may not grow the file
            conn.execute("INSERT INTO store_info(key, value) VALUES ('x', ?)", ("y" * 100_000,))


# ----------------------------------------------------------------------------- 7. environment failures


def _scan(path: Path) -> None:
    """An image-only PDF (a blank scanned page)."""
    from PIL import Image

    Image.new("L", (200, 280), 255).save(path, resolution=30)


@pytest.mark.skipif(not shutil.which("tesseract"), reason="Tesseract is needed")
def test_an_environment_failure_is_retried_once_the_environment_is_fixed(tmp_path, monkeypatch):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    _scan(inbox / "bản quét.pdf")
    shutil.copy(GOOD, inbox / "tốt.txt")
    monkeypatch.setenv("VNPLAN_TESSERACT", "no-such-tesseract")
    first = run_batch([inbox], out, report=False, sink=SINK)
    assert [e["reason"] for e in first["error_list"]] == ["ocr_unavailable"]
    monkeypatch.delenv("VNPLAN_TESSERACT")  # Tesseract is back
    second = run_batch([inbox], out, report=False, sink=SINK)
    retried = [f for f in second["files"] if Path(f["file"]).name == "bản quét.pdf"]
    assert retried and retried[0]["reason"] != "ocr_unavailable", second
    assert "ocr_unavailable" not in {e["reason"] for e in json.loads((out / "errors.json").read_text())}


# ----------------------------------------------------------------------------- 8. errors.json shared


def test_two_runs_sharing_an_output_folder_keep_each_others_errors(tmp_path):
    a, b, out = tmp_path / "a", tmp_path / "b", tmp_path / "out"
    for folder, name in ((a, "hỏng a.pdf"), (b, "hỏng b.pdf")):
        folder.mkdir()
        (folder / name).write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage without xref")
        shutil.copy(GOOD, folder / "tốt.txt")
    run_batch([a], out, report=False, sink=SINK)
    run_batch([b], out, report=False, sink=SINK)
    assert {Path(f).name for f in errors_json(out)} == {"hỏng a.pdf", "hỏng b.pdf"}
    (a / "hỏng a.pdf").unlink()  # fixed in a: a's next run drops it, b's error stays
    run_batch([a], out, report=False, sink=SINK)
    assert {Path(f).name for f in errors_json(out)} == {"hỏng b.pdf"}


WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from flows.errors_file import write_errors

    out, folder = sys.argv[1], sys.argv[2]
    for i in range(40):
        write_errors(Path(out), [{"file": f"{folder}/f{j}.pdf", "reason": "corrupt_pdf", "message": str(i)}
                                 for j in range(3)], [Path(folder)])
""")


def test_concurrent_writers_of_errors_json_lose_nothing(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), str(tmp_path / f"in{k}")], env=env,
                              cwd=ROOT) for k in range(4)]
    assert [p.wait(timeout=120) for p in procs] == [0] * 4
    assert len(errors_json(tmp_path)) == 12


# ----------------------------------------------------------------------------- 9. kill -9


CRASH = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from flows.process import run_batch
    from vnplan.sink import StoreSink

    class DiesBeforeTheStore(StoreSink):
        def upsert_record(self, db_path, record):  # the record file is in place: die now
            os.kill(os.getpid(), signal.SIGKILL)

    run_batch([Path(sys.argv[1])], Path(sys.argv[2]), report=False, sink=DiesBeforeTheStore())
""")


def test_a_record_left_by_a_killed_run_is_reconciled_at_the_next_start(tmp_path):
    inbox, crashed = tmp_path / "inbox", tmp_path / "crashed"
    inbox.mkdir()
    src = inbox / "kế hoạch.txt"
    shutil.copy(GOOD, src)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
               PREFECT_HOME=str(tmp_path / "prefect"))  # its own temporary Prefect server
    env.pop("PREFECT_API_URL", None)
    proc = subprocess.run([sys.executable, "-c", CRASH, str(inbox), str(crashed)], cwd=ROOT, env=env,
                          capture_output=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]
    left = set(records(crashed))
    assert len(left) == 1 and store_ids(crashed) == set()  # the crash state: a record, no store row
    # the next start (a watcher's start runs the same batch) with the file kept, replaced, removed;
    # each from a copy of the crashed output folder
    for source in ("kept", "replaced", "removed"):
        out = shutil.copytree(crashed, tmp_path / source)
        if source == "replaced":
            shutil.copy(OTHER, src)
        if source == "removed":
            src.unlink()
        summary = run_batch([inbox], out, report=False, sink=SINK)
        assert summary["reconciled"] == sorted(left), source
        assert store_ids(out) == set(records(out)), source
        if source == "replaced":  # the stale record went, the new bytes have theirs
            assert len(records(out)) == 1 and not left & set(records(out))
        else:
            assert set(records(out)) == left, source
