"""生成分享海报 in Chromium (theme/assets/laomo/poster.js): the poster is drawn in the visitor's browser from
what the profile page already holds, offered as a PNG download and an <img> preview; the site holds no
poster files. The drawn poster lands in tests/artifacts/poster-profile.png."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from PIL import Image

from tests.conftest import REPO

pytestmark = pytest.mark.browser

AXE = REPO / "tests" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "tests" / "artifacts"
PHONE = {"width": 390, "height": 844}
PROFILE = "workers/zhang-jianguo/"  # with a photo
NO_PHOTO = "workers/bai-zhiqiang/"
DECEASED = "workers/chen-xiuying/"
HOME = "homes/bj-xirun-elec-assembly/"  # a 小家 with a long name
RED, GREY, PAPER, DISC = (0x9E, 0x1B, 0x1B), (0x4A, 0x4A, 0x4A), (0xFB, 0xF7, 0xF0), (0xF3, 0xED, 0xE4)

# The poster's PNG as the page offers it: the download link's name and the blob's bytes.
SAVED = """async () => {
  const a = document.querySelector('.laomo-poster__save');
  const blob = await (await fetch(a.href)).blob();
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
  return {name: a.download, type: blob.type, href: a.href, png: btoa(text)};
}"""


@pytest.fixture
def page(phone_page):
    return phone_page


def _poster(page, served_site: str, url: str) -> tuple[dict, Image.Image]:
    page.goto(served_site + url)
    page.click(".laomo-poster__button")
    page.wait_for_selector(".laomo-poster__preview", state="visible")
    saved = page.evaluate(SAVED)
    image = Image.open(io.BytesIO(base64.b64decode(saved["png"])))
    image.load()
    return saved, image


def _near(pixel, colour, tolerance: int = 6) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


def test_the_site_holds_no_poster_files(sample_site: Path):
    assert list(sample_site.rglob("poster*.png")) == []
    html = (sample_site / PROFILE / "index.html").read_text(encoding="utf-8")
    assert "poster.png" not in html
    # without JavaScript nothing of it shows: the button is hidden until poster.js shows it
    assert '<button type="button" class="laomo-poster__button" aria-expanded="false" ' \
           'aria-controls="laomo-poster-panel" hidden>生成分享海报</button>' in html


def test_without_javascript_no_poster_control_shows(browser, served_site):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(served_site + PROFILE)
        assert page.locator(".laomo-poster__button").count() == 1
        assert page.locator(".laomo-poster__button").is_hidden()
        assert page.locator(".laomo-poster").is_hidden()
    finally:
        context.close()


def test_the_button_is_reached_and_used_by_keyboard(page, served_site):
    page.goto(served_site + PROFILE)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('laomo-poster__button')"):
            break
    else:
        pytest.fail("生成分享海报 is not reached by Tab")
    button = page.locator(".laomo-poster__button")
    assert button.inner_text() == "生成分享海报"
    box = button.bounding_box()
    assert box is not None and box["height"] >= 43.5 and box["width"] >= 43.5
    outline = page.evaluate("[getComputedStyle(document.activeElement).outlineStyle, "
                            "parseFloat(getComputedStyle(document.activeElement).outlineWidth)]")
    assert outline[0] != "none" and outline[1] >= 2
    page.keyboard.press("Enter")
    page.wait_for_selector(".laomo-poster__preview", state="visible")
    assert button.get_attribute("aria-expanded") == "true"
    page.wait_for_function("document.querySelector('.laomo-poster__status').textContent.includes('已生成')")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "保存海报图片"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # closes again
    assert page.locator(".laomo-poster").is_hidden() and button.get_attribute("aria-expanded") == "false"
    assert page.errors == []  # type: ignore[attr-defined]


def test_the_poster_is_a_png_of_the_profile_offered_under_a_chinese_name(page, served_site):
    saved, image = _poster(page, served_site, PROFILE)
    assert saved["type"] == "image/png" and saved["href"].startswith("blob:")
    assert saved["name"] == "张建国-分享海报.png"
    assert image.format == "PNG" and image.size == (600, 900)
    rgb = image.convert("RGB")
    assert _near(rgb.getpixel((300, 10)), RED)  # the header band
    assert _near(rgb.getpixel((300, 680)), PAPER)
    assert len(rgb.crop((172, 120, 428, 440)).getcolors(1 << 16) or []) > 500  # the photo
    code = rgb.crop((412, 722, 560, 870)).convert("L")  # the QR code, bottom right: black and white only
    assert {value for _, value in code.getcolors() or []} == {0, 255}
    assert len(rgb.crop((140, 480, 460, 630)).getcolors(1 << 16) or []) > 20  # name, honour and unit drawn
    preview = page.locator(".laomo-poster__preview")
    assert preview.get_attribute("alt") == "分享海报：张建国，2015年 全国劳动模范，西安华岳重工机械有限公司；下方是本页二维码"
    assert preview.evaluate("img => img.complete && img.naturalWidth") == 600
    assert page.outside == [] and page.errors == []  # type: ignore[attr-defined]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    image.save(ARTIFACTS / "poster-profile.png")
    page.screenshot(path=str(ARTIFACTS / "poster-panel.png"), full_page=True)


def test_without_a_photo_the_poster_shows_the_first_character_in_a_disc(page, served_site):
    _, image = _poster(page, served_site, NO_PHOTO)
    rgb = image.convert("RGB")
    assert _near(rgb.getpixel((300, 130)), DISC) and _near(rgb.getpixel((215, 210)), DISC)
    assert any(_near(rgb.getpixel((x, 210)), RED, 40) for x in range(250, 350))  # 白, in red


def test_a_deceased_persons_poster_is_grey(page, served_site):
    _, image = _poster(page, served_site, DECEASED)
    rgb = image.convert("RGB")
    assert _near(rgb.getpixel((300, 10)), GREY)
    photo = rgb.crop((172, 120, 428, 440))
    colours = photo.getcolors(1 << 16)
    assert colours and all(abs(r - g) <= 2 and abs(g - b) <= 2 for (_, (r, g, b)) in colours)


def test_a_home_has_its_kind_and_long_name(page, served_site):
    saved, image = _poster(page, served_site, HOME)
    assert saved["name"] == "北京西润电气设备有限公司工会总装车间分会-分享海报.png"
    assert page.locator(".laomo-poster").get_attribute("data-kind") == "模范职工小家"
    assert image.size == (600, 900)


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
def test_axe_finds_nothing_with_the_preview_open(browser, served_site, care):
    if not AXE.is_file():
        pytest.fail("缺少 axe-core：请运行 make setup（在 tests/ 下 npm ci）")
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="zh-CN")
    if care:
        context.add_init_script("try { localStorage.setItem('laomo-care', '1'); } catch (e) {}")
    page = context.new_page()
    try:
        page.goto(served_site + PROFILE)
        page.click(".laomo-poster__button")
        page.wait_for_selector(".laomo-poster__preview", state="visible")
        save = page.locator(".laomo-poster__save").bounding_box()
        assert save is not None and save["height"] >= 43.5
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = page.evaluate("axe.run(document, {runOnly: {type: 'tag', values: "
                               "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
        assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]] == []
        if care:
            page.screenshot(path=str(ARTIFACTS / "poster-panel-care.png"), full_page=False)
    finally:
        context.close()


def test_opened_from_disk_the_poster_is_drawn_without_the_photo(page, sample_site: Path):
    # file:// pages count as from elsewhere for a canvas: the photo would make it unreadable
    page.goto((sample_site / PROFILE / "index.html").as_uri())
    page.click(".laomo-poster__button")
    page.wait_for_selector(".laomo-poster__preview", state="visible")
    png = page.evaluate("""() => { const img = document.querySelector('.laomo-poster__preview');
      const c = document.createElement('canvas'); c.width = 600; c.height = 900;
      c.getContext('2d').drawImage(img, 0, 0); return c.toDataURL('image/png'); }""")
    rgb = Image.open(io.BytesIO(base64.b64decode(png.split(",", 1)[1]))).convert("RGB")
    assert _near(rgb.getpixel((300, 130)), DISC)
    assert page.errors == []  # type: ignore[attr-defined]


def test_without_canvas_export_the_button_stays_hidden(browser, served_site):
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    context.add_init_script("delete HTMLCanvasElement.prototype.toBlob;")
    page = context.new_page()
    try:
        page.goto(served_site + PROFILE)
        assert page.locator(".laomo-share__button").is_visible()
        assert page.locator(".laomo-poster__button").is_hidden()
    finally:
        context.close()
