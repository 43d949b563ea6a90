"""Untrusted Markdown from records: rendered, then sanitised."""

from __future__ import annotations

import re

import pytest

from generator.site.text import (
    Sanitiser,
    _plain_paragraphs,
    _render,
    plain_text,
    summary_text,
)
from tests.site.harmless import dangers, shown_text

ATTACK = """\
他长期从事焊接技术攻关。<script>alert('x')</script>

<img src="x" onerror="alert(1)"> <b onclick="steal()">加粗</b> <a href="javascript:alert(2)">点我</a>

[链接](javascript:alert(3)) [大写](JaVaScRiPt:alert(4)) [数据](data:text/html,<script>alert(5)</script>)

<iframe src="https://evil.example/"></iframe><style>body{display:none}</style>
<svg onload="alert(6)"><circle/></svg>
&lt;script&gt;alert(7)&lt;/script&gt;
"""


def test_scripts_handlers_and_javascript_urls_are_harmless_text():
    html = Sanitiser().markdown(ATTACK)
    assert "焊接技术攻关" in html and "加粗" in html
    assert "<script" not in html.lower()
    assert "<iframe" not in html and "<style" not in html and "<svg" not in html and "<img" not in html
    assert not re.search(r"<[^>]*\son\w+\s*=", html, re.IGNORECASE)  # as text, escaped, only
    assert not re.search(r"<[^<>]*href=\"\s*(javascript|data):", html, re.IGNORECASE)
    assert dangers(html) == []
    # pasted markup is shown as the text it is, not dropped
    assert "<script>alert('x')</script>" in shown_text(html)
    assert "&lt;script&gt;" in html


def test_allowed_markdown_survives():
    html = Sanitiser().markdown("# 标题\n\n**重点** 和 *强调*\n\n- 一\n- 二\n\n> 引用\n\n[官网](https://example.org/)")
    assert "<h2>标题</h2>" in html  # h1 is reserved for the page
    assert "<strong>重点</strong>" in html and "<em>强调</em>" in html
    assert "<li>一</li>" in html and "<blockquote>" in html
    assert 'href="https://example.org/"' in html and "noopener" in html


def test_links_to_pages_that_are_not_shown_are_unwrapped():
    html = Sanitiser({"zhang-jianguo"}).markdown("[张](../../workers/zhang-jianguo/) [高](../../workers/gao-feng/)")
    assert 'href="../../workers/zhang-jianguo/"' in html
    assert "gao-feng" not in html and "高" in html


def test_summary_is_plain_text_and_plain_text_has_no_markup():
    assert Sanitiser().inline("一句**话** <b>。") == "一句**话** &lt;b&gt;。"
    assert summary_text(" 一句\n话。 ") == "一句 话。"
    assert plain_text("一句**话**。") == "一句话。"
    assert plain_text("很长的一句话" * 30, 20).endswith("…")


@pytest.mark.parametrize("text", [
    "张建国从技校毕业。\n\n他长期从事焊接技术攻关，先后参与改进。",
    "一行\n两行\n\n\n三段",
    "“焊缝就是良心”，他说。",
    "1984年，入厂。",
])
def test_fast_path_equals_full_markdown(text):
    assert _plain_paragraphs(text) is not None
    slow = Sanitiser().clean_html(_render(text))
    assert Sanitiser().markdown(text) == slow


@pytest.mark.parametrize("text", ["- 列表", "1. 第一", "    缩进代码", "a*b*", "# 标题", "行尾两个空格  \n下一行"])
def test_markdown_syntax_takes_the_full_path(text):
    assert _plain_paragraphs(text) is None


def test_fast_path_property():
    hypothesis = pytest.importorskip("hypothesis")
    from hypothesis import strategies as st

    alphabet = st.sampled_from(list("张建国焊接技术攻关，。“”！？（）年月日0123456789abc \n"))

    @hypothesis.settings(max_examples=300, deadline=None)
    @hypothesis.given(st.text(alphabet=alphabet, max_size=60))
    def check(text):
        if _plain_paragraphs(text) is None:
            return
        assert Sanitiser().markdown(text) == Sanitiser().clean_html(_render(text))

    check()
