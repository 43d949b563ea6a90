"""The search box in real headless Chromium at phone size: names, filters, merged bundles, nothing from outside.

The phone screenshot lands in tests/artifacts/search-phone.png.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.search.quality import REPO, result_id, search, settle

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "tests" / "artifacts"
PHONE = {"width": 390, "height": 844}
LINKS = "#laomo-search .pagefind-ui__result-link"


@pytest.fixture
def phone(chromium, search_base):
    """A page at 390×844 that records requests leaving 127.0.0.1 and JavaScript errors."""
    context = chromium.new_context(viewport=PHONE, device_scale_factor=2, locale="zh-CN", has_touch=True,
                                   is_mobile=True)
    page = context.new_page()
    page.outside, page.errors = [], []  # type: ignore[attr-defined]

    def on_request(request):
        parts = urlsplit(request.url)
        if parts.scheme not in {"data", "blob", "about"} and parts.hostname != "127.0.0.1":
            page.outside.append(request.url)  # type: ignore[attr-defined]

    page.on("request", on_request)
    page.on("pageerror", lambda error: page.errors.append(str(error)))  # type: ignore[attr-defined]
    yield page
    context.close()


def links(page) -> list[tuple[str, str]]:
    return [tuple(x) for x in page.eval_on_selector_all(
        LINKS, "els => els.map(e => [e.textContent.trim(), e.getAttribute('href')])")]


@pytest.mark.parametrize("query", ["建国", "zjg", "zhangjianguo"])
def test_a_visitor_on_a_phone_finds_zhang_jianguo(phone, search_base, query):
    phone.goto(search_base + "workers/zhang-jianguo/")
    hrefs = search(phone, query)
    assert ("张建国", "/workers/zhang-jianguo/") in links(phone)
    if query == "zhangjianguo":
        assert result_id(hrefs[0]) == "zhang-jianguo"
    # every result shows its highest honour with the year, and a person's unit
    card = phone.locator("#laomo-search .laomo-result", has=phone.locator("a[href='/workers/zhang-jianguo/']"))
    assert card.locator(".laomo-result__honour").inner_text() == "全国劳动模范（2015年）"
    assert card.locator(".laomo-result__unit").inner_text() == "西安华岳重工机械有限公司"
    assert card.locator("img").count() == 1
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    if query == "建国":
        phone.wait_for_function("() => [...document.querySelectorAll('#laomo-search img')].every(i => i.complete)")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=str(ARTIFACTS / "search-phone.png"))
        assert {result_id(h) for h in hrefs} >= {"zhang-jianguo", "wang-jianguo", "zhou-jianguo", "yang-jianguo",
                                                 "deng-jianguo"}
    # the whole card opens the profile
    card.click()
    phone.wait_for_url("**/workers/zhang-jianguo/")
    assert phone.outside == [] and phone.errors == []


def test_name_matches_rank_above_story_mentions(phone, search_base):
    phone.goto(search_base)
    ids = [result_id(h) for h in search(phone, "周建国")]
    # 周建国 is named in 白志强's story: his own profile comes first; the text search that finds the
    # mention runs only when the visitor asks for more (a name query costs one index chunk)
    assert ids[0] == "zhou-jianguo" and "bai-zhiqiang" not in ids
    phone.click("#laomo-search .laomo-search__more")
    settle(phone)
    ids = [result_id(h) for h in phone.eval_on_selector_all(LINKS, "els => els.map(e => e.getAttribute('href'))")]
    assert ids[0] == "zhou-jianguo" and "bai-zhiqiang" in ids[1:]
    assert phone.locator("#laomo-search .laomo-search__more").is_hidden()
    ids = [result_id(h) for h in search(phone, "张建国")]
    assert ids[0] == "zhang-jianguo" and "welding-mentor-and-apprentice" in ids
    excerpt = phone.locator("#laomo-search .laomo-result__excerpt").all_inner_texts()
    assert not any("〖" in e or "〗" in e or "vx" in e for e in excerpt)


def test_filters_work_together_with_the_query(phone, search_base):
    phone.goto(search_base + "stats/")
    ids = {result_id(h) for h in search(phone, "建国")}
    assert {"zhang-jianguo", "zhou-jianguo", "wang-jianguo", "yang-jianguo", "deng-jianguo"} <= ids
    names = phone.eval_on_selector_all("#laomo-search .pagefind-ui__filter-name", "els => els.map(e => e.textContent)")
    for name in ("类别", "荣誉称号", "省份", "年份"):
        assert any(n.startswith(name) for n in names), names
    phone.click("#laomo-search .laomo-filter__name[data-group='省份']")
    option = phone.locator("#laomo-search .laomo-filter__options[data-group='省份'] label", has_text="陕西省")
    option.wait_for(timeout=15_000)
    option.click()
    settle(phone)
    assert "已筛选" in phone.locator("#laomo-search .laomo-search__status").inner_text()
    ids = [result_id(h) for h in phone.eval_on_selector_all(LINKS, "els => els.map(e => e.getAttribute('href'))")]
    assert set(ids) >= {"zhang-jianguo", "zhou-jianguo"} and not set(ids) & {"wang-jianguo", "yang-jianguo",
                                                                               "deng-jianguo"}
    # a second group narrows further: 全国劳动模范 among the Shaanxi 建国
    phone.click("#laomo-search .laomo-filter__name[data-group='荣誉称号']")
    phone.locator("#laomo-search .laomo-filter__options[data-group='荣誉称号'] label", has_text="全国劳动模范").click()
    settle(phone)
    assert links(phone) == [("张建国", "/workers/zhang-jianguo/")]
    phone.click("#laomo-search .laomo-filter__reset")
    settle(phone)
    assert "已筛选" not in phone.locator("#laomo-search .laomo-search__status").inner_text()
    assert len(links(phone)) >= 5
    assert phone.errors == [] and phone.outside == []


@pytest.mark.parametrize("query", ["高峰", "gaofeng", "渭南秦东化工"])
def test_a_person_without_a_shown_honour_is_never_found(phone, search_base, query):
    phone.goto(search_base)
    assert "gao-feng" not in {result_id(h) for h in search(phone, query)}


def test_the_search_box_is_labelled_and_keyboard_friendly(phone, search_base):
    phone.goto(search_base + "about/")
    box = phone.locator("#laomo-search input[type=search]")
    assert box.get_attribute("id") and phone.locator(f"label[for={box.get_attribute('id')}]").count() == 1
    search(phone, "焊接")
    assert phone.locator("#laomo-search [role=status]").inner_text().startswith("找到")
    # no aria-expanded on a search box without a combobox role (axe: aria-allowed-attr); the status says it
    assert box.get_attribute("aria-expanded") is None and phone.locator("#laomo-search-panel").is_visible()
    box.press("Escape")
    assert phone.locator("#laomo-search-panel").is_hidden()
    assert box.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 16  # phones do not zoom in


def test_nothing_is_fetched_for_search_before_the_box_is_used(phone, search_base):
    fetched: list[str] = []
    phone.on("request", lambda request: fetched.append(urlsplit(request.url).path))
    phone.goto(search_base + "workers/")
    phone.wait_for_load_state("networkidle")
    assert not any("pagefind" in path for path in fetched), fetched


def test_without_search_bundles_json_the_primary_bundle_is_used(search_site: Path):
    assert not (search_site / "search-bundles.json").exists() or json.loads(
        (search_site / "search-bundles.json").read_text())["base"][0] == "pagefind/"
