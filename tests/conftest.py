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
