"""Incremental builds: after an edit, the rebuilt site is byte-identical to a full build into a fresh folder,
its search index aside, which holds the same pages.

The sample records are copied to a temporary folder and built once; each test edits the copy, rebuilds the
same output (incrementally: only changed pages, and the search index's delta) and compares it with a full build
of the edited records. The search index of an incremental build is the base of the first build plus a delta of
the pages changed since: other files than a full build's (`site_differences` leaves them out), holding the same
pages (`indexed_pages` compares those); tests/search/test_delta.py checks in the browser that both give the
same results in the same order.
"""

from __future__ import annotations

import filecmp
import gzip
import json
import re
import shutil
from pathlib import Path

import pytest

from generator.site import atomic, indexing
from generator.site import search as search_module
from tests.site.conftest import RECORDS, build

SEARCH_FILES = ("pagefind/", "pagefind-base/", "pagefind-delta/", "search-bundles.json")


def differences(a: Path, b: Path) -> list[str]:
    """Relative paths that differ between two folders (content, or present on one side only), but for the
    marker, which names each build by a token of its own (atomic.read_token)."""
    found: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        found.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        found.extend(prefix + n for n in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(a, b, ignore=[atomic.MARKER]), "")
    return sorted(found)


def _fragments(bundle: Path) -> dict[str, dict]:
    out = {}
    for path in (bundle / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        out[path.stem] = json.loads(data[len(search_module.SIGNATURE):])
    return out


def indexed_pages(site: Path) -> dict[str, dict]:
    """url -> Pagefind's fragment of every page the site's search index holds: the base's, less those the
    delta supersedes, and the delta's."""
    bundles = json.loads((site / "search-bundles.json").read_text(encoding="utf-8"))
    pages = {f["url"]: f for b in bundles["base"] for pid, f in _fragments(site / b).items()
             if pid not in bundles["superseded"]}
    if bundles["delta"]:
        pages.update({f["url"]: f for f in _fragments(site / bundles["delta"]).values()})
    return pages


def site_differences(a: Path, b: Path) -> list[str]:
    """`differences` of every file but the search index's; and the pages the two indexes hold, where they differ."""
    found = [d for d in differences(a, b) if not d.startswith(SEARCH_FILES) and not (d + "/").startswith(SEARCH_FILES)]
    pages_a, pages_b = indexed_pages(a), indexed_pages(b)
    found += [f"search:{url}" for url in sorted(pages_a.keys() | pages_b.keys()) if pages_a.get(url) != pages_b.get(url)]
    return found


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    records = tmp_path / "records"
    shutil.copytree(RECORDS, records)
    return records


def fresh(records: Path, tmp_path: Path, name: str) -> Path:
    out = tmp_path / name / "site"
    report = build(records, out, cache=tmp_path / "cache")
    assert not report.incremental
    return out


def test_editing_one_story_rebuilds_one_page_and_equals_a_full_build(tree: Path, tmp_path: Path):
    out = tmp_path / "site"
    first = build(tree, out, cache=tmp_path / "cache")
    assert not first.incremental and first.search_parts == 1
    bundles = json.loads((out / "search-bundles.json").read_text(encoding="utf-8"))
    assert bundles["base"] == ["pagefind/"]  # a small site: one base part (search.SPLIT_BASE_AT)
    assert bundles["delta"] is None and not bundles["superseded"] and not bundles["delta_pages"]
    indexed = sum(sum(lang["page_count"] for lang in json.loads((out / b / "pagefind-entry.json").read_text(
        encoding="utf-8"))["languages"].values()) for b in bundles["base"])
    assert f"基础索引 {indexed} 页" in first.search  # every base part's pages counted
    base = tmp_path / "base"
    shutil.copytree(out / "pagefind", base)

    again = build(tree, out, cache=tmp_path / "cache")
    assert again.incremental and again.rendered == 0 and again.search_rebuilt == 0

    path = tree / "workers" / "zhang-jianguo.yml"
    text = path.read_text(encoding="utf-8")
    assert "story: |\n" in text
    path.write_text(text.replace("story: |\n", "story: |\n  他还带出了一支青年突击队，攻克高炉焊补难关。\n\n", 1),
                    encoding="utf-8")
    rebuilt = build(tree, out, cache=tmp_path / "cache")
    assert rebuilt.incremental
    assert rebuilt.rendered <= 12, rebuilt.rendered  # the profile and the lists it is on, of 163 pages
    assert rebuilt.search_rebuilt == 1 and "增量索引 1 页" in rebuilt.search
    assert "高炉焊补" in (out / "workers" / "zhang-jianguo" / "index.html").read_text(encoding="utf-8")
    assert differences(out / "pagefind", base) == []  # the base is kept as it was
    bundles = json.loads((out / "search-bundles.json").read_text(encoding="utf-8"))
    assert bundles["delta"] == "pagefind-delta/"
    assert list(bundles["superseded"].values()) == list(bundles["delta_pages"].values()) == ["workers/zhang-jianguo/"]
    full = fresh(tree, tmp_path, "full")
    assert site_differences(out, full) == []
    assert differences(out, full) != []  # the search index is another one: the comparison above is not vacuous


def test_past_max_delta_pages_the_base_is_made_again(tree: Path, tmp_path: Path, monkeypatch):
    """More changed pages than MAX_DELTA_PAGES: the base is made again, the delta emptied — then the site is
    a full build's, the search index's files included."""
    out = tmp_path / "site"
    build(tree, out, cache=tmp_path / "cache")
    path = tree / "workers" / "zhang-jianguo.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("story: |\n", "story: |\n  补充一句。\n\n", 1),
                    encoding="utf-8")
    assert "增量索引 1 页" in build(tree, out, cache=tmp_path / "cache").search
    monkeypatch.setattr(indexing, "MAX_DELTA_PAGES", 1)
    path = tree / "workers" / "li-xiuying.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("unit: ", "unit: 新", 1), encoding="utf-8")
    rebuilt = build(tree, out, cache=tmp_path / "cache")
    assert rebuilt.incremental and "基础索引" in rebuilt.search
    assert not (out / "pagefind-delta").exists()
    assert differences(out, fresh(tree, tmp_path, "full")) == []


def test_a_record_made_hidden_vanishes_from_every_file(tree: Path, tmp_path: Path):
    """Revoking every honour of a shown person: on the incremental rebuild she is in no file any more."""
    out = tmp_path / "site"
    build(tree, out, cache=tmp_path / "cache")
    record_id, name = "li-xiuying", "李秀英"
    path = tree / "workers" / f"{record_id}.yml"
    assert (out / "workers" / record_id / "index.html").is_file()
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(\n  - title: [^\n]+\n)", r"\1    revoked:\n      date: 2023-05-01\n", text)
    assert text.count("revoked:") == 2
    path.write_text(text, encoding="utf-8")
    report = build(tree, out, cache=tmp_path / "cache")
    assert report.incremental
    assert not (out / "workers" / record_id).exists()
    for file in out.rglob("*"):
        if not file.is_file() or file.suffix in {".jpg", ".webp", ".png", ".woff2", ".pagefind"}:
            continue
        data = file.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        content = data.decode("utf-8", errors="ignore")
        relative = str(file.relative_to(out))
        assert f"workers/{record_id}/" not in content, relative
        assert f'"{record_id}"' not in content, relative
        if relative.startswith(("data/", "pagefind", "stats/", "workers/", "homes/", "sitemap")) or \
                relative == "index.html":
            assert name not in content, relative
    assert site_differences(out, fresh(tree, tmp_path, "full")) == []


def test_adding_and_deleting_records_and_stories(tree: Path, tmp_path: Path):
    out = tmp_path / "site"
    build(tree, out, cache=tmp_path / "cache")
    story = next(iter(sorted((tree / "stories").glob("*.md"))))
    story.unlink()
    victim = sorted((tree / "homes").glob("*.yml"))[-1]
    victim.unlink()
    (tree / "workers" / "ouyang-jianguo.yml").write_text(
        "id: ouyang-jianguo\nname: 欧阳建国\ngender: 男\nregion:\n  province: 陕西省\n  city: 宝鸡市\n"
        "unit: 宝鸡长岭精工机械厂\nhonours:\n  - title: 全国劳动模范\n    year: 2015\n", encoding="utf-8")
    report = build(tree, out, cache=tmp_path / "cache")
    assert report.incremental
    assert not (out / "stories" / story.stem).exists()
    assert (out / "workers" / "ouyang-jianguo" / "index.html").is_file()
    assert "基础索引" in report.search  # pages removed: none of their words stays in the base
    assert differences(out, fresh(tree, tmp_path, "full")) == []


@pytest.fixture
def settled(monkeypatch):
    """Trust file stamps at once: in a test every file is seconds old (the build otherwise reads files
    changed within two seconds of its previous scan again, and skips the quick path for them)."""
    from generator.load import cache as load_cache
    from generator.site import state as site_state

    monkeypatch.setattr(site_state, "RACY_NS", 0)
    monkeypatch.setattr(load_cache, "RACY_NS", 0)


def test_quick_path_for_story_summary_and_achievements(tree: Path, tmp_path: Path, settled):
    """Edits of a story, a summary or achievements take the quick path (no full validation or model);
    the result still equals a full build, open data included."""
    out = tmp_path / "site"
    build(tree, out, cache=tmp_path / "cache")
    path = tree / "workers" / "zhang-jianguo.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("story: |\n", "story: |\n  他还带出了一支青年突击队。\n\n", 1)
    text = re.sub(r"^summary: *(.+)$", r"summary: 新的简介：\1", text, count=1, flags=re.M)
    assert "新的简介" in text
    path.write_text(text, encoding="utf-8")
    home = sorted((tree / "homes").glob("*.yml"))[0]
    home.write_text(home.read_text(encoding="utf-8").replace("story: |\n", "story: |\n  小家里添了读书角。\n\n", 1)
                    if "story: |\n" in home.read_text(encoding="utf-8")
                    else home.read_text(encoding="utf-8") + "story: 小家里添了读书角。\n", encoding="utf-8")
    report = build(tree, out, cache=tmp_path / "cache")
    assert "quick" in report.timings and report.rendered == 2, report
    assert "新的简介" in (out / "data" / "workers.json").read_text(encoding="utf-8")
    assert report.search == "增量索引 2 页", report.search  # the two edited records
    assert site_differences(out, fresh(tree, tmp_path, "full")) == []
    # a second quick edit: the delta keeps the first one's pages, from the stored documents
    other = tree / "workers" / "li-xiuying.yml"
    other.write_text(other.read_text(encoding="utf-8").replace("story: |\n", "story: |\n  又添一句。\n\n", 1)
                     if "story: |\n" in other.read_text(encoding="utf-8")
                     else other.read_text(encoding="utf-8") + "story: 又添一句。\n", encoding="utf-8")
    report = build(tree, out, cache=tmp_path / "cache")
    assert "quick" in report.timings and report.search == "增量索引 3 页", report.search
    assert site_differences(out, fresh(tree, tmp_path, "full1")) == []
    # the next edit, of another field, takes the usual path and is right too
    path.write_text(path.read_text(encoding="utf-8").replace("unit: ", "unit: 新", 1), encoding="utf-8")
    report = build(tree, out, cache=tmp_path / "cache")
    assert "quick" not in report.timings and report.incremental
    assert site_differences(out, fresh(tree, tmp_path, "full2")) == []


def test_the_index_is_deterministic(tree: Path, tmp_path: Path):
    """Pagefind writes filter values in a random order; the canonical bundles do not differ."""
    assert differences(fresh(tree, tmp_path, "a"), fresh(tree, tmp_path, "b")) == []


def test_a_failed_commit_leaves_the_old_site_and_the_next_build_repairs(tree: Path, tmp_path: Path, monkeypatch):
    """A failure while the new site is put together (in the shadow) leaves the site wholly old; the next
    build makes a fresh shadow and equals a full build."""
    from generator.site.build import BuildFailed

    out = tmp_path / "site"
    build(tree, out, cache=tmp_path / "cache")
    before = fresh(tree, tmp_path, "before")
    path = tree / "workers" / "zhang-jianguo.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("story: |\n", "story: |\n  补充一句。\n\n", 1),
                    encoding="utf-8")
    real_replace = atomic.os.replace
    calls = {"n": 0}

    def failing_replace(source, target):
        if str(atomic.shadow_of(out.resolve())) in str(target):
            calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(5, "模拟的输入输出错误")
        return real_replace(source, target)

    monkeypatch.setattr(atomic.os, "replace", failing_replace)
    with pytest.raises(BuildFailed) as failure:
        build(tree, out, cache=tmp_path / "cache")
    assert "网站未能生成" in failure.value.message
    monkeypatch.setattr(atomic.os, "replace", real_replace)
    assert differences(out, before) == []
    assert not [p for p in tmp_path.iterdir() if ".building-" in p.name]
    report = build(tree, out, cache=tmp_path / "cache")
    assert report.incremental
    assert site_differences(out, fresh(tree, tmp_path, "full")) == []
