"""`laomo serve`: rebuilds on a change, shows problems in the terminal and on the page."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO


def _status(base: str) -> dict:
    with urllib.request.urlopen(base + "__laomo__/status", timeout=5) as response:
        return json.loads(response.read())


def _wait(predicate, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError("timed out")


@pytest.fixture
def preview(tmp_path):
    records = tmp_path / "records"
    shutil.copytree(REPO / "records", records)
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--records", str(records),
                                "--out", str(tmp_path / "preview"), "--port", "0"],
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    try:
        def address():
            line = process.stdout.readline()
            lines.append(line)
            match = re.search(r"http://[\d.]+:\d+/", line)
            return match.group(0) if match else None
        base = _wait(address)
        yield base, records, process
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.slow
def test_preview_rebuilds_and_reports_problems(preview):
    base, records, _ = preview
    with urllib.request.urlopen(base + "workers/zhang-jianguo/", timeout=5) as response:
        page = response.read().decode()
    assert "张建国" in page and "/__laomo__/preview.js" in page
    first = _status(base)
    assert first["problems"] == []

    path = records / "workers" / "zhang-jianguo.yml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("gender: 男", "gender: 男的"), encoding="utf-8")
    broken = _wait(lambda: _status(base)["problems"])
    assert any("zhang-jianguo.yml:" in p and "性别" in p for p in broken)

    path.write_text(good, encoding="utf-8")
    fixed = _wait(lambda: (s := _status(base)) and not s["problems"] and s["version"] > first["version"] and s)
    assert fixed["problems"] == []


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")
def test_editor_sees_the_error_in_the_browser(preview, tmp_path):
    from playwright.sync_api import sync_playwright

    base, records, _ = preview
    path = records / "workers" / "zhang-jianguo.yml"
    good = path.read_text(encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(base + "workers/zhang-jianguo/")
        page.wait_for_timeout(1000)
        path.write_text(good.replace("gender: 男", "gender: 男的"), encoding="utf-8")
        alert = page.locator("#laomo-problems")
        alert.wait_for(timeout=60_000)
        assert "zhang-jianguo.yml:" in alert.inner_text() and "性别" in alert.inner_text()
        artifacts = REPO / "tests" / "artifacts"
        artifacts.mkdir(exist_ok=True)
        page.screenshot(path=str(artifacts / "preview-error.png"))
        path.write_text(good.replace("unit: ", "unit: 预览测试", 1), encoding="utf-8")
        page.wait_for_function("() => !document.getElementById('laomo-problems')", timeout=60_000)
        page.wait_for_load_state()
        browser.close()
