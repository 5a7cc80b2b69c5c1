"""Limits and switches, with safe defaults; each can be set by an environment variable."""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field


def _env(name: str, default: str) -> str:
    return os.environ.get(f"VNPLAN_{name}", default)


def _from_env(name: str, default: str, kind=str):
    """A field read from the environment when Settings() is made (not when this module is
    imported), so a variable set later, e.g. by a test or a worker, takes effect."""
    return field(default_factory=lambda: kind(_env(name, default)))


@dataclass(frozen=True)
class Settings:
    max_file_mb: float = _from_env("MAX_FILE_MB", "100", float)  # larger files are refused
    max_pages: int = _from_env("MAX_PAGES", "1000", int)  # PDFs with more pages are refused
    max_seconds_per_document: float = _from_env("MAX_SECONDS", "600", float)
    ocr_lang: str = _from_env("OCR_LANG", "vie")
    ocr_dpi: int = _from_env("OCR_DPI", "300", int)
    # local | dask | dask://host:port (a running Dask scheduler)
    task_runner: str = _from_env("TASK_RUNNER", "local")
    workers: int = _from_env("WORKERS", "2", int)  # processes of the process pool or Dask cluster
    # The parsers are pure Python under the GIL: a second thread only contends with the first
    # and with Prefect's server (measured: 27% flow overhead with 2 threads, 13% with 1), and
    # OCR already runs pages in parallel inside the reader.
    threads: int = _from_env("THREADS", "1", int)
    # Pages of one scanned document read at once (one single-threaded Tesseract each); 0: as
    # many as `workers`. The Dask runner's workers read one page at a time (it sets 1 in their
    # environment): there the documents are the parallel work, one core per worker.
    ocr_threads: int = _from_env("OCR_THREADS", "0", int)

    def ocr_page_threads(self) -> int:
        """How many pages of one document OCR reads at once (before the cap by cores and pages)."""
        return max(1, self.ocr_threads or self.workers)

    def fingerprint(self) -> dict:
        """What, besides the pipeline version, changes a record (for incremental runs)."""
        d = asdict(self)
        return {k: d[k] for k in ("ocr_lang", "ocr_dpi", "max_pages")}


def get_settings() -> Settings:
    return Settings()
