"""The limits of pipeline/settings.py are enforced, each with an error naming the file:
VNPLAN_MAX_FILE_MB (any reader), VNPLAN_MAX_PAGES (PDF), VNPLAN_MAX_SECONDS (per document,
in the flow)."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from pipeline.build import build_record
from pipeline.extract import ExtractError, extract
from pipeline.settings import get_settings

from conftest import EXTRA, PLANS

SAMPLE = PLANS / "krongno_ocop_2021_kh83.txt"


def tiny_pdf(pages: list[str]) -> bytes:
    """A valid PDF with one line of (ASCII) text per page, written by hand."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None,
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for text in pages:
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream.decode()}\nendstream")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       f"/Resources << /Font << /F1 3 0 R >> >> /Contents {len(objects)} 0 R >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_settings_are_read_from_the_environment_when_used(monkeypatch):
    monkeypatch.setenv("VNPLAN_MAX_FILE_MB", "0.25")
    monkeypatch.setenv("VNPLAN_MAX_PAGES", "7")
    monkeypatch.setenv("VNPLAN_MAX_SECONDS", "1.5")
    s = get_settings()
    assert (s.max_file_mb, s.max_pages, s.max_seconds_per_document) == (0.25, 7, 1.5)


def test_ocr_reads_as_many_pages_at_once_as_workers_unless_told(monkeypatch):
    monkeypatch.delenv("VNPLAN_OCR_THREADS", raising=False)
    monkeypatch.setenv("VNPLAN_WORKERS", "3")
    assert get_settings().ocr_page_threads() == 3
    monkeypatch.setenv("VNPLAN_OCR_THREADS", "1")  # as the Dask runner's workers have it
    assert get_settings().ocr_page_threads() == 1


def test_a_file_over_max_file_mb_is_refused_naming_the_file(tmp_path, monkeypatch):
    big = tmp_path / "kế hoạch lớn.txt"
    big.write_text(SAMPLE.read_text(encoding="utf-8") * 3, encoding="utf-8")  # about 66 KB
    monkeypatch.setenv("VNPLAN_MAX_FILE_MB", "0.05")
    with pytest.raises(ExtractError) as info:
        build_record(big)
    assert info.value.reason == "too_large"
    assert info.value.path == str(big) and str(big) in str(info.value)
    assert "0.05 MB" in info.value.detail
    monkeypatch.setenv("VNPLAN_MAX_FILE_MB", "1")
    assert extract(big).blocks


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".html"])
def test_the_size_limit_comes_before_any_reader(tmp_path, monkeypatch, suffix):
    # garbage over the limit: refused for its size, not parsed (a reader could hang on it)
    f = tmp_path / f"to{suffix}"
    f.write_bytes(b"\0" * 300_000)
    monkeypatch.setenv("VNPLAN_MAX_FILE_MB", "0.1")
    with pytest.raises(ExtractError) as info:
        extract(f)
    assert info.value.reason == "too_large" and info.value.path == str(f)


def test_a_pdf_over_max_pages_is_refused_naming_the_file(tmp_path, monkeypatch):
    pdf = tmp_path / "dài.pdf"
    pdf.write_bytes(tiny_pdf([f"KE HOACH trang {i}" for i in range(1, 6)]))
    monkeypatch.setenv("VNPLAN_MAX_PAGES", "4")
    with pytest.raises(ExtractError) as info:
        extract(pdf)
    assert info.value.reason == "too_many_pages"
    assert info.value.path == str(pdf) and "5 pages" in info.value.detail
    monkeypatch.setenv("VNPLAN_MAX_PAGES", "5")
    ex = extract(pdf)
    assert ex.pages == 5 and "trang 5" in " ".join(b.text for b in ex.blocks)


@pytest.mark.slow
def test_flow_stops_a_document_over_max_seconds_and_goes_on(tmp_path, monkeypatch):
    """Through the real flow: the slow document is reported as `timeout`, the others are done."""
    from flows.process import run_batch
    from vnplan.sink import StoreSink

    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    slow = inbox / "rất dài.txt"
    slow.write_text((EXTRA / "09_chinhphu_nq03_2025_ctr_hanh_dong_nq57_khcn_cds.txt").read_text(encoding="utf-8") * 18,
                    encoding="utf-8")  # about 2.3 MB, a hundred times the short plan
    (inbox / "ngắn.txt").write_bytes(SAMPLE.read_bytes())
    (inbox / "quá lớn.txt").write_bytes(SAMPLE.read_bytes() * 250)  # about 5.5 MB
    build_record(SAMPLE)  # load the parsers' word lists and models first: that is not the document's time
    t = time.perf_counter()
    build_record(SAMPLE)
    # a limit well above the short plan's time and far below the long one's, on a fast or a loaded machine
    monkeypatch.setenv("VNPLAN_MAX_SECONDS", f"{max(1.0, 8 * (time.perf_counter() - t)):.2f}")
    monkeypatch.setenv("VNPLAN_MAX_FILE_MB", "4")
    started = time.monotonic()
    summary = run_batch([inbox], out, report=False, sink=StoreSink())
    assert summary["processed"] == 1, summary
    errors = {Path(e["file"]).name: e for e in json.loads((out / "errors.json").read_text(encoding="utf-8"))}
    assert errors["rất dài.txt"]["reason"] == "timeout", errors
    assert "VNPLAN_MAX_SECONDS" in errors["rất dài.txt"]["message"]
    assert errors["quá lớn.txt"]["reason"] == "too_large"
    assert time.monotonic() - started < 120


def test_time_limit_is_checked_between_stages_and_names_the_file():
    with pytest.raises(ExtractError) as e:
        build_record(SAMPLE, max_seconds=1e-9)
    assert e.value.reason == "timeout" and str(SAMPLE) in str(e.value)
    assert build_record(SAMPLE, max_seconds=600)["id"]
