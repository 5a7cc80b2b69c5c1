"""Scans made from digital PDFs for the OCR benchmark: pages rendered at a scan resolution,
given the look of a real scan, saved as an image-only PDF (JPEG pages, no text layer).

Looks (all seeded, so a run is reproducible):
  clean      the corpus scan look: greyish paper, grain, specks, soft focus
  skew       the page turned 1-3 degrees on the glass
  noise      heavy grain, salt and pepper, uneven light
  stamp      a red round seal and a blue signature over the text (colour scan)
  photocopy  hard contrast, thickened strokes, toner specks and dark edges
"""
from __future__ import annotations

import io
import math
import random
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

LOOKS = ("clean", "skew", "noise", "stamp", "photocopy")
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def render(pdf_path: Path, index: int, dpi: int) -> Image.Image:
    """Page `index` (0-based) of a PDF as an RGB image at `dpi`."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    pdf.init_forms()  # a printed page shows the form layer (a signing tool's number and date)
    try:
        return pdf[index].render(scale=dpi / 72.0).to_pil().convert("RGB")
    finally:
        pdf.close()


def _grain(arr: np.ndarray, rng: np.random.Generator, sigma: float) -> np.ndarray:
    return arr + rng.normal(0.0, sigma, arr.shape[:2])[..., None] if arr.ndim == 3 else arr + rng.normal(0.0, sigma, arr.shape)


def _specks(arr: np.ndarray, rng: np.random.Generator, share: float, value: float) -> None:
    h, w = arr.shape[:2]
    n = int(share * h * w)
    arr[rng.integers(0, h, n), rng.integers(0, w, n)] = value


def scan_look(im: Image.Image, rng: np.random.Generator, dpi: int) -> Image.Image:
    """Greyish paper, grain, a few specks, soft focus (as scripts/make_renditions.py)."""
    arr = np.asarray(im.convert("L"), dtype=np.float32) * 0.92 + 12
    arr = _grain(arr, rng, 6.0)
    _specks(arr, rng, 2e-5, 90)
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
    return out.filter(ImageFilter.GaussianBlur(0.75 * dpi / 300))


def skew(im: Image.Image, rng: np.random.Generator, dpi: int) -> Image.Image:
    angle = float(rng.uniform(1.0, 3.0)) * (1 if rng.random() < 0.5 else -1)
    return scan_look(im.rotate(angle, resample=Image.BICUBIC, fillcolor=(255, 255, 255)), rng, dpi)


def noise(im: Image.Image, rng: np.random.Generator, dpi: int) -> Image.Image:
    arr = np.asarray(im.convert("L"), dtype=np.float32)
    h, w = arr.shape
    # light falling off towards one side of the page
    ramp = np.linspace(0, 1, w, dtype=np.float32)[None, :] * float(rng.uniform(25, 45))
    arr = arr * 0.85 + 20 - ramp
    arr = _grain(arr, rng, 22.0)
    _specks(arr, rng, 1.5e-3, 20)
    _specks(arr, rng, 1.5e-3, 250)
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
    return out.filter(ImageFilter.GaussianBlur(0.6 * dpi / 300))


def _text_box(im: Image.Image) -> tuple[int, int, int, int]:
    """Bounding box of the dark (printed) pixels."""
    dark = np.asarray(im.convert("L")) < 128
    ys, xs = np.nonzero(dark)
    if len(xs) == 0:
        return 0, 0, im.width, im.height
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())


def _seal(size: int, dpi: int) -> Image.Image:
    """A red round seal: two rings, a star, and a ring of capital letters (RGBA)."""
    seal = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(seal)
    red = (205, 30, 40, 200)
    w = max(2, dpi // 60)
    d.ellipse((w, w, size - w, size - w), outline=red, width=w)
    d.ellipse((size * 0.2, size * 0.2, size * 0.8, size * 0.8), outline=red, width=max(1, w // 2))
    c = size / 2
    pts = [(c + size * (0.12 if k % 2 else 0.05) * math.cos(math.pi / 5 * k - math.pi / 2),
            c + size * (0.12 if k % 2 else 0.05) * math.sin(math.pi / 5 * k - math.pi / 2)) for k in range(10)]
    d.polygon([(c + (x - c) * -1, y) for x, y in pts], fill=red)
    font = ImageFont.truetype(FONT, max(8, size // 14))
    text = "ỦY BAN NHÂN DÂN * TỈNH * "
    for k, ch in enumerate(text * 2):
        a = 2 * math.pi * k / (2 * len(text)) - math.pi / 2
        r = size * 0.37
        glyph = Image.new("RGBA", (size // 10, size // 10), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((0, 0), ch, font=font, fill=red)
        glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.BICUBIC)
        seal.alpha_composite(glyph, (int(c + r * math.cos(a) - glyph.width / 2), int(c + r * math.sin(a) - glyph.height / 2)))
    return seal


def _signature(w: int, h: int, rng: np.random.Generator, dpi: int) -> Image.Image:
    """A blue handwritten-looking scrawl: a few smooth random strokes (RGBA)."""
    sig = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(sig)
    blue = (25, 45, 170, 230)
    for _ in range(3):
        t = np.linspace(0, 1, 200)
        f1, f2, ph = rng.uniform(2, 5), rng.uniform(1, 3), rng.uniform(0, 6)
        xs = w * (0.05 + 0.9 * t)
        ys = h * (0.5 + 0.35 * np.sin(2 * math.pi * f1 * t + ph) * np.cos(2 * math.pi * f2 * t))
        d.line(list(zip(xs.tolist(), ys.tolist())), fill=blue, width=max(2, dpi // 75), joint="curve")
    return sig


def stamp(im: Image.Image, rng: np.random.Generator, dpi: int) -> Image.Image:
    """A red seal and a blue signature over body text (ink multiplies the paper), colour kept."""
    x0, y0, x1, y1 = _text_box(im)
    page = im.convert("RGBA")
    size = int(1.5 * dpi)
    sx = int(rng.uniform(x0, max(x0 + 1, x1 - size)))
    sy = int(rng.uniform(y0 + 0.3 * (y1 - y0), max(y0 + 1, y1 - size)))
    ink = Image.new("RGBA", page.size, (0, 0, 0, 0))
    ink.alpha_composite(_seal(size, dpi), (sx, sy))
    sig = _signature(int(2.2 * dpi), int(0.8 * dpi), rng, dpi)
    ink.alpha_composite(sig, (min(page.width - sig.width, sx + size // 3), min(page.height - sig.height, sy + size // 4)))
    a = np.asarray(page, dtype=np.float32)[..., :3]
    k = np.asarray(ink, dtype=np.float32)
    alpha = k[..., 3:4] / 255.0
    mixed = a * (1 - alpha) + a * (k[..., :3] / 255.0) * alpha  # ink over print: multiply
    arr = mixed * 0.93 + 10
    arr = _grain(arr, rng, 5.0)
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")
    return out.filter(ImageFilter.GaussianBlur(0.7 * dpi / 300))


def photocopy(im: Image.Image, rng: np.random.Generator, dpi: int) -> Image.Image:
    g = im.convert("L").filter(ImageFilter.MinFilter(3)) if dpi >= 250 else im.convert("L")
    arr = np.asarray(g, dtype=np.float32)
    arr = np.clip((arr - 60) * 1.6, 0, 255)  # hard contrast: grey turns black or white
    arr = _grain(arr, rng, 10.0)
    h, w = arr.shape
    edge = int(0.03 * w)
    arr[:, :edge] *= np.linspace(0.3, 1, edge)[None, :]  # dark band where the lid did not close
    _specks(arr, rng, 4e-4, 10)
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
    return out.filter(ImageFilter.GaussianBlur(0.5 * dpi / 300))


MAKERS = {"clean": scan_look, "skew": skew, "noise": noise, "stamp": stamp, "photocopy": photocopy}


def make_scan_pdf(pages: list[tuple[Path, int]], dpi: int, look: str, out: Path, seed: str = "") -> Path:
    """An image-only PDF of the given (pdf, 0-based page) at `dpi` with `look`, JPEG quality 75."""
    images = []
    for pdf_path, index in pages:
        rng = np.random.default_rng(random.Random(f"{seed}:{pdf_path.name}:{index}:{dpi}:{look}").randrange(2**32))
        images.append(MAKERS[look](render(pdf_path, index, dpi), rng, dpi))
    buf = io.BytesIO()
    images[0].save(buf, "PDF", save_all=True, append_images=images[1:], resolution=float(dpi), quality=75)
    out.write_bytes(buf.getvalue())
    return out
