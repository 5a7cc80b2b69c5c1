"""Text Tesseract's layout analysis skipped: ink that no read word covers, re-read.

A seal and a signature drawn over a signature block in a grey scan (no colour for
pipeline.extract.ocr_preprocess to drop) make Tesseract take the whole area for a
picture: the position line above it is read, the signer's name inside it is not. Each
area of ink no word box covers (seals, signatures, logos; rules and underlines are too
thin to count) is read again on its own as a block of text (page segmentation 6), and a
run of words on a line is kept when it reads as words: each read with some confidence, at
least two of two letters or more, the run with a good confidence, no word on top of one
already read. The seal's own lettering and the signature's strokes read as short, unsure tokens
and are left out.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable

import numpy as np
from scipy import ndimage

DARK = 140  # grey level under which a pixel is ink (as ocr_preprocess.DARK)
CELL_IN = 0.05  # inches per cell of the coarse grid regions are found on
WORD_MARGIN_IN = 0.04  # a word's box grown by this covers its marks and anti-aliasing
MIN_SIDE_IN = 0.25  # an area narrower or lower than this is a rule, an underline or a speck
CROP_MARGIN_IN = 0.1  # paper kept around an area when it is read
MIN_CELL_INK = 0.15  # share of a cell's pixels that are ink for it to hold a stroke
MIN_CELLS = 12  # cells holding strokes in an area: a few dark specks of grain do not make one
MAX_PAGE_SHARE = 0.25  # an area of ink over more of the page is a dark band or a photo, not text
MIN_LINE_CONF = 80.0  # mean confidence (weighted by length) of a kept run
MIN_WORD_CONF = 60.0  # every word of a kept run


def uncovered_areas(gray: np.ndarray, dpi: float, words: list[dict], scale: float) -> list[tuple[int, int, int, int]]:
    """(x0, y0, x1, y1) pixel boxes of the areas of ink outside every word box."""
    ink = gray < DARK
    m = int(WORD_MARGIN_IN * dpi)
    for w in words:
        y0, y1 = max(0, int(w["top"] * scale) - m), int(w["bottom"] * scale) + m
        x0, x1 = max(0, int(w["x0"] * scale) - m), int(w["x1"] * scale) + m
        ink[y0:y1, x0:x1] = False
    c = max(1, int(CELL_IN * dpi))
    h, w = ink.shape[0] // c * c, ink.shape[1] // c * c
    if not h or not w:
        return []
    # a cell holds a stroke when a good share of it is ink: a scan's grain and specks do not
    cells = ink[:h, :w].reshape(h // c, c, w // c, c).mean(axis=(1, 3)) >= MIN_CELL_INK
    # strokes a little apart (a seal's ring and lettering, a signature) make one area; its
    # extent is that of its ink, not of the joining
    labels, _ = ndimage.label(ndimage.binary_dilation(cells, iterations=2))
    inked = np.where(cells, labels, 0)
    counts = np.bincount(inked.ravel())
    side = MIN_SIDE_IN * dpi
    out = []
    for k, found in enumerate(ndimage.find_objects(inked), start=1):
        if found is None or counts[k] < MIN_CELLS:
            continue
        ys, xs = found
        y0, y1, x0, x1 = ys.start * c, ys.stop * c, xs.start * c, xs.stop * c
        if y1 - y0 >= side and x1 - x0 >= side and (y1 - y0) * (x1 - x0) <= MAX_PAGE_SHARE * h * w:
            pad = int(CROP_MARGIN_IN * dpi)  # the marks of a letter at the edge stay in the crop
            out.append((max(0, x0 - pad), max(0, y0 - pad), min(gray.shape[1], x1 + pad), min(gray.shape[0], y1 + pad)))
    return out


def _overlaps(a: dict, b: dict) -> bool:
    return a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def text_lines(tsv: str, box: tuple[int, int, int, int], scale: float, area: int, words: list[dict]) -> list[dict]:
    """The words of the kept lines of one area's TSV, in page points, with line keys of
    their own (("u<area>", block, par, line))."""
    x_off, y_off = box[0], box[1]
    lines: dict[tuple, list[dict]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        try:
            conf = float(row["conf"])
            left, top, width, height = (float(row[k]) for k in ("left", "top", "width", "height"))
        except (KeyError, TypeError, ValueError):
            continue
        key = (f"u{area}", row["block_num"], row["par_num"], row["line_num"])
        lines.setdefault(key, []).append({
            "text": text, "x0": (left + x_off) / scale, "x1": (left + width + x_off) / scale,
            "top": (top + y_off) / scale, "bottom": (top + height + y_off) / scale,
            "line_key": key, "chars": [], "conf": conf})
    kept = []
    for ws in lines.values():
        for run in _sure_runs(ws):
            if (sum(len(w["text"]) >= 2 and w["text"].strip(".,;:").isalpha() for w in run) >= 2
                    and sum(w["conf"] * len(w["text"]) for w in run) / sum(len(w["text"]) for w in run) >= MIN_LINE_CONF
                    and not any(_overlaps(w, o) for w in run for o in words)):
                kept.extend(run)
    return kept


def _sure_runs(words: list[dict]) -> list[list[dict]]:
    """Runs of consecutive words read with some confidence and holding a letter or digit: a
    stroke of the signature read as "~" before the name splits the line, it does not spoil it."""
    runs: list[list[dict]] = [[]]
    for w in words:
        if w["conf"] >= MIN_WORD_CONF and any(c.isalnum() for c in w["text"]):
            runs[-1].append(w)
        elif runs[-1]:
            runs.append([])
    return [r for r in runs if r]


def reread_uncovered(gray: np.ndarray, dpi: float, words: list[dict], scale: float,
                     read: Callable[[np.ndarray], str]) -> list[dict]:
    """Words of text lines found in the page's uncovered ink areas; `read` runs Tesseract
    (page segmentation 6, TSV) on a grey crop."""
    found: list[dict] = []
    for i, (x0, y0, x1, y1) in enumerate(uncovered_areas(gray, dpi, words, scale)):
        tsv = read(np.ascontiguousarray(gray[y0:y1, x0:x1]))
        found.extend(text_lines(tsv, (x0, y0, x1, y1), scale, i, words))
    return found
