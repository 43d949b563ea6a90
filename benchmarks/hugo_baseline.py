"""The baseline the site is measured against: Hugo + Pagefind extended over the same records.

It renders the same fields as our profiles (name, honours with year and authority,
unit, position, region, industry, summary, story, achievements) with a minimal
layout, and indexes the same coverage (the profile's main content).
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
<h1>{{ .Title }}</h1>
{{ with .Params.summary }}<p>{{ . }}</p>{{ end }}
<ul>{{ range .Params.honours }}<li data-pagefind-filter="称号">{{ .title }}</li><li>{{ .year }} {{ .authority }}</li>{{ end }}</ul>
<dl><dt>单位</dt><dd>{{ .Params.unit }}</dd><dt>职务</dt><dd>{{ .Params.position }}</dd>
<dt>地区</dt><dd data-pagefind-filter="省份">{{ .Params.province }}</dd><dd>{{ .Params.city }}</dd>
<dt>行业</dt><dd>{{ .Params.industry }}</dd></dl>
{{ .Content }}
<ul>{{ range .Params.achievements }}<li>{{ . }}</li>{{ end }}</ul>
</main></body></html>
"""
LAYOUT_LIST = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1>
<ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</main></body></html>
"""


def write_hugo_site(records: Path, out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    vocab = {v["title"]: v for v in yaml.safe_load((records / "vocab" / "honours.yml").read_text(encoding="utf-8"))}
    (out / "layouts" / "_default").mkdir(parents=True)
    (out / "layouts" / "_default" / "single.html").write_text(LAYOUT_SINGLE, encoding="utf-8")
    (out / "layouts" / "_default" / "list.html").write_text(LAYOUT_LIST, encoding="utf-8")
    (out / "hugo.toml").write_text('baseURL = "/"\ntitle = "劳模馆"\nlanguageCode = "zh-CN"\n'
                                   'disableKinds = ["taxonomy", "term", "RSS"]\n[pagination]\npagerSize = 50\n',
                                   encoding="utf-8")
    for kind in ("workers", "homes"):
        folder = out / "content" / kind
        folder.mkdir(parents=True)
        (folder / "_index.md").write_text(f"---\ntitle: {kind}\n---\n", encoding="utf-8")
        for path in sorted((records / kind).glob("*.yml")):
            record = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            front = {
                "title": record["name"],
                "summary": record.get("summary", ""),
                "unit": record.get("unit") or record.get("employer", ""),
                "position": record.get("position", ""),
                "province": record["region"]["province"],
                "city": record["region"].get("city", ""),
                "industry": record.get("industry", ""),
                "achievements": record.get("achievements", []),
                "honours": [{"title": h["title"], "year": h["year"],
                             "authority": h.get("conferred_by") or vocab.get(h["title"], {}).get("authority", "")}
                            for h in record["honours"] if not h.get("revoked")],
            }
            body = record.get("story") or ""
            (folder / f"{path.stem}.md").write_text(
                "---\n" + json.dumps(front, ensure_ascii=False) + "\n---\n" + body + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_hugo_site(Path(sys.argv[1]), Path(sys.argv[2]))
