"""The base index and its delta, in the browser: an incremental site answers as a `--full` build of it does.

The sample is copied and built; then a person is added and one's story and a home's story edited, and the
same output rebuilt (incrementally: the base is kept, the delta holds the changed pages and
search-bundles.json lists the base pages it supersedes). A `--full` build of the edited records is the
reference: every query of the suite (queries.yml) and a few about the edits give the same results in the same
order through the real search box. The files of the two sites' indexes differ; what a visitor gets may not.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from generator.site import search as search_module
from tests.search.quality import RECORDS, REPO, load_queries, result_id, search, serve, settle

pytestmark = pytest.mark.browser

NEW_WORKER = ("id: ouyang-jianguo\nname: 欧阳建国\ngender: 男\nregion:\n  province: 陕西省\n  city: 宝鸡市\n"
              "unit: 宝鸡长岭精工机械厂\nhonours:\n  - title: 全国劳动模范\n    year: 2015\n")
NEW_STORY = "他还带出了一支青年突击队，攻克高炉焊补难关。"
HOME_STORY = "小家里添了读书角，职工午休时常来翻书。"
# queries about the edits: the new person, the new story words, a name shared with the new person
EDIT_QUERIES = ["欧阳建国", "oyjg", "长岭精工", "高炉焊补", "青年突击队", "读书角", "建国", "张建国", "全国劳动模范 2015"]
LINKS = "#laomo-search .pagefind-ui__result-link"


def laomo_build(records: Path, out: Path, cache: Path, *, full: bool = False) -> str:
    env = {**os.environ, "LAOMO_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "generator", "build", "--records", str(records), "--out", str(out)]
    done = subprocess.run(command + (["--full"] if full else []), cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def edit(records: Path) -> str:
    """The edits; the id of the home edited."""
    (records / "workers" / "ouyang-jianguo.yml").write_text(NEW_WORKER, encoding="utf-8")
    path = records / "workers" / "zhang-jianguo.yml"
    text = path.read_text(encoding="utf-8")
    assert "story: |\n" in text
    path.write_text(text.replace("story: |\n", f"story: |\n  {NEW_STORY}\n\n", 1), encoding="utf-8")
    home = sorted((records / "homes").glob("*.yml"))[-1]
    text = home.read_text(encoding="utf-8")
    home.write_text(text.replace("story: |\n", f"story: |\n  {HOME_STORY}\n\n", 1) if "story: |\n" in text
                    else text + f"story: {HOME_STORY}\n", encoding="utf-8")
    return home.stem


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[Path, Path, str]:
    """(the incremental site, the full site of the same records, the id of the home edited)."""
    tmp = tmp_path_factory.mktemp("delta")
    records = tmp / "records"
    shutil.copytree(RECORDS, records)
    incremental = tmp / "incremental"
    laomo_build(records, incremental, tmp / "cache")
    base_before = json.loads((incremental / "search-bundles.json").read_text(encoding="utf-8"))
    assert base_before["delta"] is None
    home = edit(records)
    said = laomo_build(records, incremental, tmp / "cache")
    assert "增量索引" in said, said
    full = tmp / "full"
    laomo_build(records, full, tmp / "cache", full=True)
    return incremental, full, home


def fragments(bundle: Path) -> dict[str, dict]:
    """page id -> fragment of a written bundle."""
    out = {}
    for path in (bundle / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(search_module.SIGNATURE)
        out[path.stem] = json.loads(data[len(search_module.SIGNATURE):])
    return out


def test_the_delta_holds_the_changed_pages_and_supersedes_their_base_copies(sites):
    incremental, full, home = sites
    bundles = json.loads((incremental / "search-bundles.json").read_text(encoding="utf-8"))
    parts = ["pagefind/"]  # a small site: one base part (search.SPLIT_BASE_AT)
    assert bundles["base"] == parts and bundles["delta"] == "pagefind-delta/"
    delta = fragments(incremental / "pagefind-delta")
    assert set(bundles["delta_pages"]) == set(delta)
    assert {f["url"] for f in delta.values()} == {"/" + u for u in bundles["delta_pages"].values()}
    assert set(bundles["delta_pages"].values()) == {"workers/ouyang-jianguo/", "workers/zhang-jianguo/",
                                                    f"homes/{home}/"}
    base = {pid: f for part in parts for pid, f in fragments(incremental / part).items()}
    assert set(bundles["superseded"]) <= set(base)
    assert set(bundles["superseded"].values()) == {"workers/zhang-jianguo/", f"homes/{home}/"}  # the new one has none
    # what the two indexes hold between them is what the full build's index holds, page by page
    now = {f["url"]: f for pid, f in base.items() if pid not in bundles["superseded"]}
    now.update({f["url"]: f for f in delta.values()})
    reference = {f["url"]: f for part in parts for f in fragments(full / part).values()}
    assert now.keys() == reference.keys()
    assert all(now[url]["content"] == reference[url]["content"] for url in now)
    assert json.loads((full / "search-bundles.json").read_text(encoding="utf-8")) == {
        "base": parts, "delta": None, "superseded": {}, "delta_pages": {}}


def answers(browser, site: Path, queries: list[str]) -> list[list[str]]:
    with serve(site) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base + "about/")
        found = [search(page, query) for query in queries]
        page.close()
    assert errors == []
    return found


def test_the_incremental_site_answers_as_the_full_site(chromium, sites):
    """Same results, same order — except where the added person is among them: a page new since the base has
    no base copy whose rank it could take, so search.js places it by its delta score scaled as the changed
    pages' scores scale, which is near, not equal, to the rank a full build gives it (`建国`)."""
    incremental, full, home = sites
    queries = list(dict.fromkeys([q.query for q in load_queries()] + EDIT_QUERIES))
    got, expected = answers(chromium, incremental, queries), answers(chromium, full, queries)
    new = "/workers/ouyang-jianguo/"
    same = [(q, g, e) for q, g, e in zip(queries, got, expected, strict=True) if new not in g and new not in e]
    assert len(same) > len(queries) - 10
    assert [(q, g) for q, g, _ in same] == [(q, e) for q, _, e in same]
    for q, g, e in zip(queries, got, expected, strict=True):  # with the new person: the same results
        assert sorted(g) == sorted(e) or (new in g) == (new in e), q
    by_query = dict(zip(queries, got, strict=True))
    assert result_id(by_query["欧阳建国"][0]) == "ouyang-jianguo"
    assert result_id(by_query["高炉焊补"][0]) == "zhang-jianguo"
    assert result_id(by_query["读书角"][0]) == home


def test_filters_work_across_base_and_delta(chromium, sites):
    incremental, _, _ = sites
    with serve(incremental) as base:
        page = chromium.new_page(viewport={"width": 390, "height": 844})
        page.goto(base + "about/")
        search(page, "建国")
        page.click("#laomo-search .laomo-search__more")
        settle(page)
        for group, value in (("荣誉称号", "全国劳动模范"), ("省份", "陕西省"), ("年份", "2015年")):
            page.click(f"#laomo-search .laomo-filter__name[data-group='{group}']")
            label = page.locator(f"#laomo-search .laomo-filter__options[data-group='{group}'] label", has_text=value)
            label.first.wait_for(timeout=15_000)
            label.first.click()
            settle(page)
        ids = {result_id(h) for h in page.eval_on_selector_all(LINKS, "els => els.map(e => e.getAttribute('href'))")}
        page.close()
    assert "ouyang-jianguo" in ids


def test_a_delta_that_fails_to_load_leaves_the_base(chromium, sites, tmp_path):
    """Without its delta (a host that lost it), the box searches the base alone: the older copies of the
    changed pages, no error."""
    incremental, _, _ = sites
    site = tmp_path / "site"
    shutil.copytree(incremental, site)
    shutil.rmtree(site / "pagefind-delta")
    got = answers(chromium, site, ["张建国", "欧阳建国", "zjg", "高炉焊补"])
    assert result_id(got[0][0]) == "zhang-jianguo"
    assert not any("ouyang-jianguo" in h for h in got[1])
    assert not any("zhang-jianguo" in h for h in got[3])  # the new story is in the delta only


def test_pagefind_is_the_pinned_version():
    """canonicalize, the delta's page ids and search.js lean on Pagefind's file formats: a new version is a
    deliberate change of PAGEFIND_VERSION after checking them."""
    assert version("pagefind_bin_extended") == search_module.PAGEFIND_VERSION
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"pagefind[extended]=={search_module.PAGEFIND_VERSION}"' in pyproject
