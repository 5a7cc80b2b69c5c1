"""`vnplan serve` in a real browser: Datasette as a subprocess, headless Chromium via selenium."""
from __future__ import annotations

import os
import urllib.request
from pathlib import Path

import pytest

from datasette_server import datasette_server, free_port  # noqa: F401 - free_port for other tests
from plan_factory import khanh_hoa, krong_no
from vnplan import store

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
pytestmark = pytest.mark.skipif(not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)),
                                reason="chromium and chromedriver are not installed")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve")
    db = tmp / "vnplan.db"
    store.upsert_record(db, khanh_hoa())
    store.upsert_record(db, krong_no())
    with datasette_server(db, tmp / "datasette.log") as base:
        yield base, tmp


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--window-size=1400,1000", f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def test_store_is_served_read_only_on_localhost(server):
    base, _ = server
    with urllib.request.urlopen(base + "/vnplan.json") as resp:
        body = resp.read().decode()
    assert '"plans"' in body and '"responsibilities"' in body


def test_search_without_diacritics_in_the_browser(server, browser):
    from selenium.webdriver.common.by import By

    base, tmp = server
    browser.get(base + "/vnplan/responsibilities")
    assert "responsibilities" in browser.title
    box = browser.find_element(By.CSS_SELECTOR, "input[name=_search]")
    box.send_keys("so cong thuong")
    box.submit()
    rows = browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")
    assert len(rows) == 1 and "Sở Công Thương" in rows[0].text
    browser.save_screenshot(str(tmp / "search.png"))
    assert (tmp / "search.png").stat().st_size > 10_000
    # from the duty to the passage of the plan it was read from
    rows[0].find_element(By.CSS_SELECTOR, "a.vnplan-passage").click()
    page = browser.find_element(By.TAG_NAME, "body").text
    assert "Sở Công Thương: Chủ trì, phối hợp với các Sở, ngành có liên quan" in page
    assert "3680/KH-UBND" in page


def test_canned_query_and_facets(server, browser):
    from selenium.webdriver.common.by import By

    base, tmp = server
    browser.get(base + "/vnplan/trach_nhiem_theo_co_quan?co_quan=Ph%C3%B2ng+TC-KH")
    cells = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns td.col-co_quan")]
    assert cells == ["Phòng Tài chính - Kế hoạch"]
    browser.get(base + "/vnplan/plans")
    facets = browser.find_element(By.CSS_SELECTOR, ".facet-results").text
    assert "province" in facets and "Đắk Nông" in facets and "OCOP" in facets
    browser.save_screenshot(str(tmp / "plans.png"))
