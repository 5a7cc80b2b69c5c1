"""Which files are the same plan, and which of them speaks for it.

One plan arrives as several files: renditions (the signed PDF and the DOCX), a scan, a draft
and then the signed version, a corrected re-issue. Two records are the same plan when they
carry the same number and date (and no conflicting issuer), or, when either has no number
(drafts), when their texts are near-duplicates: MinHash (datasketch) over three-word
shingles of the accent-folded text. On the bundled corpus renditions of one plan score
>= 0.90 (OCR scans included) and different plans <= 0.10, hence the 0.5 threshold.

Among a plan's files the latest version (numbered and signed over a draft, a later date over
an earlier one) is current; among the files of that version the best rendition speaks for
the plan (a digital PDF, with its pages, then DOCX, text, web page, DOC; OCR last). The others are kept as its source
files, marked `rendition` or `superseded`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from vnplan.search_key import search_key

NUM_PERM = 128
SCHEME = "affine32"  # datasketch 2: signatures are stored, so the scheme is fixed
SHINGLE_WORDS = 3
NEAR_DUPLICATE = 0.5  # estimated Jaccard similarity of shingle sets
HEADER_CHARS = 600  # where a "DỰ THẢO" stamp stands
# Lower is better: the rendition whose record speaks for the plan. A digital PDF is usually the
# signed document and has pages to cite (its record matched the DOCX's on every corpus plan);
# then the text-native formats; a scan (OCR) comes last whatever its format.
FORMAT_RANK = {"pdf": 0, "docx": 1, "txt": 2, "md": 2, "html": 3, "doc": 4}

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class Fingerprint:
    """What identifies one file's record as a plan (kept in the store's plan_files rows)."""
    number_key: str
    issue_date: str
    issuer_key: str
    is_draft: bool
    format: str
    ocr: bool
    n_warnings: int
    minhash: bytes


def _number_key(number: str | None) -> str:
    return re.sub(r"\s+", "", search_key(number)) if number else ""


def minhash_of(text: str):
    """The text's MinHash (datasketch, imported here: the store's readers never need it)."""
    from datasketch import MinHash

    words = _WORD.findall(search_key(text))
    shingles = {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(max(len(words) - SHINGLE_WORDS + 1, 1))}
    mh = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)
    mh.update_batch([s.encode("utf-8") for s in shingles])
    return mh


def fingerprint(record: dict) -> Fingerprint:
    """The identity of a record: number, date, issuer, draft stamp and a text signature."""
    import numpy as np

    md = record.get("metadata") or {}
    src = record.get("source") or {}
    text = record.get("text") or ""
    number = _number_key(md.get("number"))
    draft = not number or "du thao" in search_key(text[:HEADER_CHARS])
    return Fingerprint(number_key=number, issue_date=md.get("issue_date") or "",
                       issuer_key=search_key(md.get("issuer")), is_draft=draft,
                       format=(src.get("format") or "").lower(), ocr=bool(src.get("ocr")),
                       n_warnings=len(record.get("warnings") or []),
                       minhash=minhash_of(text).hashvalues.astype(np.uint64).tobytes())


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two stored MinHash signatures: the share of equal
    hash values (what datasketch's MinHash.jaccard computes, without building two MinHash
    objects per comparison: 4 ms each, against microseconds here)."""
    import numpy as np

    va, vb = np.frombuffer(a, dtype=np.uint64), np.frombuffer(b, dtype=np.uint64)
    return float(np.count_nonzero(va == vb)) / len(va) if len(va) == len(vb) and len(va) else 0.0


def same_plan(a: Fingerprint, b: Fingerprint) -> bool:
    """Two records of one plan: same number and date, or near-duplicate texts when the
    numbers do not tell them apart (a draft has none; a re-issue keeps its number)."""
    if a.issuer_key and b.issuer_key and a.issuer_key != b.issuer_key:
        if similarity(a.minhash, b.minhash) < NEAR_DUPLICATE:
            return False
    if a.number_key and b.number_key:
        if a.number_key != b.number_key:
            return False  # two numbered documents: a yearly plan from one template is another plan
        if a.issue_date == b.issue_date:
            return True
    return similarity(a.minhash, b.minhash) >= NEAR_DUPLICATE


def version_rank(fp: Fingerprint) -> tuple:
    """Later versions rank higher: signed over draft, then the later issue date."""
    return (not fp.is_draft, bool(fp.number_key), fp.issue_date)


def rendition_rank(fp: Fingerprint, record_id: str) -> tuple:
    """Lower is the better rendition of one version."""
    return (fp.ocr, FORMAT_RANK.get(fp.format, 9), fp.n_warnings, record_id)


def elect(files: dict[str, Fingerprint]) -> tuple[str, dict[str, str]]:
    """The record id that speaks for the plan, and each file's status: current,
    rendition (the same version in another file) or superseded (an earlier version)."""
    top = max(version_rank(fp) for fp in files.values())
    latest = {rid: fp for rid, fp in files.items() if version_rank(fp) == top}
    current = min(latest, key=lambda rid: rendition_rank(latest[rid], rid))
    status = {rid: "current" if rid == current else "rendition" if rid in latest else "superseded"
              for rid in files}
    return current, status
