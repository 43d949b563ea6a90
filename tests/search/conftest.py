"""Fixtures of the search tests: the sample site built once per session, served on 127.0.0.1, and Chromium.

The sample is built with the public command line (`python -m generator build`), like tests/search/quality.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.search.quality import CHROMIUM, REPO, build_sample, launch, serve


@pytest.fixture(scope="session")
def search_site(tmp_path_factory):
    """The sample records/ built into a temporary folder."""
    return build_sample(tmp_path_factory.mktemp("search-sample") / "site")


@pytest.fixture(scope="session")
def search_base(search_site):
    """http://127.0.0.1:<port>/ serving the sample site."""
    with serve(search_site) as base:
        yield base


@pytest.fixture(scope="module")
def chromium():
    """Headless Debian Chromium (never a downloaded browser); module-scoped like tests/site's."""
    if not CHROMIUM.exists():
        pytest.skip("没有 /usr/bin/chromium（apt-get install chromium）")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


UNSEEN = Path(__file__).with_name("unseen")


def unseen_records(folder: Path) -> Path:
    """tests/search/unseen/ as a records tree: people and homes the suite was not tuned on, whose words the
    index and the browser used to segment differently (数据脱敏, 探伤, 外卖骑手), a polyphonic given name
    (鲁长顺), a studio, several 焊工 and union branches with 建 but no 建国."""
    shutil.copytree(UNSEEN, folder)
    for sub in ("photos", "vocab"):
        (folder / sub).mkdir(exist_ok=True)
    shutil.copyfile(REPO / "records" / "vocab" / "honours.yml", folder / "vocab" / "honours.yml")
    return folder


@pytest.fixture(scope="session")
def unseen_base(tmp_path_factory):
    """http://127.0.0.1:<port>/ serving the unseen records built."""
    tmp = tmp_path_factory.mktemp("search-unseen")
    site = build_sample(tmp / "site", unseen_records(tmp / "records"))
    with serve(site) as base:
        yield base
