"""Untrusted text from records (stories, summaries) turned into safe HTML and plain text.

Records arrive by pull request, so their text may carry pasted HTML, scripts, event handlers or
`javascript:` links. None of it may run, and none of an editor's words may silently disappear (an
unclosed `<style>` or `<!--` used to take the rest of a story with it). So:

1. a story is Markdown with raw HTML *disabled*: a pasted tag, comment or script is shown as the text it
   is, escaped; code spans and blocks stay code, `<https://…>` stays a link;
2. an image is shown as its description: a profile's photos come from its `photo` field;
3. the result is sanitised with nh3 against a short allow-list, as a second line of defence: no scripts,
   no `on…` attributes, only http/https/mailto and site-relative links; a link to an unsafe scheme or to a
   page that is not shown is unwrapped, its text kept;
4. a summary is plain text, shown exactly as written (the model refuses HTML in it).

`changes` finds, for `laomo validate`, each place where what a reader sees is not what the editor
meant: markup shown as text, an image shown as its description, a link that will not be a link.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Container
from dataclasses import dataclass
from enum import Enum

import nh3
from markdown_it import MarkdownIt

from generator.model.text import HTML_MARKUP

# Raw HTML never reaches nh3 (Markdown escapes it); dropping these with their content is the second line.
_DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "textarea",
                      "select", "svg", "math", "title", "xmp", "noembed", "noframes"}
_ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "h2", "h3", "h4",
                 "h5", "h6", "a", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td", "del", "sup",
                 "sub"}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
_URL_SCHEMES = {"http", "https", "mailto"}
_RECORD_LINK = re.compile(r"(?:^|/)(workers|homes|stories)/([a-z0-9][a-z0-9-]*[a-z0-9])/?(?:[#?].*)?$")


def _image_as_description(renderer, tokens, idx, options, env) -> str:  # noqa: ANN001
    """A story's image is shown as its description: a profile's photos come from its `photo` field."""
    return html.escape(tokens[idx].content, quote=False)


def _new_markdown() -> MarkdownIt:
    # CommonMark (markdown-it-py) with raw HTML off: every pasted tag is escaped as text. Python-Markdown
    # was dropped because its emphasis parser loses words (`*a**b*c` rendered without the `c`).
    # Fences are off: their info string (```张) is not shown, and stories have no use for code blocks
    # beyond indented ones.
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"]).disable("fence")
    md.add_render_rule("image", _image_as_description)
    return md


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


def _render(source: str) -> str:
    """Markdown → HTML before sanitising: raw HTML escaped, images as their description, h1 as h2."""
    rendered = _md.render(source).rstrip("\n")
    return re.sub(r"<(/?)h1>", r"<\1h2>", rendered)


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
        return self.clean_html(_render(source))

    def inline(self, source: str | None) -> str:
        """A summary as HTML: plain text, escaped, nothing in it interpreted."""
        return html.escape(summary_text(source), quote=False)


def summary_text(source: str | None) -> str:
    """A summary (plain text) on one line."""
    return " ".join((source or "").split())


# ——— plain text and excerpts ——————————————————————————————————————————————————————————————————————

_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|pre|tr|th|td|ul|ol|table)>|<br\s*/?>|<hr\s*/?>")
# Chinese text and its punctuation: no space is wanted next to them when blocks are joined
_WIDE = r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef\u2018\u2019\u201c\u201d\u2026\u2014\u00b7]"
_SPACE_BY_WIDE = re.compile(rf"(?<={_WIDE})\s+|\s+(?={_WIDE})")
_SENTENCE_END = re.compile(r"[。！？]+[”’」』）)]*|…+[”’」』）)]*(?=\s|$)")
_PAIRS = {"“": "”", "‘": "’", "（": "）", "《": "》", "【": "】", "「": "」", "『": "』", "〔": "〕", "(": ")",
          "[": "]"}
_CLOSERS = {close: open_ for open_, close in _PAIRS.items()}


def visible_text(source: str | None) -> str:
    """What a reader sees of a story, as one line: blocks joined, no markup, entities decoded."""
    if not source or not source.strip():
        return ""
    plain = _plain_paragraphs(source)
    if plain is not None:
        blocks = [" ".join(p.split()) for p in plain]
    else:
        # Markdown's output holds only its own tags (raw HTML is escaped): stripping them all is enough
        rendered = _BLOCK_END.sub("\n", _render(source))
        text = html.unescape(nh3.clean(rendered, tags=set(), clean_content_tags=_DROP_WITH_CONTENT, attributes={},
                                       link_rel=None))
        blocks = [" ".join(line.split()) for line in text.split("\n")]
    return _SPACE_BY_WIDE.sub("", " ".join(b for b in blocks if b))


def _unclosed(text: str) -> int:
    """Index of the first bracket or quote in `text` that is not closed in it, or -1."""
    open_at: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch in _PAIRS:
            open_at.append((ch, i))
        elif ch in _CLOSERS and open_at and open_at[-1][0] == _CLOSERS[ch]:
            open_at.pop()
    return open_at[0][1] if open_at else -1


def excerpt(text: str, limit: int = 120) -> str:
    """`text` (visible text) cut to at most `limit` characters for a meta description or a card: at the
    last full sentence that leaves no bracket or quote open, else before the first open one, with “…”."""
    if len(text) <= limit:
        return text
    window = text[:limit]
    best = 0
    for found in _SENTENCE_END.finditer(window):
        if _unclosed(window[:found.end()]) < 0:
            best = found.end()
    if best >= limit // 4:
        return window[:best]
    cut = window[: limit - 1]
    first_open = _unclosed(cut)
    if first_open >= 0:
        cut = cut[:first_open]
    clause = max(cut.rfind(mark) for mark in "，；、：")
    if clause >= len(cut) // 2:
        cut = cut[:clause]
    return cut.rstrip(" ，；、：,;:.。") + "…"


def plain_text(source: str | None, limit: int | None = None) -> str:
    """A story (Markdown) as plain text for meta descriptions and search metadata; cut as `excerpt`."""
    text = visible_text(source)
    return text if limit is None else excerpt(text, limit)


# ——— what `laomo validate` warns of ———————————————————————————————————————————————————————————————


class ChangeKind(Enum):
    MARKUP = "markup"  # HTML shown as text
    IMAGE = "image"  # shown as its description
    LINK = "link"  # shown as text, not a link


@dataclass(frozen=True)
class TextChange:
    """A place in a story's source (1-based line and column within it) that is not shown as written."""

    line: int
    column: int
    kind: ChangeKind
    snippet: str  # the source text where it starts, as found in the file
    also: tuple[str, ...] = ()  # more markup on the same line, told in the same warning

    @property
    def message(self) -> str:
        if self.kind is ChangeKind.MARKUP:
            tags = "、".join(f"“{t}”" for t in (self.snippet, *self.also))
            return (f"{tags}是 HTML 标记。事迹按 Markdown 显示，HTML 不起作用，网页上会把它原样显示成文字。"
                    "请删掉它，或改用 Markdown 写法（加粗写作 **文字**，链接写作 [文字](https://…)）；"
                    "要把它当作代码展示，请用反引号 ` 括起来。")
        if self.kind is ChangeKind.IMAGE:
            return ("事迹里的图片不会显示，网页上只显示它的说明文字。照片请写在记录的 photo 字段里；"
                    "如果不需要这张图，请删掉这一处。")
        return (f"链接地址以“{self.snippet}”开头，不是 http、https 或 mailto 地址，网页上只显示链接文字，不会成为链接。"
                "请改成以 https:// 开头的网址，或删掉这个链接。")


# Code that Markdown shows as code: fenced blocks, indented blocks (not a list item's continuation) and
# backtick spans. Markup inside it is shown as written, which is what the editor meant.
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d+[.)])\s")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(?:(?!\n[ \t]*\n).)+?(?<!`)\1(?!`)", re.DOTALL)  # within a paragraph
_IMAGE = re.compile(r"!\[[^\]\n]*\]\(")
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)>]*)|^ {0,3}\[[^\]\n]+\]:[ \t]*<?(\S+)", re.MULTILINE)  # inline, reference
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_MIGHT_CHANGE = re.compile(r"<|!\[|\]\(|\]:")


def _without_code(source: str) -> str:
    """`source` with every character of its code blanked out (offsets kept)."""
    lines = source.split("\n")
    fence: str | None = None
    in_list = False
    previous_blank = True
    indented = False
    for i, line in enumerate(lines):
        blank = not line.strip()
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            lines[i] = " " * len(line)
        elif opening:
            fence = opening.group(1)
            lines[i] = " " * len(line)
        elif not blank and line.startswith(("    ", "\t")) and not in_list and (previous_blank or indented):
            indented = True
            lines[i] = " " * len(line)
        elif not blank:
            indented = False
            if not line.startswith((" ", "\t")):
                in_list = bool(_LIST_ITEM.match(line))
        previous_blank = blank
    text = "\n".join(lines)
    return _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def changes(source: str | None) -> list[TextChange]:
    """Where a story is not shown as written, in order."""
    if not source or not _MIGHT_CHANGE.search(source):
        return []
    text = _without_code(source)
    found: list[tuple[int, ChangeKind, str]] = []
    for match in HTML_MARKUP.finditer(text):
        tag = re.match(r"<[^<>\s]{0,30}>?", source[match.start():]).group()  # type: ignore[union-attr]
        found.append((match.start(), ChangeKind.MARKUP, tag))
    for match in _IMAGE.finditer(text):
        found.append((match.start(), ChangeKind.IMAGE, "!["))
    for match in _LINK_TARGET.finditer(text):
        group = 1 if match.group(1) is not None else 2
        target = "".join(match.group(group).split()).lower()
        scheme = _SCHEME.match(target)
        if scheme and scheme.group(1) not in _URL_SCHEMES:
            start = match.start(group)
            found.append((start, ChangeKind.LINK, source[start:source.index(":", start) + 1]))
    result: list[TextChange] = []
    for offset, kind, snippet in sorted(found, key=lambda f: f[0]):
        line = source.count("\n", 0, offset) + 1
        last = result[-1] if result else None
        if last and kind is ChangeKind.MARKUP and last.kind is kind and last.line == line:
            if len(last.also) < 4:
                result[-1] = TextChange(last.line, last.column, kind, last.snippet, (*last.also, snippet))
            continue
        column = offset - (source.rfind("\n", 0, offset) + 1) + 1
        result.append(TextChange(line, column, kind, snippet))
    return result
