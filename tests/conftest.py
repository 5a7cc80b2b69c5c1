"""Shared test set-up: a private Prefect home, and paths to the corpus."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Prefect's temporary server keeps its SQLite under PREFECT_HOME: one per test session.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="vnplan-test-prefect-"))
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
PLANS = CORPUS / "plans"
EXTRA = CORPUS / "extra"
EXTRA2 = CORPUS / "extra2"  # plans new in issue 12, scored cold first
GOLD = CORPUS / "gold"
# ../shared (the contract, its scorer, the wider corpus) is beside the main checkout but not beside
# a user's clone or a worktree: tests that compare with it skip without it. VNPLAN_SHARED points
# elsewhere (e.g. a worktree: VNPLAN_SHARED=/work/shared).
SHARED = Path(os.environ.get("VNPLAN_SHARED") or ROOT.parent / "shared")


def gold_cases():
    """(txt source, gold facts) of every gold file whose plan is a sample plan (corpus/plans,
    corpus/extra), as pytest params; extra2's plans are scored as a whole (test_unseen)."""
    import json

    import pytest

    for g in sorted(GOLD.glob("*.gold.json")):
        gold = json.loads(g.read_text(encoding="utf-8"))
        stem = Path(gold["source"]).stem
        src = next((p for p in (PLANS / f"{stem}.txt", EXTRA / f"{stem}.txt") if p.exists()), None)
        if src:
            yield pytest.param(src, gold, id=stem)


import pytest  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "source(name, line=None): the corpus document (corpus/*/name) a test's example text is quoted from, "
        "and the line (1-based, as grep -n counts) where it is; tests/test_sources.py checks both")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A store holding the two hand-made plans of plan_factory (Khánh Hòa, Krông Nô)."""
    from plan_factory import khanh_hoa, krong_no

    from vnplan import store

    path = tmp_path / "vnplan.db"
    store.upsert_record(path, khanh_hoa())
    store.upsert_record(path, krong_no())
    return path


def khanh_hoa_appendix_3(ext: str):
    """(document, its tables headed "Tổng | Ngân sách tỉnh | Vốn đối ứng") of the Khánh Hòa
    plan's `ext` rendition (docx, pdf); the test is skipped when there is none."""
    from pipeline.build import load_document
    from pipeline.parse.tables import logical_tables

    path = (PLANS / "khanhhoa_ocop_2020_kh3680.txt").with_suffix(f".{ext}")
    if not path.exists():
        pytest.skip(f"no {ext} rendition")
    doc = load_document(path)
    return doc, [t for t in logical_tables(doc) if t.header[2:] == ["Tổng", "Ngân sách tỉnh", "Vốn đối ứng"]]


@pytest.fixture(scope="session")
def corpus_records() -> dict[Path, dict]:
    """Every corpus text (corpus/*/*.txt, resolved path) → its record, built once per session
    (several tests load the whole corpus into a store). Tests must not modify them."""
    from pipeline.build import build_record

    return {p.resolve(): build_record(p) for p in sorted(PLANS.glob("*.txt")) + sorted(EXTRA.glob("*.txt"))}
