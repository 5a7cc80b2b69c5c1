"""Fuzzing the text parsers: any Vietnamese-ish text (headings, numbering, dates, numbers,
amounts, agencies, tab and pipe tables, stray characters) gives a schema-valid record and
never an exception. About 20 s; hypothesis prints the failing text if one is found."""
from __future__ import annotations

import hashlib
import random
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.build import record_from_document
from pipeline.extract.text import blocks_from_text
from pipeline.model import Extracted
from pipeline.normalize.schema import schema_errors
from pipeline.normalize.text import build_document

from conftest import EXTRA, PLANS

pytestmark = pytest.mark.slow

WORDS = ("kế hoạch quyết định ủy ban nhân dân tỉnh huyện xã sở ban ngành chủ trì phối hợp thực hiện "
         "triển khai chương trình mục tiêu nhiệm vụ giải pháp kinh phí nguồn vốn ngân sách trung ương "
         "địa phương tổ chức kiểm tra báo cáo định kỳ hằng năm quý tháng trước ngày đến năm giai đoạn "
         "sản phẩm OCOP hợp tác xã doanh nghiệp tuyên truyền tập huấn đánh giá phân hạng đạt tỷ lệ "
         "trên địa bàn các cơ quan đơn vị có liên quan Nơi nhận Lưu VT KT CHỦ TỊCH PHÓ CHỦ TỊCH "
         "Căn cứ Luật Nghị định Thông tư số triệu đồng tỷ đồng nghìn đồng % người lượt km ha").split()
AGENCIES = ["Sở Công Thương", "Sở Nông nghiệp và PTNT", "UBND các huyện, thành phố", "Sở Tài chính",
            "Ban Chỉ đạo", "Văn phòng Điều phối nông thôn mới tỉnh", "Bộ Kế hoạch và Đầu tư", "Công an tỉnh"]
ROMAN = ["I", "II", "III", "IV", "V", "IX", "XII"]
ODD = ["\u00a0", "\u200b", "\ufeff", "\uf0b7", "…", "–", "—", "“", "”", "•", "", "/.", "(*)", "\t\t", "||", "  "]

words = st.sampled_from(WORDS)
phrase = st.lists(st.one_of(words, st.sampled_from(AGENCIES)), min_size=1, max_size=14).map(" ".join)
num = st.one_of(st.integers(0, 10**9).map(lambda n: f"{n:,}".replace(",", ".")),
                st.integers(0, 999).map(str), st.floats(0, 1000, allow_nan=False).map(lambda f: f"{f:.2f}".replace(".", ",")),
                st.sampled_from(["02", "01", "1.000", "17.770", "1,5", "0", "-5", "100%", "2.5.3"]))
date = st.one_of(
    st.tuples(st.integers(0, 40), st.integers(0, 14), st.integers(1900, 2100)).map(lambda t: f"ngày {t[0]}/{t[1]}/{t[2]}"),
    st.tuples(st.integers(0, 40), st.integers(0, 14), st.integers(1900, 2100))
      .map(lambda t: f"ngày {t[0]:02d} tháng {t[1]} năm {t[2]}"),
    st.sampled_from(["Quý I/2021", "quý IV năm 2025", "trước ngày 15/12 hằng năm", "năm 2021-2025",
                     "giai đoạn 2021 - 2025, định hướng đến năm 2030", "Thường xuyên", "tháng 3/2024",
                     "6 tháng đầu năm", "ngày      tháng      năm 2026"]))
doc_number = st.tuples(st.integers(0, 9999), st.sampled_from(["KH-UBND", "QĐ-UBND", "NQ-CP", "QĐ-TTg", "KH-SCT", ""]),
                       st.integers(1990, 2030)).map(lambda t: f"Số: {t[0]}/{t[1]}" if t[2] % 2 else f"số {t[0]}/{t[2]}/{t[1]}")
heading = st.one_of(
    st.tuples(st.sampled_from(ROMAN), phrase).map(lambda t: f"{t[0]}. {t[1].upper()}"),
    st.tuples(st.lists(st.integers(0, 20), min_size=1, max_size=4), phrase)
      .map(lambda t: ".".join(map(str, t[0])) + ". " + t[1]),
    st.tuples(st.sampled_from("abcdđeg"), phrase).map(lambda t: f"{t[0]}) {t[1]}"),
    st.tuples(st.integers(1, 12), phrase).map(lambda t: f"Điều {t[0]}. {t[1]}"),
    st.sampled_from(["KẾ HOẠCH", "QUYẾT ĐỊNH:", "Phụ lục", "PHỤ LỤC I", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN", "Tổng cộng", "Tổng số"]))
bullet = st.tuples(st.sampled_from(["- ", "+ ", "* ", "• ", "\uf0b7 ", ""]), phrase,
                   st.one_of(st.just(""), date, num, doc_number)).map(lambda t: f"{t[0]}{t[1]} {t[2]}".rstrip())
cell = st.one_of(phrase, num, date, st.just(""), st.sampled_from(AGENCIES))
tab_row = st.lists(cell, min_size=2, max_size=6).map("\t".join)
pipe_row = st.lists(cell, min_size=2, max_size=6).map(lambda cs: "| " + " | ".join(cs) + " |")
odd = st.lists(st.one_of(words, st.sampled_from(ODD), num), min_size=1, max_size=8).map("".join)
free = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@lru_cache(maxsize=1)
def corpus_lines() -> tuple[str, ...]:
    lines = []
    for d in (PLANS, EXTRA):
        for p in sorted(d.glob("*.txt")):
            lines += [ln for ln in p.read_text(encoding="utf-8").split("\n") if ln.strip()]
    return tuple(lines)


real_line = st.integers(0, 10**9).map(lambda i: corpus_lines()[i % len(corpus_lines())])
line = st.one_of(heading, bullet, phrase, date, doc_number, tab_row, pipe_row, odd, free, real_line, st.just(""))
plan_text = st.lists(line, max_size=45).map("\n".join)


def record_of(text: str) -> dict:
    ex = Extracted(path="fuzz.txt", format="txt", blocks=blocks_from_text(text))
    doc = build_document(ex, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())
    return record_from_document(doc)


def assert_valid(text: str) -> None:
    rec = record_of(text)
    errors = schema_errors(rec)
    assert errors == [], errors[:5]
    for key in ("sections", "objectives", "tasks", "responsibilities", "timeline", "tables"):
        for item in rec[key]:
            span = item.get("span")
            if span:
                assert 0 <= span["start"] <= span["end"] <= len(rec["text"]), (key, item)


@settings(max_examples=1000, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(plan_text)
def test_any_plan_like_text_gives_a_valid_record(text):
    assert_valid(text)


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32), st.floats(0.0, 0.2))
def test_damaged_real_plans_give_valid_records(seed, rate):
    """A real sample with characters dropped, doubled and swapped for tabs, pipes and digits."""
    rng = random.Random(seed)
    samples = sorted(list(PLANS.glob("*.txt")) + list(EXTRA.glob("*.txt")))
    text = rng.choice(samples).read_text(encoding="utf-8")[: rng.randrange(500, 20000)]
    out = []
    for ch in text:
        r = rng.random()
        if r < rate / 3:
            continue
        if r < rate * 2 / 3:
            out.append(rng.choice(["\t", "|", "\n", "0", "9", ".", ",", "/", " "]))
        elif r < rate:
            out.append(ch * 2)
        else:
            out.append(ch)
    assert_valid("".join(out))


@pytest.mark.parametrize("text", ["", "\n\n\n", "\t", "|", "| |", "I.", "1.\n2.\n3.", "Số: /KH-UBND",
                                  "ngày 31/2/2021", "Tổng cộng\t\t\t", "\ufeff\u200b"])
def test_degenerate_texts_give_valid_records(text):
    assert_valid(text)
