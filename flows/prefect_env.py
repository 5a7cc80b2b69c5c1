"""Prefect defaults for running with nothing set up by hand. Import before prefect.

With no PREFECT_API_URL, Prefect starts a temporary local server (SQLite in PREFECT_HOME);
set PREFECT_API_URL to use a real server instead (see README).
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("PREFECT_HOME", str(Path(tempfile.gettempdir()) / f"vnplan-prefect-{os.getuid()}"))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # it would call the internet
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_UI_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
# The run's logs (each document's warnings and errors) go to the Prefect API, where the UI
# shows them; the console stays for vnplan's own lines
os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")  # Prefect's client telemetry ("collects anonymous usage data")

try:  # Prefect creates only the last folder of PREFECT_HOME and then waits minutes for its server
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
except OSError as exc:
    raise SystemExit(f"vnplan: cannot create PREFECT_HOME {os.environ['PREFECT_HOME']}: {exc.strerror}") from exc
