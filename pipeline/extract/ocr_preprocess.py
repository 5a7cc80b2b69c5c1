"""Page images cleaned before Tesseract reads them.

- Coloured ink dropped: a signed plan carries a red seal and a blue signature over the
  text; the brightest channel of each pixel keeps black print black and turns coloured
  ink pale (a grey scan is left as it is).
- Skew undone: a page turned a few degrees on the glass runs lines together and breaks
  the ruling lines tables are found from; the angle that makes the rows of dark pixels
  sharpest (projection profile) is measured on a reduced image and undone.
- Ruling removed (an option, off by default): long straight dark runs (table rules,
  underlines; found by pipeline.extract.ocr_tables) whitened once the tables' grid has
  been read from them. Measured on the corpus's scanned budget table it does harm: the
  grey fringe a scan leaves beside each rule is read as junk in narrow columns.
"""
from __future__ import annotations

import numpy as np
from PIL import Image

DARK = 140  # grey level under which a pixel is ink
MAX_SKEW_DEG = 6.0
MIN_SKEW_DEG = 0.6  # below this a turn costs more (its blur on small marks) than it gains: Tesseract copes
SKEW_DPI = 100  # the resolution the angle is measured at
COLOURED = 60  # channel spread of coloured ink; grey print and paper have little


def ink_gray(rgb: np.ndarray) -> np.ndarray:
    """Grey image in which coloured ink (seal, signature) is paper: the brightest channel
    of each pixel, and white where the colour is strong. Print under the ink is black in
    every channel and stays. A grey scan (no colour in a sample of pixels) costs one copy."""
    if rgb.ndim == 2:
        return rgb
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    step = max(1, rgb.shape[0] // 200)
    rs, gs, bs = (c[::step, ::step].astype(np.int16) for c in (r, g, b))
    if max(np.abs(rs - gs).max(), np.abs(gs - bs).max()) < COLOURED // 2:
        return np.ascontiguousarray(g)
    hi = np.maximum(np.maximum(r, g), b)
    lo = np.minimum(np.minimum(r, g), b)
    colour = (hi - lo) > COLOURED
    hi[colour] = 255
    return hi


def _reduce(gray: np.ndarray, factor: int) -> np.ndarray:
    """Ink at 1/factor of the resolution: cells whose mean grey shows a stroke."""
    small = np.asarray(Image.fromarray(gray, "L").reduce(factor)) if factor > 1 else gray
    return small < (DARK if factor <= 1 else 215)


def _profile_score(ys: np.ndarray, xs: np.ndarray, angle_deg: float) -> float:
    """Sharpness of the row profile of ink pixels turned by `angle_deg`: sum of squares."""
    t = np.tan(np.radians(angle_deg))
    rows = np.round(ys - xs * t).astype(np.int64)
    rows -= rows.min()
    hist = np.bincount(rows)
    return float(np.dot(hist, hist))


def skew_angle(gray: np.ndarray, dpi: float) -> float:
    """The angle (degrees, counter-clockwise positive) the text lines of a page lean by,
    0.0 when the page has too little ink to say."""
    ink = _reduce(gray, max(1, int(round(dpi / SKEW_DPI))))
    ys, xs = np.nonzero(ink)
    if len(ys) < 500:
        return 0.0
    k = max(1, len(ys) // 40000)  # enough points for the profile, at a bounded cost
    ys, xs = ys[::k], xs[::k].astype(np.float64)
    xs = xs - xs.mean()
    best, best_score = 0.0, -1.0
    for step, span, centre in ((0.5, MAX_SKEW_DEG, 0.0), (0.1, 0.5, None), (0.02, 0.1, None)):
        c = best if centre is None else centre
        for a in np.arange(c - span, c + span + step / 2, step):
            s = _profile_score(ys, xs, float(a))
            if s > best_score:
                best, best_score = float(a), s
    # a line through the points y = x*tan(a) is level after the turn: the page leans by -a
    return -best if abs(best) >= MIN_SKEW_DEG else 0.0


def rotate(gray: np.ndarray, angle_deg: float) -> np.ndarray:
    """The image turned by `angle_deg` (counter-clockwise), corners filled with paper."""
    im = Image.fromarray(gray, "L").rotate(angle_deg, resample=Image.BICUBIC, expand=True, fillcolor=255)
    return np.asarray(im)


def deskew(gray: np.ndarray, dpi: float) -> tuple[np.ndarray, float]:
    """The page with its skew undone, and the angle it was turned by."""
    angle = skew_angle(gray, dpi)
    if angle == 0.0:
        return gray, 0.0
    return rotate(gray, -angle), -angle


def erase(gray: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The image with the masked pixels (ruling) and one pixel around them (a scanned
    rule's grey fringe) turned to paper."""
    if not mask.any():
        return gray
    grown = mask.copy()
    grown[1:, :] |= mask[:-1, :]
    grown[:-1, :] |= mask[1:, :]
    grown[:, 1:] |= mask[:, :-1]
    grown[:, :-1] |= mask[:, 1:]
    out = gray.copy()
    out[grown] = 255
    return out
