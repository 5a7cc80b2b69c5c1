"""The closing block: the signer (name, position, authority) and the "Nơi nhận" list.

In the source the recipients sit in the left column and the signature in the right, so in
text they interleave, run together on one line ("Nơi nhận: - A; - B; ... TM. ỦY BAN NHÂN
DÂN KT. CHỦ TỊCH"), or lose their breaks. The signer is the first personal name (a
Vietnamese family name and 1-4 capitalised words) after an authority mark (TM., KT.,
T/M., garbled "Kí.") or a position (PHÓ CHỦ TỊCH, TRƯỞNG ĐOÀN) in the closing.
"""
from __future__ import annotations

import re
from functools import lru_cache


from pipeline import lexicon
from pipeline.model import Document, Section

UP = "A-ZĐÀ-ỸÂĂÊÔƠƯ"
NAME_WORD = r"[A-ZĐÀÁẢÃẠÂẦẤẨẪẬĂẰẮẲẴẶÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ][a-zđà-ỹ']+"


@lru_cache(maxsize=1)
def _vocab() -> dict:
    data = lexicon.load("doc_types")
    prefixes = data["authority_prefixes"]
    positions = sorted(data["positions"], key=len, reverse=True)
    return {
        "surnames": set(data["surnames"]),
        "authority": re.compile(
            r"(?<![\w/])(?P<pre>" + "|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True)) + r")"
            r"\s*[./]\s*(?P<body>[" + UP + r"](?:(?!\s(?:KT|K/T|TL|TUQ|TM|T/M)\s*[./])[" + UP + r" \t,-])*)"),
        "prefixes": prefixes,
        "position": re.compile(r"(?<![" + UP + r"])(?P<pos>" + "|".join(map(re.escape, positions)) + r")(?![" + UP + r"])"),
        "name": re.compile(r"(?<![\wÀ-ỹ])(" + NAME_WORD + r"(?: +" + NAME_WORD + r"){1,4})"),
        "closing": re.compile(r"^\W*n[ơo]i nhận\s*:?", re.IGNORECASE),
    }


def _title(s: str) -> str:
    """"PHÓ CHỦ TỊCH" -> "Phó Chủ tịch"; "ỦY BAN NHÂN DÂN" -> "Ủy ban nhân dân"."""
    words = s.strip(" .,").lower().split()
    if not words:
        return ""
    out = " ".join(words)
    out = out[0].upper() + out[1:]
    # the title word keeps its capital after "Phó": "Phó Chủ tịch", "Phó Giám đốc", "Phó Bí thư"
    return re.sub(r"(?<=^Phó )\w", lambda m: m.group(0).upper(), out)


def _closing_spans(sections: list[Section]) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in sections if s.kind == "closing"]


def find_signer(doc: Document, sections: list[Section]) -> dict | None:
    """{name, position, authority} from the first closing block that names a person."""
    v = _vocab()
    for start, end in _closing_spans(sections):
        found = _signer_in(doc.text[start:end], v)
        if found:
            return found
    # no closing block found: the signature ends the main text, before any appendix
    parts = [s.start for s in sections if s.level == 0 and s.kind in ("appendix", "other") and s.numbering is None and s.start > 0]
    main_end = min(parts) if parts else len(doc.text)
    return _signer_in(doc.text[max(0, main_end - 2500):main_end], v)


def _signer_in(text: str, v: dict) -> dict | None:
    marks = [m for m in v["authority"].finditer(text)] + [m for m in v["position"].finditer(text)]
    if not marks:
        return None
    first_mark = min(m.start() for m in marks)
    text = text[:first_mark] + _join_split_surnames(text[first_mark:], v)
    for m in v["name"].finditer(text, first_mark):
        words = m.group(1).split()
        # "à-ỹ" also spans upper-case letters: cut at the first word not in title case
        cut = next((k for k, w in enumerate(words) if not (w[0].isupper() and w[1:].replace("'", "").islower())), len(words))
        words = words[:cut]
        if len(words) < 2:
            continue
        # the name must not be a line of the recipient list ("- Sở Nông nghiệp ...")
        line_start = text.rfind("\n", 0, m.start()) + 1
        if text[line_start:m.start()].lstrip().startswith("-") or words[0] not in v["surnames"]:
            continue
        before = text[first_mark:m.start()]
        auth = [(v["prefixes"].get(a.group("pre"), a.group("pre") + "."), a.group("body")) for a in v["authority"].finditer(before)]
        positions = [p.group("pos") for p in v["position"].finditer(before)]
        position = positions[-1] if positions else None
        authority = None
        if auth:
            pre, body = auth[-1]
            body = re.split(r"\s(?:KT|K/T|TL|TUQ)\s*[./]", body)[0].strip(" \t,-")
            if position and body.endswith(position) and body != position:
                body = body[: -len(position)].strip(" \t,-")
            authority = f"{pre} {_title(body)}"
        position = _title(position) if position else None
        return {"name": " ".join(words), "position": position, "authority": authority}
    return None


SPLIT_WORD = re.compile(r"(?<![\wÀ-ỹ])([" + UP + r"][a-zđà-ỹ]*)((?: [a-zđà-ỹ]{1,3})+)(?![\wÀ-ỹ])")


def _join_split_surnames(text: str, v: dict) -> str:
    """A surname broken by stray spaces in a crawled page ("Ngu y ễn Hữu Tín") joined again,
    when its pieces make a family name of the lexicon."""
    def join(m: re.Match) -> str:
        pieces = [m.group(1)] + m.group(2).split()
        for n in range(len(pieces), 1, -1):
            if "".join(pieces[:n]) in v["surnames"]:
                return " ".join(["".join(pieces[:n])] + pieces[n:])
        return m.group(0)
    return SPLIT_WORD.sub(join, text)


def find_recipients(doc: Document, sections: list[Section]) -> list[str]:
    """The "Nơi nhận" list of the first closing block, archive line ("Lưu: ...") excluded."""
    v = _vocab()
    for start, end in _closing_spans(sections):
        text = doc.text[start:end]
        m = v["closing"].match(text)
        if not m:
            continue
        items: list[str] = []
        for raw in text[m.end():].split("\n"):
            left = raw.split("\t")[0]
            parts = re.split(r"(?:^|;)\s*-\s*(?=\S)", left)
            if not left.strip().startswith("-") and items and not re.search(r";\s*-\s", left):
                break
            for part in parts:
                item = part.strip(" ;.-\"“”,")
                item = v["authority"].split(item)[0].strip(" ;.-") if v["authority"].search(item) else item
                if item and not re.match(r"(?i)lưu\b", item) and len(item) > 2:
                    items.append(item)
        return items
    return []
