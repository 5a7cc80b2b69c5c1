"""A document that is not Vietnamese, or not a plan, is processed and flagged."""
from __future__ import annotations

from pipeline.build import build_record

from conftest import PLANS


def codes(path) -> set[str]:
    return {w["code"] for w in build_record(path)["warnings"]}


def test_english_memo_is_flagged_not_vietnamese_and_not_a_plan(tmp_path):
    memo = tmp_path / "memo.txt"
    memo.write_text("Quarterly report\n\nThis document is an English memo about budgets. "
                    "It has no Vietnamese text at all and is not a plan.\n", encoding="utf-8")
    assert {"not_vietnamese", "not_a_plan"} <= codes(memo)


def test_vietnamese_menu_is_flagged_not_a_plan_only(tmp_path):
    menu = tmp_path / "thực đơn.txt"
    menu.write_text("Thực đơn tuần này\n\nThứ hai: phở bò, bánh mì. Thứ ba: cơm tấm, canh chua. "
                    "Giá 35.000 đồng một suất.\n", encoding="utf-8")
    assert codes(menu) & {"not_vietnamese", "not_a_plan"} == {"not_a_plan"}


def test_real_plans_are_not_flagged():
    for name in ("khanhhoa_ocop_2020_kh3680.txt", "trunguong_ocop_2018_qd01_tinbai.txt"):
        assert not codes(PLANS / name) & {"not_vietnamese", "not_a_plan"}
