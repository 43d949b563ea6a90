"""`laomo check SITE_DIR [--private DIR] [--records DIR]`: verify a built public site.

Checks, on every file the build wrote:

* internal links, stylesheets, scripts and images resolve to files of the site
  (also the canonical/Open Graph/sitemap URLs under the site's own address);
* every `<img>` has alt text, every `<svg role="img">` a name;
* every page has `<html lang>` and a non-empty `<title>`;
* no `<script>` or `on…` event attribute came from a record: external scripts
  must be theme or Pagefind files, inline scripts must be JSON data or one of
  the theme's own inline scripts (those of the theme-only 404 page), no
  `javascript:` URL anywhere;
* no value from the private tree appears anywhere: HTML, JS, JSON, CSV,
  sitemap, Pagefind's gzipped index files and image metadata. The private
  tree is read as plain YAML (this package never imports the private model).
  A value equal to a field of the public records (a unit name both trees
  share) is not a secret; a unit name written in a public story is not either.
  Phones, id numbers, relatives, income and notes are always secrets, even
  when an editor pasted them into a public record.

Problems name the file and the kind of value, never the whole value.
Exit 0 when everything passes, 1 when a problem is found, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import posixpath
import re
import sys
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.parallel import map_in_processes
from site_checks.secrets import Secret, SecretMatcher, collect_private_values, public_values

TEXT_SUFFIXES = {".html", ".htm", ".js", ".mjs", ".css", ".json", ".xml", ".txt", ".csv", ".svg", ".map",
                 ".webmanifest", ".md", ".yml", ".yaml"}
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif"}
LINK_ATTRS = {("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("source", "src"),
              ("iframe", "src"), ("video", "src"), ("audio", "src"), ("video", "poster"), ("form", "action"),
              ("object", "data"), ("embed", "src"), ("area", "href"), ("use", "href"), ("image", "href")}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset", "background", "cite"}
_PATHLIKE = re.compile(r"([\"'])[./]*\1")


@dataclass
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class PageFacts:
    lang: str | None = None
    title: str = ""
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, attr, url)
    scripts: list[tuple[dict, str]] = field(default_factory=list)  # (attrs, inline text)
    handlers: list[tuple[str, str, str]] = field(default_factory=list)  # (tag, attr, value)
    js_urls: list[tuple[str, str]] = field(default_factory=list)
    images_without_alt: list[str] = field(default_factory=list)
    unnamed_svgs: int = 0
    canonical: str | None = None


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self._in_title = False
        self._script: dict | None = None
        self._script_text: list[str] = []
        self._svg_stack: list[dict] = []

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k.lower(): (v or "") for k, v in attrs_list}
        facts = self.facts
        if tag == "html":
            facts.lang = attrs.get("lang")
        elif tag == "title" and not self._svg_stack:
            self._in_title = True
        elif tag == "script":
            self._script, self._script_text = attrs, []
        elif tag == "img":
            if not attrs.get("alt", "").strip():
                facts.images_without_alt.append(attrs.get("src", "?"))
        elif tag == "svg":
            self._svg_stack.append({"named": bool(attrs.get("aria-label") or attrs.get("aria-labelledby")),
                                    "role": attrs.get("role", ""), "hidden": attrs.get("aria-hidden") == "true"})
        elif tag == "title" and self._svg_stack:
            self._svg_stack[-1]["named"] = True
        if tag == "link" and "canonical" in attrs.get("rel", "").split():
            facts.canonical = attrs.get("href")
        for name, value in attrs.items():
            if name.startswith("on"):
                facts.handlers.append((tag, name, value))
            if name in URL_ATTRS:
                compact = re.sub(r"[\s\x00-\x1f]", "", html.unescape(value)).lower()
                if compact.startswith(("javascript:", "vbscript:")) or (
                        compact.startswith("data:text/html")):
                    facts.js_urls.append((tag, name))
            if (tag, name) in LINK_ATTRS and value:
                facts.links.append((tag, name, value))
            if name == "srcset" and value:
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    if url:
                        facts.links.append((tag, name, url))
        if tag == "meta" and attrs.get("property") in {"og:image", "og:url"}:
            facts.links.append((tag, attrs["property"], attrs.get("content", "")))

    def handle_startendtag(self, tag, attrs):  # noqa: ANN001
        self.handle_starttag(tag, attrs)
        if tag == "svg":
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag == "script" and self._script is not None:
            self.facts.scripts.append((self._script, "".join(self._script_text)))
            self._script = None
        elif tag == "svg" and self._svg_stack:
            svg = self._svg_stack.pop()
            if svg["role"] == "img" and not svg["named"] and not svg["hidden"]:
                self.facts.unnamed_svgs += 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.facts.title += data
        if self._script is not None:
            self._script_text.append(data)


def parse_html(text: str) -> PageFacts:
    parser = _Parser()
    parser.feed(text)
    parser.close()
    return parser.facts


def _normalise_script(text: str) -> str:
    return _PATHLIKE.sub('"~"', text.strip())


@dataclass
class Site:
    root: Path
    site_url: str | None
    theme_inline: set[str]
    theme_handlers: set[tuple[str, str, str]]
    files: frozenset[str] = frozenset()  # every file, relative to the root, '/'-separated

    def resolve(self, page: str, url: str) -> str | None:
        """The site-relative path an internal URL points at; None for external URLs and anchors.
        A path climbing above the site root comes back starting with '../'."""
        url = html.unescape(url.strip())
        if self.site_url and url.startswith(self.site_url):
            url = "/" + url[len(self.site_url):]
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith(("#", "mailto:", "tel:", "data:")):
            return None
        path = unquote(parts.path)
        if not path:
            return None
        joined = path.lstrip("/") if path.startswith("/") else posixpath.join(posixpath.dirname(page), path)
        normal = posixpath.normpath(joined) if joined else "."
        return "" if normal == "." else normal

    def exists(self, target: str) -> bool:
        if target.startswith("../") or target == "..":
            return False
        if target in self.files:
            return True
        return (target.rstrip("/") + "/index.html").lstrip("/") in self.files


def _site_url(root: Path) -> str | None:
    home = root / "index.html"
    if not home.is_file():
        return None
    canonical = parse_html(home.read_text(encoding="utf-8", errors="replace")).canonical
    if canonical and canonical.startswith(("http://", "https://")):
        return canonical if canonical.endswith("/") else canonical + "/"
    return None


def _theme_scripts(root: Path) -> tuple[set[str], set[tuple[str, str, str]]]:
    """Inline scripts and handlers of the 404 page: rendered by the theme alone, without records."""
    page = root / "404.html"
    if not page.is_file():
        return set(), set()
    facts = parse_html(page.read_text(encoding="utf-8", errors="replace"))
    inline = {_normalise_script(text) for attrs, text in facts.scripts if not attrs.get("src") and text.strip()}
    return inline, set(facts.handlers)


def check_page(site: Site, rel: str, text: str) -> list[Problem]:
    facts = parse_html(text)
    problems: list[Problem] = []
    if not (facts.lang or "").strip():
        problems.append(Problem(rel, "<html> 缺少 lang 属性（应为 zh-CN）。"))
    if not facts.title.strip():
        problems.append(Problem(rel, "页面缺少 <title>。"))
    for src in facts.images_without_alt:
        problems.append(Problem(rel, f"图片缺少替代文字（alt）：{src}"))
    if facts.unnamed_svgs:
        problems.append(Problem(rel, f"{facts.unnamed_svgs} 个 role=\"img\" 的 SVG 图形没有标题或 aria-label。"))
    for tag, attr, url in facts.links:
        if rel == "404.html" and not url.startswith(("/", "http")):
            continue  # served at any depth: its links are root-relative on purpose
        target = site.resolve(rel, url)
        if target is not None and not site.exists(target):
            problems.append(Problem(rel, f"链接指向不存在的文件：<{tag} {attr}=\"{url}\">"))
    for attrs, inline in facts.scripts:
        kind = attrs.get("type", "").lower()
        script = attrs.get("src")
        if script:
            target = site.resolve(rel, script)
            inside = target is not None and site.exists(target)
            if not inside or not (target or "").startswith(("assets/", "pagefind/")):
                problems.append(Problem(rel, f"外部或未知来源的脚本：{script}（只允许主题和 Pagefind 的脚本）"))
        elif kind in {"application/ld+json", "application/json"}:
            try:
                json.loads(inline)
            except ValueError:
                problems.append(Problem(rel, f"<script type=\"{kind}\"> 的内容不是合法 JSON，可能被注入了脚本。"))
        elif inline.strip() and _normalise_script(inline) not in site.theme_inline:
            problems.append(Problem(rel, f"未知的内联脚本（不是主题自带的）：{inline.strip()[:40]}…"))
    for tag, attr, value in facts.handlers:
        if (tag, attr, value) not in site.theme_handlers:
            problems.append(Problem(rel, f"<{tag}> 带有事件属性 {attr}，可能来自记录中的脚本。"))
    for tag, attr in facts.js_urls:
        problems.append(Problem(rel, f"<{tag} {attr}> 使用了 javascript: 等可执行地址。"))
    return problems


def _decoded(path: Path, data: bytes) -> str:
    """A file's content as searchable text: gzip (Pagefind, sitemap.xml.gz) is decompressed first."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            pass
    return data.decode("utf-8", errors="ignore")


def _image_metadata(path: Path) -> tuple[str, list[str]]:
    """Text carried by an image's metadata, and which kinds of metadata it has."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover
        return "", []
    kinds: list[str] = []
    texts: list[str] = []
    try:
        with Image.open(path) as image:
            info = dict(image.info)
            exif = image.getexif()
            if len(exif):
                kinds.append("EXIF")
                texts += [str(v) for v in exif.values()]
                if exif.get_ifd(0x8825):
                    kinds.append("GPS")
            for key, label in (("xmp", "XMP"), ("XML:com.adobe.xmp", "XMP"), ("icc_profile", "ICC"),
                               ("comment", "注释"), ("exif", "EXIF")):
                if info.get(key) and label not in kinds:
                    kinds.append(label)
            for name, value in info.items():
                if isinstance(value, bytes):
                    texts.append(value.decode("utf-8", errors="ignore"))
                elif isinstance(value, str):
                    texts.append(value)
                    if name not in {"xmp", "XML:com.adobe.xmp", "comment"} and len(value) > 0:
                        kinds.append(f"文本块 {name}")
    except Exception:  # noqa: BLE001 - an unreadable image is reported by the byte scan only
        return "", []
    return "\n".join(texts), kinds


@dataclass
class Report:
    problems: list[Problem]
    pages: int
    files: int
    secrets: int


def _check_file(site: Site, matcher: SecretMatcher | None, rel: str) -> list[Problem]:
    path = site.root / rel
    problems: list[Problem] = []
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix in {".html", ".htm"}:
        problems += check_page(site, rel, data.decode("utf-8", errors="replace"))
    if suffix in IMAGE_SUFFIXES:
        meta_text, kinds = _image_metadata(path)
        if kinds and rel.startswith("photos/"):
            problems.append(Problem(rel, f"照片带有元数据（{'、'.join(dict.fromkeys(kinds))}），应只含像素。"))
        searchable = meta_text + "\n" + data.decode("utf-8", errors="ignore")
    elif suffix in TEXT_SUFFIXES:
        searchable = data.decode("utf-8", errors="ignore")
    else:
        searchable = _decoded(path, data)
    if matcher is not None:
        # pagefind/, and the other bundles (pagefind-base/NN/, pagefind-delta/) carry the same engine files
        vendor = rel.startswith("assets/") or (rel.startswith("pagefind") and (
            suffix in {".js", ".css"} or "wasm" in path.name))
        # numbers are looked for only in files made from records: vendor code is full of digits
        for secret in matcher.find(searchable, numbers=not vendor, path=rel):
            problems.append(Problem(rel, f"含有私密信息：{secret.kind}，{secret.masked}，"
                                         f"来自私密目录中的 {secret.source}"))
    return problems


def _check_chunk(context: tuple[Site, SecretMatcher | None], rels: list[str]) -> list[Problem]:
    site, matcher = context
    found: list[Problem] = []
    for rel in rels:
        found += _check_file(site, matcher, rel)
    return found


def check_site(root: Path, private: Path | None = None, records: Path | None = None, jobs: int = 2) -> Report:
    root = root.resolve()
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    site = Site(root, _site_url(root), *_theme_scripts(root), files=frozenset(files))
    problems: list[Problem] = []
    if not site.theme_inline:
        problems.append(Problem("404.html", "缺少 404 页面（用来识别主题自带的脚本）。"))
    matcher = None
    secrets: list[Secret] = []
    if private is not None:
        secrets = collect_private_values(private, public_values(records))
        matcher = SecretMatcher(secrets)
    chunks = [files[i:i + 400] for i in range(0, len(files), 400)]
    for found in map_in_processes(_check_chunk, chunks, (site, matcher), jobs if len(files) > 2000 else 1,
                                  chunksize=1):
        problems += found
    pages = sum(1 for rel in files if rel.endswith((".html", ".htm")))
    sitemap = root / "sitemap.xml"
    if site.site_url is not None and sitemap.is_file():
        for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap.read_text(encoding="utf-8")):
            target = site.resolve("index.html", html.unescape(loc))
            if target is None or not site.exists(target):
                problems.append(Problem("sitemap.xml", f"站点地图中的地址不存在：{loc}"))
    return Report(problems, pages, len(files), len(secrets))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("site", type=Path, metavar="SITE_DIR", help="已生成的网站目录，例如 site/")
    parser.add_argument("--private", type=Path, default=None, metavar="DIR",
                        help="私密记录目录：检查其中的任何值都没有出现在网站里")
    parser.add_argument("--records", type=Path, default=Path("records"), metavar="DIR",
                        help="公开记录目录（默认 records/）：同时出现在公开记录里的值不算泄露")


MAX_LINES = 200


def run(args: argparse.Namespace) -> int:
    site: Path = args.site
    if not site.is_dir():
        print(f"laomo check：网站目录“{site}”不存在或不是目录。", file=sys.stderr)
        return 2
    private = getattr(args, "private", None)
    if private is not None and not private.is_dir():
        print(f"laomo check：私密目录“{private}”不存在或不是目录。", file=sys.stderr)
        return 2
    records = getattr(args, "records", None)
    if records is not None and not records.is_dir():
        records = None
    report = check_site(site, private, records)
    lines = 0
    for problem in report.problems:
        if lines >= MAX_LINES:
            break
        print(problem)
        lines += 1
    if len(report.problems) > MAX_LINES:
        print(f"……另有 {len(report.problems) - MAX_LINES} 个问题未列出。")
    checked = f"检查了 {report.files} 个文件（其中页面 {report.pages} 个）"
    if private is not None:
        checked += f"，比对私密值 {report.secrets} 个"
    if report.problems:
        print(f"{checked}，发现 {len(report.problems)} 个问题。", file=sys.stderr)
        return 1
    print(f"{checked}，全部通过。")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="laomo check", description="检查已生成的网站")
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
