"""`laomo serve`: rebuilds on a change, shows problems in the terminal and on the page."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from generator import serve as serve_module
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


# --- the preview serves its own folder, to its own host, and answers every request in Chinese -------------



@pytest.fixture
def handler_server(tmp_path):
    """The preview's web server over a small built-looking folder (no build: fast)."""
    out = tmp_path / "preview"
    (out / "workers" / "a").mkdir(parents=True)
    (out / "index.html").write_text("<html><body>首页</body></html>", encoding="utf-8")
    (out / "404.html").write_text("<html><body>本站 404 页面</body></html>", encoding="utf-8")
    (out / "workers" / "a" / "index.html").write_text("<html><body>人物 A</body></html>", encoding="utf-8")
    (out / "style.css").write_text("body{}", encoding="utf-8")
    (out / ".laomo-state.json").write_text("{}", encoding="utf-8")
    (out / "empty").mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("私密", encoding="utf-8")
    (out / "leak.txt").symlink_to(secret)
    serve_module.mark_preview(out)
    preview = serve_module.Preview(tmp_path / "records", out)
    preview.problems = ["records/workers/x.yml:3:1: error: 问题"]
    handler = type("Handler", (serve_module.PreviewHandler,), {"preview": preview})
    server = serve_module.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def _get(port: int, path: str, host: str | None = None, method: str = "GET") -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    if host is not None:
        connection.putheader("Host", host)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read().decode("utf-8", errors="replace")
    connection.close()
    return response.status, body


def test_pages_get_the_preview_script(handler_server):
    status, body = _get(handler_server, "/workers/a/", f"127.0.0.1:{handler_server}")
    assert status == 200 and "人物 A" in body and serve_module.SCRIPT_PATH in body
    assert _get(handler_server, "/style.css", f"localhost:{handler_server}")[0] == 200


@pytest.mark.parametrize("host", ["evil.example:{port}", "127.0.0.1:1", "localhost", "127.0.0.1", None,
                                  "192.168.1.5:{port}"])
def test_foreign_host_is_refused_in_chinese(handler_server, host):
    status, body = _get(handler_server, "/", host.format(port=handler_server) if host else None)
    assert status == 421 and "本机" in body and "首页" not in body


@pytest.mark.parametrize("path", ["/%00", "/%00/../../etc/passwd", "/%ff", "/..%2f..%2fsecret.txt", "/leak.txt",
                                  "/.laomo-state.json", "/.laomo-preview", "/empty/", "/workers/new-person/",
                                  "//etc/passwd", "/\\..\\secret.txt"])
def test_odd_and_missing_paths_get_a_chinese_page(handler_server, path):
    status, body = _get(handler_server, path, f"127.0.0.1:{handler_server}")
    assert status in (400, 404), (path, status)
    assert "私密" not in body and "Traceback" not in body and "Error response" not in body
    if status == 404:  # the site's own 404 page, with the problem box's script
        assert "本站 404 页面" in body and serve_module.SCRIPT_PATH in body
    else:
        assert "无法识别" in body


def test_bad_requests_and_methods_are_answered_in_chinese(handler_server):
    status, body = _get(handler_server, "/", f"127.0.0.1:{handler_server}", method="POST")
    assert status == 501 and "不支持" in body
    status, body = _get(handler_server, "/", f"127.0.0.1:{handler_server}", method="HEAD")
    assert status == 200 and body == ""


def test_status_is_served_to_the_page(handler_server):
    status, body = _get(handler_server, serve_module.STATUS_PATH, f"127.0.0.1:{handler_server}")
    assert status == 200 and json.loads(body)["problems"] == ["records/workers/x.yml:3:1: error: 问题"]


@pytest.mark.parametrize("where", ["private", "home-like", "site"])
def test_serve_refuses_a_folder_it_did_not_build(tmp_path, where):
    if where == "private":
        out = tmp_path / "private"
        shutil.copytree(REPO / "examples" / "private", out)
    elif where == "home-like":
        out = tmp_path / "home"
        (out / ".ssh").mkdir(parents=True)
        (out / ".ssh" / "id_rsa").write_text("KEY", encoding="utf-8")
    else:  # a site `laomo build` made is not the preview either
        out = tmp_path / "site"
        out.mkdir()
        (out / ".laomo-site").write_text("", encoding="utf-8")
        (out / "index.html").write_text("<html></html>", encoding="utf-8")
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    result = subprocess.run([sys.executable, "-m", "generator", "serve", "--records", str(REPO / "records"),
                             "--out", str(out), "--port", "0"], capture_output=True, text=True, timeout=60, cwd=tmp_path, check=False)
    assert result.returncode == 2
    assert "不是 laomo serve 生成的预览目录" in result.stderr and "预览地址" not in result.stdout
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before


def test_serve_binds_only_to_this_machine():
    parser = serve_module.argparse.ArgumentParser()
    serve_module.add_arguments(parser)
    assert not any("--host" in action.option_strings for action in parser._actions)
    assert serve_module.HOST == "127.0.0.1"


def test_folders_serve_accepts(tmp_path):
    assert serve_module.foreign_folder(tmp_path / "new") is None
    (tmp_path / "empty").mkdir()
    assert serve_module.foreign_folder(tmp_path / "empty") is None
    (tmp_path / "own").mkdir()
    (tmp_path / "own" / "index.html").write_text("", encoding="utf-8")
    assert serve_module.foreign_folder(tmp_path / "own") is not None
    serve_module.mark_preview(tmp_path / "own")
    assert serve_module.foreign_folder(tmp_path / "own") is None
    os.symlink(tmp_path / "own", tmp_path / "link")
    assert serve_module.foreign_folder(tmp_path / "link") is not None


def test_rebuild_survives_an_unexpected_error(tmp_path, monkeypatch, capsys):
    from generator.site import build

    calls = []

    def flaky(records, out, echo=None, **_):
        calls.append(1)
        if len(calls) == 1:
            raise OSError(28, "No space left on device")
        out.mkdir(exist_ok=True)

    monkeypatch.setattr(build, "build_site", flaky)
    preview = serve_module.Preview(tmp_path / "records", tmp_path / "out")
    preview.rebuild()
    problems = json.loads(preview.status())["problems"]
    assert len(problems) == 1 and "意外错误" in problems[0] and "No space left" in problems[0]
    assert "意外错误" in capsys.readouterr().out
    preview.rebuild()  # the next change is built again, and the page's problem box goes away
    status = json.loads(preview.status())
    assert status["problems"] == [] and status["version"] == 1
    assert (tmp_path / "out" / serve_module.PREVIEW_MARKER).is_file()


def test_watcher_goes_on_after_an_error(tmp_path, monkeypatch):
    preview = serve_module.Preview(tmp_path, tmp_path / "out")
    stop = threading.Event()
    calls = []

    def snapshot(folder):
        calls.append(folder)
        if len(calls) == 1:
            return {}  # the first look, before the loop
        if len(calls) >= 4:
            stop.set()
        raise RuntimeError("boom")

    monkeypatch.setattr(serve_module, "snapshot", snapshot)
    monkeypatch.setattr(serve_module, "POLL_SECONDS", 0.01)
    serve_module.watch(preview, stop)
    assert len(calls) >= 4  # it kept polling after the first error


def test_serve_refuses_to_read_the_private_tree(tmp_path):
    result = subprocess.run([sys.executable, "-m", "generator", "serve", "--records", str(REPO / "examples" / "private"),
                             "--out", str(tmp_path / "preview"), "--port", "0"],
                            capture_output=True, text=True, timeout=60, cwd=tmp_path, check=False)
    assert result.returncode == 2 and "不是公开记录目录" in result.stderr
    assert not (tmp_path / "preview").exists()


def test_a_planted_marker_is_not_enough(tmp_path):
    out = tmp_path / "preview"
    out.mkdir()
    (out / "index.html").write_text("<html></html>", encoding="utf-8")
    (out / serve_module.PREVIEW_MARKER).write_text("由 laomo serve 生成的本地预览网站 0123456789abcdef\n", encoding="utf-8")
    assert serve_module.foreign_folder(out) is not None  # as a pull request could commit it with git add -f
    serve_module.mark_preview(out)
    assert serve_module.foreign_folder(out) is None
    registration = serve_module._registration(out)
    assert registration.stat().st_mode & 0o777 == 0o600


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")
def test_new_record_with_an_error_shows_the_site_404_page_and_the_problems(preview):
    from playwright.sync_api import sync_playwright

    base, records, _ = preview
    new = records / "workers" / "new-person.yml"
    new.write_text((records / "workers" / "zhang-jianguo.yml").read_text(encoding="utf-8")
                   .replace("id: zhang-jianguo", "id: new-person").replace("gender: 男", "gender: 男的"), encoding="utf-8")
    _wait(lambda: _status(base)["problems"])
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1000, "height": 700})
        response = page.goto(base + "workers/new-person/")
        assert response is not None and response.status == 404
        alert = page.locator("#laomo-problems")
        alert.wait_for(timeout=30_000)
        assert "new-person.yml:" in alert.inner_text()
        assert "Error response" not in page.content() and page.locator("html[lang='zh-CN']").count() == 1
        artifacts = REPO / "tests" / "artifacts"
        artifacts.mkdir(exist_ok=True)
        page.screenshot(path=str(artifacts / "preview-404.png"))
        browser.close()
