"""Rendering with the Material for MkDocs theme: MkDocs for the top pages, shells for the rest.

MkDocs builds the handful of top pages (home, indexes, stats, data, about) from
generated Markdown. The thousands of profile, home, story and listing pages
are not put through MkDocs: for each kind of URL (first segment and depth) the
theme's `main.html` is rendered ONCE with markers in place of the title,
description, extra head and content — with the real nav, header, search box
and styles, and relative links right for that depth — and every page of that
kind is that shell with its markers replaced. The page content itself comes
from our Jinja templates in `theme/laomo/`, rendered by an autoescaping
overlay of the very same theme environment.
"""

from __future__ import annotations

import functools
import html
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import jinja2
from markupsafe import Markup

from generator.site.share import QrCodes

REPO = Path(__file__).resolve().parents[2]
MKDOCS_YML = REPO / "mkdocs.yml"

TITLE_MARK = "LAOMOTITLEMARK"
DESC_MARK = "LAOMODESCMARK"
HEAD_MARK = "<!--LAOMO:HEAD-->"
CONTENT_MARK = "<!--LAOMO:CONTENT-->"
ROOT_MARK = "\x00laomo-root\x00"
_SEG = "laomoseg{}x"
_BLANK_LINES = re.compile(r"\n\s*\n")
_INDENT = re.compile(r"\n[ \t]+")
_MARKS = re.compile(r"(LAOMOTITLEMARK|LAOMODESCMARK|<!--LAOMO:HEAD-->|<!--LAOMO:CONTENT-->|laomoseg\dx)")


def root_of(url: str) -> str:
    """Relative prefix from the page at `url` back to the site root ('' for the home page)."""
    depth = len([s for s in url.split("/") if s])
    return "../" * depth


@dataclass
class Shell:
    """A rendered theme page split at its markers."""

    pieces: list[str]  # literal text and marker names, alternating

    def fill(self, title: str, description: str, head: str, content: str, segments: list[str]) -> str:
        values = {TITLE_MARK: html.escape(title, quote=True), DESC_MARK: html.escape(description, quote=True),
                  HEAD_MARK: head, CONTENT_MARK: content}
        for i, seg in enumerate(segments):
            values[_SEG.format(i)] = html.escape(seg, quote=True)
        return "".join(values.get(p, p) if i % 2 else p for i, p in enumerate(self.pieces))


class _Capture:
    """A minimal MkDocs plugin that keeps the theme environment, files and nav of the build."""

    def __init__(self, bytecode_cache: jinja2.BytecodeCache | None = None) -> None:
        self.bytecode_cache = bytecode_cache
        self.env: jinja2.Environment | None = None
        self.files: Any = None
        self.nav: Any = None

    def on_nav(self, nav, config, files):  # noqa: ANN001 - MkDocs event signature
        self.nav = nav
        return nav

    def on_files(self, files, config):  # noqa: ANN001
        """Drop theme files this site never uses: MkDocs search (Pagefind replaces it) and source maps."""
        for file in list(files):
            uri = file.src_uri
            if uri.startswith(("assets/javascripts/lunr/", "assets/javascripts/workers/")) or uri.endswith(".map"):
                files.remove(file)
        return files

    def on_env(self, env, config, files):  # noqa: ANN001
        if self.bytecode_cache is not None and env.bytecode_cache is None:
            env.bytecode_cache = self.bytecode_cache
        self.env, self.files = env, files
        return env


def load_mkdocs_config(docs_dir: Path, site_dir: Path, config_file: Path = MKDOCS_YML):
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    config = load_config(str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir))
    if "search" in config.plugins or "material/search" in config.plugins:
        raise RuntimeError("mkdocs.yml 不应启用 search 插件：站内搜索由 Pagefind 提供。")
    return config


def letter_groups(items: Any) -> list[tuple[str, list]]:
    """Jinja's `groupby("letter")` for a list page's cards, without its attribute lookups and sort of every
    item: (letter, its items in their order), '#' before A–Z."""
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(item.letter, []).append(item)
    return sorted(groups.items(), key=lambda group: group[0].lower())


@dataclass
class Theme:
    config: Any
    env: jinja2.Environment
    nav: Any
    files: Any
    fragments: jinja2.Environment = field(init=False)
    _shells: dict[tuple[str, int], Shell] = field(default_factory=dict, init=False)
    _cards: dict[str, str] = field(default_factory=dict, init=False)
    qr_codes: QrCodes = field(default_factory=lambda: QrCodes(None), init=False)  # visitors helper: 分享

    def __post_init__(self) -> None:
        # the theme's own environment does not autoescape (Material expects that); ours does
        self.fragments = self.env.overlay(autoescape=True)
        self.env.globals["laomo_cards"] = self.cards  # overlays share their parent's globals (and filters)
        self.env.filters["letter_groups"] = letter_groups
        self.env.filters["qr_svg"] = self.qr_svg  # visitors helper: the 分享 button's code (generator.site.share)

    def qr_svg(self, url: str) -> Markup:
        """The QR code of the page at site-relative `url`, as inline SVG (generator.site.share)."""
        return Markup(self.qr_codes.svg(self.site_url + url))

    def cards(self, items: Any, root: str) -> Markup:
        """The cards (macros.html `card`) of a list's items, each on a line of its own. A card is made once per
        record and process: a record is listed on six pages or so (its section, province, city, industry,
        honours, years), at one of a few depths. It is made with a marker where the link prefix goes; a
        record's text cannot hold the marker in practice, and if it did it would only show a relative prefix
        (ROOT_MARK is plain text). One call per list, not per card: Jinja's calls cost more than the cards."""
        made = self._cards
        pieces = []
        for r in items:
            card = made.get(r.url)
            if card is None:
                card = made[r.url] = str(self.macros.card(r, ROOT_MARK))
            pieces.append(card)
        return Markup(("\n" + "\n".join(pieces) if pieces else "").replace(ROOT_MARK, root))

    @functools.cached_property
    def language(self) -> str:
        """The pages' language tag as the theme writes it in `<html lang>` (zh-CN): the search documents carry
        the same, so that Pagefind's index has the language the search box asks for."""
        return self.env.from_string('{% import "partials/language.html" as lang with context %}'
                                    '{{ lang.t("language") }}').render(config=self.config).strip()

    @property
    def site_url(self) -> str:
        url = self.config.site_url or ""
        return url if url.endswith("/") else url + "/"

    @functools.cached_property
    def macros(self) -> Any:  # Jinja sets a template's macros as attributes of its module at run time
        """The module of laomo/macros.html, made once. Fragments get it as `m`: an `{% import %}` in a template
        costs a lookup through every global of the theme on each render, 20,000 profiles and more a build."""
        return self.fragments.get_template("laomo/macros.html").module

    def fragment(self, name: str, **context: Any) -> str:
        return self.fragments.get_template(name).render(m=self.macros, **context)

    @staticmethod
    def shell_key(url: str) -> tuple[str, int]:
        """Pages share a shell when their URLs have the same first segment and depth."""
        segments = [s for s in url.split("/") if s]
        return (segments[0] if segments else "", len(segments))

    def shell(self, url: str) -> Shell:
        key = self.shell_key(url)
        if key not in self._shells:
            self._shells[key] = self._render_shell([s for s in url.split("/") if s])
        return self._shells[key]

    def shells(self) -> dict[tuple[str, int], Shell]:
        return dict(self._shells)

    def restore_shells(self, shells: dict[tuple[str, int], Shell]) -> None:
        """Shells of an earlier build with the same theme, configuration and top pages (MkDocs not run)."""
        self._shells.update(shells)

    def _render_shell(self, segments: list[str]) -> Shell:
        from mkdocs.commands.build import get_context
        from mkdocs.structure.files import File
        from mkdocs.structure.pages import Page

        fake = [segments[0]] + [_SEG.format(i) for i in range(1, len(segments))] if segments else []
        src = "/".join(fake + ["index.md"])
        file = File.generated(self.config, src, content="")
        page = Page(TITLE_MARK, file, self.config)
        page.meta = {"description": DESC_MARK, "hide": ["toc"]}
        page.content = ""
        section = self._nav_page(f"{segments[0]}/" if segments else "")
        if section is not None:
            section.active = True
        try:
            # MkDocs' context, plus two keys of this theme's main.html that its TypedDict does not know
            context = cast(dict[str, Any], get_context(self.nav, self.files, self.config, page))
            context["laomo_head"] = HEAD_MARK
            context["laomo_content"] = CONTENT_MARK
            text = self.env.get_template("main.html").render(context)
        finally:
            if section is not None:
                section.active = False
        # Material's templates indent deeply; every generated page repeats the shell, so drop
        # blank lines and indentation (the shell has no <pre> or whitespace-sensitive text)
        text = _INDENT.sub("\n", _BLANK_LINES.sub("\n", text))
        return Shell(_MARKS.split(text))

    def run_mkdocs(self) -> None:
        """Let MkDocs build the top pages from the Markdown in docs_dir; keep its nav and files."""
        from mkdocs.commands.build import build

        capture = _Capture(self.env.bytecode_cache)
        self.config.plugins["laomo-capture"] = capture
        build(self.config)
        if capture.nav is None or capture.files is None:
            raise RuntimeError("MkDocs 未提供导航。")
        self.nav, self.files = capture.nav, capture.files
        self._shells.clear()

    def _nav_page(self, url: str):
        for page in self.nav.pages if self.nav is not None else []:
            if page.url == url:
                return page
        return None

    def page(self, url: str, title: str, description: str, head: str, content: str) -> str:
        segments = [s for s in url.split("/") if s]
        values = ["", *segments[1:]]
        return self.shell(url).fill(title, description, head, content, values)


def jsonld(data: dict) -> Markup:
    """JSON-LD safe inside <script>: '<', '>', '&' and line separators escaped."""
    import json

    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                          ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return Markup(text)
