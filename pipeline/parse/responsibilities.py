"""Who does what: responsibility rows (agency, role, duty) and the tasks they belong to.

Three sources, as Vietnamese plans write them:
- sentences: "Sở Công Thương chủ trì, phối hợp với Sở NN&PTNT, UBND các huyện ..." (lead
  for the subject, coordinate for every partner; the lead's own "phối hợp" gives it no
  coordinate row), "Sở Công Thương chủ trì, Sở NN&PTNT phối hợp", "X ... chủ động phối
  hợp", labels ("Đơn vị thực hiện:", "Đơn vị phối hợp, hỗ trợ:", "Cơ quan thường trực:");
- organisation items whose heading names the agencies ("1. Sở Tài chính", "3. Giao Sở
  Công Thương, Sở Y tế:"): a duty with no subject of its own belongs to them ("- Chủ trì
  ..." -> lead, "- Phối hợp với X ..." -> coordinate for them and for X);
- table columns (Chủ trì / Phối hợp, Cơ quan chủ trì / Cơ quan phối hợp, ...), row by row.
Only named bodies count: vague partners ("các đơn vị có liên quan") are skipped inside
lists, and a body named after "thuộc" is the partner's parent, not a partner.
Role words, labels and list grammar are data (the lexicon, roles.yaml), matched on the folded
text (no diacritics, offsets kept) so OCR damage to tone marks does not hide them;
agencies come from pipeline.normalize.agencies. Within a document one body keeps one name
(`_consolidate`). Tasks are built by pipeline.parse.tasks, links by pipeline.parse.link.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache


from pipeline import lexicon
from pipeline.model import Document, Line, Section
from pipeline.normalize import numbering
from pipeline.normalize.agencies import (
    find_agencies, fold, is_known, loose_key, unaccent_pattern, vague_spans, vocab as agency_vocab,
)
from pipeline.normalize.quick_regex import any_of, quick
from pipeline.parse import tasks
from pipeline.parse.context import Context
from pipeline.parse.link import link_responsibilities
from pipeline.parse.sections import ARTICLE, section_id_at
from pipeline.parse.tasks import Layout, row_cells

REQUIRES = ("sections", "metadata", "tasks", "row_tasks", "task_layouts")
PROVIDES = ("responsibilities",)

OCR_GAP = r"\W{1,3}"  # between the words of a role phrase: a space, or OCR debris ("Phối ¡ hợp")

BULLET = re.compile(rf"^\s*(?:{numbering.bullet('-–+*•')}\s*|\(?{numbering.arabic(2, 2)}[.)]\s*|{numbering.LETTER}\)\s*)")


@dataclass
class _Roles:
    role_res: list[tuple[str, re.Pattern]]
    any_role: re.Pattern | None  # a clause without any role word skips the per-role scans
    noun_before: re.Pattern
    labels: list[tuple[re.Pattern, str]]
    subject_gap: re.Pattern
    object_before: re.Pattern
    partner_lead_in: re.Pattern
    partner_separator: re.Pattern
    partner_attachment: re.Pattern
    person_title: re.Pattern
    heading_lead_words: re.Pattern
    duty_opener: str
    lead_then_coordinate: re.Pattern
    duty_start: re.Pattern
    standing_word: str
    heading_lead_exact: list[str]
    heading_lead_within: list[str]
    coordinate_label_tail: re.Pattern
    block_labels: list[tuple[re.Pattern, str]]
    heading_directs: re.Pattern | None = None
    task_opens_lead: re.Pattern = re.compile(r"(?!)")
    heading_filler: re.Pattern | None = None
    heading_apposition_lead: re.Pattern | None = None


def fold_pattern(pattern: str) -> str:
    """A regular expression for folded text (see `folded`): literal letters folded, escapes
    such as \\W kept."""
    out, escaped = [], False
    for c in unaccent_pattern(pattern):
        out.append(c if escaped else c.lower())
        escaped = c == "\\" and not escaped
    return "".join(out)


def _fre(pattern: str) -> re.Pattern:
    return re.compile(fold_pattern(pattern))


@lru_cache(maxsize=1)
def roles() -> _Roles:
    d = lexicon.load("roles")
    role_res = []
    for role, pats in d["roles"].items():
        for p in pats:
            # words of a role phrase may be parted by OCR debris ("Phối ¡ hợp")
            spaced = p.replace(" ", OCR_GAP)
            role_res.append((role, quick(fold_pattern(rf"(?<!\w){spaced}(?!\w)"))))
    return _Roles(
        role_res=role_res,
        any_role=any_of(p for _, p in role_res),
        noun_before=_fre(d["noun_before"]),
        labels=[(_fre(lb["pattern"]), lb["role"]) for lb in d["labels"]],
        subject_gap=_fre(d["subject_gap"]),
        object_before=_fre(d["object_before"]),
        partner_lead_in=_fre(d["partner_lead_in"]),
        partner_separator=_fre(d["partner_separator"]),
        partner_attachment=_fre(d["partner_attachment"]),
        person_title=_fre(d["person_title"]),
        heading_lead_words=_fre(d["heading_lead_words"]),
        duty_opener=fold_pattern(d["duty_opener"]),
        duty_start=_fre(d["duty_start"]),
        lead_then_coordinate=_fre(d["lead_then_coordinate"]),
        standing_word=fold_pattern(d["standing_word"]),
        heading_lead_exact=[fold(w) for w in d["heading_lead_exact"]],
        heading_lead_within=[fold(w) for w in d["heading_lead_within"]],
        coordinate_label_tail=_fre(d["coordinate_label_tail"]),
        block_labels=[(_fre(lb["pattern"]), lb["role"]) for lb in d["block_labels"]],
        heading_directs=_fre(d["heading_directs"]) if d.get("heading_directs") else None,
        task_opens_lead=re.compile(fold_pattern(d["task_opens_lead"])),
        heading_filler=_fre(d["heading_filler"]) if d.get("heading_filler") else None,
        heading_apposition_lead=_fre(d["heading_apposition_lead"]) if d.get("heading_apposition_lead") else None,
    )


@dataclass
class Mention:
    start: int  # offsets into doc.text
    end: int
    agency: str
    level: str
    written: str


@dataclass
class Keyword:
    role: str
    start: int
    end: int
    text: str


# ---------------------------------------------------------------- rows

def _row(doc: Document, m: Mention, role: str, duty: str, span: tuple[int, int],
         section: str | None, task: str | None = None) -> dict:
    return {"agency": m.agency, "agency_text": m.written, "level": m.level, "role": role,
            "duty": duty.strip(), "task": task, "section": section, "span": doc.span(*span)}


def _mark_known(rows: list[dict]) -> None:
    """"known": false on a row whose agency is not in the gazetteer (kept as written, not
    dropped or cut); rows of gazetteer bodies keep the schema's fields only."""
    for r in rows:
        if not is_known(r["agency"]):
            r["known"] = False


def _mentions(text: str, base: int, level: str | None) -> list[Mention]:
    return [Mention(base + s, base + e, c, lv, w) for s, e, c, lv, w in find_agencies(text, level)]


# ---------------------------------------------------------------- clause analysis

class _Clause:
    """One sentence of a duty, with its agency mentions and role words (offsets into doc.text)."""

    def __init__(self, doc: Document, ftext: str, start: int, end: int, level: str | None) -> None:
        self.doc, self.start, self.end = doc, start, end
        self.text = doc.text[start:end]
        self.ftext = ftext  # Context.folded: the whole text folded, offset for offset
        self.mentions = _mentions(self.text, start, level)
        self.vague = [(start + s, start + e) for s, e in vague_spans(self.text)]
        self.keywords = self._keywords()

    def _keywords(self) -> list[Keyword]:
        r = roles()
        found: list[Keyword] = []
        taken: list[tuple[int, int]] = []
        if r.any_role is not None and not r.any_role.search(self.ftext, self.start, self.end):
            return found
        for role, pat in r.role_res:
            for m in pat.finditer(self.ftext, self.start, self.end):
                s, e = m.start(), m.end()
                if any(a < e and s < b for a, b in taken):
                    continue
                if any(mm.start <= s < mm.end for mm in self.mentions):
                    continue  # inside a name ("Ban Chỉ đạo ... thực hiện" is rare, but skip)
                if r.noun_before.search(self.ftext[self.start:s]):
                    continue
                found.append(Keyword(role, s, e, self.doc.text[s:e]))
                taken.append((s, e))
        return sorted(found, key=lambda k: k.start)

    def subject_before(self, pos: int) -> list[Mention]:
        """The agencies written right before `pos` (a list joined by commas/"và", which may
        hold vague items: "X, Y và các tổ chức thành viên phối hợp")."""
        return self._subject_before(pos, True) or self._subject_before(pos, False)

    def _subject_before(self, pos: int, with_vague: bool) -> list[Mention]:
        r = roles()
        items = [(m.start, m.end, m) for m in self.mentions if m.end <= pos]
        if with_vague:
            items += [(s, e, None) for s, e in self.vague
                      if e <= pos and not any(m.start <= s < m.end for m in self.mentions)]
        items.sort(key=lambda it: (it[1], it[0]))
        if not items or not r.subject_gap.match(self.ftext[items[-1][1]:pos]):
            return []
        group = [items[-1]]
        for it in reversed(items[:-1]):
            if it[1] > group[0][0]:
                continue
            gap = self.ftext[it[1]:group[0][0]]
            if r.partner_separator.fullmatch(gap) or re.fullmatch(r"\s*\(\s*|\s*\)\s*[,;]?\s*|\s*[,;]?\s*\(\s*", gap):
                group.insert(0, it)
            else:
                break
        if r.object_before.search(self.ftext[self.start:group[0][0]]):
            return []
        return [m for _, _, m in group if m is not None]

    def distant_subject(self, pos: int, reach: bool = False) -> list[Mention]:
        """The nearest earlier agency in the sentence that acts ("... lực lượng Công an xã,
        phường chủ động tham mưu ... và phối hợp với ..."), past the objects between ("Bộ Tài
        chính, ... trên cơ sở đề xuất kinh phí của các bộ, ngành, địa phương, chủ trì"), and over
        a ";" when the role word opens what follows it ("Bộ X rà soát ...; phối hợp ..."). These
        two only with `reach`: for a duty with no heading to give it a subject."""
        r = roles()
        seg = self.ftext[self.start:pos]
        semi = seg.rfind(";")
        opens_part = reach and semi >= 0 and not re.search(r"\w", seg[semi + 1:])  # "X rà soát ...; phối hợp ..."
        for m in reversed([m for m in self.mentions if m.end <= pos]):
            between = self.ftext[m.end:pos]
            if (";" in between and not opens_part) or any(
                    k.role in ("lead", "coordinate") and m.end <= k.start < pos for k in self.keywords):
                return []
            group = self.subject_before(m.end)
            if group and not r.object_before.search(self.ftext[self.start:group[0].start]):
                return group
            if not reach:
                return []
            # an object ("trên cơ sở đề xuất của các bộ, ngành"): the subject stands before it
        return []

    def partners_after(self, pos: int) -> tuple[list[Mention], int]:
        """Agencies listed after "phối hợp (với)" at `pos`, skipping vague items; and the end."""
        r = roles()
        text = self.ftext
        lead_in = r.partner_lead_in.match(text, pos, self.end)
        pos = lead_in.end() if lead_in else pos
        out: list[Mention] = []
        while pos < self.end:
            title = r.person_title.match(text, pos, self.end)
            if title and any(mm.start == title.end() for mm in self.mentions):
                pos = title.end()
            m = next((mm for mm in self.mentions if mm.start == pos), None)
            if m is not None:
                out.append(m)
                pos = m.end
                att = r.partner_attachment.match(text, pos, self.end)
                if att:
                    pos = att.end()
                    nxt = next((mm for mm in self.mentions if mm.start == pos), None)
                    if nxt is not None and att.group().strip().startswith(("thuoc", "truc thuoc")):
                        pos = nxt.end  # "Trung tâm ... thuộc Sở Kế hoạch và Đầu tư": the parent is no partner
            else:
                v = max((e for s, e in self.vague if s == pos), default=None)
                if v is None:
                    break
                pos = v
            sep = r.partner_separator.match(text, pos, self.end)
            if not sep:
                break
            pos = sep.end()
        return out, pos


def _clauses(doc: Document, start: int, end: int) -> list[tuple[int, int]]:
    text = doc.text[start:end]
    out, pos = [], 0
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])|(?<=;)\s+(?=[-–+])", text):
        out.append((start + pos, start + m.start()))
        pos = m.end()
    out.append((start + pos, end))
    return [(s, e) for s, e in out if doc.text[s:e].strip()]


def _assign(doc: Document, clause: _Clause, heading: list[Mention], section: str | None,
            label_role: str | None) -> list[dict]:
    """Responsibility rows of one clause. `heading` holds the agencies of the organisation
    item the clause is a duty of; `label_role` the role a label before it gives
    ("Đơn vị phối hợp:" -> coordinate), for agencies with no role word of their own."""
    r = roles()
    rows: list[dict] = []
    duty = clause.text
    span = (clause.start, clause.end)
    consumed: set[int] = set()
    partnered: set[int] = set()  # partners are not the subject of the verb after their list
    for i, kw in enumerate(clause.keywords):
        if kw.start in consumed:
            continue
        subject = [m for m in clause.subject_before(kw.start) if id(m) not in partnered]
        text_before = clause.ftext[clause.start:kw.start]
        at_start = (not re.search(r"\w", BULLET.sub("", text_before).replace(r.duty_opener, ""))
                    or bool(r.duty_start.search(text_before)))
        if kw.role == "lead":
            lt = fold(kw.text)
            if r.standing_word in lt and not subject:
                subject = _standing_body(clause, kw)
            if not subject and heading and (at_start or lt in r.heading_lead_exact
                                            or any(w in lt for w in r.heading_lead_within)):
                subject = heading
            if not subject and label_role is None and r.standing_word not in lt:
                # "Sở Tài chính, trên cơ sở đề xuất của các cơ quan, ..., chủ trì tổng hợp"
                subject = clause.distant_subject(kw.start, reach=not heading)
            for m in subject:
                rows.append(_row(doc, m, "lead", duty, span if m in heading else (m.start, m.end), section))
            nxt = clause.keywords[i + 1] if i + 1 < len(clause.keywords) else None
            if nxt is not None and nxt.role == "coordinate" and r.lead_then_coordinate.fullmatch(
                    clause.ftext[kw.end:nxt.start]):
                consumed.add(nxt.start)
                partners, _ = clause.partners_after(nxt.end)
                partnered.update(id(m) for m in partners)
                for m in partners:
                    rows.append(_row(doc, m, "coordinate", duty, (m.start, m.end), section))
            continue
        if kw.role == "coordinate":
            partners, _ = clause.partners_after(kw.end)
            partnered.update(id(m) for m in partners)
            if not subject:
                subject = clause.distant_subject(kw.start, reach=not heading)
            if not subject and heading and label_role is None:
                subject = heading
            if label_role == "coordinate" or r.coordinate_label_tail.match(clause.ftext[kw.end:clause.end]):
                subject = []
            for m in subject + partners:
                rows.append(_row(doc, m, "coordinate", duty, span if m in heading else (m.start, m.end), section))
            continue
        # advise, guide, report, implement: the subject named right before, or the heading's
        # agencies when the duty opens with the word
        if not subject and heading and at_start:
            subject = heading
        for m in subject:
            rows.append(_row(doc, m, kw.role, duty, span if m in heading else (m.start, m.end), section))
    _resolve_same_level(rows)
    if label_role:
        roled = {(r["span"]["start"], r["span"]["end"]) for r in rows}
        for m in clause.mentions:
            if (m.start, m.end) not in roled and not _is_object(clause, m):
                rows.append(_row(doc, m, label_role, duty, (m.start, m.end), section))
    return rows


SAME_LEVEL = {"district": "cấp huyện", "commune": "cấp xã", "province": "cấp tỉnh"}


def _resolve_same_level(rows: list[dict]) -> None:
    """"Liên đoàn Lao động cùng cấp" beside a district-level lead is the district body."""
    lead_levels = {r["level"] for r in rows if r["role"] == "lead"}
    if len(lead_levels) != 1:
        return
    level = lead_levels.pop()
    for r in rows:
        if r["agency"].endswith(" cùng cấp") and level in SAME_LEVEL:
            r["agency"] = r["agency"][: -len("cùng cấp")] + SAME_LEVEL[level]
            r["level"] = level


def _is_object(clause: _Clause, m: Mention) -> bool:
    return bool(roles().object_before.search(clause.ftext[clause.start:m.start]))


def _standing_body(clause: _Clause, kw: Keyword) -> list[Mention]:
    """The agency named as "cơ quan thường trực": 'X là cơ quan thường trực', 'X (cơ quan
    thường trực ...)', 'cơ quan thường trực ... là X hoặc Y', 'cơ quan thường trực ... (X)'."""
    text = clause.ftext
    before = [m for m in clause.mentions if m.end <= kw.start]
    if before and re.fullmatch(r"[\s()]*(?:la|lam)?\s*\(?\s*", text[before[-1].end:kw.start]):
        group = [before[-1]]
        for m in reversed(before[:-1]):
            if re.fullmatch(r"\s*[(),]\s*|\s*\)\s*\(?\s*", text[m.end:group[0].start]):
                group.insert(0, m)
            else:
                break
        return group
    after = [m for m in clause.mentions if m.start >= kw.end]
    if after:
        m = re.match(r"[^.;()]{0,60}?(?:\s(?:la)\s+|\(\s*|:\s*)", text[kw.end:after[0].start + 1])
        if m and kw.end + m.end() == after[0].start:
            out = [after[0]]
            for nxt in after[1:]:
                if re.fullmatch(r"\s*(?:,|hoac|va)\s*", text[out[-1].end:nxt.start]):
                    out.append(nxt)
                else:
                    break
            return out
    return []


# ---------------------------------------------------------------- headings

def _heading_agencies(doc: Document, s: Section, level: str | None) -> list[Mention]:
    """The agencies an organisation item's heading names, if the heading is only agencies."""
    return _agency_only(doc, s.start, s.heading_end or s.end, level)


def _agency_only(doc: Document, start: int, end: int, level: str | None) -> list[Mention]:
    """The agencies named in doc.text[start:end] when it names nothing else."""
    text = doc.text[start:end]
    body = BULLET.sub("", text)
    article = ARTICLE.match(body)  # "Điều 2. Giao Giám đốc Sở Giáo dục và Đào tạo"
    if article:
        body = body[article.start("rest"):]
    off = start + (len(text) - len(body))
    lead = roles().heading_lead_words.match(fold(body))
    if lead:
        off += lead.end()
        body = body[lead.end():]
    body = body.rstrip(" :.\n")
    if not body or len(body) > 250:
        return []
    # "Sở Nội vụ (Cơ quan thường trực Ban ...):": a parenthesis qualifies the agency before it
    parens = [(m.start(), m.end()) for m in re.finditer(r"\([^()]*\)", body)]
    appos = roles().heading_apposition_lead
    dash = appos.search(fold(body)) if appos else None
    if dash and body[dash.start():].lstrip()[:1] in "-–":  # "Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo"
        parens.append((dash.start(), len(body)))
    mentions = [m for m in _mentions(body, off, level)
                if not any(a <= m.start - off < b for a, b in parens)]
    if not mentions:
        return []
    rest = body
    for a, b in parens:
        rest = rest[:a] + " " * (b - a) + rest[b:]
    for m in sorted(mentions, key=lambda m: -m.start):
        rest = rest[:m.start - off] + " " * (m.end - m.start) + rest[m.end - off:]
    directs = roles().heading_directs
    d = directs.search(fold(rest)) if directs else None
    if d and any(m.start - off < d.start() for m in mentions) and any(m.start - off >= d.end() for m in mentions):
        # "A chỉ đạo lực lượng B": the duties are B's
        mentions = [m for m in mentions if m.start - off >= d.end()]
        rest = rest[:d.start()] + " " * (d.end() - d.start()) + rest[d.end():]
    for v0, v1 in vague_spans(rest):
        rest = rest[:v0] + " " * (v1 - v0) + rest[v1:]
    filler = roles().heading_filler
    leftover = re.sub(r"[\s,;:.()\-–*/]+", " ", filler.sub(" ", fold(rest)) if filler else fold(rest))
    if len(leftover.split()) > 2:
        return []
    return mentions


def _heading_map(doc: Document, sections: list[Section], level: str | None) -> list[tuple[Section, list[Mention]]]:
    out = []
    for s in sections:
        if s.kind in ("preamble", "closing"):
            continue
        ms = _heading_agencies(doc, s, level)
        if ms:
            out.append((s, ms))
    return out


def _fallback_sections(doc: Document) -> list[Section]:
    """Numbered lines as flat sections, for when the section parser found none."""
    out: list[Section] = []
    numbered = re.compile(r"^\s*(?:[IVXLC]{1,5}\.|\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ]\)|\(\d{1,2}\))\s+\S")
    lines = [ln for ln in doc.lines if ln.table is None]
    heads = [ln for ln in lines if numbered.match(ln.text)]
    for i, ln in enumerate(heads):
        end = heads[i + 1].start - 1 if i + 1 < len(heads) else len(doc.text)
        colon = ln.text.find(":")
        hend = ln.start + colon + 1 if 0 < colon < 200 else ln.end
        out.append(Section(f"f{i + 1}", None, None, ln.text[:200], "other", ln.start, max(end, ln.end), 0, hend))
    return out


# ---------------------------------------------------------------- text

def _skip_spans(doc: Document, sections: list[Section]) -> list[tuple[int, int]]:
    spans = [(s.start, s.end) for s in sections if s.kind in ("preamble", "closing")]
    # the recipients list when no closing section was found
    for i, ln in enumerate(doc.lines):
        if re.match(r"^\W*N[ơo]i nh[ậa]n", ln.text, re.IGNORECASE):
            j = i + 1
            while j < len(doc.lines) and re.match(r"^\s*[-–+]", doc.lines[j].text):
                j += 1
            spans.append((ln.start, doc.lines[j - 1].end))
    return spans


def _from_text(doc: Document, ftext: str, sections: list[Section], level: str | None) -> list[dict]:
    heads = _heading_map(doc, sections or _fallback_sections(doc), level)
    skip = _skip_spans(doc, sections)
    starts = {s.start for s in sections}
    rows: list[dict] = []
    loose: list[Mention] = []  # an unnumbered line naming only agencies heads the lines below it
    intro: tuple[list[Mention], str | None] | None = None  # what `loose` was before a subject intro
    block: str | None = None  # the role of a label line heading the bulleted lines below it
    for li, ln in enumerate(doc.lines):
        if ln.table is not None or any(a <= ln.start < b for a, b in skip):
            continue
        if ln.start in starts:
            loose = []
        label_line = _block_label(ln.text)
        if label_line is not None:
            block = label_line or None
            continue
        if block and not re.match(r"^\s*[-–+•*]", ln.text):
            block = None
        if intro is not None and _bullet_of(ln.text) in (intro[1], "numbered"):
            loose, intro = intro[0], None  # the next item at the intro's own level
        nxt = doc.lines[li + 1].text if li + 1 < len(doc.lines) else ""
        if _loose_heading(ln.text) or _bullet_over_deeper(ln.text, nxt):
            found = _agency_only(doc, ln.start, ln.end, level)
            if found:
                loose = found
                rows += _apposition_rows(doc, ftext, ln, found, sections)
                continue
        found = _subject_intro(doc, ftext, ln, level)
        if found:
            intro = (loose, _bullet_of(ln.text))
            loose = found
            continue
        start = ln.start
        owner = [(s, ms) for s, ms in heads if s.start <= ln.start < s.end]
        rows += [r for s, ms in owner if s.start == ln.start for r in _apposition_rows(doc, ftext, ln, ms, sections)]
        heading: list[Mention] = loose
        if owner:
            s, ms = max(owner, key=lambda sm: (sm[0].level, sm[0].start))
            if s.start <= ln.start < (s.heading_end or s.start):
                start = max(start, s.heading_end)  # the duty after "X:" on the heading line
            if start < ln.end:
                heading = ms
        if start >= ln.end:
            continue
        section = section_id_at(sections, start)
        carried: list[Mention] = []  # the lead of the sentence before, in the same paragraph
        for cs, ce in _clauses(doc, start, ln.end):
            label_role, cs2 = _label(doc, cs, ce)
            label_role = label_role or block
            clause = _Clause(doc, ftext, cs2, ce, level)
            if not clause.keywords and not label_role:
                continue
            # "Bộ Công Thương chủ trì, ... . Chủ trì, phối hợp với ... rà soát ...": a sentence
            # with no subject goes on with the one before it
            new = _assign(doc, clause, heading or carried, section, label_role)
            rows += new
            leads = {(r["span"]["start"], r["span"]["end"]) for r in new if r["role"] == "lead"}
            carried = [m for m in clause.mentions if (m.start, m.end) in leads] or carried
    return rows


def _block_label(text: str) -> str | None:
    """The role a line that is only a label gives the bulleted lines under it ("a) Cơ quan
    chủ trì" -> "lead"); "" for a label naming both roles ("2. Cơ quan chủ trì, phối hợp");
    None for any other line."""
    body = fold(numbering_free(text)).strip(" .")
    if not body or len(body) > 60:
        return None
    hits = {role for pat, role in roles().block_labels if pat.fullmatch(body)}
    if hits:
        return hits.pop() if len(hits) == 1 else ""
    both = re.fullmatch(r"(?:(?:co quan|don vi)\s+)?chu tri\s*,\s*phoi hop\s*:?", body)
    return "" if both else None


def numbering_free(text: str) -> str:
    """A line without its leading numbering or bullet ("a) ", "2. ", "- ")."""
    return re.sub(r"^\s*(?:[IVXLC]{1,5}\.|\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ]\)|[-–+•*])\s*", "", text)


def _apposition_rows(doc: Document, ftext: str, ln: Line, heading: list[Mention],
                     sections: list[Section]) -> list[dict]:
    """Lead rows for a heading's agency whose role stands beside it ("1. Sở Tài chính (cơ
    quan chủ trì)", "Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo")."""
    pat = roles().heading_apposition_lead
    if pat is None or not heading:
        return []
    if not pat.match(ftext, heading[-1].end, ln.end):
        return []
    section = section_id_at(sections, ln.start)
    return [_row(doc, m, "lead", ln.text, (ln.start, ln.end), section) for m in heading]


def _bullet_of(text: str) -> str | None:
    """The mark an item opens with ("-", "+", ...), "numbered" for "1." / "a)", else None."""
    m = re.match(r"^\s*([-–+•*])\s", text)
    if m:
        return m.group(1)
    return "numbered" if re.match(r"^\s*(?:[IVXLC]{1,5}\.|\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ]\))\s", text) else None


def _subject_intro(doc: Document, ftext: str, ln: Line, level: str | None) -> list[Mention]:
    """The agencies an item opens with when it introduces the items under it ("- Ủy ban nhân
    dân thành phố Hà Nội và Ủy ban nhân dân Thành phố Hồ Chí Minh cần tập trung một số
    nhiệm vụ quan trọng như sau:"): a line ending in ":" with no role word of its own."""
    body = numbering_free(ln.text).rstrip(" *")
    if not body.endswith(":") or len(body) > 250:
        return []
    start = ln.start + ln.text.find(body[:10])
    clause = _Clause(doc, ftext, start, ln.end, level)
    if any(k.role in ("lead", "coordinate") for k in clause.keywords) or not clause.mentions:
        return []
    first = clause.mentions[0]
    if ftext[start:first.start].strip(" *"):
        return []  # the line opens with something else: the agencies are objects
    directs = roles().heading_directs
    d = directs.search(ftext, first.end, ln.end) if directs else None
    after = [m for m in clause.mentions if d and m.start >= d.end()]
    if after:  # "Sở Nông nghiệp và Môi trường chỉ đạo Chi cục Biển đảo và Thủy sản thực hiện ...:"
        first = after[0]
    group = [first]
    for m in clause.mentions[clause.mentions.index(first) + 1:]:  # "X, Y và Z": listed one after another
        if not roles().partner_separator.fullmatch(ftext[group[-1].end:m.start]):
            break
        group.append(m)
    return group


def _bullet_over_deeper(text: str, nxt: str) -> bool:
    """A dash item over items of a deeper bullet ("- Bộ Tài chính" / "+ Chủ trì, phối hợp với
    ..."): when it names only agencies, they are the subject of the items below it."""
    return bool(re.match(r"^\s*[-–]\s", text)) and bool(re.match(r"^\s*\+\s", nxt)) and len(text) <= 150


def _loose_heading(text: str) -> bool:
    """A short unnumbered line that may be a heading lost its numbering ("Sở Tài chính:")."""
    t = text.strip()
    return 0 < len(t) <= 150 and not BULLET.match(t) and not t.endswith((";", ",")) and "\t" not in t


def _label(doc: Document, start: int, end: int) -> tuple[str | None, int]:
    text = doc.text[start:end]
    # bullets and a crawled page's emphasis marks before the label ("*- Đơn vị chủ trì: *Sở Tư pháp.")
    body = re.sub(r"^(?:\s|[*_]|[-–+•](?=[\s*_]))*", "", BULLET.sub("", text))
    off = len(text) - len(body)
    fbody = fold(body)
    for pat, role in roles().labels:
        m = pat.match(fbody)
        if m:
            return role, start + off + m.end()
    return None, start


# ---------------------------------------------------------------- tables

def _from_tables(doc: Document, sections: list[Section], level: str | None, layouts: list[Layout | None],
                 row_lines: dict[tuple[int, int], Line], table_tasks: dict[tuple[int, int], dict]) -> list[dict]:
    rows: list[dict] = []
    for ti, table in enumerate(doc.tables):
        layout = layouts[ti]
        if layout is None or not (layout.lead or layout.coordinate or layout.implement):
            continue
        section = section_id_at(sections, table.start)
        for ri in range(layout.first_data_row, len(table.rows)):
            cells = row_cells(row_lines, ti, ri)
            if cells is None:
                continue
            task = table_tasks.get((ti, ri))
            duty = cells[layout.task][0] if layout.task is not None and layout.task < len(cells) else ""
            # "7.6 | Chủ trì tham mưu triển khai ... | Báo và Phát thanh, Truyền hình Đồng Nai": a task
            # that opens with the lead word makes the row's performing body its lead
            performs = "lead" if roles().task_opens_lead.match(fold(duty)) else "implement"
            for role, cols in (("lead", layout.lead), ("coordinate", layout.coordinate),
                               (performs, layout.implement)):
                for c in cols:
                    if c >= len(cells):
                        continue
                    text, cstart = cells[c]
                    for m in _mentions(text, cstart, level):
                        rows.append(_row(doc, m, role, duty or text, (m.start, m.end), section,
                                         task["id"] if task else None))
    return rows


# ---------------------------------------------------------------- consolidation

def _consolidate(rows: list[dict]) -> None:
    """One name per body within a document. A name written without its level word takes the
    only levelled form of it in the document ("Văn phòng Điều phối nông thôn mới" ->
    "... thành phố"); a short form whose words all occur in a longer name of the same kind
    takes the longer name ("Phòng Nông nghiệp" -> "Phòng Nông nghiệp và Phát triển nông
    thôn", "Hội đồng đánh giá OCOP huyện" -> "Hội đồng đánh giá, phân hạng sản phẩm OCOP
    cấp huyện"), unless the short form is an official name of its own ("Phòng Kinh tế")."""
    v = agency_vocab()
    level_tokens = {w for lw, _ in v.level_words for w in loose_key(lw).split()} | {"cấp", "các"}

    def words(name: str) -> frozenset[str]:
        return frozenset(w for w in loose_key(name).split() if w not in level_tokens)

    def levels(name: str) -> frozenset[str]:
        return frozenset(w for w in loose_key(name).split() if w in level_tokens - {"cấp", "các"})

    names = sorted({r["agency"] for r in rows if not r["agency"].startswith("Các ")}, key=len)
    rename: dict[str, str] = {}
    for a in names:
        ta, wa = v.type_of(a), words(a)
        if ta is None or a.startswith("Ủy ban nhân dân") or a.endswith(" các cấp"):
            continue  # "Hội Cựu chiến binh các cấp" is the body at every level, not its central one
        same_kind = [b for b in names if b != a and v.type_of(b) == ta]
        if not levels(a):
            levelled = [b for b in same_kind if words(b) == wa and levels(b)]
            if len(levelled) == 1:
                rename[a] = levelled[0]
                continue
        if loose_key(a) in v.canon or len(wa) < 2:
            continue
        longer = [b for b in same_kind if wa < words(b) and (not levels(a) or levels(a) == levels(b))]
        if len(longer) == 1:
            rename[a] = longer[0]
    for r in rows:
        r["agency"] = rename.get(r["agency"], r["agency"])


# ---------------------------------------------------------------- entry point

def extract(doc: Document, ctx: Context) -> dict:
    return {"responsibilities": responsibilities(doc, ctx)}


def responsibilities(doc: Document, ctx: Context) -> list[dict]:
    """The responsibility rows of the document, from its task tables and its text."""
    sections, level = ctx["sections"], (ctx["metadata"] or {}).get("level")
    rows = (_from_tables(doc, sections, level, ctx["task_layouts"], ctx.row_lines, ctx["row_tasks"])
            + _from_text(doc, ctx.folded, sections, level))
    _consolidate(rows)
    _mark_known(rows)
    return _dedupe(rows)


def extract_assignments(doc: Document, sections: list[Section], metadata: dict) -> tuple[list[dict], list[dict]]:
    """(tasks, responsibilities) of a document whose sections and metadata are known, linked:
    the tasks and responsibilities stages and the responsibility links, on their own."""
    ctx = Context(doc, {"sections": sections, "metadata": metadata})
    ctx.parts.update(tasks.extract(doc, ctx))
    rows = responsibilities(doc, ctx)
    link_responsibilities(ctx["tasks"], rows)
    return ctx["tasks"], rows


def _dedupe(rows: list[dict]) -> list[dict]:
    seen, out = set(), []
    for r in rows:
        k = (r["agency"], r["role"], r["span"]["start"], r["span"]["end"], r["duty"][:80])
        if k not in seen:
            seen.add(k)
            out.append(r)
    return out
