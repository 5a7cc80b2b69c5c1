"""Normalized documents for the parser tests, made from text snippets or corpus files.

One place for what each test module used to write for itself (issue 11):

- `doc_of(*items)`: the items as a reader would give them — a str is one paragraph, a list of
  rows is one table, a `Block` is taken as it is (for pages and styles);
- `doc_of_text(text)`: plain text read as a .txt file is (lines, blank lines, tab-separated tables);
- `corpus_doc(name)`: a corpus text file (corpus/*/name) read that way.
"""
from __future__ import annotations

from pathlib import Path

from pipeline.extract.text import blocks_from_text
from pipeline.model import Block, Document, Extracted
from pipeline.normalize.text import build_document

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SHA_ZERO = "0" * 64  # the snippets' documents have no file to hash


def _block(item: str | list | Block) -> Block:
    if isinstance(item, Block):
        return item
    if isinstance(item, list):
        return Block("table", rows=item)
    return Block("paragraph", text=item)


def doc_of(*items: str | list[list[str]] | Block, fmt: str = "txt", ocr: bool = False) -> Document:
    """The normalized document of `items`, in order: a str is a paragraph, a list of rows a table,
    a Block is kept as it is. `fmt` and `ocr` are what the reader would report (`ocr=True` turns on
    the parsers' OCR repairs)."""
    ex = Extracted(path=f"x.{fmt}", format=fmt, blocks=[_block(i) for i in items], ocr=ocr)
    return build_document(ex, SHA_ZERO)


def doc_of_text(text: str) -> Document:
    """The normalized document of `text` read as the .txt reader reads a file."""
    return build_document(Extracted(path="x.txt", format="txt", blocks=blocks_from_text(text)), SHA_ZERO)


def corpus_doc(name: str) -> Document:
    """The corpus text file `name` (found under corpus/*/) read as plain text."""
    path = next(CORPUS.glob(f"*/{name}"))
    return doc_of_text(path.read_text(encoding="utf-8"))


def para(text: str, page: int | None = None) -> Block:
    """A paragraph block, on `page` where the reader knows pages."""
    return Block("paragraph", text=text, page=page)


def table(rows: list[list[str]], page: int | None = None) -> Block:
    """A table block, on `page` where the reader knows pages."""
    return Block("table", rows=rows, page=page)
