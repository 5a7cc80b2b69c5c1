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
            shown = page.render(scale=STAMP_DPI / 72, may_draw_forms=True, grayscale=True).to_numpy()
            plain = page.render(scale=STAMP_DPI / 72, may_draw_forms=False, grayscale=True).to_numpy()
        finally:
            page.close()
    finally:
        pdf.close()
    scale = STAMP_DPI / 72
    out: list[dict] = []
    for x0, top, x1, bottom in boxes:
        box = [max(0, int((x0 - MARGIN_PT) * scale)), max(0, int((top - MARGIN_PT) * scale)),
               int((x1 + MARGIN_PT) * scale), int((bottom + MARGIN_PT) * scale)]
        crop, under = shown[box[1]:box[3], box[0]:box[2]], plain[box[1]:box[3], box[0]:box[2]]
        if crop.size == 0 or (crop == under).all():
            continue  # the field draws nothing over the page
        # only the field's own ink: the page's words around it are read from the text layer
        ink = np.where(crop != under, crop, 255).astype(np.uint8).squeeze()
        tsv = ocr.run_tesseract(binary, ocr.pgm(ink), lang, STAMP_DPI, ocr.OcrOptions(psm="7"))
        for w in ocr.tsv_words(tsv, scale):
            w.update(x0=w["x0"] + box[0] / scale, x1=w["x1"] + box[0] / scale,
                     top=w["top"] + box[1] / scale, bottom=w["bottom"] + box[1] / scale)
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
