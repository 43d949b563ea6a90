"""The baseline the site is measured against: Hugo + Pagefind extended over the same records.

Fair by construction:

* the same records: only the people and homes the site shows (at least one honour not revoked),
  with their visible honours, and the stories about at least one of them;
* the same fields on a profile (name, summary, honours with year and authority, unit, position,
  region, industry, story, achievements) in a minimal layout;
* equivalent pages: a page per worker, home and story, paginated lists (50 a page) of all workers
  and homes, and paginated pages per honour, year, province, city and industry (Hugo taxonomies),
  like the site's facet pages;
* the same index coverage: Pagefind extended over the `data-pagefind-body` main content of worker,
  home and story pages (list pages carry no body and are not indexed), with honour, province and
  year filters like the site's, and the same hidden search words the site puts in its main content
  (name in pinyin and initials, codes of unit and honour parts: generator/site/searchterms.py),
  computed beforehand like the rest of Hugo's content and not timed.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import yaml

LAYOUT_SINGLE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }} - 劳模馆</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><header><a href="/">劳模馆</a></header>
<main data-pagefind-body>
<h1 data-pagefind-meta="title">{{ .Title }}</h1>
{{ with .Params.terms }}<p hidden data-pagefind-weight="10">{{ . }}</p>{{ end }}
{{ with .Params.parts }}<p hidden>{{ . }}</p>{{ end }}
{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}
<ul>{{ range .Params.honours }}<li><span data-pagefind-filter="荣誉称号">{{ .title }}</span> <span data-pagefind-filter="年份">{{ .year }}</span> {{ .authority }}</li>{{ end }}</ul>
<dl>{{ with .Params.unit }}<dt>单位</dt><dd>{{ . }}</dd>{{ end }}{{ with .Params.position }}<dt>职务</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.province }}<dt>地区</dt><dd data-pagefind-filter="省份">{{ . }}</dd>{{ end }}{{ with .Params.city_name }}<dd>{{ . }}</dd>{{ end }}
{{ with .Params.industry_name }}<dt>行业</dt><dd>{{ . }}</dd>{{ end }}</dl>
{{ .Content }}
<ul>{{ range .Params.achievements }}<li>{{ . }}</li>{{ end }}</ul>
</main></body></html>
"""
LAYOUT_LIST = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1>
<ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.unit }}</li>{{ end }}</ul>
{{ with .Paginator }}{{ if .HasNext }}<a href="{{ .Next.URL }}">下一页</a>{{ end }}{{ end }}
</main></body></html>
"""
CONFIG = """baseURL = "/"
title = "劳模馆"
languageCode = "zh-CN"
disableKinds = ["RSS", "sitemap", "robotsTXT"]
[pagination]
pagerSize = 50
[taxonomies]
honour = "honour"
year = "year"
region = "region"
city = "city"
industry = "industry"
"""


def _front_matter(text: str) -> tuple[dict, str]:
    if not text.startswith("---"):
        return {}, text
    _, front, body = text.split("---", 2)
    return yaml.load(front, Loader=yaml.CSafeLoader) or {}, body


def search_words(records: Path) -> dict[str, tuple[str, str]]:
    """The hidden search words of every shown record and story, as the site computes them ("" when the
    site has none)."""
    from generator.load.public import load_public
    from generator.projection import project
    from generator.site.pages import build_site_model

    model = build_site_model(project(load_public(records).tree), {})
    words = {r.id: (getattr(r, "search_terms", "") or "", getattr(r, "search_parts", "") or "")
             for r in model.records.values()}
    words.update({f"story:{s.slug}": (getattr(s, "search_terms", "") or "", "") for s in model.stories})
    return words


def write_hugo_site(records: Path, out: Path) -> dict[str, int]:
    """Hugo sources for `records` in `out`; returns how many pages of each kind."""
    if out.exists():
        shutil.rmtree(out)
    words = search_words(records)
    vocab = {v["title"]: v for v in yaml.safe_load((records / "vocab" / "honours.yml").read_text(encoding="utf-8"))}
    (out / "layouts" / "_default").mkdir(parents=True)
    (out / "layouts" / "_default" / "single.html").write_text(LAYOUT_SINGLE, encoding="utf-8")
    for name in ("list.html", "taxonomy.html", "term.html"):
        (out / "layouts" / "_default" / name).write_text(LAYOUT_LIST, encoding="utf-8")
    (out / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    shown: set[str] = set()
    counts = {"workers": 0, "homes": 0, "stories": 0}
    for kind in ("workers", "homes"):
        folder = out / "content" / kind
        folder.mkdir(parents=True)
        (folder / "_index.md").write_text(f"---\ntitle: {kind}\n---\n", encoding="utf-8")
        for path in sorted((records / kind).glob("*.yml")):
            record = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            honours = [{"title": h["title"], "year": h["year"],
                        "authority": h.get("conferred_by") or vocab.get(h["title"], {}).get("authority", "")}
                       for h in record["honours"] if not h.get("revoked")]
            if not honours:
                continue  # not shown on the site either
            shown.add(record["id"])
            region = record["region"]
            front = {
                "title": record["name"],
                "summary": record.get("summary", ""),
                "unit": record.get("unit") or record.get("employer", ""),
                "position": record.get("position", ""),
                "province": region["province"],
                "city_name": region.get("city", ""),
                "industry_name": record.get("industry", ""),
                "achievements": record.get("achievements", []),
                "honours": sorted(honours, key=lambda h: (h["year"], h["title"])),
                "honour": sorted({h["title"] for h in honours}),
                "year": sorted({str(h["year"]) for h in honours}),
                "region": [region["province"]],
                "city": [region["city"]] if region.get("city") and region.get("city") != region["province"] else [],
                "industry": [record["industry"]] if record.get("industry") else [],
                "terms": words.get(record["id"], ("", ""))[0],
                "parts": words.get(record["id"], ("", ""))[1],
            }
            body = record.get("story") or ""
            (folder / f"{path.stem}.md").write_text(
                "---\n" + json.dumps(front, ensure_ascii=False) + "\n---\n" + body + "\n", encoding="utf-8")
            counts[kind] += 1
    folder = out / "content" / "stories"
    folder.mkdir(parents=True)
    (folder / "_index.md").write_text("---\ntitle: stories\n---\n", encoding="utf-8")
    for path in sorted((records / "stories").glob("*.md")):
        meta, body = _front_matter(path.read_text(encoding="utf-8"))
        if not any(a in shown for a in meta.get("about", [])):
            continue
        front = {"title": meta.get("title", path.stem), "date": str(meta.get("date", "")),
                 "summary": meta.get("source", ""), "terms": words.get(f"story:{path.stem}", ("", ""))[0]}
        (folder / f"{path.stem}.md").write_text(
            "---\n" + json.dumps(front, ensure_ascii=False) + "\n---\n" + body + "\n", encoding="utf-8")
        counts["stories"] += 1
    return counts


if __name__ == "__main__":
    print(write_hugo_site(Path(sys.argv[1]), Path(sys.argv[2])))
