"""Readers: one file in, `Extracted` blocks out, whatever the format."""
from __future__ import annotations

from pathlib import Path

from pipeline.extract.errors import ExtractError
from pipeline.model import Extracted

__all__ = ["extract", "ExtractError", "SUPPORTED"]

SUPPORTED = {".txt": "txt", ".md": "md", ".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html", ".doc": "doc"}


def extract(path: Path | str) -> Extracted:
    """Read any supported document; raises ExtractError naming the file and the reason."""
    path = Path(path)
    fmt = SUPPORTED.get(path.suffix.lower())
    if fmt is None:
        raise ExtractError(str(path), "unsupported_format", f"extension {path.suffix or '(none)'!r} is not a supported document type")
    if not path.is_file():
        raise ExtractError(str(path), "not_found", "no such file")
    if path.stat().st_size == 0:
        raise ExtractError(str(path), "empty", "the file is empty (0 bytes)")
    if fmt in ("txt", "md"):
        from pipeline.extract.text import read_text
        return read_text(path)
    if fmt == "docx":
        from pipeline.extract.docx import read_docx
        return read_docx(path)
    if fmt == "pdf":
        from pipeline.extract.pdf import read_pdf
        return read_pdf(path)
    if fmt == "html":
        from pipeline.extract.html import read_html
        return read_html(path)
    from pipeline.extract.doc import read_doc
    return read_doc(path)
