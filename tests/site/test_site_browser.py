"""The sample site in real headless Chromium: search, phone layout, nothing loaded from elsewhere.

Screenshots land in tests/artifacts/ (home, workers index, profile, deceased profile, stats).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from generator.load.public import load_public
from generator.projection import project
from tests.conftest import REPO

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "tests" / "artifacts"
PHONE = {"width": 390, "height": 844}


def deceased_id() -> str:
    shown = project(load_public(REPO / "records").tree)
    return next(w.id for w in sorted(shown.workers.values(), key=lambda w: w.id) if w.died)


def test_search_finds_welding_inside_a_sentence(phone_page, served_site):
    phone_page.goto(served_site + "stats/")
    box = phone_page.locator("#laomo-search input")
    box.wait_for(state="visible", timeout=10_000)
    box.fill("焊接")
    phone_page.wait_for_selector(".pagefind-ui__result-link", timeout=15_000)
    links = phone_page.eval_on_selector_all(".pagefind-ui__result-link",
                                            "els => els.map(e => [e.textContent.trim(), e.getAttribute('href')])")
    assert ("张建国", "/workers/zhang-jianguo/") in [tuple(link) for link in links]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone_page.screenshot(path=str(ARTIFACTS / "search.png"))
    phone_page.click(".pagefind-ui__result-link[href='/workers/zhang-jianguo/']")
    phone_page.wait_for_url("**/workers/zhang-jianguo/")
    assert phone_page.locator("h1").first.inner_text() == "张建国"
    assert phone_page.outside == [] and phone_page.errors == []


def test_search_filters_exist(phone_page, served_site):
    phone_page.goto(served_site)
    phone_page.fill("#laomo-search input", "劳动模范")
    phone_page.wait_for_selector(".pagefind-ui__filter-name", timeout=15_000)
    names = phone_page.eval_on_selector_all(".pagefind-ui__filter-name", "els => els.map(e => e.textContent)")
    joined = " ".join(names)
    for name in ("荣誉称号", "省份", "年份", "类别"):
        assert name in joined


@pytest.mark.parametrize("url", ["", "workers/", "workers/zhang-jianguo/", "DECEASED", "stats/", "homes/",
                                 "stories/", "data/", "about/", "workers/honour/", "studios/"])
def test_pages_fit_a_phone_without_horizontal_scroll(phone_page, served_site, url):
    if url == "DECEASED":
        url = f"workers/{deceased_id()}/"
    phone_page.goto(served_site + url)
    phone_page.wait_for_load_state("networkidle")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{url}: scrollWidth {width}"
    assert phone_page.evaluate("document.documentElement.lang") == "zh-CN"
    assert phone_page.outside == [], phone_page.outside
    assert phone_page.errors == [], phone_page.errors


def test_chinese_renders_in_a_cjk_font(phone_page, served_site):
    fc_list = shutil.which("fc-list")
    if not fc_list or "Noto Sans CJK" not in subprocess.run([fc_list], capture_output=True, text=True).stdout:
        pytest.skip("fonts-noto-cjk not installed")
    phone_page.goto(served_site + "workers/zhang-jianguo/")
    family = phone_page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "Noto Sans CJK SC" in family
    assert phone_page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"', '张建国')")


def test_screenshots(phone_page, served_site, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shots = {"home": "", "workers": "workers/", "profile": "workers/zhang-jianguo/",
             "deceased": f"workers/{deceased_id()}/", "stats": "stats/", "studios": "studios/",
             "studio": "studios/zhang-jianguo/", "homes": "homes/"}
    for name, url in shots.items():
        phone_page.goto(served_site + url)
        phone_page.wait_for_load_state("networkidle")
        phone_page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000
    desktop = browser.new_page(viewport={"width": 1280, "height": 900})
    desktop.goto(served_site + "workers/zhang-jianguo/")
    desktop.wait_for_load_state("networkidle")
    desktop.screenshot(path=str(ARTIFACTS / "profile-desktop.png"))
    desktop.goto(served_site + "stats/")
    desktop.wait_for_load_state("networkidle")
    desktop.screenshot(path=str(ARTIFACTS / "stats-desktop.png"), full_page=True)
    desktop.close()
    assert phone_page.outside == []
