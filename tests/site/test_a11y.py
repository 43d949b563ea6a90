"""Accessibility of every page type in Debian Chromium: axe-core (WCAG 2.1 A + AA) finds nothing, text is
large enough, tap targets are 44 px, focus is visible — at phone and desktop width, 关怀模式 off and on.

axe-core comes from npm (tests/package.json, installed by `make setup`); it is never fetched at run time.
"""

from __future__ import annotations

import pytest

from generator.load.public import load_public
from generator.projection import project
from tests.conftest import REPO

pytestmark = pytest.mark.browser

AXE = REPO / "tests" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "tests" / "artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _pages() -> dict[str, str]:
    shown = project(load_public(REPO / "records").tree)
    deceased = next(w.id for w in sorted(shown.workers.values(), key=lambda w: w.id) if w.died)
    home = min(shown.homes)
    story = min(shown.stories)
    return {"home": "", "workers": "workers/", "profile": "workers/zhang-jianguo/",
            "deceased": f"workers/{deceased}/", "homes": "homes/", "a-home": f"homes/{home}/",
            "story": f"stories/{story}/", "stats": "stats/", "data": "data/", "about": "about/",
            "facet": "workers/honour/", "studios": "studios/", "a-studio": "STUDIO",
            "search": "SEARCH", "404": "404.html"}


PAGES = _pages()

# What a visitor can see and must be able to read: every element with text of its own.
TEXT_SIZES = """() => {
  const sizes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    const box = el.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) continue;  // visually hidden
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || el.closest('[hidden], [aria-hidden="true"] svg, .md-sidebar, .md-nav')) continue;
    if (el.closest('svg')) {  // chart text: its size in the SVG's units, as scaled on the screen
      const scale = el.closest('svg').getScreenCTM().a;
      sizes.push([parseFloat(style.fontSize) * scale, node.textContent.trim().slice(0, 20), 'svg']);
      continue;
    }
    sizes.push([parseFloat(style.fontSize), node.textContent.trim().slice(0, 20), el.tagName + '.' + el.className]);
  }
  return sizes;
}"""

# Controls one taps (inline links in running text are exempt, as in WCAG 2.5.5).
TARGETS = """() => {
  const small = [];
  for (const el of document.querySelectorAll('a[href], button, input, select, summary, label[for], [role=button]')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || el.closest('[hidden], .md-sidebar, .md-nav, .laomo-visually-hidden')) continue;
    if (el.type === 'checkbox' || el.type === 'radio') continue;  // the label is the target
    if (style.display === 'inline' && el.closest('p, td, dd, li.laomo-honour, figcaption, .laomo-story__about')) continue;
    if (box.height < 43.5 || box.width < 43.5) small.push([el.tagName, el.className, (el.textContent || el.value || '').trim().slice(0, 16), Math.round(box.width), Math.round(box.height)]);
  }
  return small;
}"""


def _open(page, served_site: str, url: str) -> None:
    if url == "SEARCH":
        page.goto(served_site + "workers/")
        page.fill("#laomo-search input", "焊接")
        page.wait_for_selector(".laomo-result", timeout=15_000)
        return
    if url == "STUDIO":
        page.goto(served_site + "studios/")
        href = page.get_attribute(".laomo-studiolist a", "href")
        page.goto(served_site + "studios/" + href)
    else:
        page.goto(served_site + url)
    page.wait_for_load_state("networkidle")


def _context(browser, viewport: dict, care: bool):
    context = browser.new_context(viewport=viewport, device_scale_factor=1, locale="zh-CN")
    if care:
        context.add_init_script("try { localStorage.setItem('laomo-care', '1'); } catch (e) {}")
    return context


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail("缺少 axe-core：请运行 make setup（在 tests/ 下 npm ci）")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_finds_no_violation(browser, served_site, axe_source, viewport, care):
    context = _context(browser, viewport, care)
    page = context.new_page()
    found: dict[str, list] = {}
    try:
        for name, url in PAGES.items():
            _open(page, served_site, url)
            page.add_script_tag(content=axe_source)
            result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
            violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
            if violations:
                found[name] = violations
    finally:
        context.close()
    assert found == {}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_text_is_large_and_targets_are_44px(browser, served_site, viewport):
    context = _context(browser, viewport, care=False)
    page = context.new_page()
    problems: dict[str, dict] = {}
    try:
        for name, url in PAGES.items():
            _open(page, served_site, url)
            sizes = page.evaluate(TEXT_SIZES)
            tiny = [s for s in sizes if s[0] < 13.9]
            main = page.evaluate("getComputedStyle(document.querySelector('.md-typeset')).fontSize")
            small = page.evaluate(TARGETS)
            if tiny or float(main[:-2]) < 18 or small:
                problems[name] = {"tiny": tiny[:5], "body": main, "targets": small[:6]}
    finally:
        context.close()
    assert problems == {}


def test_focus_is_visible(browser, served_site):
    context = _context(browser, PHONE, care=False)
    page = context.new_page()
    try:
        page.goto(served_site + "workers/")
        seen = 0
        for _ in range(12):
            page.keyboard.press("Tab")
            outline = page.evaluate("""() => { const el = document.activeElement; if (!el || el === document.body) return null;
              const s = getComputedStyle(el); return [el.tagName, s.outlineStyle, parseFloat(s.outlineWidth), s.boxShadow]; }""")
            if outline is None:
                continue
            seen += 1
            _, style, width, shadow = outline
            assert (style != "none" and width >= 2) or shadow != "none", outline
        assert seen >= 6
    finally:
        context.close()
