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


LEVELS = ("national", "province", "district", "commune")
# A written name this close to a gazetteer name is that name with a typo ("Sở Công Thưong");
# without diacritics the folded forms are compared, where more letters coincide by chance.
NAME_SIMILARITY = 85
FOLDED_NAME_SIMILARITY = 88
TONES = "\u0300\u0301\u0303\u0309\u0323"
# A tone mark put on "u"/"o" before a vowel that carries its own mark (thụât -> thuật).
MISPLACED_TONE = re.compile(rf"([oOuU])([{TONES}])([aAeEoO])([\u0302\u0306\u031b])")
WORD = re.compile(r"[^\W\d_]+|\d+|[&\-–,;:()./]|\S", re.UNICODE)
# Words that end a name in the word-by-word walk (verbs, prepositions, determiners).
STOP_WORDS = frozenset("""
chủ phối thực tham hướng chịu làm là có được đã sẽ để theo tại trong về cho với của các những
thuộc căn tăng đôn kiểm báo nghiên rà đề hỗ tuyên cung lồng quảng giúp trình gửi chỉ xem quyết
ban tổ đẩy nâng phát bố thường hoàn giao yêu và hoặc họăc cùng nhằm đảm bảo trên từ đến
khi nếu thì mà này đó năm tháng ngày quý số kèm
""".split())


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






def unaccent_pattern(pattern: str) -> str:
    """A regular expression with its literal letters unaccented (escapes such as \\W kept)."""
    out, escaped = [], False
    for c in pattern:
        out.append(c if escaped else unaccent(c))
        escaped = c == "\\" and not escaped
    return "".join(out)


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
        self.abbrevs = [(re.compile(rf"(?<![\w])(?:{pat})(?![\w])"), rep) for pat, rep in data["abbreviations"].items()]
        # any abbreviation at all: most lines have none and skip the per-pattern scan
        self.any_abbrev = re.compile(r"(?<![\w])(?:" + "|".join(f"(?:{pat})" for pat in data["abbreviations"]) + r")(?![\w])")
        self.types = [AgencyType(**t) for t in data["types"]]
        self.types.sort(key=lambda t: -len(t.head))
        self.type_by_head = {fold(t.head): t for t in self.types}
        heads = sorted({fold(t.head) for t in self.types}, key=len, reverse=True)
        self.head_re = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(h) for h in heads) + r")(?!\w)")
        self.level_words = sorted(data["level_words"].items(), key=lambda kv: -len(kv[0]))
        self.level_re = re.compile(
            r"\s*(?:" + "|".join(re.escape(fold(w)) for w, _ in self.level_words) + r")(?!\w)")
        self.level_of = {fold(w): lvl for w, lvl in self.level_words}
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
        words = [w for n in data["known"] for w in re.findall(r"[^\W\d_]+", n)] + list(data["name_words"])
        self.vocab = {repair_tones(w).lower() for w in words} | {fold(w) for w in words}
        self.stop = set(STOP_WORDS) | {fold(w) for w in STOP_WORDS}
        self.stop -= {fold(w) for w in words} - {fold(w) for w in STOP_WORDS}
        self.collectives = [(re.compile(unaccent_pattern(c["pattern"]), re.IGNORECASE), c["name"], c["level"])
                            for c in data["collectives"]]
        self.vague = [re.compile(unaccent_pattern(p), re.IGNORECASE) for p in data["vague"]]
        self.national_words = [fold(w) for w in data["national_words"]]

    @staticmethod
    def _name_pattern(name: str) -> re.Pattern:
        words = [fold(w) for w in re.findall(r"[^\W\d_]+", name) if fold(w) != "va"]
        sep = r"(?:\s*[,\-–&]\s*|\s+)(?:(?:va|&)\s+)?"
        return re.compile(sep.join(re.escape(w) for w in words) + r"(?!\w)")

    def type_of(self, name: str) -> AgencyType | None:
        f = fold(name.strip())
        for t in self.types:
            h = fold(t.head)
            if f == h or f.startswith(h + " "):
                return t
        return None


@lru_cache(maxsize=1)
def vocab() -> _Vocab:
    return _Vocab(lexicon.load("agencies"))


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
    if hit and not (key.startswith(hit[0] + " ") or hit[0].startswith(key + " ")):
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
    known = _lookup(name_part)
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
    for pat, name, level in vocab().collectives:
        for m in pat.finditer(plain):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            if m.start() > 0 and (exp[m.start() - 1].isalnum()):
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
    """Lower-case word as compared with STOP_WORDS and the name vocabulary (accents kept,
    except for a word written without any)."""
    low = repair_tones(w).lower()
    return fold(low) if low.isascii() else low


def _walk(exp: str, folded: str, pos: int, limit: int, caps_only: bool = False) -> int:
    """End of the name-like words from `pos`: capitalised words, words of known names and
    connectors between them. An unknown capitalised word that opens a part of the name may
    carry two lowercase words ("Chi cục Thủy lợi", a garble: "Phòng Kinh tế & Hạt tiền")."""
    v = vocab()
    toks = _tokens(exp, pos, limit)
    end = pos
    i = 0
    room = 0  # lowercase words still allowed after such a capitalised word
    part_start = True
    while i < len(toks):
        tok = toks[i]
        w = tok.group()
        k = _word_key(w)
        if "\t" in exp[end:tok.start()] or "\n" in exp[end:tok.start()]:
            break
        if w in ("và", "&", "-", "–", ","):
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if end == pos or nxt is None or not nxt.group()[:1].isalpha():
                break
            nk = _word_key(nxt.group())
            if v.head_re.match(folded, nxt.start()) or nk in v.stop or _level_at(folded, nxt.start()):
                break
            upper = nxt.group()[0].isupper()
            if (w == "," or caps_only) and not upper:
                break
            if not upper and nk not in v.vocab:
                break
            part_start = True
            i += 1
            continue
        if not w[:1].isalpha():
            break
        if v.head_re.match(folded, tok.start()) and tok.start() > pos:
            break
        if _level_at(folded, tok.start()):
            break
        if k == "triển" and i + 1 < len(toks) and _word_key(toks[i + 1].group()) == "khai":
            break
        if w[0].isupper():
            room = 2 if part_start and k not in v.vocab and not caps_only else 0
        elif caps_only:
            break
        elif k in v.stop:
            break
        elif k in v.vocab:
            pass
        elif room:
            room -= 1
        else:
            break
        part_start = False
        end = tok.end()
        i += 1
    return end


def _level_at(folded: str, pos: int) -> re.Match | None:
    return vocab().level_re.match(folded, pos)


def _level_suffix(exp: str, folded: str, pos: int, limit: int) -> tuple[int, str | None]:
    """A level word after a name, with the place name after it: returns (end, level word)."""
    v = vocab()
    m = v.level_re.match(folded, pos, limit)
    if not m or "\t" in exp[pos:m.end()]:
        return pos, None
    word = folded[m.start():m.end()].strip()
    end = m.end()
    # a proper place name: capitalised words that start no other agency
    for tok in _tokens(exp, end, limit):
        w = tok.group()
        if exp[end:tok.start()].strip() or not w[:1].isupper() or v.head_re.match(folded, tok.start()):
            break
        if fold(w) in STOP_WORDS:
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
    # a head written without diacritics ("So NN&PTNT") or with others (OCR: "Sớ Tài chính")
    # counts only before a known name: "Số" is not "Sở"
    bare = repair_tones(written_head).lower() != t.head.lower()
    known = _known_end(folded, head, m.start(), limit)
    walk_end = _walk(exp, folded, m.end(), limit)
    name_end = None
    longer = _lookup(exp[m.start():walk_end]) if known and walk_end > known[0] else None
    if longer and longer != known[1]:
        name_end = walk_end  # a garble after a known prefix: "Phòng Kinh tế & Hạt tiền"
    elif known:
        name_end = known[0]
        if t.keep_level:  # "Hội đồng đánh giá, phân hạng sản phẩm OCOP"
            name_end = _walk(exp, folded, name_end, limit, caps_only=True) if exp[name_end:name_end + 1] == " " else name_end
    elif t.known_only:
        fuzzy = _lookup(exp[m.start():walk_end]) if walk_end > m.end() else None
        if not fuzzy:
            return None
        name_end = walk_end
    else:
        name_end = walk_end
    end, level_word = _level_suffix(exp, folded, name_end, limit)
    has_name = name_end > m.end()
    if t.level_required and not level_word and not (has_name and exp[m.end():name_end].strip()[:1].isupper()):
        return None
    if t.name_required and not has_name:
        return None
    if (t.lowercase_ok and not written_head[:1].isupper() or bare) and not known:
        return None
    if not has_name and not level_word and not t.complete:
        return None
    canonical, level = _compose(exp[m.start():name_end], t, level_word, doc_level)
    return end, canonical, level


def find_agencies(text: str, doc_level: str | None = None) -> list[tuple[int, int, str, str, str]]:
    """Every agency named in `text`: (start, end, canonical, level, written), in order.

    `doc_level` (the plan's own level) names collectives such as "các ngành" and gives
    unmarked bodies of a district plan their level."""
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
        out.append((m.start(), end, canonical, level))
        pos = end
    result = []
    for s, e, canonical, level in sorted(out):
        os_, oe = starts[s], ends[e - 1]
        result.append(Mention(os_, oe, canonical, level, text[os_:oe]).as_tuple())
    return result


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


def is_vague(text: str) -> bool:
    """True for a catch-all such as 'các đơn vị có liên quan' that names no agency."""
    plain = unaccent(expand(text.strip())[0])
    return any(p.fullmatch(plain) for p in vocab().vague)
