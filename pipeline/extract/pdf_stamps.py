"""Text a signing tool stamps into a PDF's signature fields, read back.

Vietnamese plans signed with a digital certificate often leave the number and the day blank
in the body ("Số:    /KH-UBND", "ngày    tháng 9 năm 2024") and have the signing software
stamp them in afterwards, as the appearance of signature fields (widget annotations). A
viewer shows them; the page's text layer does not hold them, so neither pdfium's nor
pdfminer's text does. Each such field is rendered with the form layer, read by Tesseract,
and its words join the page's words at the field's place, on the text line they sit in.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium

from pipeline.extract import ocr

STAMP_DPI = 300
MARGIN_PT = 2.0  # paper kept around a field when it is read


def stamped_words(path: Path, pno: int, boxes: list[tuple[float, float, float, float]], words: list[dict],
                  binary: str, lang: str) -> list[dict]:
    """The words the fields in `boxes` of page `pno` draw, none over a word of the text layer,
    each on the text line it stands in (its top and bottom taken from that line's words).
    Nothing when they cannot be read: the page's own text stands without them."""
    try:
        return _read_fields(path, pno, boxes, words, binary, lang)
    except (RuntimeError, OSError, subprocess.SubprocessError, MemoryError, pdfium.PdfiumError):
        return []


def _read_fields(path: Path, pno: int, boxes: list[tuple[float, float, float, float]], words: list[dict],
                 binary: str, lang: str) -> list[dict]:
    pdf = pdfium.PdfDocument(str(path))
    try:
        ocr.draw_forms(pdf)
        page = pdf[pno - 1]
        try:
            return [w for box in boxes for w in _read_field(page, box, words, binary, lang)]
        finally:
            page.close()
    finally:
        pdf.close()


def _read_field(page: pdfium.PdfPage, box: tuple[float, float, float, float], words: list[dict],
                binary: str, lang: str) -> list[dict]:
    """The words one field draws: only the field's area is rendered, with and without the form
    layer, and only the ink the field adds is read (the page's words come from its text layer)."""
    width, height = page.get_size()
    x0, top = max(0.0, box[0] - MARGIN_PT), max(0.0, box[1] - MARGIN_PT)
    x1, bottom = min(width, box[2] + MARGIN_PT), min(height, box[3] + MARGIN_PT)
    crop = (x0, height - bottom, width - x1, top)  # what is cut off each side: left, bottom, right, top
    scale = STAMP_DPI / 72
    shown = page.render(scale=scale, crop=crop, may_draw_forms=True, grayscale=True).to_numpy().squeeze()
    under = page.render(scale=scale, crop=crop, may_draw_forms=False, grayscale=True).to_numpy().squeeze()
    if shown.size == 0 or (shown == under).all():
        return []  # the field draws nothing over the page
    ink = np.where(shown != under, shown, 255).astype(np.uint8)
    out = []
    for w in ocr.tsv_words(ocr.run_tesseract(binary, ocr.pgm(ink), lang, STAMP_DPI, ocr.OcrOptions(psm="7")), scale):
        w.update(x0=w["x0"] + x0, x1=w["x1"] + x0, top=w["top"] + top, bottom=w["bottom"] + top)
        if not any(_overlap(w, o) for o in words):
            out.append(_with_chars(_on_its_line(w, words)))
    return out


def _with_chars(w: dict) -> dict:
    """The word's characters, evenly over its box, as the text layer's words carry them."""
    step = (w["x1"] - w["x0"]) / max(1, len(w["text"]))
    w["chars"] = [{"text": ch, "x0": w["x0"] + i * step, "x1": w["x0"] + (i + 1) * step, "top": w["top"],
                   "bottom": w["bottom"], "size": w["bottom"] - w["top"], "fontname": ""}
                  for i, ch in enumerate(w["text"])]
    return w


def _overlap(a: dict, b: dict) -> bool:
    return a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def _on_its_line(w: dict, words: list[dict]) -> dict:
    """The word given the top and bottom of the text-layer word nearest it on its band: a
    stamp is drawn a little above or below the line it fills in."""
    mid = (w["top"] + w["bottom"]) / 2
    height = w["bottom"] - w["top"]
    near = [o for o in words if abs((o["top"] + o["bottom"]) / 2 - mid) <= height]
    if near:
        o = min(near, key=lambda o: min(abs(o["x0"] - w["x1"]), abs(w["x0"] - o["x1"])))
        w.update(top=o["top"], bottom=o["bottom"])
    return w
