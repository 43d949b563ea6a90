"""The sample site: every page of site.md, what is never shown, metadata, data, sitemap, search index."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from functools import lru_cache
from pathlib import Path

import pytest

from generator.load.public import load_public
from generator.projection import project
from tests.conftest import REPO
from tests.site.harmless import dangers

RECORDS = REPO / "records"


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def sample():
    tree = load_public(RECORDS).tree
    return tree, project(tree)


def all_text(site: Path) -> dict[str, str]:
    """Every output file as text; gzip (Pagefind's index, sitemap.xml.gz) decompressed."""
    texts = {}
    for path in site.rglob("*"):
        if not path.is_file() or path.suffix in {".jpg", ".webp", ".png", ".woff2"}:
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        texts[str(path.relative_to(site))] = data.decode("utf-8", errors="ignore")
    return texts


def test_every_page_of_the_spec_exists(sample_site: Path):
    for url in ["", "workers/", "homes/", "stories/", "stats/", "data/", "about/", "workers/zhang-jianguo/",
                "workers/honour/", "workers/year/", "workers/region/", "workers/industry/", "homes/honour/"]:
        assert (sample_site / url / "index.html").is_file(), url
    for name in ["404.html", "sitemap.xml", "robots.txt", "data/workers.csv", "data/workers.json",
                 "data/homes.csv", "data/homes.json", "pagefind/pagefind-ui.js", "pagefind/pagefind-ui.css"]:
        assert (sample_site / name).is_file(), name
    _, shown = sample()
    for wid in shown.workers:
        assert (sample_site / "workers" / wid / "index.html").is_file()
    for hid in shown.homes:
        assert (sample_site / "homes" / hid / "index.html").is_file()
    for slug in shown.stories:
        assert (sample_site / "stories" / slug / "index.html").is_file()
    assert not (sample_site / "assets" / "javascripts" / "lunr").exists()  # no MkDocs search


def test_every_page_is_chinese_with_title(sample_site: Path):
    for path in sample_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert '<html lang="zh-CN"' in text, path
        title = re.search(r"<title>([^<]+)</title>", text)
        assert title and title.group(1).strip(), path
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text
        assert 'id="laomo-search"' in text, path  # the search box is on every page


def test_profile_metadata(sample_site: Path):
    html = page(sample_site, "workers/zhang-jianguo/")
    assert "<title>张建国" in html
    assert re.search(r'<meta name="description" content="[^"]+">', html)
    for prop in ("og:title", "og:description", "og:url", "og:image", "og:image:alt"):
        assert f'property="{prop}"' in html, prop
    assert re.search(r'property="og:image" content="https://[^"]+/photos/[0-9a-f]{16}-640\.jpg"', html)
    blob = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(blob)
    assert data["@type"] == "Person" and data["name"] == "张建国"
    assert any("全国劳动模范" in a for a in data["award"])
    assert "<" not in blob and ">" not in blob
    home_id = next(iter(sample()[1].homes))
    blob = re.search(r'<script type="application/ld\+json">(.*?)</script>', page(sample_site, f"homes/{home_id}/"),
                     re.S).group(1)
    assert json.loads(blob)["@type"] == "Organization"


def test_jsonld_escapes_angle_brackets():
    from generator.site.render import jsonld

    text = str(jsonld({"name": "</script><script>alert(1)</script>", "x": "a&b\u2028"}))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script>"


def test_profile_photo_markup(sample_site: Path):
    html = page(sample_site, "workers/zhang-jianguo/")
    picture = re.search(r"<picture.*?</picture>", html, re.S).group(0)
    assert 'type="image/webp"' in picture and "srcset=" in picture
    img = re.search(r"<img [^>]+>", picture).group(0)
    for attr in ("width=", "height=", 'loading="lazy"', "alt=", "srcset="):
        assert attr in img
    assert "zhang-jianguo.jpg" not in html  # the original file is never referenced or copied
    assert not (sample_site / "photos" / "zhang-jianguo.jpg").exists()


def test_deceased_person_is_shown_with_restraint(sample_site: Path):
    _, shown = sample()
    deceased = [w for w in shown.workers.values() if w.died]
    assert deceased, "the sample records have a deceased person"
    for w in deceased:
        html = page(sample_site, f"workers/{w.id}/")
        assert "laomo-profile--deceased" in html
        span = f"{w.birth_year or '？'}—{w.died.year}"
        assert span in html
        data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
        assert data["deathDate"] == w.died.isoformat()


def test_revoked_honours_never_shown(sample_site: Path):
    tree, shown = sample()
    checked = 0
    for wid, worker in tree.workers.items():
        revoked = [h for h in worker.honours if h.revoked]
        if not revoked or wid not in shown.workers:
            continue
        html = page(sample_site, f"workers/{wid}/")
        visible_titles = {h.title for h in shown.workers[wid].honours}
        for honour in revoked:
            if honour.document:
                assert honour.document not in html
            if honour.revoked.document:
                assert honour.revoked.document not in html
            if honour.title not in visible_titles:
                assert honour.title not in html
            checked += 1
    assert checked, "the sample records have a shown person with a revoked honour"


def test_hidden_records_appear_nowhere(sample_site: Path):
    tree, shown = sample()
    hidden = shown.hidden
    assert hidden, "the sample records have someone whose only honour is revoked"
    texts = all_text(sample_site)
    assert any(name.startswith("pagefind/") and name.endswith(".pf_fragment") for name in texts)
    for record_id in hidden:
        record = tree.workers.get(record_id) or tree.homes.get(record_id)
        section = "workers" if record_id in tree.workers else "homes"
        assert not (sample_site / section / record_id).exists()
        for name, text in texts.items():
            assert f"{section}/{record_id}/" not in text, (record_id, name)
            assert f'"{record_id}"' not in text, (record_id, name)
            if name.startswith(("data/", "pagefind/", "stats/", "workers/", "homes/", "sitemap")) or name in {
                    "index.html"}:
                assert record.name not in text, (record.name, name)
    # stories only about hidden people are not shown either
    for slug in tree.stories:
        if slug not in shown.stories:
            assert not (sample_site / "stories" / slug).exists()
            assert all(f"stories/{slug}/" not in text for text in texts.values())


def test_open_data_has_public_fields_of_shown_records_only(sample_site: Path):
    tree, shown = sample()
    workers = json.loads((sample_site / "data" / "workers.json").read_text(encoding="utf-8"))
    assert {w["id"] for w in workers} == set(shown.workers)
    for row in workers:
        expected = {(h.title, h.year) for h in shown.workers[row["id"]].honours}
        assert {(h["title"], h["year"]) for h in row["honours"]} == expected
        assert "revoked" not in json.dumps(row)
    raw = (sample_site / "data" / "workers.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese correctly
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {r["id"] for r in rows} == set(shown.workers)
    assert "zhang-jianguo" in {r["id"] for r in rows}
    homes = json.loads((sample_site / "data" / "homes.json").read_text(encoding="utf-8"))
    assert {h["id"] for h in homes} == set(shown.homes)


def test_sitemap_lists_every_shown_page_and_nothing_else(sample_site: Path):
    _, shown = sample()
    locs = re.findall(r"<loc>([^<]+)</loc>", (sample_site / "sitemap.xml").read_text(encoding="utf-8"))
    paths = {re.sub(r"^https?://[^/]+/", "", loc) for loc in locs}
    for wid in shown.workers:
        assert f"workers/{wid}/" in paths
    for slug in shown.stories:
        assert f"stories/{slug}/" in paths
    for record_id in shown.hidden:
        assert not any(record_id in p for p in paths)
    for path in paths:
        assert (sample_site / path / "index.html").is_file(), path


def test_workers_index_in_pinyin_order_with_facets(sample_site: Path):
    html = page(sample_site, "workers/")
    names = re.findall(r'<span class="laomo-card__name">([^<\s]+)', html)
    _, shown = sample()
    assert len(names) == min(50, len(shown.workers))
    from generator.site.names import pinyin_key

    overrides = {w.name: w.name_pinyin for w in shown.workers.values()}
    keys = [pinyin_key(n, overrides.get(n)) for n in names]
    assert keys == sorted(keys)
    # 单 (shan), 曾 (zeng) sorted by name_pinyin: 单丽华 among the S names
    if "单丽华" in names:
        letter_before = html[: html.index("单丽华")].rsplit('class="laomo-letter"', 1)[1]
        assert ">S<" in letter_before
    for dim in ("honour", "year", "region", "industry"):
        assert f'href="../workers/{dim}/"' in html
    assert (sample_site / "workers" / "honour" / "quanguolaodongmofan" / "index.html").is_file()
    assert (sample_site / "workers" / "region" / "shaanxi" / "index.html").is_file()
    facet = page(sample_site, "workers/honour/quanguolaodongmofan/")
    assert "张建国" in facet


def test_stories_linked_both_ways(sample_site: Path):
    _, shown = sample()
    for slug, story in shown.stories.items():
        html = page(sample_site, f"stories/{slug}/")
        for record_id in story.meta.about:
            section = "workers" if record_id in shown.workers else "homes"
            assert f'href="../../{section}/{record_id}/"' in html
            assert f'href="../../stories/{slug}/"' in page(sample_site, f"{section}/{record_id}/")


def test_story_with_pasted_script_is_sanitised(sample_site: Path):
    tree, shown = sample()
    dirty = [(wid, w) for wid, w in shown.workers.items() if w.story and "<script" in w.story]
    dirty_stories = [s for s in shown.stories.values() if "<script" in s.body]
    assert dirty or dirty_stories, "the sample records have a pasted <script>"
    pages = [page(sample_site, f"workers/{wid}/") for wid, _ in dirty]
    pages += [page(sample_site, f"stories/{s.slug}/") for s in dirty_stories]
    for html in pages:
        article = re.search(r"<article class=\"laomo-.*?</article>", html, re.S).group(0)
        assert "<script" not in article
        assert dangers(article) == []  # pasted markup is escaped text: a handler shows, never runs
        assert not re.search(r"<[^<>]*\son[a-z]+\s*=", article)
        assert "&lt;script&gt;" in article


def test_stats_charts_are_inline_accessible_svg(sample_site: Path):
    html = page(sample_site, "stats/")
    svgs = re.findall(r"<svg[^>]*role=\"img\".*?</svg>", html, re.S)
    assert len(svgs) == 6  # the sixth: 劳模创新工作室 by level
    for svg in svgs:
        assert "<title" in svg and "<desc" in svg
    for label in ("各年度授予的荣誉", "按省份", "荣誉称号分布", "性别", "按行业"):
        assert label in html
    assert html.count("<table>") >= 5  # the data table fallback
    assert "<script src=\"http" not in html and "cdn" not in html.lower()


def test_search_index_is_extended_with_filters(sample_site: Path):
    entry = json.loads((sample_site / "pagefind" / "pagefind-entry.json").read_text())
    languages = entry["languages"]
    assert any(lang.startswith("zh") for lang in languages)
    texts = all_text(sample_site)
    fragments = [t for n, t in texts.items() if n.endswith(".pf_fragment")]
    zhang = [f for f in fragments if "/workers/zhang-jianguo/" in f]
    assert zhang and "焊接" in zhang[0]
    data = json.loads(zhang[0][zhang[0].index("{"):])
    assert data["filters"]["类别"] == ["劳模"] and "陕西省" in data["filters"]["省份"]
    assert "全国劳动模范" in data["filters"]["荣誉称号"] and "2015" in data["filters"]["年份"]
    assert data["meta"]["title"] == "张建国" and data["meta"]["单位"]
    # only profiles, homes and stories are indexed
    urls = {json.loads(f[f.index("{"):])["url"] for f in fragments}
    assert all(re.match(r"^/(workers|homes|stories)/[a-z0-9-]+/$", u) for u in urls), urls


@pytest.mark.parametrize("url", ["", "workers/", "stats/", "workers/zhang-jianguo/"])
def test_no_external_resources(sample_site: Path, url: str):
    html = page(sample_site, url)
    for ref in re.findall(r'(?:src|href)="([^"]+)"', html):
        if ref.startswith("http"):
            # only plain links (never loaded by the page) may leave the site
            assert re.search(rf'<(a|link rel="canonical")[^>]*href="{re.escape(ref)}"', html), ref
