"""sitemap.xml of every shown page (MkDocs' own sitemap, which knows only the top pages, is replaced)."""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

LIMIT = 50_000  # URLs per sitemap file (sitemaps.org)


def _urlset(urls: list[str]) -> bytes:
    body = "".join(f"<url><loc>{escape(u)}</loc></url>\n" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{body}</urlset>\n").encode()


def write_sitemap(out: Path, site_url: str, pages: Iterable[str]) -> list[Path]:
    """`pages` are site-relative URLs ('' for the home page). Returns the files written."""
    urls = [site_url + p for p in dict.fromkeys(pages)]
    for stale in out.glob("sitemap*.xml*"):
        stale.unlink()
    written: list[Path] = []
    if len(urls) <= LIMIT:
        data = _urlset(urls)
        (out / "sitemap.xml").write_bytes(data)
        (out / "sitemap.xml.gz").write_bytes(gzip.compress(data, mtime=0))
        return [out / "sitemap.xml", out / "sitemap.xml.gz"]
    parts = []
    for n, start in enumerate(range(0, len(urls), LIMIT), 1):
        name = f"sitemap-{n}.xml"
        (out / name).write_bytes(_urlset(urls[start:start + LIMIT]))
        parts.append(name)
        written.append(out / name)
    index = "".join(f"<sitemap><loc>{escape(site_url + name)}</loc></sitemap>\n" for name in parts)
    (out / "sitemap.xml").write_text('<?xml version="1.0" encoding="UTF-8"?>\n'
                                     '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                                     f"{index}</sitemapindex>\n", encoding="utf-8")
    return [out / "sitemap.xml", *written]
