"""Synthetic plans for load tests and benchmarks, made from the real samples' structure.

Each synthetic plan starts from one real sample (corpus/plans/*.txt, corpus/extra/*.txt):
its opening and closing are kept, its top-level sections ("I.", "II.", ...) are sampled,
reordered and mixed with sections of other samples and renumbered, table rows are shuffled,
and place names, agencies, dates, document numbers and amounts are varied. The output is
deterministic for a seed. DOCX is written with python-docx; PDFs come from those DOCX files
in one batched LibreOffice call (several hundred pages a minute here).

    python -m bench.synth OUT --txt 1000 --pdf 100 --seed 0
"""
from __future__ import annotations

import argparse
import hashlib
import random
import re
import shutil
import sqlite3
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIRS = (ROOT / "corpus" / "plans", ROOT / "corpus" / "extra")
DATA = Path(__file__).with_name("synth_data.yaml")

TOP_HEADING = re.compile(r"^(\s*)([IVX]{1,5})\.(\s+\S)", re.M)
YEAR = re.compile(r"(?<!\d)(19[89]\d|20[0-4]\d)(?!\d)")
SLASH_DATE = re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)")
WORD_DATE = re.compile(r"(ngày\s+)(\d{1,2})(\s+tháng)")
GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d.,]?\d)")
DOC_NUMBER = re.compile(r"(Số:\s*)(\d*)(\s*/\s*)([^\s\t]+)")
LONG_PLAN_CHARS = 34_000  # about 20 pages once laid out by LibreOffice
PDF_START = 1000  # plan numbers of the PDF plans (txt: from 0)
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


@lru_cache(maxsize=1)
def samples() -> tuple[tuple[str, str], ...]:
    """(name, text) of every real sample text."""
    return tuple((p.stem, p.read_text(encoding="utf-8")) for d in SAMPLE_DIRS for p in sorted(d.glob("*.txt")))


@lru_cache(maxsize=1)
def word_lists() -> dict:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    provinces, districts = _admin_units()
    return {**data, "provinces": provinces, "districts": districts}


def _admin_units() -> tuple[list[str], list[str]]:
    """Old (pre-2025) province and district names, from the vietnamadminunits package data."""
    import vietnamadminunits

    db = Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        provinces = sorted({r[0] for r in conn.execute("SELECT DISTINCT provinceShort FROM admin_units_legacy")})
        districts = sorted({r[0] for r in conn.execute(
            "SELECT DISTINCT districtShort FROM admin_units_legacy WHERE districtType = 'Huyện'")})
    return provinces, districts


def split_sections(text: str) -> tuple[str, list[str], str]:
    """(opening, middle top-level sections, last section with the signature)."""
    starts = [m.start() for m in TOP_HEADING.finditer(text)]
    if len(starts) < 2:
        return text, [], ""
    head = text[:starts[0]]
    parts = [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]
    return head, parts[:-1], parts[-1]


def _renumber(sections: list[str]) -> list[str]:
    out = []
    for i, sec in enumerate(sections):
        numeral = ROMAN[i] if i < len(ROMAN) else str(i + 1)
        out.append(TOP_HEADING.sub(lambda m: f"{m.group(1)}{numeral}.{m.group(3)}", sec, count=1))
    return out


def _shuffle_table_rows(text: str, rng: random.Random) -> str:
    """Shuffle the body rows of each run of tab- or pipe-separated lines (header row kept)."""
    lines = text.split("\n")
    is_row = [("\t" in ln.strip("\t ")) or ln.count("|") >= 2 for ln in lines]
    i = 0
    while i < len(lines):
        if not is_row[i]:
            i += 1
            continue
        j = i
        while j < len(lines) and is_row[j]:
            j += 1
        if j - i >= 4:
            body = lines[i + 1:j]
            rng.shuffle(body)
            lines[i + 1:j] = body
        i = j
    return "\n".join(lines)


@lru_cache(maxsize=8)
def _name_pattern(names: tuple[str, ...], prefix: str) -> re.Pattern:
    """Any of the names (as written or in capitals), after `prefix` (any case) if one is given."""
    variants = {n for n in names} | {n.upper() for n in names}
    alternation = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
    lead = f"(?i:{re.escape(prefix)})" if prefix else ""
    return re.compile(rf"(?<!\w)(?P<lead>{lead})(?P<name>{alternation})(?!\w)")


def _swap_names(text: str, names: list[str], pool: list[str], rng: random.Random, prefix: str = "") -> str:
    """Replace each name of `names` found in the text (also in capitals) by another from `pool`,
    the same replacement for every occurrence."""
    pattern = _name_pattern(tuple(names), prefix)
    mapping: dict[str, str] = {}

    def repl(m: re.Match) -> str:
        name = m.group("name")
        new = mapping.setdefault(name.upper(), rng.choice(pool))
        return m.group("lead") + (new.upper() if name.isupper() else new)

    return pattern.sub(repl, text)


def _scale_amount(m: re.Match, factor: float) -> str:
    value = int(m.group(0).replace(".", ""))
    scaled = max(1, round(value * factor))
    return f"{scaled:,}".replace(",", ".")


def vary(text: str, rng: random.Random, number: int) -> str:
    """Vary places, agencies, dates, amounts and the document number of one plan text."""
    words = word_lists()
    text = _swap_names(text, words["provinces"], words["provinces"], rng)
    text = _swap_names(text, words["districts"], words["districts"], rng, "huyện ")
    text = _swap_names(text, words["agencies"], words["agencies"], rng)
    shift = rng.randint(-4, 4)
    text = YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)
    text = SLASH_DATE.sub(lambda m: f"{rng.randint(1, 28):0{len(m.group(1))}d}/{m.group(2)}/{m.group(3)}", text)
    text = WORD_DATE.sub(lambda m: f"{m.group(1)}{rng.randint(1, 28):02d}{m.group(3)}", text)
    factor = rng.choice([0.5, 0.8, 1.0, 1.25, 1.5, 2.0])
    text = GROUPED.sub(lambda m: _scale_amount(m, factor), text)
    code = rng.choice(words["number_codes"])
    text, n = DOC_NUMBER.subn(lambda m: f"{m.group(1)}{number}{m.group(3)}{m.group(4)}", text, count=1)
    if not n:
        text = f"Số: {number}/{code}\n" + text
    return text


def make_plan(index: int, seed: int = 0, min_chars: int = 0) -> str:
    """The text of synthetic plan number `index` (the same for the same seed); with
    `min_chars`, sections of other samples are added until the text is that long."""
    rng = random.Random(f"{seed}:{index}")
    pool = samples()
    if min_chars:
        pool = tuple(s for s in pool if split_sections(s[1])[1])
    _, base = pool[rng.randrange(len(pool))]
    head, middle, tail = split_sections(base)
    if middle:
        kept = [s for s in middle if rng.random() < 0.85] or middle[:1]
        others = [split_sections(t)[1] for _, t in pool]
        others = [s for secs in others for s in secs]
        while rng.random() < 0.3 or len(head) + len(tail) + sum(map(len, kept)) < min_chars:
            kept.insert(rng.randrange(len(kept) + 1), rng.choice(others))
        if len(kept) > 2 and rng.random() < 0.3:
            a, b = rng.sample(range(len(kept)), 2)
            kept[a], kept[b] = kept[b], kept[a]
        body = head + "".join(_renumber(kept + [tail]))
    else:
        body = base
    body = _shuffle_table_rows(body, rng)
    return vary(body, rng, number=100 + index)


def _unique_plans(n: int, seed: int, start: int = 0) -> list[tuple[int, str]]:
    """n plans with pairwise different bytes (so each becomes its own record)."""
    seen: set[str] = set()
    out = []
    i = start
    while len(out) < n:
        text = make_plan(i, seed)
        h = hashlib.sha256(text.encode()).hexdigest()
        if h not in seen:
            seen.add(h)
            out.append((i, text))
        i += 1
    return out


# -- DOCX and PDF --------------------------------------------------------------------------

def _is_heading(line: str) -> bool:
    s = line.strip()
    return bool(TOP_HEADING.match(line)) or (len(s) > 3 and s.upper() == s and any(c.isalpha() for c in s))


def write_docx(text: str, path: Path) -> Path:
    """A Word file of the plan: paragraphs, bold headings, tab/pipe rows as a ruled table."""
    from docx import Document as Docx

    doc = Docx()
    rows: list[list[str]] = []

    def flush() -> None:
        if not rows:
            return
        width = max(len(r) for r in rows)
        table = doc.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for r, cells in enumerate(rows):
            for c, cell in enumerate(cells):
                table.cell(r, c).text = cell
        rows.clear()

    for line in text.split("\n"):
        stripped = line.strip()
        cells = None
        if "\t" in stripped:
            cells = [c.strip() for c in stripped.split("\t") if c.strip()]
        elif stripped.count("|") >= 2:
            cells = [c.strip() for c in stripped.strip("|").split("|")]
        if cells and len(cells) > 1:
            rows.append(cells)
            continue
        flush()
        if not stripped:
            continue
        para = doc.add_paragraph()
        run = para.add_run(stripped)
        run.bold = _is_heading(line)
    flush()
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def docx_to_pdf(docx_paths: list[Path], out_dir: Path, timeout: float = 1800) -> list[Path]:
    """Convert many DOCX files to PDF in one LibreOffice call (its start-up costs seconds)."""
    if not docx_paths:
        return []
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="vnplan-lo-") as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, docx_paths)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout)
    pdfs = [out_dir / f"{p.stem}.pdf" for p in docx_paths]
    missing = [p for p in pdfs if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write {missing[:3]}")
    return pdfs


def pdf_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def unite_pdfs(parts: list[Path], target: Path, pages: int) -> Path:
    """One PDF of at least `pages` pages, from the parts repeated in order (poppler's pdfunite)."""
    chosen, total, i = [], 0, 0
    counts = {p: pdf_pages(p) for p in parts}
    while total < pages:
        p = parts[i % len(parts)]
        chosen.append(p)
        total += counts[p]
        i += 1
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdfunite", *map(str, chosen), str(target)], check=True)
    return target


def make_corpus(out: Path, n_txt: int = 0, n_docx: int = 0, n_pdf: int = 0, seed: int = 0,
                long_plan: bool = False) -> dict[str, list[Path]]:
    """Write n_txt .txt, n_docx .docx and n_pdf .pdf plans (all different) under `out`.

    `long_plan` also writes long/plan_long.pdf: one plan of about 20 pages.
    Files already there are reused, so a second call with the same arguments costs nothing.
    """
    out = Path(out)
    made: dict[str, list[Path]] = {"txt": [], "docx": [], "pdf": [], "long": []}
    # each format has its own range of plan numbers, so a smaller corpus is a subset of a larger one
    plans = _unique_plans(n_txt, seed) + _unique_plans(n_docx, seed, start=PDF_START // 2) \
        + _unique_plans(n_pdf, seed, start=PDF_START)
    for i, text in plans[:n_txt]:
        p = out / "txt" / f"synth_{i:05d}.txt"
        if not p.exists():
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text, encoding="utf-8")
        made["txt"].append(p)
    for i, text in plans[n_txt:n_txt + n_docx]:
        p = out / "docx" / f"synth_{i:05d}.docx"
        if not p.exists():
            write_docx(text, p)
        made["docx"].append(p)
    to_convert: list[Path] = []
    pdf_plans = plans[n_txt + n_docx:]
    if long_plan:
        long_text = make_plan(10**6, seed, min_chars=LONG_PLAN_CHARS)
        pdf_plans = pdf_plans + [(10**6, long_text)]
    for i, text in pdf_plans:
        name = "plan_long" if i == 10**6 else f"synth_{i:05d}"
        folder = "long" if i == 10**6 else "pdf"
        pdf = out / folder / f"{name}.pdf"
        (made["long"] if i == 10**6 else made["pdf"]).append(pdf)
        if not pdf.exists():
            to_convert.append(write_docx(text, out / f"{folder}_docx" / f"{name}.docx"))
    by_dir: dict[Path, list[Path]] = {}
    for d in to_convert:
        by_dir.setdefault(out / d.parent.name.replace("_docx", ""), []).append(d)
    for target, docs in by_dir.items():
        docx_to_pdf(docs, target)
    return made


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--txt", type=int, default=1000)
    ap.add_argument("--docx", type=int, default=0)
    ap.add_argument("--pdf", type=int, default=0)
    ap.add_argument("--long", action="store_true", help="also a ~20-page plan (long/plan_long.pdf)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    made = make_corpus(args.out, args.txt, args.docx, args.pdf, args.seed, args.long)
    print({k: len(v) for k, v in made.items()}, "->", args.out)


if __name__ == "__main__":
    main()
