"""One plan in three formats, seen in a real browser (issue 14): the report and Datasette
count it once, show its budget in triệu đồng, and the report's tables sort and filter.
The store is built by the real pipeline from the corpus renditions (txt, docx, pdf)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from datasette_server import datasette_server
from test_serve_browser import CHROMEDRIVER, CHROMIUM, browser  # noqa: F401 - the browser fixture
from vnplan import store
from vnplan.report import write_comparison

PLANS = Path(__file__).parents[1] / "corpus" / "plans"
FILES = [PLANS / f"khanhhoa_ocop_2020_kh3680.{ext}" for ext in ("txt", "docx", "pdf")] + \
        [PLANS / "krongno_ocop_2021_kh83.txt"]
pytestmark = [pytest.mark.skipif(not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)),
                                 reason="chromium and chromedriver are not installed"),
              pytest.mark.skipif(not all(p.exists() for p in FILES), reason="corpus not present")]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from pipeline.build import build_record

    tmp = tmp_path_factory.mktemp("identity")
    db = tmp / "vnplan.db"
    for path in FILES:
        store.upsert_record(db, build_record(path))
    write_comparison(db, tmp)
    return db, tmp


@pytest.fixture(scope="module")
def datasette(built):
    db, tmp = built
    with datasette_server(db, tmp / "datasette.log") as base:
        yield base


def test_report_counts_the_plan_once_and_its_tables_sort_and_filter(built, browser):
    from selenium.webdriver.common.by import By

    _, tmp = built
    browser.get((tmp / "comparison.html").as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "#plan-table tbody tr")
    assert len(rows) == 2
    kh = [r.text for r in rows if "3680/KH-UBND" in r.text]
    assert len(kh) == 1 and "17.770 triệu đồng" in kh[0]
    assert "khanhhoa_ocop_2020_kh3680.docx (bản khác)" in kh[0]
    # sort by budget (descending on the second click), then filter
    head = browser.find_element(By.XPATH, "//table[@id='plan-table']//th[normalize-space()='Kinh phí']")
    head.click()
    head.click()
    first = browser.find_element(By.CSS_SELECTOR, "#plan-table tbody tr").text
    assert "3680/KH-UBND" in first
    box = browser.find_element(By.CSS_SELECTOR, "#plan-table").find_element(By.XPATH, "preceding-sibling::input[1]")
    box.send_keys("Krông Nô")
    shown = [r for r in browser.find_elements(By.CSS_SELECTOR, "#plan-table tbody tr") if r.is_displayed()]
    assert len(shown) == 1 and "83/KH-UBND" in shown[0].text
    # the page fits a 1,400 px window (wide tables scroll inside their box)
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 1400
    browser.save_screenshot(str(tmp / "report.png"))


def test_datasette_counts_the_plan_once_with_its_budget_in_trieu_dong(datasette, browser):
    from selenium.webdriver.common.by import By

    browser.get(datasette + "/vnplan/ngan_sach_theo_tinh")
    rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")]
    kh = [r for r in rows if r.startswith("Khánh Hòa")]
    assert len(kh) == 1 and "17.770 triệu đồng" in kh[0]
    browser.get(datasette + "/vnplan/responsibilities")
    facets = browser.find_element(By.CSS_SELECTOR, ".facet-results").text
    for name in ("province_2025", "programs", "issue_year", "level"):
        assert name in facets
    assert "Khánh Hòa" in facets and "OCOP" in facets


def test_datasette_plan_page_lists_tasks_and_passage_marks_the_agency(datasette, browser):
    from selenium.webdriver.common.by import By

    browser.get(datasette + "/vnplan/plans?number=3680%2FKH-UBND")
    browser.find_element(By.CSS_SELECTOR, "a.vnplan-tasks").click()
    rows = browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")
    assert len(rows) >= 10
    assert browser.find_elements(By.CSS_SELECTOR, "td.col-lead") and browser.find_elements(By.CSS_SELECTOR, "td.col-timeline_text")
    browser.get(datasette + "/vnplan/responsibilities?agency=S%E1%BB%9F+C%C3%B4ng+Th%C6%B0%C6%A1ng")
    browser.find_element(By.CSS_SELECTOR, "a.vnplan-passage").click()
    marks = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "td.col-passage mark")]
    assert marks and all(m.lower() == "sở công thương" for m in marks)
