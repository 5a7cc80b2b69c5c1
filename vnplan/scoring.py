"""Scoring against gold facts for `vnplan evaluate`: the contract's scorer
(shared/tools/score_gold.py, carried verbatim as vnplan/score_gold.py) scores each document;
this module only gathers the records and gold files and returns the figures instead of
printing them, so the CLI can print, log or give them as JSON (tests/test_evaluate.py checks
that the figures equal the scorer's own output).
"""
from __future__ import annotations

import json
from pathlib import Path

from vnplan.score_gold import AREAS, Tally, score_doc, stem


def score(gold_dir: Path, pred_dir: Path, only_present: bool = False) -> tuple[dict, list[str]]:
    """Per-area precision/recall/F1 (micro-averaged) and the mismatch log."""
    golds = {stem(p): json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(gold_dir).glob("*.gold.json"))}
    preds: dict = {}
    for p in sorted(Path(pred_dir).rglob("*.json")):
        try:
            rec = json.loads(p.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        if isinstance(rec, dict) and isinstance(rec.get("source"), dict) and rec["source"].get("path"):
            preds.setdefault(Path(rec["source"]["path"]).stem, []).append(rec)
    tallies = {a: Tally() for a in AREAS}
    log: list[str] = []
    missing: list[str] = []
    for name, gold in golds.items():
        gstem = Path(gold.get("source", name)).stem
        recs = preds.get(gstem) or []
        if not recs:
            missing.append(gstem)
            if only_present:
                continue
            recs = [{}]
        for rec in recs:
            log.append(f"{gstem} ({(rec.get('source') or {}).get('format', 'missing')}):")
            score_doc(gold, rec, tallies, log)
    result = {a: dict(zip(("precision", "recall", "f1"), (round(x, 3) for x in tallies[a].prf())))
              for a in AREAS if tallies[a].tp + tallies[a].fp + tallies[a].fn}
    f1s = [v["f1"] for v in result.values()]
    result["mean_f1"] = round(sum(f1s) / len(f1s), 3) if f1s else 0.0
    result["documents"] = len(golds) - (len(missing) if only_present else 0)
    result["missing_records"] = missing
    return result, log


def format_result(result: dict) -> str:
    lines = []
    for a in AREAS:
        if a in result:
            r = result[a]
            lines.append(f"{a:18} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}")
    missing = result["missing_records"]
    lines.append(f"documents scored {result['documents']}, gold files without a record: {len(missing)} {missing if missing else ''}")
    lines.append(f"mean F1 {result['mean_f1']:.3f}")
    return "\n".join(lines)
