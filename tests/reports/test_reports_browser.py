"""index.html in headless Chromium: loads nothing from the network, prints as 内部资料."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "tests" / "artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "reports"
    done = subprocess.run(
        [sys.executable, "-m", "generator", "report", "--private", "examples/private", "--as-of", "2026-11-20",
         "--out", str(out)], cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return out / "index.html"


def test_dashboard_loads_nothing_and_screenshots(report: Path) -> None:
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        try:
            context = browser.new_context(viewport={"width": 1366, "height": 900}, device_scale_factor=1)
            page = context.new_page()

            def route(request_route) -> None:
                url = request_route.request.url
                requests.append(url)
                if url.startswith("file://"):
                    request_route.continue_()
                else:
                    request_route.abort()

            page.route("**/*", route)
            page.on("request", lambda request: requests.append(request.url))
            page.goto(report.as_uri())
            page.wait_for_load_state("load")

            assert page.title().startswith("【内部资料】")
            banner = page.locator(".classified")
            assert banner.is_visible() and "内部资料" in banner.inner_text()
            # every rule has a section, people are shown with name and id, findings cite their article
            for rule in ("E-SUBSIDY", "E-HEALTH", "E-SANATORIUM", "E-AID", "E-DEATH", "E-FEEDBACK", "E-CONTACT",
                         "H-ELIGIBLE", "H-PUBLICITY", "H-QUOTA", "R-WORKER", "R-HOME", "R-UNIONIST"):
                assert page.locator(f"section#{rule}").count() == 1
            row = page.locator("section#R-WORKER tbody tr").first
            assert "胡秀英" in row.inner_text() and "hu-xiuying" in row.inner_text()
            assert "陕工发〔2020〕11号 第三十条(一)5" in row.inner_text()

            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=False)

            page.emulate_media(media="print")
            assert page.locator(".classified").is_visible()
            assert "内部资料" in page.locator(".classified").inner_text()
            pdf = report.parent / "report.pdf"
            page.pdf(path=str(pdf), format="A4", landscape=True, print_background=True)
            assert pdf.read_bytes().startswith(b"%PDF")
        finally:
            browser.close()

    assert requests, "the page itself should have been requested"
    leaving = [url for url in requests if not url.startswith("file://")]
    assert leaving == []
