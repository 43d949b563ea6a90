"""Fixtures of the public-site tests: the sample site is built ONCE per session."""

from __future__ import annotations

import functools
import http.server
import shutil
import textwrap
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import REPO

RECORDS = REPO / "records"
PRIVATE = REPO / "examples" / "private"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "tests" / "artifacts"

BUILD_TIMES: dict[str, float] = {}


def build(records: Path, out: Path, cache: Path | None = None):
    from generator.site.build import build_site

    lines: list[str] = []
    report = build_site(records, out, jobs=2, cache=cache, echo=lines.append)  # default: the tests' user cache
    report.log = lines  # type: ignore[attr-defined]
    return report


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample records/ built into a temporary folder (once per test session)."""
    out = tmp_path_factory.mktemp("sample") / "site"
    started = time.perf_counter()
    build(RECORDS, out)
    BUILD_TIMES["sample"] = time.perf_counter() - started
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        pass


@pytest.fixture(scope="session")
def served_site(sample_site: Path):
    """The sample site on http://127.0.0.1:<random port>/ for the browser tests."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(sample_site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium (never a downloaded browser). Module-scoped: Playwright's sync API
    keeps an event loop running, and other test modules start their own Playwright."""
    if not CHROMIUM.exists():
        pytest.skip("没有 /usr/bin/chromium（apt-get install chromium）")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone_page(browser, served_site):
    """A page at 390×844 that records every request leaving 127.0.0.1 (`page.outside`) and every script
    error (`page.errors`)."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="zh-CN")
    page = context.new_page()
    outside: list[str] = []
    errors: list[str] = []

    def on_request(request):
        parts = urlsplit(request.url)
        if parts.scheme not in {"data", "blob", "about"} and parts.hostname != "127.0.0.1":
            outside.append(request.url)

    page.on("request", on_request)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.outside = outside  # type: ignore[attr-defined]
    page.errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


class MiniTree:
    """A tiny public records tree for builds that must differ from the sample."""

    VOCAB = (RECORDS / "vocab" / "honours.yml")

    def __init__(self, root: Path):
        self.root = root
        for folder in ("workers", "homes", "stories", "photos", "vocab"):
            (root / folder).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.VOCAB, root / "vocab" / "honours.yml")

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def worker(self, worker_id: str, name: str, *, title: str = "全国劳动模范", year: int = 2015,
               revoked: bool = False, story: str = "", province: str = "陕西省", extra: str = "") -> Path:
        revoked_text = "\n    revoked:\n      date: 2022-01-01" if revoked else ""
        story_text = "\nstory: |\n" + textwrap.indent(textwrap.dedent(story).strip(), "  ") if story else ""
        return self.write(f"workers/{worker_id}.yml", f"""\
id: {worker_id}
name: {name}
gender: 男
region:
  province: {province}
  city: 西安市
unit: 西安某某机械厂
honours:
  - title: {title}
    year: {year}{revoked_text}{story_text}
{extra}""")

    def story(self, slug: str, about: list[str], body: str, title: str = "一个故事") -> Path:
        about_text = "".join(f"\n  - {a}" for a in about)
        return self.write(f"stories/{slug}.md", f"---\ntitle: {title}\ndate: 2021-04-28\nabout:{about_text}\n---\n\n"
                          + textwrap.dedent(body))


@pytest.fixture
def mini(tmp_path: Path) -> MiniTree:
    return MiniTree(tmp_path / "records")


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")
