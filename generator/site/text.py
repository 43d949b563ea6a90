"""Untrusted text from records (stories, summaries) turned into safe HTML.

Records arrive by pull request, so their Markdown may carry pasted HTML,
scripts, event handlers or `javascript:` links. The pipeline is:

1. strip every HTML tag from the source (the contents of script/style/iframe…
   are dropped entirely), so pasted markup never reaches Markdown;
2. render Markdown with raw HTML *disabled* (anything left that looks like a
   tag is escaped as text);
3. sanitise the result with nh3 against a short allow-list: no scripts, no
   `on…` attributes, only http/https/mailto and site-relative links, links to
   pages that are not shown are unwrapped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Container

import markdown
import nh3
from markdown.extensions import Extension

_DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "textarea",
                      "select", "svg", "math", "title", "xmp", "noembed", "noframes"}
_ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "h2", "h3", "h4",
                 "h5", "h6", "a", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td", "del", "sup",
                 "sub"}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
_URL_SCHEMES = {"http", "https", "mailto"}
_RECORD_LINK = re.compile(r"(?:^|/)(workers|homes|stories)/([a-z0-9][a-z0-9-]*[a-z0-9])/?(?:[#?].*)?$")

# step 1: no tag at all, the text of dangerous elements removed too
_strip_tags = nh3.Cleaner(tags=set(), clean_content_tags=_DROP_WITH_CONTENT, attributes={}, strip_comments=True,
                          link_rel=None)


class _NoRawHtml(Extension):
    """Python-Markdown without its raw-HTML passthrough: any tag is escaped as text."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def _new_markdown() -> markdown.Markdown:
    return markdown.Markdown(extensions=[_NoRawHtml(), "tables", "sane_lists"], output_format="html")


_md = _new_markdown()

# Text without any character Markdown or HTML would act on is rendered directly:
# the common case (plain Chinese prose) then costs microseconds, not a Markdown run.
_SPECIAL = re.compile(r"[\\`*_{}\[\]()<>#+\-.!|~=&:\t\r\f\v\u00a0\u2028\u2029]|^[ \t]|[ \t]$|^\s*\d+[.)]",
                      re.MULTILINE)


def _plain_paragraphs(source: str) -> list[str] | None:
    """The paragraphs of `source` when it is plain prose that Markdown would leave alone, else None."""
    if _SPECIAL.search(source):
        return None
    paragraphs = [p.strip("\n") for p in re.split(r"\n[ \t]*\n", source.strip())]
    return [p for p in (q.strip() for q in paragraphs) if p] or None


def strip_html(source: str) -> str:
    """The source with all HTML markup removed, as plain text (entities decoded once)."""
    if "<" not in source and "&" not in source:
        return source
    return html.unescape(_strip_tags.clean(source))


class Sanitiser:
    """Markdown → safe HTML. `shown` answers whether a linked record id has a page."""

    def __init__(self, shown: Container[str] | Callable[[str], bool] | None = None):
        self._shown = shown

    def _is_shown(self, record_id: str) -> bool:
        if self._shown is None:
            return True
        if callable(self._shown):
            return bool(self._shown(record_id))
        return record_id in self._shown

    def _attribute(self, tag: str, attr: str, value: str) -> str | None:
        if attr.lower().startswith("on"):
            return None
        if tag == "a" and attr == "href":
            stripped = "".join(value.split()).lower()
            if stripped.startswith(("javascript:", "vbscript:", "data:")):
                return None
            if "://" not in value and not value.startswith("mailto:"):
                match = _RECORD_LINK.search(value)
                if match and not self._is_shown(match.group(2)):
                    return None
        return value

    def clean_html(self, fragment: str) -> str:
        return nh3.clean(fragment, tags=_ALLOWED_TAGS, clean_content_tags=_DROP_WITH_CONTENT,
                         attributes=_ALLOWED_ATTRIBUTES, url_schemes=_URL_SCHEMES, strip_comments=True,
                         link_rel="noopener noreferrer nofollow", attribute_filter=self._attribute)

    def markdown(self, source: str | None) -> str:
        """Block Markdown (a story) as sanitised HTML; '' for nothing."""
        if not source or not source.strip():
            return ""
        plain = _plain_paragraphs(source)
        if plain is not None:
            return "\n".join("<p>" + html.escape(p, quote=False) + "</p>" for p in plain)
        _md.reset()
        rendered = _md.convert(strip_html(source))
        rendered = re.sub(r"<(/?)h1>", r"<\1h2>", rendered)
        return self.clean_html(rendered)

    def inline(self, source: str | None) -> str:
        """One line of Markdown (a summary) as sanitised inline HTML, without the paragraph."""
        block = self.markdown(source)
        if block.startswith("<p>") and block.endswith("</p>") and block.count("<p>") == 1:
            return block[3:-4]
        return block


def plain_text(source: str | None, limit: int | None = None) -> str:
    """Markdown as plain text for meta descriptions, search metadata and open data."""
    if not source:
        return ""
    plain = _plain_paragraphs(source)
    if plain is not None:
        text = re.sub(r"\s+", " ", " ".join(plain)).strip()
        return text if limit is None or len(text) <= limit else text[: limit - 1].rstrip() + "…"
    _md.reset()
    rendered = _md.convert(strip_html(source))
    text = html.unescape(nh3.clean(rendered, tags=set(), clean_content_tags=_DROP_WITH_CONTENT, attributes={},
                                   link_rel=None))
    text = re.sub(r"\s+", " ", text).strip()
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text
