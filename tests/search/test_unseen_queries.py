"""Queries that failed on a site the suite had not been tuned on (issue 20), typed into the real box.

The records are tests/search/unseen/ (see conftest.unseen_records): the site also holds words that begin with
the last character of a query (敏感, 伤员, 手术), which made Pagefind's own segmentation of the query miss.
"""

from __future__ import annotations

import pytest

from tests.search.quality import result_id, search, settle

pytestmark = pytest.mark.browser

LINKS = "#laomo-search .pagefind-ui__result-link"
STATUS = "#laomo-search .laomo-search__status"


@pytest.fixture
def page(chromium, unseen_base):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.errors.append(str(error)))  # type: ignore[attr-defined]
    page.goto(unseen_base + "about/")
    yield page
    assert page.errors == []  # type: ignore[attr-defined]
    context.close()


def ids(page, query: str) -> list[str]:
    return [result_id(h) for h in search(page, query)]


@pytest.mark.parametrize(("query", "expect"), [
    ("脱敏", "qian-jin"), ("数据脱敏", "qian-jin"), ("探伤", "sun-li"), ("外卖骑手", "lu-changshun"),
])
def test_story_and_skill_words_are_found_whatever_the_segmenters_make_of_them(page, query, expect):
    found = ids(page, query)
    assert expect in found[:5], found
    # the excerpt shows the words of the page around the query, not the hidden search words
    card = page.locator("#laomo-search .laomo-result", has=page.locator(f"a[href$='/{expect}/']"))
    excerpt = card.locator(".laomo-result__excerpt").inner_text()
    assert query in excerpt and "〖" not in excerpt and "vq" not in excerpt


def test_a_trade_ranks_its_people_first_and_counts_them_all(page):
    found = ids(page, "焊工")
    assert set(found[:3]) == {"li-gang", "liu-qiang", "chen-hao"}, found
    status = page.locator(STATUS).inner_text()
    assert "至少" not in status and "找到 3 条" in status, status
    assert "he-ping" not in found  # 电焊 in a story is not 焊工


@pytest.mark.parametrize("query", ["luchangshun", "lcs", "luzhangshun", "Lǔ Chángshùn"])
def test_a_polyphonic_given_name_by_every_reading(page, query):
    assert ids(page, query)[0] == "lu-changshun"


@pytest.mark.parametrize("query", ["王建華", "建華", "魯長順", "蕪湖奇瑞"])
def test_traditional_characters_find_names_and_units(page, query):
    assert ids(page, query)[0] in {"wang-jianhua", "lu-changshun"}


def test_a_studio_by_its_name_finds_its_person(page):
    assert ids(page, "王建华劳模创新工作室")[0] == "wang-jianhua"
    assert ids(page, "劳模创新工作室")[0] == "wang-jianhua"


def test_an_empty_answer_says_so_instead_of_padding(page):
    # five union branches have 建 in their names and 建会 in their summaries, nobody is called 建国: the
    # old box showed all five (Pagefind matched the query word 建国 by the indexed word 建)
    assert ids(page, "建国") == []
    assert page.locator(STATUS).inner_text().startswith("没有找到与“建国”相关的内容")
    assert ids(page, "鲁建国") == [] and ids(page, "建国路") == []
    # real queries still work: a part of a branch's name, a person by name with the story about him
    assert ids(page, "建工集团")[0] == "hf-jiangong-first"
    assert ids(page, "鲁长顺")[0] == "lu-changshun"
    page.click("#laomo-search .laomo-search__more")
    settle(page)
    assert "riders-in-the-rain" in [result_id(h) for h in page.eval_on_selector_all(
        LINKS, "els => els.map(e => e.getAttribute('href'))")]


def test_a_fallback_that_is_not_needed_is_not_announced(page):
    assert ids(page, "建工集团") == ["hf-jiangong-first"]
    status = page.locator(STATUS).inner_text()
    assert status.startswith("找到 1 条与“建工集团”相关的结果"), status
    assert page.locator("#laomo-search .laomo-search__more").is_hidden()
