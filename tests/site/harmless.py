"""What makes sanitised HTML harmless, checked on the parsed HTML rather than on its text.

Escaped markup is text (`&lt;img onerror=…&gt;` shows the words), so a search of the source for
`onerror=` or `javascript:` proves nothing either way; what matters is which elements and attributes
a browser builds.
"""

from __future__ import annotations

from html.parser import HTMLParser

ACTIVE_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "form", "input", "base",
               "link", "meta", "frame", "frameset", "template", "noscript", "xmp", "textarea", "video", "audio"}
LINK_ATTRIBUTES = {"href", "action", "formaction", "xlink:href"}
LOAD_ATTRIBUTES = {"src", "srcset", "poster", "data"}  # fetched by the browser at once: only from the site


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.elements.append(("!--", {}))


def dangers(fragment: str) -> list[str]:
    """What in `fragment` could run or load something: [] for harmless HTML."""
    parser = _Elements()
    parser.feed(fragment)
    parser.close()
    found = []
    for tag, attrs in parser.elements:
        own_qr = tag == "svg" and attrs.get("class") == "laomo-qr"  # the 分享 button's code, drawn by segno
        if (tag in ACTIVE_TAGS and not own_qr) or tag == "!--":
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on") or name == "style":
                found.append(f"<{tag} {name}>")
            target = "".join((value or "").split()).lower()
            if name in LINK_ATTRIBUTES and ":" in target.split("/")[0] \
                    and not target.startswith(("http://", "https://", "mailto:")):
                found.append(f"<{tag} {name}={value}>")
            if name in LOAD_ATTRIBUTES and (":" in target.split("/")[0] or target.startswith("//")):
                found.append(f"<{tag} {name}={value}>")
    return found


def shown_text(fragment: str) -> str:
    """The text a browser shows for `fragment` (entities decoded)."""
    parser = _Elements()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.text)
