"""Fixtures of the search tests: the sample site built once per session, served on 127.0.0.1, and Chromium.

The sample is built with the public command line (`python -m generator build`), like tests/search/quality.py.
"""

from __future__ import annotations

import pytest

from .quality import CHROMIUM, build_sample, launch, serve


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
