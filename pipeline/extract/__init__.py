"""Readers: one file in, `Extracted` blocks out, whatever the format."""
from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from pipeline.extract.doc import converted_to_docx
from pipeline.extract.errors import ExtractError
from pipeline.extract.integrity import check_text_integrity
from pipeline.extract.legacy_encoding import convert_blocks
from pipeline.extract.sniff import is_encrypted_ooxml, sniff
from pipeline.model import Extracted
from pipeline.settings import get_settings

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
    size = path.stat().st_size
    if size == 0:
        raise ExtractError(str(path), "empty", "the file is empty (0 bytes)")
    limit_mb = get_settings().max_file_mb
    if size > limit_mb * 1024 * 1024:
        raise ExtractError(str(path), "too_large",
                           f"the file is {size / 1048576:.1f} MB (limit {limit_mb:g} MB, VNPLAN_MAX_FILE_MB)")
    fmt, mismatch = _real_format(path, fmt)
    ex = _read(fmt, path)
    legacy = convert_blocks(ex.blocks)  # text in TCVN3/VNI that no font named, before normalization
    if legacy:
        ex.warnings.append(legacy)
    check_text_integrity(ex)
    if mismatch:
        ex.warnings.insert(0, {"code": "format_mismatch", "message": mismatch})
    return ex


# What the first bytes say -> the reader that reads it (rtf: LibreOffice, like .doc).
_SNIFFED = {"pdf": "pdf", "docx": "docx", "ole": "doc", "rtf": "doc", "html": "html"}


def _real_format(path: Path, declared: str) -> tuple[str, str | None]:
    """The format to read the file as, and a note when its name says otherwise
    (a PDF named .docx is read as a PDF; a .doc that is really HTML, as HTML)."""
    real = sniff(path)
    if real is None or real == "zip":
        if declared in ("pdf", "doc") or (declared == "docx" and real is None):
            what = "a zip package" if real == "zip" else "text or an unknown binary"
            raise ExtractError(str(path), "format_mismatch", f"named .{path.suffix.lstrip('.').lower()} but the content is {what}, not {declared.upper()}")
        return declared, None  # txt/md/html as named; a zip named .docx gets the docx checks
    fmt = _SNIFFED[real]
    if real == "ole" and is_encrypted_ooxml(path):  # LibreOffice would only say "could not be loaded"
        raise ExtractError(str(path), "encrypted", "an encrypted (password-protected) Office file: it cannot be read without its password")
    if fmt == "doc" and declared == "docx":
        if real == "ole" and not is_encrypted_ooxml(path):
            return "doc", "named .docx but is a legacy .doc: read as .doc"
        return "docx", None  # encrypted OOXML or RTF named .docx: the docx checks refuse it
    if fmt == declared or (declared in ("txt", "md") and fmt == "html"):
        return declared, None
    return fmt, f"named {path.suffix.lower()} but the content is {real.upper()}: read as {fmt}"


# format -> (module, function) of its reader; imported on first use (some pull in heavy libraries)
_READERS = {"txt": ("text", "read_text"), "md": ("text", "read_text"), "docx": ("docx", "read_docx"),
            "pdf": ("pdf", "read_pdf"), "html": ("html", "read_html")}


def _read(fmt: str, path: Path) -> Extracted:
    if fmt == "doc":
        return _read_converted(path)
    return _reader(fmt)(path)


def _reader(fmt: str) -> Callable[..., Extracted]:
    module, function = _READERS[fmt]
    return getattr(importlib.import_module(f"pipeline.extract.{module}"), function)


def _read_converted(path: Path) -> Extracted:
    """A legacy .doc (or RTF): the .docx LibreOffice makes of it, read by the docx reader."""
    with converted_to_docx(path) as docx_path:
        ex = _reader("docx")(docx_path, fmt="doc")
    ex.path = str(path)
    return ex
