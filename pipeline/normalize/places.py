"""Vietnamese provinces and districts in official spelling, and the 2025 province merger.

The data comes from the `vietnamadminunits` package (offline JSON shipped with it): the 63
provinces and their districts before 1 July 2025, and which old provinces make up each of
the 34 provinces after it. Names are looked up by an accent-free key, so "Đăk Nông",
"ĐẮK NÔNG" and "Dak Nong" all give "Đắk Nông".
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from importlib.util import find_spec

# the package's JSON files, read directly: importing it would load pandas (1.5 s)
_DATA = Path(find_spec("vietnamadminunits").origin).parent / "data"

PROVINCE_PREFIX = re.compile(r"^(?:tỉnh|tinh|thành phố|thanh pho|tp\.?)\s*", re.IGNORECASE)
DISTRICT_PREFIX = re.compile(r"^(?:huyện|huyen|quận|quan|thị xã|thi xa|thành phố|thanh pho|tp\.?)\s*", re.IGNORECASE)


def place_key(name: str) -> str:
    """Accent-free, lower-case, letters and digits only: "Đăk Nông" -> "daknong"."""
    s = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", s.lower())


@lru_cache(maxsize=1)
def _legacy() -> dict:
    return json.loads((_DATA / "parser_legacy.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _from_2025() -> dict:
    """The 34 provinces after the merger of 1 July 2025."""
    return json.loads((_DATA / "parser_from_2025.json").read_text(encoding="utf-8"))["DICT_PROVINCE"]


@lru_cache(maxsize=1)
def _provinces() -> dict[str, tuple[str, str]]:
    """keyword -> (province key, short official name), for the 63 pre-2025 provinces."""
    out: dict[str, tuple[str, str]] = {}
    for pkey, p in _legacy()["DICT_PROVINCE"].items():
        for kw in p["provinceKeywords"]:
            if len(kw) > 3:  # "hn", "hcm" are too short to trust in running text
                out[kw] = (pkey, p["provinceShort"])
    # the merged (2025) provinces, for documents written after the merger
    for pkey, p in _from_2025().items():
        for kw in p["provinceKeywords"]:
            if len(kw) > 3:
                out.setdefault(kw, (pkey, p["provinceShort"]))
    return out


@lru_cache(maxsize=1)
def _merger() -> dict[str, str]:
    """old province key -> short name of the province holding it since 1 July 2025."""
    conv = json.loads((_DATA / "converter_2025.json").read_text(encoding="utf-8"))["DICT_PROVINCE"]
    new = _from_2025()
    out = {}
    for new_key, olds in conv.items():
        for old in olds:
            out[old] = new[new_key]["provinceShort"]
    return out


def province_name(text: str | None) -> str | None:
    """Official short name of the province named by `text` ("TỈNH ĐĂK NÔNG" -> "Đắk Nông")."""
    if not text:
        return None
    found = _provinces().get(place_key(PROVINCE_PREFIX.sub("", text.strip())))
    return found[1] if found else None


def province_key(name: str) -> str | None:
    found = _provinces().get(place_key(PROVINCE_PREFIX.sub("", name.strip())))
    return found[0] if found else None


def district_name(text: str | None, province: str | None = None) -> tuple[str, str] | None:
    """(district short name, province short name) for a pre-2025 district, searched in
    `province` when given, else among districts whose name is unique in the country."""
    if not text:
        return None
    key = place_key(DISTRICT_PREFIX.sub("", text.strip()))
    if not key:
        return None
    legacy = _legacy()
    if province:
        pkey = province_key(province)
        for d in legacy["DICT_PROVINCE_DISTRICT"].get(pkey or "", {}).values():
            if key in d["districtKeywords"]:
                return d["districtShort"], legacy["DICT_PROVINCE"][pkey]["provinceShort"]
        return None
    for d in legacy["DICT_UNIQUE_DISTRICT_PROVINCE"].values():
        if key in d["districtKeywords"]:
            pkey = d["provinceKey"]
            for dd in legacy["DICT_PROVINCE_DISTRICT"][pkey].values():
                if key in dd["districtKeywords"]:
                    return dd["districtShort"], legacy["DICT_PROVINCE"][pkey]["provinceShort"]
    return None


def province_2025(province: str | None) -> str | None:
    """The province that holds `province` after the merger of 1 July 2025."""
    if not province:
        return None
    key = province_key(province)
    if key is None:
        return None
    return _merger().get(key, province_name(province))


@lru_cache(maxsize=1)
def _casing() -> dict[str, str]:
    """lower-case name -> official spelling, for provinces and districts (re-casing titles)."""
    out: dict[str, str] = {}
    legacy = _legacy()
    for p in legacy["DICT_PROVINCE"].values():
        out[p["provinceShort"].lower()] = p["provinceShort"]
    for districts in legacy["DICT_PROVINCE_DISTRICT"].values():
        for d in districts.values():
            out.setdefault(d["districtShort"].lower(), d["districtShort"])
    return out


def recase_places(text: str) -> str:
    """Give place names after tỉnh/thành phố/huyện/... their official capitals:
    "trên địa bàn tỉnh khánh hòa" -> "trên địa bàn tỉnh Khánh Hòa"."""
    names = _casing()

    def fix(m: re.Match) -> str:
        words = m.group(2).split()
        for n in range(min(4, len(words)), 0, -1):
            cand = " ".join(words[:n])
            if cand in names:
                return m.group(1) + names[cand] + m.group(2)[len(cand):]
        return m.group(0)

    return re.sub(r"(\b(?:tỉnh|thành phố|huyện|quận|thị xã|tp\.)\s+)((?:[^\s,;.()]+\s?){1,4})", fix, text)
