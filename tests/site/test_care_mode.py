"""关怀模式 in Chromium: one switch on every page, remembered across pages, body text 22 px and more, nothing
under 18 px, 44 px targets grow; and the browser's own text size (150 %) never makes a page scroll sideways.
"""

from __future__ import annotations

import pytest

from tests.conftest import REPO
from tests.site.test_a11y import PAGES, TARGETS, TEXT_SIZES, _open

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "tests" / "artifacts"
PHONE = {"width": 390, "height": 844}


def _sizes(page) -> tuple[float, float]:
    body = float(page.evaluate("getComputedStyle(document.querySelector('.md-typeset')).fontSize")[:-2])
    smallest = min(size for size, _, _ in page.evaluate(TEXT_SIZES))
    return body, smallest


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def test_switch_enlarges_and_is_remembered_across_pages(phone, served_site):
    phone.goto(served_site)
    switch = phone.locator(".laomo-care-toggle")
    assert switch.is_visible() and switch.get_attribute("aria-pressed") == "false"
    body, smallest = _sizes(phone)
    assert body >= 18 and smallest >= 14
    switch.click()
    assert switch.get_attribute("aria-pressed") == "true"
    body, smallest = _sizes(phone)
    assert body >= 22 and smallest >= 18, (body, smallest)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "care-home.png"), full_page=True)

    phone.goto(served_site + "workers/zhang-jianguo/")  # another page: the choice is remembered
    phone.wait_for_load_state("networkidle")
    assert phone.evaluate("document.documentElement.hasAttribute('data-laomo-care')")
    assert phone.locator(".laomo-care-toggle").get_attribute("aria-pressed") == "true"
    body, smallest = _sizes(phone)
    assert body >= 22 and smallest >= 18, (body, smallest)
    assert phone.evaluate(TARGETS) == []
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot(path=str(ARTIFACTS / "care-profile.png"), full_page=True)

    phone.locator(".laomo-care-toggle").click()  # off again, and remembered as off
    phone.goto(served_site + "stats/")
    assert not phone.evaluate("document.documentElement.hasAttribute('data-laomo-care')")
    assert phone.locator(".laomo-care-toggle").get_attribute("aria-pressed") == "false"


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
def test_browser_text_size_150_percent_does_not_overflow(phone, served_site, care):
    if care:
        phone.context.add_init_script("try { localStorage.setItem('laomo-care', '1'); } catch (e) {}")
    cdp = phone.context.new_cdp_session(phone)
    cdp.send("Page.enable")
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 24, "fixed": 20}})  # Chrome's 150 % text
    wide = {}
    for name, url in PAGES.items():
        _open(phone, served_site, url)
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[name] = width
    assert wide == {}
