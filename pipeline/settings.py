"""Limits and switches, with safe defaults; each can be set by an environment variable."""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass


def _env(name: str, default: str) -> str:
    return os.environ.get(f"VNPLAN_{name}", default)


@dataclass(frozen=True)
class Settings:
    max_file_mb: float = float(_env("MAX_FILE_MB", "100"))  # larger files are refused
    max_pages: int = int(_env("MAX_PAGES", "1000"))  # PDFs with more pages are refused
    max_seconds_per_document: float = float(_env("MAX_SECONDS", "600"))
    ocr_lang: str = _env("OCR_LANG", "vie")
    ocr_dpi: int = int(_env("OCR_DPI", "300"))
    # local | dask | dask://host:port (a running Dask scheduler)
    task_runner: str = _env("TASK_RUNNER", "local")
    workers: int = int(_env("WORKERS", "2"))

    def fingerprint(self) -> dict:
        """What, besides the pipeline version, changes a record (for incremental runs)."""
        d = asdict(self)
        return {k: d[k] for k in ("ocr_lang", "ocr_dpi", "max_pages")}


def get_settings() -> Settings:
    return Settings()
