"""How many bytes one search costs a visitor: measured in the browser.

Opens a page of a built site (served on 127.0.0.1), waits until it is loaded,
types a query into the header search box, waits for the results, and sums the
sizes of every response requested after the page was loaded (Pagefind's
script, wasm, metadata, index chunks, result fragments, photos of the results).

    .venv/bin/laomo synth --workers 20000 --homes 2000 --out /tmp/q20k/records
    .venv/bin/laomo build --records /tmp/q20k/records --out /tmp/q20k/site
    .venv/bin/python -m tests.search.payload --site /tmp/q20k/site 建国 zhangjianguo 焊接

Each query is measured in a fresh browser context (nothing cached). Sizes are
the responses (headers and bodies) as sent by the test server, which does not
compress: an upper bound of what a real server sends. With --gzip the server
compresses text (HTML, JS, CSS, JSON) as most static hosts do; Pagefind's
index, metadata and wasm are gzip files already and are sent as they are.

Three figures a query: "after the engine" (everything the query fetched but
Pagefind's engine — pagefind.js, its wasm, the entry files and
search-bundles.json: the index metadata, index chunks, result fragments and
photos; limit LIMIT_KB), the engine, and the whole first visit (the page with
its CSS, scripts and fonts, the engine and the query; limit FIRST_VISIT_KB).
With --records, the 20k query set (tests/search/synthqueries.py) is measured
instead of the queries given.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import io
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

if __package__ in (None, ""):  # run as a path: tests/search/payload.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.search.quality import CHROMIUM, launch, search, serve  # noqa: E402

LIMIT_KB = 300
FIRST_VISIT_KB = 450
ENGINE = ("/pagefind.js", "/pagefind-entry.json", ".pagefind", "/search-bundles.json")
TEXT_TYPES = (".html", ".js", ".css", ".json", ".svg", ".txt", ".xml")


class _Gzip(http.server.SimpleHTTPRequestHandler):
    """Like a static host: text compressed when the browser accepts gzip."""

    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in TEXT_TYPES or "gzip" not in self.headers.get("Accept-Encoding", "") \
                or not path.is_file():
            return super().send_head()
        data = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


@contextlib.contextmanager
def serve_gzip(site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Gzip, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()

DEFAULT_QUERIES = ["建国", "张建国", "zhangjianguo", "zjg", "焊接", "全国劳动模范 2015"]


def _size(request) -> int:
    sizes = request.sizes()
    return sizes["responseBodySize"] + sizes["responseHeadersSize"]


def is_engine(path: str) -> bool:
    return path.endswith(ENGINE)


def measure(browser, base: str, query: str, page_url: str = "about/",
            viewport: dict | None = None) -> tuple[int, list[tuple[str, int]], list[str], int]:
    """(bytes after the page loaded, [(path, bytes)] of those, result hrefs, bytes of the page's own load) of
    one query typed on a freshly loaded page."""
    context = browser.new_context(viewport=viewport or {"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    loading: list = []
    page.on("requestfinished", lambda request: loading.append(request))
    page.goto(base + page_url)
    page.wait_for_load_state("networkidle")
    page_bytes = sum(_size(r) for r in loading)
    requests: list = []
    page.on("requestfinished", lambda request: requests.append(request))
    hrefs = search(page, query)
    page.wait_for_load_state("networkidle")
    rows = [(urlsplit(request.url).path, _size(request)) for request in requests]
    context.close()
    return sum(size for _, size in rows), rows, hrefs, page_bytes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="一次搜索要下载多少字节（在浏览器中测量）")
    parser.add_argument("--site", type=Path, required=True, help="a built site, e.g. /tmp/q20k/site")
    parser.add_argument("--verbose", action="store_true", help="list every request")
    parser.add_argument("--gzip", action="store_true", help="serve text compressed, as most static hosts do")
    parser.add_argument("--records", type=Path, help="measure the query set made from these records (synthqueries)")
    parser.add_argument("--suite", action="store_true", help="measure the queries of queries.yml")
    parser.add_argument("queries", nargs="*", default=None)
    args = parser.parse_args(argv)
    queries = list(args.queries or [])
    if args.records:
        try:
            from .synthqueries import make_queries
        except ImportError:
            from synthqueries import make_queries  # type: ignore[no-redef]
        queries += [q.query for q in make_queries(args.records, args.site)]
    if args.suite:
        try:
            from .quality import load_queries
        except ImportError:
            from quality import load_queries  # type: ignore[no-redef]
        queries += [q.query for q in load_queries()]
    queries = list(dict.fromkeys(queries or DEFAULT_QUERIES))
    if not CHROMIUM.exists():
        print("没有 /usr/bin/chromium", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    worst = worst_first = 0
    afters: list[int] = []
    with (serve_gzip if args.gzip else serve)(args.site) as base, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for query in queries:
                total, rows, hrefs, page_bytes = measure(browser, base, query)
                engine = sum(size for path, size in rows if is_engine(path))
                after, first = total - engine, page_bytes + total
                afters.append(after)
                worst, worst_first = max(worst, after), max(worst_first, first)
                print(f"{query!r}: {after / 1024:.1f} KB after the engine ({engine / 1024:.1f} KB), first visit "
                      f"{first / 1024:.1f} KB; {len(rows)} requests, {len(hrefs)} results shown")
                if args.verbose:
                    for path, size in sorted(rows, key=lambda r: -r[1]):
                        print(f"    {size / 1024:7.1f} KB  {path}")
        finally:
            browser.close()
    afters.sort()
    print(f"{len(afters)} queries: after the engine median {afters[len(afters) // 2] / 1024:.1f} KB, largest "
          f"{worst / 1024:.1f} KB (limit {LIMIT_KB} KB); largest first visit {worst_first / 1024:.1f} KB "
          f"(limit {FIRST_VISIT_KB} KB)")
    return 0 if worst <= LIMIT_KB * 1024 and worst_first <= FIRST_VISIT_KB * 1024 else 1


if __name__ == "__main__":
    sys.exit(main())
