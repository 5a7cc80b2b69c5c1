"""One plan, many files (issue 14): renditions of one plan are one plan in the store, a
signed version supersedes its draft, a replaced file leaves no phantom plan. Records are
built by the real pipeline from the corpus renditions (txt, docx, pdf of one plan)."""
from __future__ import annotations

import copy
import json
import sqlite3
from pathlib import Path

import pytest

from vnplan import plan_identity, store

PLANS = Path(__file__).parents[1] / "corpus" / "plans"
KH = [PLANS / f"khanhhoa_ocop_2020_kh3680.{ext}" for ext in ("txt", "docx", "pdf")]
pytestmark = pytest.mark.skipif(not all(p.exists() for p in KH), reason="corpus not present")


@pytest.fixture(scope="module")
def renditions() -> list[dict]:
    from pipeline.build import build_record

    return [build_record(p) for p in KH] + [build_record(PLANS / "krongno_ocop_2021_kh83.txt")]


def rows(db, sql, *args):
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, args).fetchall()


def test_three_formats_are_one_plan_with_every_file_listed(tmp_path, renditions):
    db = tmp_path / "s.db"
    for rec in renditions:
        store.upsert_record(db, rec)
    assert rows(db, "SELECT count(*) FROM plans") == [(2,)]
    assert rows(db, "SELECT budget_total_vnd FROM budget_by_province WHERE province = 'Khánh Hòa'") == [(17_770_000_000,)]
    (files,) = rows(db, "SELECT source_files FROM plans WHERE number = '3680/KH-UBND'")[0]
    listed = json.loads(files)
    assert sorted(f["path"] for f in listed) == sorted(str(p) for p in KH)
    assert [f["status"] for f in listed] == ["current", "rendition", "rendition"]
    assert listed[0]["format"] == "pdf"  # the digital PDF (the signed document, with pages) speaks for it
    # loading again, in another order, changes nothing
    for rec in reversed(renditions):
        store.upsert_record(db, rec)
    assert rows(db, "SELECT count(*), sum(n_source_files) FROM plans") == [(2, 4)]
    dup = rows(db, "SELECT count(*) FROM (SELECT agency, role, passage FROM responsibilities "
                   "GROUP BY plan_id, agency, role, passage HAVING count(*) > 1)")
    assert dup == [(0,)]


def test_signed_version_supersedes_its_draft_and_keeps_the_link(tmp_path, renditions):
    db = tmp_path / "s.db"
    signed = renditions[0]
    draft = copy.deepcopy(signed)
    draft["id"], draft["source"]["path"] = "d" * 16, "inbox/du_thao.txt"
    draft["metadata"]["number"], draft["metadata"]["issue_date"] = None, None
    draft["text"] = "DỰ THẢO\n" + draft["text"]
    store.upsert_record(db, draft)
    assert rows(db, "SELECT id FROM plans") == [("d" * 16,)]
    store.upsert_record(db, signed)
    assert rows(db, "SELECT id, number FROM plans") == [(signed["id"], "3680/KH-UBND")]
    assert rows(db, "SELECT record_id, status FROM plan_files ORDER BY status") == [
        (signed["id"], "current"), ("d" * 16, "superseded")]


def test_a_different_plan_is_not_merged(renditions):
    kh, kn = plan_identity.fingerprint(renditions[0]), plan_identity.fingerprint(renditions[3])
    pdf = plan_identity.fingerprint(renditions[2])
    assert plan_identity.same_plan(kh, pdf)
    assert not plan_identity.same_plan(kh, kn)
    kn.number_key = ""  # even as a draft without a number, its text is another plan's
    assert not plan_identity.same_plan(kh, kn)


def test_a_replaced_file_leaves_no_phantom_plan(tmp_path, renditions):
    db = tmp_path / "s.db"
    kh, kn = renditions[0], renditions[3]
    store.upsert_record(db, kh)
    other = copy.deepcopy(kn)
    other["source"]["path"] = kh["source"]["path"]  # the Khánh Hòa file now holds Krông Nô's plan
    store.upsert_record(db, other)
    assert rows(db, "SELECT number, source_path FROM plans") == [("83/KH-UBND", kh["source"]["path"])]
    assert rows(db, "SELECT count(*) FROM plan_files") == [(1,)]
    store.remove_plan(db, plan_id=kn["id"])
    assert rows(db, "SELECT count(*) FROM plans") == [(0,)]
