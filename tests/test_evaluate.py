"""`vnplan evaluate` gives the same figures as the shared scorer, on the corpus."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from pipeline.build import build_record, write_json_atomic
from vnplan.cli import app

from conftest import EXTRA, GOLD, PLANS, SHARED


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    out = tmp_path_factory.mktemp("records")
    for p in sorted(PLANS.glob("*.txt")) + sorted(EXTRA.glob("*.txt")):
        rec = build_record(p)
        write_json_atomic(out / f"{rec['id']}.json", rec)
    return out


def test_evaluate_equals_the_shared_scorer(records):
    scorer = SHARED / "tools" / "score_gold.py"
    if not scorer.exists():
        pytest.skip("../shared is not beside this checkout")
    theirs = json.loads(subprocess.run([sys.executable, str(scorer), str(GOLD), str(records), "--json"],
                                       capture_output=True, text=True, check=True).stdout)
    res = CliRunner().invoke(app, ["evaluate", str(GOLD), str(records), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output) == theirs
    assert theirs["missing_records"] == []


def test_evaluate_prints_areas_and_mismatches(records, tmp_path):
    res = CliRunner().invoke(app, ["evaluate", str(GOLD), str(tmp_path), "--verbose"])
    assert res.exit_code == 0
    assert "metadata" in res.output and "F1" in res.output
    assert "gold files without a record: 9" in res.output  # an empty folder predicts nothing
