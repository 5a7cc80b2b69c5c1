#!/usr/bin/env python3
# Carried copy of ../shared/tools/score_gold.py, the contract's scorer (shared/contract/GOLD.md),
# verbatim below these header lines: `vnplan evaluate` (vnplan/scoring.py) scores with its
# functions, in a clone that has no ../shared beside it. tests/test_evaluate.py checks that it still
# equals ../shared's file whenever ../shared is there; to update, copy the file again and keep
# this header (the comment lines right after the first line).
"""Score plan records (PLAN_SCHEMA.md) against gold facts (GOLD.md).

usage: score_gold.py GOLD_DIR PRED_DIR [--json] [--verbose] [--only-present]

A prediction matches a gold file when the stem of its source.path equals the stem of the
gold's "source" (so 003_x.pdf and 003_x.docx are both scored against 003_x.gold.json).
A gold file without any record counts as a record that found nothing, unless --only-present.
Prints one line per area: precision, recall, F1 (micro-averaged over documents).
Standard library only.
"""
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

META_FIELDS = ["doc_type", "number", "issue_date", "level", "province", "district", "signer", "period"]


TONE_ON_SECOND = re.compile(r"([ouOU])([aeyAEY])([\u0300\u0301\u0303\u0309\u0323])")


def key(s):
    """Comparison key: case folded, one tone-mark placement (hoà = hòa), no punctuation."""
    if s is None:
        return None
    s = TONE_ON_SECOND.sub(r"\1\3\2", unicodedata.normalize("NFD", str(s)))
    s = unicodedata.normalize("NFC", s).casefold().replace("&", " và ")
    s = re.sub(r"[^\w\s]", " ", s)
    return " ".join(s.split())


def numkey(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", s or "")).casefold()


def stem(path):
    name = Path(path).name
    return name[: -len(".gold.json")] if name.endswith(".gold.json") else Path(name).stem


class Tally:
    def __init__(self):
        self.tp = self.fp = self.fn = 0

    def add(self, tp, fp, fn):
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def prf(self):
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def multiset_score(gold, pred):
    g, p = Counter(gold), Counter(pred)
    tp = sum((g & p).values())
    return tp, sum(p.values()) - tp, sum(g.values()) - tp


def match_greedy(gold_items, pred_items, matches):
    """Count one-to-one matches; matches(g, p) -> bool."""
    used = set()
    tp = 0
    for g in gold_items:
        for i, p in enumerate(pred_items):
            if i not in used and matches(g, p):
                used.add(i)
                tp += 1
                break
    return tp, len(pred_items) - tp, len(gold_items) - tp


def pred_metadata(rec):
    m = rec.get("metadata") or {}
    signer = (m.get("signer") or {}).get("name") if isinstance(m.get("signer"), dict) else m.get("signer")
    period = m.get("period")
    if isinstance(period, dict):
        period = [period.get("start_year"), period.get("end_year")]
    return {
        "doc_type": m.get("doc_type"), "number": m.get("number"), "issue_date": m.get("issue_date"),
        "level": m.get("level"), "province": m.get("province"), "district": m.get("district"),
        "signer": signer, "period": period,
    }


def agency_names(a):
    return [key(x) for x in (a if isinstance(a, list) else [a])]


def score_doc(gold, rec, tallies, log):
    # metadata
    pm = pred_metadata(rec)
    for f in META_FIELDS:
        if f not in gold.get("metadata", {}):
            continue
        gv, pv = gold["metadata"][f], pm.get(f)
        ok = (gv == pv) if f == "period" else (key(gv) == key(pv)) if f != "number" else (numkey(gv or "") == numkey(pv or "") and (gv is None) == (pv is None))
        tallies["metadata"].add(int(ok), int(not ok), int(not ok))
        if not ok:
            log.append(f"  metadata.{f}: gold {gv!r} pred {pv!r}")
    m = rec.get("metadata") or {}
    # document references
    for area, field in (("legal_bases", "legal_bases"), ("references", "references")):
        if area not in gold:
            continue
        g = {numkey(x) for x in gold[area]}
        p = {numkey(r.get("number")) for r in (m.get(field) or []) if r.get("number")}
        tallies[area].add(len(g & p), len(p - g), len(g - p))
        if g != p:
            log.append(f"  {area}: missing {sorted(g - p)} extra {sorted(p - g)}")
    # responsibilities
    if "responsibilities" in gold:
        pred = {(key(r.get("agency")), r.get("role")) for r in rec.get("responsibilities") or [] if r.get("role") in ("lead", "coordinate")}
        pred = sorted(pred, key=str)
        gold_pairs = [(agency_names(a), role) for a, role in gold["responsibilities"]]
        tp, fp, fn = match_greedy(gold_pairs, pred, lambda g, p: p[1] == g[1] and p[0] in g[0])
        tallies["responsibilities"].add(tp, fp, fn)
        if fp or fn:
            missing = [g for g in gold_pairs if not any(p[1] == g[1] and p[0] in g[0] for p in pred)]
            extra = [p for p in pred if not any(p[1] == g[1] and p[0] in g[0] for g in gold_pairs)]
            log.append(f"  responsibilities: missing {[(n[0], r) for n, r in missing]} extra {extra}")
    # targets
    if "targets" in gold:
        pred = [t for o in rec.get("objectives") or [] for t in o.get("targets") or []]

        def tmatch(g, p):
            if p.get("value") is None or float(p["value"]) != float(g["value"]):
                return False
            gm, pmax = g.get("value_max"), p.get("value_max")
            if (gm is None) != (pmax is None) or (gm is not None and float(gm) != float(pmax)):
                return False
            words = key(g.get("unit") or "").split()
            hay = key((p.get("unit") or "") + " " + (p.get("text") or ""))
            return all(w in hay.split() for w in words)

        tp, fp, fn = match_greedy(gold["targets"], pred, tmatch)
        tallies["targets"].add(tp, fp, fn)
        if fp or fn:
            log.append(f"  targets: matched {tp} of gold {len(gold['targets'])}, predicted {len(pred)}")
    # timeline
    if "timeline" in gold:
        g = {tuple(x) for x in gold["timeline"]}
        p = {(t.get("start"), t.get("end")) for t in rec.get("timeline") or [] if t.get("start") or t.get("end")}
        tallies["timeline"].add(len(g & p), len(p - g), len(g - p))
        if g != p:
            log.append(f"  timeline: missing {sorted(g - p, key=str)} extra {sorted(p - g, key=str)}")
    # budget
    if "budget" in gold:
        gb, pb = gold["budget"], rec.get("budget")
        if gb is None:
            ok = pb is None or not pb.get("total_vnd")
            tallies["budget_total"].add(int(ok), int(not ok), 0)
        else:
            pb = pb or {}
            ok = gb.get("total_vnd") == pb.get("total_vnd")
            tallies["budget_total"].add(int(ok), int(not ok), int(not ok))
            if not ok:
                log.append(f"  budget.total_vnd: gold {gb.get('total_vnd')} pred {pb.get('total_vnd')}")
            gs = {(key(k), v) for k, v in (gb.get("sources") or {}).items()}
            ps = {(key(s.get("name")), s.get("amount_vnd")) for s in pb.get("sources") or []}
            tallies["budget_sources"].add(len(gs & ps), len(ps - gs), len(gs - ps))
            pred_items = []
            for it in pb.get("items") or []:
                amounts = it.get("amounts_vnd") or {}
                total = None
                for col, v in amounts.items():
                    if key(col) in ("tổng", "tổng cộng", "tổng số", "total", "cộng", "thành tiền", "kinh phí"):
                        total = v
                if total is None and amounts:
                    total = next(iter(amounts.values()))
                if total is not None:
                    pred_items.append(total)
            tp, fp, fn = multiset_score(gb.get("item_totals_vnd") or [], pred_items)
            tallies["budget_items"].add(tp, fp, fn)
            if fp or fn:
                log.append(f"  budget.items: matched {tp}, extra {fp}, missing {fn}")


AREAS = ["metadata", "legal_bases", "references", "responsibilities", "targets", "timeline",
         "budget_total", "budget_sources", "budget_items"]


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    if len(args) != 2:
        print(__doc__)
        return 2
    gold_dir, pred_dir = Path(args[0]), Path(args[1])
    golds = {stem(p): json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.gold.json"))}
    preds = {}
    for p in sorted(pred_dir.rglob("*.json")):
        try:
            rec = json.loads(p.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            continue
        if isinstance(rec, dict) and isinstance(rec.get("source"), dict) and rec["source"].get("path"):
            preds.setdefault(Path(rec["source"]["path"]).stem, []).append(rec)
    tallies = {a: Tally() for a in AREAS}
    log, missing = [], []
    for name, gold in golds.items():
        gstem = Path(gold.get("source", name)).stem
        recs = preds.get(gstem) or []
        if not recs:
            missing.append(gstem)
            if "--only-present" in argv:
                continue
            # a missing record counts as predicting nothing
            recs = [{}]
        for rec in recs:
            log.append(f"{gstem} ({(rec.get('source') or {}).get('format', 'missing')}):")
            score_doc(gold, rec, tallies, log)
    result = {a: dict(zip(("precision", "recall", "f1"), (round(x, 3) for x in tallies[a].prf())))
              for a in AREAS if tallies[a].tp + tallies[a].fp + tallies[a].fn}
    f1s = [v["f1"] for v in result.values()]
    result["mean_f1"] = round(sum(f1s) / len(f1s), 3) if f1s else 0.0
    result["documents"] = len(golds) - (len(missing) if "--only-present" in argv else 0)
    result["missing_records"] = missing
    if "--verbose" in argv:
        print("\n".join(log))
    if "--json" in argv:
        print(json.dumps(result, ensure_ascii=False))
    else:
        for a in AREAS:
            if a in result:
                r = result[a]
                print(f"{a:18} P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}")
        print(f"documents scored {result['documents']}, gold files without a record: {len(missing)} {missing if missing else ''}")
        print(f"mean F1 {result['mean_f1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
