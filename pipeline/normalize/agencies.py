"""Government bodies named in plan text: where they are and what they are officially called.

`find_agencies(text)` finds every agency mention in a line of text, `canonical_agency(text)`
names one written agency. Canonical names follow PLAN_SCHEMA.md: abbreviations expanded
(UBND, NN&PTNT, ...), the official spelling of known bodies, typos and garbles matched to
the body meant (rapidfuzz), a collective named by its level ("Ủy ban nhân dân cấp huyện").
All wording lives in the lexicon (agencies.yaml).

How a mention is delimited: abbreviations are expanded (keeping a map back to the original
offsets), collectives are matched first, then each agency head ("Sở", "Phòng", "Ủy ban nhân
dân", ...) is extended by the longest known official name and by a word-by-word walk over
name-like words; the walk wins when it names a known body more fully (a garble after a known
prefix), otherwise the known name does. A level word and a place name may follow.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from rapidfuzz import fuzz, process

from pipeline import lexicon
from pipeline.normalize.fold import fold, unaccent
from pipeline.normalize.quick_regex import any_of, quick


LEVELS = ("national", "province", "district", "commune")
# A written name this close to a gazetteer name is that name with a typo ("Sở Công Thưong");
# without diacritics the folded forms are compared, where more letters coincide by chance.
NAME_SIMILARITY = 85
FOLDED_NAME_SIMILARITY = 88
TONES = "\u0300\u0301\u0303\u0309\u0323"
# A tone mark put on "u"/"o" before a vowel that carries its own mark (thụât -> thuật).
MISPLACED_TONE = re.compile(rf"([oOuU])([{TONES}])([aAeEoO])([\u0302\u0306\u031b])")
WORD = re.compile(r"[^\W\d_]+|\d+|[&\-–,;:()./]|\S", re.UNICODE)
_SPACE_THEN_LETTER = re.compile(r"\s+(\w)")
_NEXT_WORD = re.compile(r"\s*([^\W\d_]+)")
@dataclass(frozen=True)
class AgencyType:
    head: str
    level: str
    keep_level: bool = False
    known_only: bool = False
    lowercase_ok: bool = False
    level_required: bool = False
    name_required: bool = False
    complete: bool = False  # the head alone is a full name (Huyện đoàn)
    capitalized_name: bool = False  # a name not in the gazetteer must open with a capital ("Viện Kinh tế")
    of_agency: bool = False  # the name is another agency ("Đảng ủy Ủy ban nhân dân tỉnh")






def unaccent_pattern(pattern: str) -> str:
    """A regular expression with its literal letters unaccented (escapes such as \\W kept)."""
    out, escaped = [], False
    for c in pattern:
        out.append(c if escaped else unaccent(c))
        escaped = c == "\\" and not escaped
    return "".join(out)


@lru_cache(maxsize=8192)  # the same words and heads, over and over
def repair_tones(text: str) -> str:
    """NFC, with a tone mark moved off u/o onto the marked vowel after it (kỹ thụât -> kỹ thuật)."""
    return unicodedata.normalize("NFC", MISPLACED_TONE.sub(r"\1\3\2\4", unicodedata.normalize("NFD", text)))


def loose_key(text: str) -> str:
    """Comparison key: tone marks repaired, case folded, no punctuation, no 'và'/'&'."""
    s = repair_tones(text).casefold().replace("&", " ")
    s = re.sub(r"[^\w\s]", " ", s)
    return " ".join(w for w in s.split() if w != "và")


class _Vocab:
    """Everything compiled once from agencies.yaml."""

    def __init__(self, data: dict) -> None:
        self.abbrevs = [(quick(rf"(?<![\w])(?:{pat})(?![\w])"), rep) for pat, rep in data["abbreviations"].items()]
        # any abbreviation at all: most lines have none and skip the per-pattern scan
        self.any_abbrev = quick(r"(?<![\w])(?:" + "|".join(f"(?:{pat})" for pat in data["abbreviations"]) + r")(?![\w])")
        self.types = [AgencyType(**t) for t in data["types"]]
        self.types.sort(key=lambda t: -len(t.head))
        self.folded_types = [(fold(t.head), t) for t in self.types]  # type_of folds each head once
        self.first_type_of_head: dict[str, AgencyType] = {}  # the longest type first, as type_of tries them
        for h, t in self.folded_types:
            self.first_type_of_head.setdefault(h, t)
        self.type_by_head = {fold(t.head): t for t in self.types}
        heads = sorted({fold(t.head) for t in self.types}, key=len, reverse=True)
        self.head_re = quick(r"(?<!\w)(?:" + "|".join(re.escape(h) for h in heads) + r")(?!\w)")
        self.level_words = sorted(data["level_words"].items(), key=lambda kv: -len(kv[0]))
        self.level_re = re.compile(
            r"\s*(?:" + "|".join(re.escape(fold(w)) for w, _ in self.level_words) + r")(?!\w)")
        self.level_of = {fold(w): lvl for w, lvl in self.level_words}
        self.named_levels = {fold(w) for w in ("phường", "xã", "thị trấn")}
        self.level_lower = {repair_tones(w).lower() for w, _ in self.level_words}
        self.level_spelling = {fold(w): w.lower() if w.lower() != "trung ương" else "Trung ương" for w, _ in self.level_words}
        # known names and aliases: loose key -> canonical; patterns over folded text per head
        self.canon: dict[str, str] = {}
        self.canon_folded: dict[str, str] = {}
        self.known_by_head: dict[str, list[tuple[re.Pattern, str]]] = {}
        self.fuzzy_choices: dict[str, dict[str, str]] = {}
        names = [(n, n) for n in data["known"]] + list(data["aliases"].items())
        for written, canonical in names:
            self.canon[loose_key(written)] = canonical
            self.canon_folded[fold(loose_key(written))] = canonical
            t = self.type_of(written)
            if t is None:
                continue
            self.known_by_head.setdefault(fold(t.head), []).append((self._name_pattern(written), canonical))
            self.fuzzy_choices.setdefault(fold(t.head), {})[loose_key(written)] = canonical
        for pats in self.known_by_head.values():
            pats.sort(key=lambda pc: -len(pc[0].pattern))
        boundary = data["boundary_words"]
        self.stop = set(boundary) | {fold(w) for w in boundary}
        self.stop_before_number = {fold(w) for w in data["boundary_before_number"]}
        self.area_suffix = re.compile(data["area_suffix"], re.IGNORECASE) if data.get("area_suffix") else None
        self.area_words = {tuple(fold(w).split()) for w in data.get("area_words", [])}
        # two-syllable words of the language (a public dictionary): "Chương trình", "việc làm"
        self.compounds = lexicon.compounds()
        self.owner_heads = {fold(h) for h in data["owner_heads"]}
        # proper names of several capitalised words ending gazetteer names ("Việt Nam", "Hồ Chí Minh"),
        # matched from a capital letter in any case of the rest
        runs = {r for n in data["known"] for r in re.findall(r"(?<!\w)(?:[A-ZĐ]\w*\s+)+[A-ZĐ]\w*(?=$|[,;)])", n.partition(" ")[2])}
        self.proper_spelling = {r.lower(): r for r in runs}
        self.proper_names = re.compile(r"(?<!\w)(?:" + "|".join(
            "".join(f"[{w[0]}]" + re.escape(w[1:]) if i == 0 else r"\s+(?i:" + re.escape(w) + ")"
                    for i, w in enumerate(r.split()))
            for r in sorted(self.proper_spelling.values(), key=len, reverse=True)) + r")(?!\w)")
        self.of_agency_link = re.compile(r" (?:(?:" + "|".join(
            re.escape(fold(w)) for w in data.get("of_agency_links", [])) + r") )?")
        self.collectives = [(quick(unaccent_pattern(c["pattern"]), re.IGNORECASE), c["name"], c["level"],
                             c.get("plan_levels"))
                            for c in data["collectives"]]
        # most texts name no collective: one scan for all of them first
        self.any_collective = any_of(p for p, *_ in self.collectives)
        self.collective_names = {c["name"] for c in data["collectives"]} | {
            "Các sở, ban, ngành", "Các phòng, ban, ngành", "Các bộ, ngành"}
        self.vague = [quick(unaccent_pattern(p), re.IGNORECASE) for p in data["vague"]]
        self.any_vague = any_of(self.vague)
        self.national_words = [fold(w) for w in data["national_words"]]
        # heads that need a name after them, and the word prefixes of longer heads, as written
        open_heads = {t.head for t in self.types if not (t.complete or t.level_required)}
        for t in self.types:
            ws = t.head.split()
            open_heads |= {" ".join(ws[:i]) for i in range(2, len(ws))}
        self.open_head_end = re.compile(r"(?<!\w)(?:" + "|".join(
            re.escape(h) for h in sorted(open_heads, key=len, reverse=True)) + r")$")
        self.foreign_body = re.compile(data["foreign_body"]) if data.get("foreign_body") else None
        self.not_a_name_part = re.compile(data["not_a_name_part"]) if data.get("not_a_name_part") else None
        open_words = {repair_tones(w).lower() for w in data.get("wrap_open_words", [])}
        self.open_word_end = re.compile(r"(?:,|(?<!\w)(?:" + "|".join(
            re.escape(w) for w in sorted(open_words, key=len, reverse=True)) + r"))$")

    @staticmethod
    def _name_pattern(name: str) -> re.Pattern:
        words = [fold(w) for w in re.findall(r"[^\W\d_]+", name) if fold(w) != "va"]
        sep = r"(?:\s*[,\-–&]\s*|\s+)(?:(?:va|&)\s+)?"
        return re.compile(sep.join(re.escape(w) for w in words) + r"(?!\w)")

    def type_of(self, name: str) -> AgencyType | None:
        """The type whose head the name opens with (the whole name, or the words before a
        space), the longest head first."""
        f = fold(name.strip())
        t = self.first_type_of_head.get(f)
        if t is not None:
            return t
        end = f.rfind(" ")
        while end >= 0:
            t = self.first_type_of_head.get(f[:end])
            if t is not None:
                return t
            end = f.rfind(" ", 0, end)
        return None


@lru_cache(maxsize=1)
def vocab() -> _Vocab:
    return _Vocab(lexicon.load("agencies"))


def open_ended(line: str, nxt: str | None = None) -> bool:
    """A line of running text that cannot end where it does: it ends in ",", in a word such
    as "và", "với", "các", or in an agency head that needs its name after it ("Sở",
    "Bộ Tư lệnh", "Ủy ban Mặt trận"); or, given the next line, inside a gazetteer name that
    goes on there ("... Mặt trận Tổ quốc Việt" / "Nam và các tổ chức ...")."""
    tail = line.rstrip(" *_")[-40:]
    v = vocab()
    if v.open_word_end.search(repair_tones(tail).lower()) or v.open_head_end.search(tail):
        return True
    return nxt is not None and _name_goes_on(line.rstrip(), nxt.lstrip())


def _name_goes_on(line: str, nxt: str) -> bool:
    last = re.search(r"(?<!\S)(\w+)$", line)
    if not last or not last.group(1)[:1].isupper() or not nxt[:1].isupper():
        return False  # a proper name cut in two: both parts capitalised
    first = re.match(r"\w+", nxt)
    if first and f"{last.group(1)} {first.group()}".lower() in vocab().proper_spelling:
        return True  # "8. Ngân hàng nhà nước Việt" / "Nam ..."
    tail = line[-80:]
    joined = tail + " " + nxt[:40]
    cut = len(tail)
    return any(s < cut < e and _lookup(joined[s:e]) for s, e, *_ in find_agencies(joined))


# ---------------------------------------------------------------- abbreviation expansion

def expand(text: str) -> tuple[str, list[int], list[int]]:
    """Text with abbreviations expanded, and for each of its characters the original
    start and end offsets (so a span found in the expansion maps back)."""
    v = vocab()
    if not v.any_abbrev.search(text):
        return text, list(range(len(text))), list(range(1, len(text) + 1))
    matches = [(m.start(), m.end(), rep) for pat, rep in v.abbrevs for m in pat.finditer(text)]
    # keep the earliest, then longest, non-overlapping matches (the YAML lists longest first)
    matches.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    out, starts, ends = [], [], []
    pos = 0
    for s, e, rep in matches:
        if s < pos:
            continue
        out.append(text[pos:s]); starts.extend(range(pos, s)); ends.extend(range(pos + 1, s + 1))
        out.append(rep); starts.extend([s] * len(rep)); ends.extend([e] * len(rep))
        pos = e
    out.append(text[pos:]); starts.extend(range(pos, len(text))); ends.extend(range(pos + 1, len(text) + 1))
    return "".join(out), starts, ends


# ---------------------------------------------------------------- canonical names

def _clean_written(name: str) -> str:
    name = repair_tones(name)
    name = re.sub(r"\s*&\s*", " và ", name)
    name = re.sub(r"\s*[–—]\s*", " - ", name)
    name = re.sub(r"\s+", " ", name).strip(" ,;:.-")
    v = vocab()
    if v.proper_names.search(name):  # "Việt nam" -> "Việt Nam": proper names as the gazetteer spells them
        name = v.proper_names.sub(lambda m: v.proper_spelling.get(m.group().lower(), m.group()), name)
    area = v.area_suffix
    m = re.search(r"\s+-\s+", name)
    if m and area and area.fullmatch(name[m.end():]):
        name = name[:m.start()] + " " + name[m.end():]  # "... Việt Nam - Chi nhánh Khu vực II"
    return name


def _lookup(name: str) -> str | None:
    """The official spelling of a known body, by exact key or a close (typo) match."""
    v = vocab()
    key = loose_key(name)
    if key in v.canon:
        return v.canon[key]
    fkey = fold(key)
    if fkey in v.canon_folded:  # written without diacritics, or with damaged ones
        return v.canon_folded[fkey]
    t = v.type_of(name)
    if t is None:
        return None
    choices = v.fuzzy_choices.get(fold(t.head))
    if not choices:
        return None
    hit = process.extractOne(key, list(choices), scorer=fuzz.ratio, score_cutoff=NAME_SIMILARITY)
    # a close name that only adds or drops whole words is a different (longer) name, not a typo
    if hit and not (set(key.split()) > set(hit[0].split()) or set(hit[0].split()) > set(key.split())):
        return choices[hit[0]]
    if fkey == key:  # no diacritics at all: compare folded
        folded = {fold(k): c for k, c in choices.items()}
        hit = process.extractOne(fkey, list(folded), scorer=fuzz.ratio, score_cutoff=FOLDED_NAME_SIMILARITY)
        if hit:
            return folded[hit[0]]
    return None


def _proper_head(name: str, t: AgencyType) -> str:
    """The type's head spelled officially ('phòng Tài chính' -> 'Phòng Tài chính')."""
    n = len(t.head)
    return t.head + name[n:] if fold(name[:n]) == fold(t.head) else name


def _compose(name_part: str, t: AgencyType, level_word: str | None, doc_level: str | None) -> tuple[str, str]:
    """Canonical name and level from the name proper and the level word after it."""
    v = vocab()
    # "Mặt trận Tổ quốc Việt Nam các cấp": the body at every level, not the one committee an
    # alias names
    all_levels = level_word is not None and fold(level_word).split()[-2:] == ["cac", "cap"]
    known = None if all_levels else _lookup(name_part)
    base = known or _proper_head(_clean_written(name_part), t)
    lvl = v.level_of.get(fold(level_word)) if level_word else None
    if any(w in fold(base) for w in v.national_words):
        level = "national"
    elif lvl in LEVELS:
        # "Phòng Kinh tế thành phố": a city under a province, so a district-level office
        level = "district" if t.level == "district" and lvl == "province" else lvl
    elif not level_word and not known and t.level == "province" and doc_level in ("district", "commune"):
        level = doc_level  # an unmarked local body of a district plan
    else:
        level = t.level
    if t.keep_level and level_word and not fold(base).endswith(" " + fold(level_word)):
        base = f"{base} {v.level_spelling[fold(level_word)]}"
    return base, level


# ---------------------------------------------------------------- finding mentions

@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    canonical: str
    level: str
    written: str

    def as_tuple(self) -> tuple[int, int, str, str, str]:
        return (self.start, self.end, self.canonical, self.level, self.written)


def _sectors_name(doc_level: str | None) -> str:
    return {"district": "Các phòng, ban, ngành", "commune": "Các phòng, ban, ngành",
            "national": "Các bộ, ngành"}.get(doc_level or "", "Các sở, ban, ngành")


def _collectives(exp: str, doc_level: str | None) -> list[tuple[int, int, str, str]]:
    found: list[tuple[int, int, str, str]] = []
    taken: list[tuple[int, int]] = []
    plain = unaccent(exp)  # tone marks ignored: "UBND cac huyen", OCR damage
    v = vocab()
    if v.any_collective is not None and not v.any_collective.search(plain):
        return found
    for pat, name, level, plan_levels in v.collectives:
        for m in pat.finditer(plain):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if m.start() > 0 and (exp[m.start() - 1].isalnum()):
                continue
            if plan_levels and doc_level and doc_level not in plan_levels:
                taken.append((m.start(), m.end()))  # vague in a plan of this level: no body here
                continue
            canonical = name.replace("{sectors}", _sectors_name(doc_level))
            if "{x}" in canonical:
                canonical = canonical.replace("{x}", exp[m.start("x"):m.end("x")])
            lvl = doc_level if level == "context" else level
            found.append((m.start(), m.end(), canonical, lvl or "province"))
            taken.append((m.start(), m.end()))
    return found


def _tokens(exp: str, pos: int, limit: int) -> list[re.Match]:
    return list(islice(WORD.finditer(exp, pos, limit), 25))


def _word_key(w: str) -> str:
    """Lower-case word as compared with the boundary words and the name vocabulary (accents kept,
    except for a word written without any)."""
    low = repair_tones(w).lower()
    return fold(low) if low.isascii() else low


def _walk(exp: str, folded: str, pos: int, limit: int, caps_only: bool = False, within: bool = False,
          open_start: bool = False) -> int:
    """End of the name from `pos`, by boundary rules: a name runs on until a delimiter — a
    line or cell end, punctuation, a boundary word (a role or action verb, a preposition, a
    determiner), a level word, another agency head, or "và"/"," before one of these.

    Vietnamese capitalises the first word of a name's proper part only ("Cục Quản lý chất
    lượng nông lâm sản"), so lowercase words run on after a part opened by one capitalised
    word; after a proper name of several capitalised words ("... Cần Thơ") a lowercase word
    ends the name unless it completes a dictionary word with the one before ("Ban Chỉ huy").
    "và" before a lowercase word ends it too. "các" before a capitalised word
    stays inside ("Ban Quản lý các Khu chế xuất"); a Party committee ("Tỉnh ủy") after a
    name is its owner and ends it ("Ban Tuyên giáo Tỉnh ủy")."""
    v = vocab()
    toks = _tokens(exp, pos, limit)
    end = pos
    i = 0
    run = 0  # length of the current run of capitalised words
    open_part = open_start  # lowercase words may run on: "Hội đồng đánh giá", "Tổ công tác"
    prev = None
    while i < len(toks):
        tok = toks[i]
        w = tok.group()
        k = _word_key(w)
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if "\t" in exp[end:tok.start()] or "\n" in exp[end:tok.start()]:
            break
        if w in ("và", "&", "-", "–", ","):
            if end == pos or nxt is None or not nxt.group()[:1].isalpha():
                break
            if w in ("-", "–") and v.area_suffix and v.area_suffix.match(exp, nxt.start()):
                i += 1  # "Ngân hàng Nhà nước Việt Nam - Chi nhánh Khu vực II"
                continue
            if not nxt.group()[0].isupper():
                break  # "Sở Y tế và người dân": a lowercase word after "và" is no part of a name;
                # a capitalised one goes on, role word or not ("Ban Chỉ đạo Dân số và Phát triển")
            other = v.head_re.match(folded, nxt.start())
            if (other and not _opens_word(exp, other)) or _level_at(folded, nxt.start(), exp):
                break  # another body: "Ủy ban bầu cử, Ban bầu cử các cấp" (not "... và Hội chợ triển lãm")
            if _vague_at(exp, nxt.start()):
                break  # "Sở Tài chính - Cơ quan thường trực ...", "Văn phòng Ban Chỉ đạo và cơ quan ...": no name part
            if v.not_a_name_part and v.not_a_name_part.match(exp, nxt.start()):
                break  # "... Việt Nam và Thủ trưởng", "Ban Bí thư, Chính phủ": a person or another body
            run, open_part, prev = 0, False, None
            i += 1
            continue
        if not w[:1].isalpha():
            break
        area = v.area_suffix.match(exp, tok.start()) if v.area_suffix else None
        if area:  # "... khu vực XVII": the regional unit closes the name
            end = area.end()
            break
        head = _head_at(exp, folded, tok.start())
        if head and w[:1].islower() and (prev, k) in v.compounds:
            head = None  # "tiến bộ", "nhà báo": the second syllable of a word, not a new body
        if head and tok.start() > pos:
            if end > pos and head.group() in v.owner_heads:
                end = head.end()  # "Ban Tuyên giáo Tỉnh ủy": the owner ends the name
                break
            if end > pos or not within:
                break
            # "Văn phòng Ban Chỉ đạo ...", "Chi cục Hải quan ...": the body a name is of
        if _level_at(folded, tok.start(), exp):
            break
        if k == "triển" and nxt is not None and _word_key(nxt.group()) == "khai":
            break
        if nxt is not None and (fold(k), fold(_word_key(nxt.group()))) in v.area_words:
            break  # "lực lượng Hải quan khu vực tỉnh ...": a region without its number is no name part
        if w[0].isupper():
            run = run + 1 if run else 1
            open_part = run == 1 and not caps_only
        elif caps_only:
            break
        elif k in v.stop_before_number and nxt is not None and nxt.group()[:1].isdigit():
            break
        elif (k in ("các", "cac") and nxt is not None and nxt.group()[:1].isupper()
              and not _head_at(exp, folded, nxt.start()) and not _level_at(folded, nxt.start(), exp)):
            run = 0  # "Ban Quản lý các Khu công nghiệp"
        elif k in v.stop and not _inside_word(prev, k, nxt, toks[i + 2] if i + 2 < len(toks) else None):
            break
        elif open_part or (prev, k) in v.compounds:
            run = 0  # "Ban Chỉ huy", "Sở Công thương": a word is not cut after its first syllable
        else:
            qualifier = _qualifier_end(exp, tok.start(), limit)
            if qualifier > tok.start() and _ends_name(exp, qualifier, limit):
                end = qualifier  # "Văn phòng Ban Chỉ đạo quốc gia", up to a delimiter
            break
        if not w[0].isupper():
            run = 0
        prev = k
        end = tok.end()
        i += 1
    return end


def _qualifier_end(exp: str, pos: int, limit: int) -> int:
    """End of the lowercase words from `pos` that qualify a name ("Ban Chỉ đạo quốc gia",
    "Văn phòng Ban Chỉ đạo quốc gia"): whole two-syllable words of the public dictionary,
    none a boundary word or a region without its number."""
    v = vocab()
    toks = _tokens(exp, pos, limit)
    end = pos
    for a, b in zip(toks[::2], toks[1::2]):
        ka, kb = _word_key(a.group()), _word_key(b.group())
        if (exp[end:a.start()].strip(" ") or exp[a.end():b.start()] != " " or not (a.group() + b.group()).isalpha()
                or not a.group().islower() or ka in v.stop or (ka, kb) not in v.compounds
                or (fold(ka), fold(kb)) in v.area_words):
            break
        end = b.end()
    return end


def _ends_name(exp: str, pos: int, limit: int) -> bool:
    """Nothing but a delimiter or a boundary word follows `pos`: punctuation, a line or cell
    end, the end of the text, a role or action word."""
    nxt = re.match(r"[ ]*([^\W\d_]+)?", exp[pos:limit])
    return nxt.group(1) is None or _word_key(nxt.group(1)) in vocab().stop


def _vague_at(exp: str, pos: int) -> bool:
    """A vague collective ("cơ quan thường trực", "các đơn vị") starts at `pos`."""
    return any(s == 0 for s, _ in vague_spans(exp[pos:pos + 40]))


def _inside_word(prev: str | None, k: str, nxt: re.Match | None, nxt2: re.Match | None = None) -> bool:
    """A boundary syllable that is the second syllable of a word ("Chương trình", "việc làm",
    "điều phối"), unless it also opens a word of its own ("dân chủ trì") that the syllables
    after it do not take apart ("điều hành hạ tầng": "hạ tầng" is the word, not "hành hạ")."""
    v = vocab()
    if prev is None or (prev, k) not in v.compounds:
        return False
    after = _word_key(nxt.group()) if nxt is not None else None
    after2 = _word_key(nxt2.group()) if nxt2 is not None else None
    return (k, after) not in v.compounds or (after, after2) in v.compounds


def _level_at(folded: str, pos: int, exp: str | None = None) -> re.Match | None:
    """A level word at `pos`; with `exp`, only as written with its own diacritics (or none):
    "Quản" is no "quận"."""
    v = vocab()
    m = v.level_re.match(folded, pos)
    if m and exp is not None:
        written = repair_tones(exp[m.start():m.end()]).strip()
        bare = written.isascii() and exp[max(0, m.start() - 20):m.start()].isascii()
        if not bare and written.lower() not in v.level_lower:
            return None  # written with other diacritics, or bare in accented text ("Hải quan")
    return m


def _head_at(exp: str, folded: str, pos: int) -> re.Match | None:
    """An agency head that starts another name at `pos` inside a walk: written with its own
    diacritics, capitalised unless its type allows lower case, and for a head that is also a
    common word ("Hội chợ", "vụ"), before a capitalised word."""
    v = vocab()
    m = v.head_re.match(folded, pos)
    if not m:
        return None
    t = v.type_by_head[m.group()]
    written = repair_tones(exp[m.start():m.end()])
    if not written.isascii() and written.lower() != t.head.lower():
        return None
    if _opens_word(exp, m):
        return None
    if not t.lowercase_ok and not written[:1].isupper():
        return None
    if t.capitalized_name or t.known_only:
        nxt = _SPACE_THEN_LETTER.match(exp, m.end())
        if nxt is None or not nxt.group(1).isupper():
            return None
    return m


def _opens_word(exp: str, m: re.Match) -> bool:
    """A one-syllable head that is the first syllable of a dictionary word ("Báo cáo", "Bộ
    phận", "Văn phòng Ban Chỉ huy Phòng thủ dân sự"): a common word, not a body."""
    written = exp[m.start():m.end()]
    nxt = re.match(r" ([^\W\d_]+)", exp[m.end():m.end() + 12])
    return (nxt is not None and " " not in written and nxt.group(1).islower()
            and (_word_key(written), _word_key(nxt.group(1))) in vocab().compounds)


def _level_suffix(exp: str, folded: str, pos: int, limit: int) -> tuple[int, str | None]:
    """A level word after a name, with the place name after it: returns (end, level word)."""
    v = vocab()
    m = _level_at(folded[:limit], pos, exp)
    if not m or "\t" in exp[pos:m.end()]:
        return pos, None
    word = folded[m.start():m.end()].strip()
    end = m.end()
    # a proper place name: capitalised words that start no other agency
    for tok in _tokens(exp, end, limit):
        w = tok.group()
        if exp[end:tok.start()].strip() or not w[:1].isupper() or _head_at(exp, folded, tok.start()):
            break
        if fold(w) in v.stop:
            break
        end = tok.end()
    return end, word


def _known_end(folded: str, head: str, start: int, limit: int) -> tuple[int, str] | None:
    best = None
    for pat, canonical in vocab().known_by_head.get(head, []):
        m = pat.match(folded, start, limit)
        if m and (best is None or m.end() > best[0]):
            best = (m.end(), canonical)
    return best


def _head_mention(exp: str, folded: str, m: re.Match, doc_level: str | None, limit: int) -> tuple[int, str, str] | None:
    """(end, canonical, level) of the agency whose head matched at `m`, or None."""
    v = vocab()
    head = m.group()
    t = v.type_by_head[head]
    written_head = exp[m.start():m.end()]
    if not t.lowercase_ok and not written_head[:1].isupper():
        return None
    after = _NEXT_WORD.match(exp, m.end())
    if (len(re.sub(r"\W", "", written_head)) > 1 and written_head.isupper()
            and (after is None or after.group(1).isupper())):
        return None  # a heading in capitals ("NHIỆM VỤ TRỌNG TÂM"), not a name ("SỞ Văn hóa", OCR, is one)
    # a head written without diacritics ("So NN&PTNT") or with others (OCR: "Sớ Tài chính")
    # counts only before a known name: "Số" is not "Sở"
    bare = repair_tones(written_head).lower() != t.head.lower()
    if _opens_word(exp, m):
        return None
    known = _known_end(folded, head, m.start(), limit)
    # a head that needs a name takes lowercase words as its name ("Hội đồng đánh giá"); one that
    # needs a level ("Ủy ban nhân dân") or is whole ("Ban Chỉ đạo") does not
    walk_end = _walk(exp, folded, m.end(), limit, within=not t.complete,
                     open_start=not (t.complete or t.level_required))
    if known and walk_end == known[0] and t.complete:
        walk_end = _qualifier_end(exp, known[0], limit)  # "Ban Chỉ đạo" + "quốc gia"
    name_end = None
    longer = _lookup(exp[m.start():walk_end]) if known and walk_end > known[0] else None
    if longer and longer != known[1]:
        name_end = walk_end  # a garble after a known prefix: "Phòng Kinh tế & Hạt tiền"
    elif known and walk_end > known[0] and _name_like(exp[m.start():known[0]], exp[known[0]:walk_end], t,
                                                      exp[walk_end:limit]):
        name_end = walk_end  # a longer name of another body: "Ban Chỉ đạo quốc gia"
    elif known:
        name_end = known[0]
        if t.keep_level and exp[name_end:name_end + 1] == " ":
            # "Hội đồng đánh giá, phân hạng sản phẩm OCOP", "Ngân hàng Nhà nước ... Chi nhánh Khu vực II"
            caps = _walk(exp, folded, name_end, limit, caps_only=True)
            name_end = walk_end if caps > name_end and walk_end > caps else caps
    elif t.known_only:
        fuzzy = _lookup(exp[m.start():walk_end]) if walk_end > m.end() else None
        if not fuzzy:
            return None
        name_end = walk_end
    else:
        name_end = walk_end
    end, level_word = _level_suffix(exp, folded, name_end, limit)
    has_name = name_end > m.end()
    proper = exp[m.end():name_end].strip()
    # named by a place ("Thuế Đồng Nai"), not by an acronym ("Thuế GTGT thu từ hàng hóa": a tax)
    if t.level_required and not level_word and not (has_name and proper[:1].isupper() and not proper.isupper()):
        return None
    if t.name_required and not has_name:
        return None
    if t.capitalized_name and not known and not level_word and not exp[m.end():name_end].strip()[:1].isupper():
        return None  # "Viện dẫn", "Hội nghị": a common word, not a body
    if (t.lowercase_ok and not written_head[:1].isupper() or bare) and not known:
        return None
    if not has_name and not level_word and not t.complete:
        return None
    if t.of_agency and not level_word:
        link = v.of_agency_link.match(folded, name_end)
        inner = v.head_re.match(folded, link.end()) if link else None
        hit = _head_mention(exp, folded, inner, doc_level, limit) if inner and inner.group() != head else None
        if hit:  # "Đảng ủy Ủy ban nhân dân tỉnh", "Đảng ủy cơ quan Văn phòng Quốc hội": of another body
            own = _proper_head(exp[m.start():name_end], t) + exp[name_end:link.end()].rstrip()
            return hit[0], f"{own} {hit[1]}", hit[2]
    canonical, level = _compose(exp[m.start():name_end], t, level_word, doc_level)
    if level == "commune" and t.keep_level and level_word in v.named_levels and canonical.endswith(" " + v.level_spelling[level_word]):
        place = exp[name_end:end].strip()[len(level_word):].strip()
        if place:  # one named ward or commune: "Ủy ban nhân dân phường Hòa Bình"
            canonical = f"{canonical} {place}"
    return end, canonical, level


def _name_like(known: str, ext: str, t: AgencyType, after: str) -> bool:
    """True when `ext`, written after a gazetteer name, continues the name rather than adding
    a place: its words are all lowercase ("Ban Chỉ đạo quốc gia"), or it opens
    with one capitalised word and lowercase ones ("... Chi nhánh Khu vực II"), unlike a
    place name of capitalised words ("Sở Y tế Hà Nội")."""
    words = re.findall(r"[^\W\d_]+", ext)
    if not words:
        return False
    if not any(w[0].isupper() for w in words):
        # only after a bare head ("Ban Chỉ đạo" + "quốc gia"), not after a name of its own
        # ("Sở Y tế xây dựng"), and up to a delimiter ("Ngân hàng Nhà nước khu | vực")
        return loose_key(known) == loose_key(t.head) and _ends_name(after, 0, len(after))
    return len(words) > 1 and words[0][0].isupper() and not words[1][0].isupper()


def find_agencies(text: str, doc_level: str | None = None) -> list[tuple[int, int, str, str, str]]:
    """Every agency named in `text`: (start, end, canonical, level, written), in order.

    `doc_level` (the plan's own level) names collectives such as "các ngành" and gives
    unmarked bodies of a district plan their level."""
    return list(_find_agencies(text, doc_level))


@lru_cache(maxsize=4096)
def _find_agencies(text: str, doc_level: str | None) -> tuple[tuple[int, int, str, str, str], ...]:
    """find_agencies, once per text: the parsers ask about the same line or clause several
    times (as a heading, an intro, a clause), and the answer depends on nothing else."""
    exp, starts, ends = expand(text)
    folded = fold(exp)
    found = _collectives(exp, doc_level)
    taken = [(s, e) for s, e, _, _ in found]
    v = vocab()
    pos = 0
    out: list[tuple[int, int, str, str]] = list(found)
    for m in v.head_re.finditer(folded):
        if m.start() < pos or any(s <= m.start() < e for s, e in taken):
            continue
        limit = next((s for s, _ in sorted(taken) if s > m.start()), len(exp))
        hit = _head_mention(exp, folded, m, doc_level, limit)
        if hit is None:
            continue
        end, canonical, level = hit
        pos = end
        if v.foreign_body and v.foreign_body.search(exp[m.start():end]):
            continue  # a body of another country's government
        out.append((m.start(), end, canonical, level))
    out = _share_all_levels(exp, sorted(out), doc_level)
    result = []
    for s, e, canonical, level in out:
        os_, oe = starts[s], ends[e - 1]
        result.append(Mention(os_, oe, canonical, level, text[os_:oe]).as_tuple())
    return tuple(result)


ALL_LEVELS = re.compile(r"\s+các cấp$")
JOINED = re.compile(r"^\s*(?:[,;]|và)\s*(?:và\s+)?$")


def _share_all_levels(exp: str, out: list[tuple[int, int, str, str]],
                      doc_level: str | None) -> list[tuple[int, int, str, str]]:
    """"Mặt trận Tổ quốc Việt Nam và Hội Cựu chiến binh các cấp": "các cấp" after the last
    name of a list joined by "," or "và" is said of every name in it that has no level word."""
    res = list(out)
    for i in range(len(res) - 1, 0, -1):
        s, e, canonical, _ = res[i]
        if not ALL_LEVELS.search(canonical):
            continue
        j = i - 1
        while j >= 0 and JOINED.match(exp[res[j][1]:res[j + 1][0]]):
            s0, e0, c0, l0 = res[j]
            written = exp[s0:e0]
            t = vocab().type_of(written)
            has_level = any(fold(written).endswith(" " + fold(w)) for w, _ in vocab().level_words)
            if t is None or not (t.keep_level and t.complete) or has_level:
                break
            again = find_agencies(written + " các cấp", doc_level)
            if len(again) != 1 or not ALL_LEVELS.search(again[0][2]) or again[0][1] != len(written) + 8:
                break
            res[j] = (s0, e0, again[0][2], again[0][3])
            j -= 1
    return res


def canonical_agency(text: str, doc_level: str | None = None) -> tuple[str, str] | None:
    """(canonical name, level) of one written agency, or None when it names no agency.

    'Sở NN&PTNT' -> ('Sở Nông nghiệp và Phát triển nông thôn', 'province');
    'UBND các xã, phường, thị trấn' -> ('Ủy ban nhân dân cấp xã', 'commune')."""
    text = text.strip()
    if not text:
        return None
    found = find_agencies(text, doc_level)
    if found:
        s, e, canonical, level, _ = max(found, key=lambda f: f[1] - f[0])
        return canonical, level
    exp = expand(text)[0]
    known = _lookup(exp)
    if known:
        t = vocab().type_of(known)
        return known, t.level if t else "province"
    return None


def vague_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` names catch-alls such as "các đơn vị có liên quan" (tone marks ignored)."""
    plain = unaccent(text)
    v = vocab()
    if v.any_vague is not None and not v.any_vague.search(plain):
        return []
    return [(m.start(), m.end()) for p in v.vague for m in p.finditer(plain) if m.end() > m.start()]


def is_vague(text: str) -> bool:
    """True for a catch-all such as 'các đơn vị có liên quan' that names no agency."""
    plain = unaccent(expand(text.strip())[0])
    return any(p.fullmatch(plain) for p in vocab().vague)


def is_known(canonical: str) -> bool:
    """True when `canonical` names a body of the gazetteer (a known name, a collective, or
    a type whose head is a whole name), with or without its level word; False for a name
    kept as written ("Trung tâm Chuyển đổi số thành phố")."""
    v = vocab()
    key = loose_key(canonical)
    if key in v.canon or canonical in v.collective_names:
        return True
    words = key.split()
    for n in range(len(words) - 1, 0, -1):
        tail = " ".join(words[n:])
        if tail in v.level_lower or tail in {"các cấp", "cùng cấp"}:
            stem = " ".join(words[:n])
            t = v.type_of(stem)
            if stem in v.canon or (t is not None and (t.complete or t.level_required) and loose_key(t.head) == stem):
                return True
    t = v.type_of(canonical)
    return t is not None and t.complete and loose_key(t.head) == key
