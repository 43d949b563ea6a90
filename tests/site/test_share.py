"""分享 and 打印 on a profile in Chromium: the Web Share API where there is one, else the page's QR code
(drawn at build time) and the link copied; a print view without the buttons."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.site.share import qr_svg
from tests.conftest import REPO

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "tests" / "artifacts"
PHONE = {"width": 390, "height": 844}
PROFILE = "workers/zhang-jianguo/"
CANONICAL = "https://laomo.example.org/workers/zhang-jianguo/"


def test_the_qr_code_is_inline_svg_of_the_public_address(sample_site: Path):
    html = (sample_site / PROFILE / "index.html").read_text(encoding="utf-8")
    assert qr_svg(CANONICAL) in html
    assert 'role="img" aria-label="本页地址的二维码"' in html


def test_without_web_share_the_button_shows_the_qr_code_and_copies_the_link(browser, served_site):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served_site.rstrip("/"))
    context.add_init_script("delete Navigator.prototype.share;")
    page = context.new_page()
    try:
        page.goto(served_site + PROFILE)
        page.click(".laomo-share__button")
        page.wait_for_selector(".laomo-share__panel svg.laomo-qr", state="visible")
        assert page.get_attribute(".laomo-share__button", "aria-expanded") == "true"
        page.wait_for_function("document.querySelector('.laomo-share__status').textContent.length > 0")
        assert page.evaluate("navigator.clipboard.readText()") == CANONICAL
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "share-panel.png"), full_page=False)
    finally:
        context.close()


def test_with_web_share_the_browser_shares_the_page(browser, served_site):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    context.add_init_script("""window.__shared = []; Object.defineProperty(Navigator.prototype, 'share',
        {configurable: true, value: function (data) { window.__shared.push(data); return Promise.resolve(); }});""")
    page = context.new_page()
    try:
        page.goto(served_site + PROFILE)
        page.click(".laomo-share__button")
        shared = page.evaluate("window.__shared")
        assert shared == [{"title": "张建国 · 全国劳动模范", "url": CANONICAL}]
        assert page.locator(".laomo-share__panel").is_hidden()
    finally:
        context.close()


def test_print_view_leaves_out_the_buttons(browser, served_site):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(served_site + PROFILE)
        page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
        page.click(".laomo-print__button")
        assert page.evaluate("window.__printed") == 1
        page.emulate_media(media="print")
        assert page.locator(".laomo-share").is_hidden() and page.locator(".laomo-care-toggle").is_hidden()
        assert page.locator("h1").first.is_visible()
    finally:
        context.close()


def test_qr_codes_are_drawn_once_and_kept(tmp_path: Path, monkeypatch):
    from generator.site import share

    codes = share.QrCodes(tmp_path / "qr")
    first = codes.svg(CANONICAL)
    assert first == qr_svg(CANONICAL) and len(list((tmp_path / "qr").iterdir())) == 1
    monkeypatch.setattr(share, "qr_svg", lambda url: pytest.fail("drawn again"))
    assert share.QrCodes(tmp_path / "qr").svg(CANONICAL) == first
