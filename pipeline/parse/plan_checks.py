"""Doubts about the document as a whole: not Vietnamese, or not a plan at all.

Such a document is still processed (its record may hold little); the warning tells the
reader why.
"""
from __future__ import annotations

import re
from collections import Counter

from pipeline.extract.integrity import SAMPLE_CHARS, foreign_script
from pipeline.model import Document, Section
from pipeline.parse.context import Context

# letters only Vietnamese (among Latin-script languages in these inboxes) writes
VIETNAMESE_LETTERS = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE)
PLAN_KINDS = {"purpose", "requirements", "objectives", "tasks", "solutions", "budget", "organization",
              "decision_articles", "appendix"}
MIN_WORDS = 8
MIN_VIETNAMESE_SHARE = 0.15  # real plans: about half of all words carry a Vietnamese letter


REQUIRES = ("sections", "metadata", "responsibilities", "budget")
PROVIDES = ("warnings",)


def extract(doc: Document, ctx: Context) -> dict:
    """The record's warnings: the readers', the plan checks' and failed budget checks."""
    warnings = list(doc.warnings) + plan_warnings(doc, ctx["sections"], ctx["metadata"], ctx["responsibilities"])
    for check in (ctx["budget"] or {}).get("checks", []):
        if not check.get("ok"):
            warnings.append({"code": "budget_check_failed", "message": f"{check['rule']}: {check.get('detail') or ''}"})
    return {"warnings": warnings}


def plan_warnings(doc: Document, sections: list[Section], metadata: dict, responsibilities: list[dict]) -> list[dict]:
    out: list[dict] = []
    # each distinct word is looked at once (a plan repeats its syllables thousands of times)
    words = {w: n for w, n in Counter(doc.text.split()).items() if any(c.isalpha() for c in w)}
    n_words = sum(words.values())
    foreign = foreign_script(doc.text[:SAMPLE_CHARS])  # Chinese has no spaces between words
    if foreign:
        out.append({"code": "not_vietnamese", "message": (
            f"{foreign[1]:.0%} of the letters are {foreign[0]}: the document is not Vietnamese, so the "
            "extracted facts are unreliable")})
    elif n_words >= MIN_WORDS:
        share = sum(n for w, n in words.items() if VIETNAMESE_LETTERS.search(w)) / n_words
        if share < MIN_VIETNAMESE_SHARE:
            out.append({"code": "not_vietnamese", "message": (
                f"only {share:.0%} of {n_words} words carry Vietnamese letters: the document does not look "
                "Vietnamese, so the extracted facts are unreliable")})
    plan_like = (metadata.get("doc_type") not in (None, "other") or any(s.kind in PLAN_KINDS for s in sections)
                 or responsibilities or metadata.get("number"))
    if not plan_like:
        out.append({"code": "not_a_plan", "message": (
            "no document type, number, plan sections or assignments were found: this may not be a plan or decision")})
    return out
