"""Scoring against gold facts for `vnplan evaluate`: the contract's scorer
(shared/tools/score_gold.py, carried verbatim as vnplan/score_gold.py) scores each document;
this module runs it and returns the figures instead of printing them, so the CLI can print,
log or give them as JSON (tests/test_evaluate.py checks
that the figures equal the scorer's own output).
"""
from __future__ import annotations

import io
import json
from contextlib import redirect_stdout
from pathlib import Path

from vnplan import score_gold


def score(gold_dir: Path, pred_dir: Path, only_present: bool = False) -> tuple[dict, list[str]]:
    """Per-area precision/recall/F1 (micro-averaged) and the mismatch log, as the scorer's own
    `--json --verbose` run prints them (the log first, the figures on the last line)."""
    argv = [str(gold_dir), str(pred_dir), "--json", "--verbose"] + (["--only-present"] if only_present else [])
    out = io.StringIO()
    with redirect_stdout(out):
        score_gold.main(argv)
    *log, figures = out.getvalue().rstrip("\n").split("\n")
    return json.loads(figures), log


def format_result(result: dict) -> str:
    lines = []
    for a in score_gold.AREAS:
        if a in result:
            r = result[a]
            lines.append(f"{a:18} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}")
    missing = result["missing_records"]
    lines.append(f"documents scored {result['documents']}, gold files without a record: {len(missing)} {missing if missing else ''}")
    lines.append(f"mean F1 {result['mean_f1']:.3f}")
    return "\n".join(lines)
