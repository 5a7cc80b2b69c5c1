"""End to end through the real Prefect flows: the whole corpus, bad input, reruns, the watcher."""
from __future__ import annotations

import ast
import json
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from flows.process import discover, run_batch
from pipeline.normalize.schema import schema_errors
from vnplan.scoring import score
from vnplan.sink import StoreSink

from conftest import EXTRA, GOLD, PLANS

pytestmark = pytest.mark.e2e

SINK = StoreSink()  # the store and report the CLI hands to the flows


def records_in(out: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((out / "plans").glob("*.json"))]


@pytest.fixture(scope="session")
def corpus_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus-out")
    summary = run_batch([PLANS, EXTRA], out, sink=SINK)
    return out, summary


def test_every_corpus_file_becomes_one_valid_record(corpus_run):
    out, summary = corpus_run
    files = {str(p) for p in discover([PLANS, EXTRA])}
    recs = records_in(out)
    assert summary["errors"] == 0, summary["error_list"]
    assert {r["source"]["path"] for r in recs} == files
    formats = {r["source"]["format"] for r in recs}
    assert "txt" in formats
    for r in recs:
        assert schema_errors(r) == [], r["source"]["path"]
        assert r["id"] == r["source"]["sha256"][:16]
    assert json.loads((out / "errors.json").read_text()) == []


def test_every_rendition_is_read(corpus_run):
    out, _ = corpus_run
    by_format = {}
    for r in records_in(out):
        by_format.setdefault(r["source"]["format"], []).append(r)
    if not any(PLANS.glob("*.pdf")):
        pytest.skip("renditions not generated")
    assert {"txt", "docx", "pdf"} <= set(by_format)
    scans = [r for r in by_format["pdf"] if r["source"]["ocr"]]
    assert scans, "the scanned PDFs go through OCR"
    assert all("Kế hoạch" in r["text"] or "KẾ HOẠCH" in r["text"] for r in scans)


def test_store_and_report_hold_every_plan(corpus_run):
    out, _ = corpus_run
    ids = {r["id"] for r in records_in(out)}
    with sqlite3.connect(out / "vnplan.db") as conn:
        stored = {row[0] for row in conn.execute("SELECT id FROM plans")}
        files = {row[0] for row in conn.execute("SELECT record_id FROM plan_files")}
        budget = conn.execute("SELECT budget_total_vnd FROM budget_by_province WHERE province = 'Khánh Hòa'").fetchall()
    # every file is in the store, each plan once whatever the renditions (issue 14)
    assert files == ids and stored <= ids
    assert len(stored) == len({p.name.split(".")[0] for d in (PLANS, EXTRA) for p in d.glob("*.txt")})
    assert budget == [(17_770_000_000,)]
    report = json.loads((out / "comparison.json").read_text(encoding="utf-8"))
    rows = report["plans"] if isinstance(report, dict) else report
    assert {row["id"] for row in rows} == stored
    assert (out / "comparison.html").stat().st_size > 1000


def test_metadata_f1_over_all_renditions(corpus_run):
    out, _ = corpus_run
    result, log = score(GOLD, out / "plans", only_present=True)
    in_run = {p.stem for d in (PLANS, EXTRA) for p in d.glob("*.txt")}
    assert result["documents"] == len([g for g in GOLD.glob("*.gold.json") if g.name[:-10] in in_run])
    assert result["metadata"]["f1"] >= 0.8, "\n".join(log)


def test_second_run_over_unchanged_corpus_redoes_nothing(corpus_run):
    out, first = corpus_run
    again = run_batch([PLANS, EXTRA], out, report=False, sink=SINK)
    assert again["processed"] == 0
    assert again["skipped"] == first["processed"] + first["skipped"]


def test_bad_files_are_reported_kept_and_the_batch_goes_on(tmp_path):
    inbox, out = tmp_path / "hộp thư đến", tmp_path / "out"
    inbox.mkdir()
    shutil.copy(PLANS / "laichau_ocop_2020_qd.txt", inbox / "kế hoạch Lai Châu.txt")
    (inbox / "hỏng.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage without xref")
    (inbox / "trống.docx").write_bytes(b"")
    (inbox / "ghi chú.xyz").write_text("không phải văn bản")
    summary = run_batch([inbox], out, report=False, sink=SINK)
    assert summary["processed"] == 1
    errors = {Path(e["file"]).name: e for e in json.loads((out / "errors.json").read_text())}
    assert set(errors) == {"hỏng.pdf", "trống.docx", "ghi chú.xyz"}
    assert errors["trống.docx"]["reason"] == "empty"
    assert errors["ghi chú.xyz"]["reason"] == "unsupported_format"
    assert all(e["message"] for e in errors.values())
    assert all((inbox / name).exists() for name in errors)  # inputs are kept
    recs = records_in(out)
    assert [Path(r["source"]["path"]).name for r in recs] == ["kế hoạch Lai Châu.txt"]
    assert not list((out / "plans").glob(".*"))  # no temporary leftovers


def test_same_bytes_twice_and_a_replaced_file(tmp_path):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    src = (PLANS / "krongno_ocop_2021_kh83.txt").read_text(encoding="utf-8")
    (inbox / "a.txt").write_text(src, encoding="utf-8")
    (inbox / "copy of a.txt").write_text(src, encoding="utf-8")
    first = run_batch([inbox / "a.txt"], out, report=False, sink=SINK)
    second = run_batch([inbox], out, report=False, sink=SINK)
    assert first["processed"] == 1 and second["processed"] == 0 and second["skipped"] == 2
    old_id = records_in(out)[0]["id"]
    (inbox / "a.txt").write_text(src + "\nBổ sung: Phụ lục sửa đổi.\n", encoding="utf-8")
    third = run_batch([inbox / "a.txt"], out, report=False, sink=SINK)
    assert third["processed"] == 1
    ids = {r["id"] for r in records_in(out)}
    assert len(ids) == 2 and old_id in ids  # the old bytes are still held by "copy of a.txt"
    with sqlite3.connect(out / "vnplan.db") as conn:
        # two versions of one plan (same number and date, near-duplicate text): one plan, two files
        assert conn.execute("SELECT COUNT(*) FROM plans").fetchone()[0] == 1
        assert conn.execute("SELECT COUNT(*) FROM plan_files").fetchone()[0] == 2


def test_a_file_overwritten_with_another_inputs_bytes_leaves_no_phantom_plan(tmp_path):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    shutil.copy(PLANS / "krongno_ocop_2021_kh83.txt", inbox / "a.txt")
    shutil.copy(PLANS / "khanhhoa_ocop_2020_kh3680.txt", inbox / "b.txt")
    run_batch([inbox], out, report=False, sink=SINK)
    shutil.copy(inbox / "b.txt", inbox / "a.txt")  # a.txt now holds b.txt's bytes
    again = run_batch([inbox], out, report=False, sink=SINK)
    assert again["processed"] == 0
    with sqlite3.connect(out / "vnplan.db") as conn:
        assert conn.execute("SELECT number FROM plans").fetchall() == [("3680/KH-UBND",)]
    assert [r["metadata"]["number"] for r in records_in(out)] == ["3680/KH-UBND"]


def test_watcher_processes_backlog_then_new_files(tmp_path):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    shutil.copy(PLANS / "laichau_ocop_2020_qd.txt", inbox / "backlog.txt")
    from flows.watch import watch

    stop = threading.Event()
    batches: list[dict] = []
    t = threading.Thread(target=watch, args=(inbox, out), kwargs={"stop": stop, "on_batch": batches.append,
                                                                   "settle": 0.3, "sink": SINK}, daemon=True)
    t.start()
    try:
        deadline = time.monotonic() + 120
        while not batches and time.monotonic() < deadline:
            time.sleep(0.2)
        assert batches and batches[0]["processed"] == 1
        # a file written in two halves: never read half-way
        text = (PLANS / "krongno_ocop_2021_kh83.txt").read_bytes()
        with open(inbox / "mới.txt", "wb") as f:
            f.write(text[: len(text) // 2])
            f.flush()
            time.sleep(0.15)
            f.write(text[len(text) // 2:])
        dropped = time.monotonic()
        while time.monotonic() - dropped < 60:
            if any(Path(r["source"]["path"]).name == "mới.txt" for r in records_in(out)):
                break
            time.sleep(0.1)
        recs = {Path(r["source"]["path"]).name: r for r in records_in(out)}
        assert "mới.txt" in recs
        assert recs["mới.txt"]["source"]["sha256"] == __import__("hashlib").sha256(text).hexdigest()
        assert (out / "comparison.json").exists()
    finally:
        stop.set()
        t.join(timeout=30)


def test_unchanged_bad_file_is_not_retried_but_still_reported(tmp_path):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    (inbox / "cắt cụt.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog")
    first = run_batch([inbox], out, report=False, sink=SINK)
    second = run_batch([inbox], out, report=False, sink=SINK)
    assert first["errors"] == 1 and second["processed"] == 0 and second["skipped"] == 1
    assert [Path(e["file"]).name for e in json.loads((out / "errors.json").read_text())] == ["cắt cụt.pdf"]


def test_flows_do_not_import_the_app():
    """Layers (issue 11): the app hands the flows its store and report; flows/ never imports vnplan."""
    for path in sorted((Path(__file__).parent.parent / "flows").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not [n for n in names if n.split(".")[0] == "vnplan"], f"{path.name}:{node.lineno} imports {names}"
