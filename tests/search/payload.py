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

try:
    from .quality import CHROMIUM, launch, search, serve
except ImportError:  # run as a path: tests/search/payload.py
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from quality import CHROMIUM, launch, search, serve  # type: ignore[no-redef]

LIMIT_KB = 300
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


def measure(browser, base: str, query: str, page_url: str = "about/",
            viewport: dict | None = None) -> tuple[int, list[tuple[str, int]], list[str]]:
    """(total bytes, [(path, bytes)], result hrefs) of one query typed on a freshly loaded page."""
    context = browser.new_context(viewport=viewport or {"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.goto(base + page_url)
    page.wait_for_load_state("networkidle")
    requests: list = []
    page.on("requestfinished", lambda request: requests.append(request))
    hrefs = search(page, query)
    page.wait_for_load_state("networkidle")
    rows = []
    for request in requests:
        sizes = request.sizes()
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        rows.append((urlsplit(request.url).path, size))
    context.close()
    return sum(size for _, size in rows), rows, hrefs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="一次搜索要下载多少字节（在浏览器中测量）")
    parser.add_argument("--site", type=Path, required=True, help="a built site, e.g. /tmp/q20k/site")
    parser.add_argument("--verbose", action="store_true", help="list every request")
    parser.add_argument("--gzip", action="store_true", help="serve text compressed, as most static hosts do")
    parser.add_argument("queries", nargs="*", default=DEFAULT_QUERIES)
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print("没有 /usr/bin/chromium", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    worst = 0
    with (serve_gzip if args.gzip else serve)(args.site) as base, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            for query in args.queries:
                total, rows, hrefs = measure(browser, base, query)
                worst = max(worst, total)
                print(f"{query!r}: {total / 1024:.1f} KB in {len(rows)} requests, {len(hrefs)} results shown")
                if args.verbose:
                    for path, size in sorted(rows, key=lambda r: -r[1]):
                        print(f"    {size / 1024:7.1f} KB  {path}")
        finally:
            browser.close()
    print(f"largest: {worst / 1024:.1f} KB (limit {LIMIT_KB} KB)")
    return 0 if worst <= LIMIT_KB * 1024 else 1


if __name__ == "__main__":
    sys.exit(main())
