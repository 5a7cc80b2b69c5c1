"""Reader for plain text and Markdown: paragraphs, tab-separated and pipe tables."""
from __future__ import annotations

import re
from pathlib import Path

from pipeline.extract.errors import ExtractError
from pipeline.model import Block, Extracted

PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")  # no nested repeat: "(.*\|)+" backtracks exponentially
PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")


def decode(data: bytes, path: str) -> str:
    """UTF-8 (with or without BOM), else UTF-16 with BOM; Vietnamese legacy encodings are rare in plans."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExtractError(path, "not_utf8", f"text is not UTF-8 (byte {exc.start}): {exc.reason}") from exc


def _tab_cells(line: str) -> list[str]:
    return [c.strip() for c in line.rstrip("\r\n").split("\t")]


def _is_tab_row(line: str) -> bool:
    """A row of a tab-separated table: at least two cells that hold text."""
    if "\t" not in line.strip():
        return False
    return sum(1 for c in _tab_cells(line) if c) >= 2


def _pipe_cells(line: str) -> list[str]:
    inner = line.strip()[1:-1]
    return [c.strip() for c in inner.split("|")]


def blocks_from_text(text: str) -> list[Block]:
    """Split text into paragraph blocks (blank-line separated) and table blocks.

    A table is a run of lines that are tab-separated rows (continuation rows with empty
    leading cells included once the run has started) or Markdown pipe rows.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[Block] = []
    para: list[str] = []
    table: list[list[str]] = []
    table_kind = ""

    def flush_para() -> None:
        if para:
            style = None
            if any(MD_HEADING.match(p) for p in para):
                style = "heading"
            body = "\n".join(MD_HEADING.sub("", p) for p in para)
            if "**" in body:
                style = style or "bold"
                body = body.replace("**", "")
            blocks.append(Block("paragraph", text=body, style=style))
            para.clear()

    def flush_table() -> None:
        nonlocal table_kind
        if table:
            if len(table) == 1 and table_kind == "tab":
                # a lone tab line (two-column header, signature beside "Nơi nhận") stays a paragraph
                blocks.append(Block("paragraph", text="\t".join(c for c in table[0] if c)))
            else:
                width = max(len(r) for r in table)
                blocks.append(Block("table", rows=[r + [""] * (width - len(r)) for r in table]))
            table.clear()
        table_kind = ""

    for raw in lines:
        if PIPE_ROW.match(raw) and raw.count("|") >= 3:
            if PIPE_SEPARATOR.match(raw):
                continue
            flush_para()
            if table_kind != "pipe":
                flush_table()
            table_kind = "pipe"
            table.append(_pipe_cells(raw))
            continue
        if _is_tab_row(raw) or (table_kind == "tab" and "\t" in raw and raw.strip()):
            flush_para()
            if table_kind != "tab":
                flush_table()
            table_kind = "tab"
            table.append(_tab_cells(raw))
            continue
        flush_table()
        if raw.strip():
            para.append(raw)
        else:
            flush_para()
    flush_table()
    flush_para()
    return blocks


def read_text(path: Path) -> Extracted:
    data = Path(path).read_bytes()
    if not data.strip():
        raise ExtractError(str(path), "empty", "the file is empty")
    text = decode(data, str(path))
    fmt = "md" if Path(path).suffix.lower() == ".md" else "txt"
    return Extracted(path=str(path), format=fmt, blocks=blocks_from_text(text), pages=None, ocr=False)
