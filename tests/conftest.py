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
GOLD = CORPUS / "gold"
SHARED = ROOT.parent / "shared"


def gold_cases():
    """(txt source, gold facts) of every gold file whose plan is in the corpus, as pytest params."""
    import json

    import pytest

    for g in sorted(GOLD.glob("*.gold.json")):
        gold = json.loads(g.read_text(encoding="utf-8"))
        stem = Path(gold["source"]).stem
        src = next((p for p in CORPUS.glob(f"*/{stem}.txt")), None)
        if src:
            yield pytest.param(src, gold, id=stem)
