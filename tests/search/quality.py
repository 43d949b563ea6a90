"""Search quality: does a visitor find the person (or home) they look for?

Runs every query of `queries.yml` through the REAL search box of the built sample
site in headless Chromium (type into the header box, read the result links) and
prints the top-1 and top-5 hit rates per kind of query. The last line is
``name queries top-1: N/M`` (name queries: name-full, name-given, name-spaced,
pinyin, initials, traditional).

    .venv/bin/python -m tests.search.quality            # builds records/ into a temporary folder
    .venv/bin/python tests/search/quality.py --site site --verbose

With --records (the tree the site was built from, e.g. by `laomo synth`) the
queries are made from those records instead (tests/search/synthqueries.py):

    .venv/bin/python -m tests.search.quality --site /tmp/s2k/site --records /tmp/s2k/records

Exit status 0 when the targets are met (≥ 98 % top-1 for name queries,
≥ 95 % top-5 overall), 1 when not, 2 when it cannot run.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from tests.conftest import REPO

RECORDS = REPO / "records"
QUERIES = Path(__file__).with_name("queries.yml")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
KINDS = ("name-full", "name-given", "name-spaced", "pinyin", "initials", "traditional", "unit", "skill",
         "honour-year", "studio", "home")
NAME_KINDS = ("name-full", "name-given", "name-spaced", "pinyin", "initials", "traditional")
NAME_TOP1_TARGET = 0.98
TOP5_TARGET = 0.95
RESULT_LINKS = "#laomo-search .pagefind-ui__result-link"
STATUS = "#laomo-search .laomo-search__status"


@dataclass(frozen=True)
class Query:
    query: str
    kind: str
    expect: frozenset[str]  # record ids; several when the query cannot have one right answer
    note: str = ""


@dataclass(frozen=True)
class Outcome:
    query: Query
    found: tuple[str, ...]  # ids (or story slugs) of the results, in order

    @property
    def top1(self) -> bool:
        return bool(self.found) and self.found[0] in self.query.expect

    @property
    def top5(self) -> bool:
        return any(found in self.query.expect for found in self.found[:5])


def load_queries(path: Path = QUERIES) -> list[Query]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    queries = []
    for entry in data["queries"]:
        expect = entry["expect"]
        expect = [expect] if isinstance(expect, str) else list(expect)
        if entry["kind"] not in KINDS:
            raise ValueError(f"{path}: unknown kind {entry['kind']!r} for query {entry['query']!r}")
        queries.append(Query(str(entry["query"]), entry["kind"], frozenset(expect), entry.get("note", "")))
    return queries


def build_sample(out: Path, records: Path = RECORDS) -> Path:
    """Build the sample records into `out` with the public command line (`laomo build`)."""
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--records", str(records), "--out", str(out)],
                            cwd=REPO, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError("laomo build failed:\n" + (result.stdout + result.stderr)[-3000:])
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        pass


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """The site on http://127.0.0.1:<random port>/."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def launch(playwright):
    """Headless Debian Chromium (never a downloaded browser)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def result_id(href: str) -> str:
    """/workers/zhang-jianguo/ → zhang-jianguo (a story gives its slug)."""
    parts = [p for p in href.split("?")[0].split("#")[0].split("/") if p]
    return parts[-1] if parts else href


def search(page, query: str, timeout: float = 15_000) -> list[str]:
    """Type `query` into the header search box of the open page; the hrefs of the results, in order."""
    box = page.locator("#laomo-search input")
    box.wait_for(state="visible", timeout=timeout)
    box.fill("")
    box.fill(query)
    page.wait_for_function(
        """([selector, query]) => {
            const status = document.querySelector(selector);
            const text = status ? status.textContent : "";
            return text.includes("“" + query.trim() + "”") && status.parentNode.getAttribute("aria-busy") === "false";
        }""", arg=[STATUS, query], timeout=timeout)
    return page.eval_on_selector_all(RESULT_LINKS, "els => els.map(e => e.getAttribute('href'))")


def settle(page, timeout: float = 15_000) -> None:
    """Wait until the search box has shown the results of what was last typed or chosen."""
    page.wait_for_function("""() => document.querySelector("#laomo-search-panel").getAttribute("aria-busy") === "false"
                           """, timeout=timeout)


def run_queries(browser, base: str, queries: list[Query], viewport: dict | None = None) -> list[Outcome]:
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(base + "about/")
        outcomes = [Outcome(q, tuple(result_id(h) for h in search(page, q.query))) for q in queries]
    finally:
        context.close()
    if errors:
        raise RuntimeError("JavaScript errors on the page: " + "; ".join(errors))
    return outcomes


def rates(outcomes: list[Outcome]) -> dict[str, tuple[int, int, int]]:
    """kind → (top-1 hits, top-5 hits, queries); also 'name' and 'all'."""
    table: dict[str, tuple[int, int, int]] = {}
    groups = {kind: [o for o in outcomes if o.query.kind == kind] for kind in KINDS}
    groups["name"] = [o for o in outcomes if o.query.kind in NAME_KINDS]
    groups["all"] = list(outcomes)
    for kind, group in groups.items():
        if group:
            table[kind] = (sum(o.top1 for o in group), sum(o.top5 for o in group), len(group))
    return table


def targets_met(outcomes: list[Outcome]) -> bool:
    table = rates(outcomes)
    name1, _, names = table.get("name", (0, 0, 0))
    _, all5, total = table["all"]
    return names > 0 and name1 / names >= NAME_TOP1_TARGET and all5 / total >= TOP5_TARGET


def report(outcomes: list[Outcome], verbose: bool = False) -> list[str]:
    lines: list[str] = []
    for o in outcomes:
        if verbose or not o.top5 or (o.query.kind in NAME_KINDS and not o.top1):
            mark = "ok  " if o.top1 else ("top5" if o.top5 else "MISS")
            lines.append(f"{mark} [{o.query.kind}] {o.query.query!r} → {', '.join(o.found[:5]) or '（无结果）'}"
                         f"   expected {' | '.join(sorted(o.query.expect))}")
    table = rates(outcomes)
    lines.append(f"{'kind':<12} {'top-1':>12} {'top-5':>12}")
    for kind in (*KINDS, "all"):
        if kind in table:
            one, five, n = table[kind]
            lines.append(f"{kind:<12} {one:>3}/{n:<3} {one / n:4.0%} {five:>3}/{n:<3} {five / n:4.0%}")
    one, _, n = table.get("name", (0, 0, 0))
    lines.append(f"name queries top-1: {one}/{n}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="劳模馆搜索质量：queries.yml 中的查询在真实搜索框中的命中率")
    parser.add_argument("--site", type=Path,
                        help="an already built site (default: build records/ into a temporary folder)")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--records", type=Path,
                        help="make the queries from this records tree (the one --site was built from)")
    parser.add_argument("--verbose", action="store_true", help="show every query, not only the misses")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print("没有 /usr/bin/chromium（apt-get install chromium）", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    if args.records and not args.site:
        parser.error("--records 需要同时给出 --site（由这些记录生成的网站）")
    if args.records:
        from .synthqueries import make_queries

        queries = make_queries(args.records, args.site)
    else:
        queries = load_queries(args.queries)
    with tempfile.TemporaryDirectory(prefix="laomo-search-") as tmp:
        site = args.site or build_sample(Path(tmp) / "site")
        with serve(site) as base, sync_playwright() as playwright:
            browser = launch(playwright)
            try:
                outcomes = run_queries(browser, base, queries)
            finally:
                browser.close()
    for line in report(outcomes, args.verbose):
        print(line)
    return 0 if targets_met(outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
