"""`vnplan evaluate` gives the same figures as the contract's scorer, on the corpus.

The scorer is ../shared/tools/score_gold.py; the project carries a verbatim copy of it
(vnplan/score_gold.py) so the comparison also runs in a clone with nothing beside it."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.build import build_record, write_json_atomic
from vnplan.cli import app

from conftest import EXTRA, EXTRA2, GOLD, PLANS, SHARED

CARRIED = Path(__file__).resolve().parents[1] / "vnplan" / "score_gold.py"
SHARED_SCORER = SHARED / "tools" / "score_gold.py"


def without_header(text: str) -> str:
    """The carried copy as it was copied: its header comment (the lines right after the first) dropped."""
    first, *rest = text.splitlines(keepends=True)
    while rest and rest[0].startswith("#"):
        rest.pop(0)
    return first + "".join(rest)


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    out = tmp_path_factory.mktemp("records")
    for p in sorted(PLANS.glob("*.txt")) + sorted(EXTRA.glob("*.txt")) + sorted(EXTRA2.glob("*.txt")):
        rec = build_record(p)
        write_json_atomic(out / f"{rec['id']}.json", rec)
    return out


@pytest.mark.parametrize("scorer", [CARRIED, SHARED_SCORER], ids=["carried-copy", "shared"])
def test_evaluate_equals_the_scorer(records, scorer):
    if not scorer.exists():
        pytest.skip("../shared is not beside this checkout")
    theirs = json.loads(subprocess.run([sys.executable, str(scorer), str(GOLD), str(records), "--json"],
                                       capture_output=True, text=True, check=True).stdout)
    res = CliRunner().invoke(app, ["evaluate", str(GOLD), str(records), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output) == theirs
    assert theirs["missing_records"] == []


def test_carried_scorer_is_a_verbatim_copy_of_shareds():
    if not SHARED_SCORER.exists():
        pytest.skip("../shared is not beside this checkout")
    assert without_header(CARRIED.read_text(encoding="utf-8")) == SHARED_SCORER.read_text(encoding="utf-8"), \
        "vnplan/score_gold.py differs from ../shared/tools/score_gold.py: copy it again, keep its header"


def test_evaluate_prints_areas_and_mismatches(records, tmp_path):
    res = CliRunner().invoke(app, ["evaluate", str(GOLD), str(tmp_path), "--verbose"])
    assert res.exit_code == 0
    assert "metadata" in res.output and "F1" in res.output
    golds = len(list(GOLD.glob("*.gold.json")))
    assert f"gold files without a record: {golds}" in res.output  # an empty folder predicts nothing


def test_only_present_scores_the_documents_that_have_a_record(tmp_path):
    """The main job reads plans/ and extra/: `--only-present` leaves out the gold of extra2/."""
    p = sorted(PLANS.glob("*.txt"))[0]
    rec = build_record(p)
    write_json_atomic(tmp_path / f"{rec['id']}.json", rec)
    theirs = json.loads(subprocess.run([sys.executable, str(CARRIED), str(GOLD), str(tmp_path), "--json",
                                        "--only-present"], capture_output=True, text=True, check=True).stdout)
    res = CliRunner().invoke(app, ["evaluate", str(GOLD), str(tmp_path), "--json", "--only-present"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output) == theirs
    assert theirs["documents"] == 1
