"""Issue 15, failure 3: no document runs past VNPLAN_MAX_SECONDS, and the inputs that were
quadratic (a long run of digits, thousands of numbered items) are read in linear time.

The limit is tested on its mechanism (work that never ends by itself is stopped at the
deadline, its process is gone, the next document is read) and on results; timings of the
parsers are the benchmark's (bench/fuzz.py), not asserted here.
"""
from __future__ import annotations

import os
import re
import time

import pytest

from pipeline import stoppable
from pipeline.build import build_record
from pipeline.extract import ExtractError
from pipeline.normalize.text import rejoin_wrapped
from pipeline.parse.time_context import _WORKING_DAYS

from conftest import PLANS

SAMPLE = PLANS / "krongno_ocop_2021_kh83.txt"
GRACE_S = 10  # killing a process and reporting it: far less, even on a loaded machine


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split(")")[-1].split()[0] == "Z"  # a zombie not reaped yet


def test_work_stuck_in_a_regular_expression_is_stopped_at_the_deadline():
    """Catastrophic backtracking inside the C regex engine: no check between stages and no
    Python signal handler could interrupt it; the worker process is killed."""
    stoppable.call("os:getpid")  # a warm worker, as in a batch
    pid = stoppable.call("os:getpid")
    started = time.monotonic()
    with pytest.raises(stoppable.Stopped) as info:
        stoppable.call("re:match", (r"(a+)+$", "a" * 64 + "b"), seconds=0.5)
    assert info.value.seconds == 0.5
    assert time.monotonic() - started < 0.5 + GRACE_S
    assert stoppable.call("os:getpid") != pid  # a fresh worker took the killed one's place
    assert gone(pid)


def test_a_worker_returns_results_and_raises_errors_as_they_are(tmp_path):
    assert stoppable.call("operator:add", (2, 3), seconds=30) == 5
    with pytest.raises(ZeroDivisionError):
        stoppable.call("operator:truediv", (1, 0), seconds=30)
    empty = tmp_path / "trống.pdf"
    empty.write_bytes(b"")
    with pytest.raises(ExtractError) as info:  # the reader's error crosses whole
        build_record(empty, max_seconds=30)
    assert (info.value.reason, info.value.path) == ("empty", str(empty))


def test_a_worker_sees_the_callers_environment_and_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("VNPLAN_SOMETHING", "x1")
    monkeypatch.chdir(tmp_path)
    assert stoppable.call("os:getenv", ("VNPLAN_SOMETHING",), seconds=30) == "x1"
    assert stoppable.call("os:getcwd", seconds=30) == str(tmp_path)


def test_the_record_is_the_same_in_a_worker_and_in_process():
    assert build_record(SAMPLE, max_seconds=600) == build_record(SAMPLE)


def test_a_document_past_the_limit_is_stopped_naming_the_file_and_the_stage(tmp_path):
    with pytest.raises(ExtractError) as info:
        build_record(SAMPLE, max_seconds=0.001)
    assert info.value.reason == "timeout" and info.value.path == str(SAMPLE)
    assert re.fullmatch(r"stopped after 0\.001 s, at \w+ \(limit VNPLAN_MAX_SECONDS\)", info.value.detail)
    assert build_record(SAMPLE, max_seconds=600)["id"]  # the next document is read


# ---------------------------------------------------------------- the quadratic inputs, now linear

def rec_lines(path, numbers) -> list[str]:
    """The document lines that open the numbered items `numbers`."""
    from pipeline.build import load_document

    lines = [ln.text for ln in load_document(path).lines]
    return [next(t for t in lines if t.startswith(f"{n}. ")) for n in numbers]


HEAD = "KẾ HOẠCH\nTriển khai chương trình OCOP năm 2025\n"


def test_items_numbered_100_and_up_stay_items():
    lines = [f"{i}. Sở Công Thương chủ trì tổ chức hội chợ lần {i}" for i in range(97, 104)]
    assert rejoin_wrapped(lines) == lines
    assert rejoin_wrapped(["100.", "Sở Tài chính bố trí kinh phí"]) == ["100. Sở Tài chính bố trí kinh phí"]


def test_a_long_wrapped_paragraph_is_rejoined_whole():
    words = [f"nội dung {i}" for i in range(3000)]
    lines = ["- Sở Công Thương chủ trì, phối hợp với " + words[0]] + [w + " và" for w in words[1:]] + ["giai đoạn 2021-", "2025."]
    (para,) = rejoin_wrapped(lines)
    assert para.startswith("- Sở Công Thương chủ trì") and para.endswith(" và giai đoạn 2021-2025.")
    assert para == " ".join(lines).replace("2021- 2025", "2021-2025")


def test_working_days_are_found_from_the_first_digit_only():
    assert _WORKING_DAYS.search("trong thời hạn 05 ngày làm việc")
    assert _WORKING_DAYS.search("7" * 50 + "5 ngày làm việc")
    assert not _WORKING_DAYS.search("7" * 50_000)


@pytest.mark.parametrize("kind, size", [("digits", 40_000), ("items", 400), ("long_line", 20_000), ("deep", 60),
                                        ("table", 150), ("days", 2_000)])
def test_pathological_documents_give_a_record_within_the_limit(tmp_path, kind, size):
    """A small instance of bench/fuzz.py: each pathological input gives a valid record (or,
    on a very slow machine, a clean timeout), never a crash or a run past the limit."""
    from bench.fuzz import KINDS

    make, _ = KINDS[kind]
    path = tmp_path / f"{kind}.txt"
    path.write_text(make(size), encoding="utf-8")
    budget = 60.0
    started = time.monotonic()
    try:
        rec = build_record(path, max_seconds=budget)
    except ExtractError as exc:
        assert exc.reason == "timeout", exc
    else:
        assert rec["source"]["path"] == str(path)
        if kind == "items":  # every numbered item is its own line, past 99
            assert [f"{i}." for i in (99, 100, 400)] == [ln.split()[0] for ln in rec_lines(path, (99, 100, 400))]
    assert time.monotonic() - started < budget + GRACE_S
