"""Ruled tables in a page image: rules found as long straight runs of dark pixels, grids
from rules that cross, words placed in the grid's cells (a merged cell keeps its text in
its first grid cell)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Rule:
    """A ruling line found in the page image, in PDF points."""

    pos: float  # y of a horizontal rule, x of a vertical one
    start: float
    end: float


@dataclass
class Grid:
    """A ruled table: its horizontal and vertical rules."""

    h: list[Rule]
    v: list[Rule]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (min(r.pos for r in self.v), min(r.pos for r in self.h), max(r.pos for r in self.v), max(r.pos for r in self.h))


DARK = 140  # grey level under which a pixel is ink
ERASE_H_IN = 0.75  # shortest horizontal rule erased before OCR (inches)
ERASE_V_IN = 0.4  # shortest vertical one


def _rules(dark, axis: int, min_len: int, scale: float, mask=None, mask_len: int = 0) -> list[Rule]:
    """Straight dark runs at least `min_len` pixels long along `axis` (1: horizontal),
    95% dark so a scan's gaps do not cut them. The pixels of those at least `mask_len`
    long are set in `mask`, if given."""
    import numpy as np

    d = dark if axis == 1 else np.ascontiguousarray(dark.T)  # rows in memory order: 3x faster
    c = np.zeros((d.shape[0], d.shape[1] + 1), dtype=np.int32)
    np.cumsum(d, axis=1, out=c[:, 1:])
    full = (c[:, min_len:] - c[:, :-min_len]) >= int(0.95 * min_len)  # a run starts here
    rows = np.flatnonzero(full.any(axis=1))
    if mask is not None and len(rows):
        # pixel x of a row is on a rule when a run starts in [x - min_len + 1, x]
        starts = np.zeros((len(rows), full.shape[1] + 1), dtype=np.int32)
        np.cumsum(full[rows], axis=1, out=starts[:, 1:])
        x = np.arange(d.shape[1])
        hi = np.minimum(x, full.shape[1] - 1) + 1
        lo = np.clip(x - min_len + 1, 0, full.shape[1])
        covered = (starts[:, hi] - starts[:, lo]) > 0
        m = mask if axis == 1 else mask.T
        for i, r in enumerate(rows):
            # runs of a row: edges where covered switches on and off
            edges = np.flatnonzero(np.diff(np.concatenate(([0], covered[i].view(np.int8), [0]))))
            for a, b in zip(edges[::2], edges[1::2]):
                if b - a >= mask_len:
                    m[r, a:b] = True
    rules: list[Rule] = []
    group: list[int] = []

    def flush() -> None:
        if group:
            xs = np.flatnonzero(full[group].any(axis=0))
            rules.append(Rule(pos=float(np.mean(group)) / scale, start=float(xs.min()) / scale,
                              end=float(xs.max() + min_len) / scale))
            group.clear()

    for r in rows:
        if group and r - group[-1] > 2:
            flush()
        group.append(int(r))
    flush()
    return rules


def find_rules(gray, scale: float, mask=None) -> tuple[list[Rule], list[Rule]]:
    """Horizontal and vertical rules of a page image (in points); their pixels are set in
    `mask` (a bool array of the image's shape), if given."""
    import numpy as np

    dark = np.asarray(gray) < DARK
    # masked: rules longer than a run of thick serif letters whose feet touch (a photocopy)
    h_rules = _rules(dark, 1, max(30, dark.shape[1] // 25), scale, mask, int(ERASE_H_IN * 72 * scale))
    v_rules = _rules(dark, 0, max(30, dark.shape[0] // 60), scale, mask, int(ERASE_V_IN * 72 * scale))
    return h_rules, v_rules


def find_grids(gray, scale: float) -> list[Grid]:
    """Ruled tables in a page image, in PDF points."""
    return grids_from_rules(*find_rules(gray, scale))


def grids_from_rules(h_rules: list[Rule], v_rules: list[Rule]) -> list[Grid]:
    """Tables: horizontal rules whose spans overlap, with at least two vertical rules
    between them."""
    grids: list[Grid] = []
    for r in sorted(h_rules, key=lambda r: r.pos):
        for g in grids:
            last = g.h[-1]
            if min(r.end, last.end) - max(r.start, last.start) > 0.5 * min(r.end - r.start, last.end - last.start) \
                    and any(v.start - 3 <= last.pos and v.end + 3 >= r.pos for v in v_rules if r.start - 3 <= v.pos <= r.end + 3):
                g.h.append(r)
                break
        else:
            grids.append(Grid(h=[r], v=[]))
    out = []
    for g in grids:
        if len(g.h) < 2:
            continue
        top, bottom = g.h[0].pos, g.h[-1].pos
        left, right = min(r.start for r in g.h), max(r.end for r in g.h)
        g.v = _merge_close([v for v in v_rules if left - 5 <= v.pos <= right + 5 and v.end > top + 2 and v.start < bottom - 2])
        g.h = _merge_close(g.h)
        if len(g.v) >= 3:  # at least two columns
            out.append(g)
    return out


def _merge_close(rules: list[Rule], tol: float = 3.0) -> list[Rule]:
    out: list[Rule] = []
    for r in sorted(rules, key=lambda r: r.pos):
        if out and r.pos - out[-1].pos <= tol:
            out[-1] = Rule(out[-1].pos, min(out[-1].start, r.start), max(out[-1].end, r.end))
        else:
            out.append(r)
    return out


def grid_rows(grid: Grid, words: list[dict]) -> list[list[str]]:
    """The words inside a grid as rows of cells; a merged cell's text goes to its first
    grid cell (the rule that would split it is missing there), the rest stay ""."""
    hs, vs = grid.h, grid.v
    cells: dict[tuple[int, int], list[dict]] = {}
    for w in words:
        cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
        col = _band(vs, cx, lambda r: r.start - 3 <= cy <= r.end + 3)
        row = _band(hs, cy, lambda r: r.start - 3 <= cx <= r.end + 3)
        if col is not None and row is not None:
            cells.setdefault((row, col), []).append(w)
    rows = [["" for _ in range(len(vs) - 1)] for _ in range(len(hs) - 1)]
    for (r, c), ws in cells.items():
        rows[r][c] = _cell_text(ws)
    return [row for row in rows if any(row)]


def _band(rules: list[Rule], at: float, crosses) -> int | None:
    """Index of the band (between consecutive rules) holding `at`, moved to the first band
    of a merged span: rules that do not cross the word's position do not split."""
    if not (rules[0].pos <= at <= rules[-1].pos):
        return None
    i = max(k for k, r in enumerate(rules[:-1]) if r.pos <= at)
    while i > 0 and not crosses(rules[i]):
        i -= 1
    return i


def _cell_text(words: list[dict]) -> str:
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: w["top"]):
        if lines and w["top"] < lines[-1][0]["top"] + 0.5 * (lines[-1][0]["bottom"] - lines[-1][0]["top"]):
            lines[-1].append(w)
        else:
            lines.append([w])
    return "\n".join(" ".join(x["text"] for x in sorted(ln, key=lambda w: w["x0"])) for ln in lines)
