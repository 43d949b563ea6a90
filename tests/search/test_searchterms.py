"""generator.site.searchterms: the hidden words that find a person by given name, pinyin, initials, unit."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

from generator.site.searchterms import (
    CLOSE,
    OPEN,
    SUFFIX_CHARS,
    code,
    fold,
    honour_label,
    honour_words,
    name_words,
    part_words,
    record_terms,
    split_name,
    story_terms,
    text_words,
    traditional_forms,
)


def test_code_is_three_base32_digits_per_character_and_prefix_free():
    assert code("建国") == "vxanq8nt"  # 建 U+5EFA, 国 U+56FD, counted from U+3400
    assert code("张 建国") == code("张建国") == "vxap0anq8nt"
    assert code("𠀀") == "vxw020000"  # anything else: w + six hex digits, never a prefix of a CJK code
    assert re.fullmatch(r"vx[0-9a-v]+w[0-9a-f]{6}", code("欧阳𠀀"))
    assert code("一") == "vx6g0"  # U+4E00 - U+3400 = 6656 = 6·1024 + 16·32 + 0


def test_split_name_knows_compound_surnames():
    assert split_name("张建国") == ("张", "建国")
    assert split_name("欧阳建国") == ("欧阳", "建国")
    assert split_name("司马光") == ("司马", "光")
    assert split_name("诸葛亮") == ("诸葛", "亮")
    assert split_name("姜敏") == ("姜", "敏")
    assert split_name("北京朝运公交客运有限公司工会委员会") == ("", "北京朝运公交客运有限公司工会委员会")


def test_name_words_full_given_pinyin_initials():
    words = name_words("张建国")
    assert words == [code("张建国") + "z", code("建国") + "z", code("張建國") + "z", code("建國") + "z",
                     "zhangjianguo", "jianguo", "zjg"]
    assert {"ouyangjianguo", "jianguo", "oyjg", code("建国") + "z"} <= set(name_words("欧阳建国"))


def test_polyphonic_surnames_use_the_override_or_the_surname_reading():
    assert {"shanlihua", "lihua", "slh"} <= set(name_words("单丽华", "shan lihua"))
    assert "danlihua" not in name_words("单丽华", "shan lihua")
    assert {"shanlihua", "slh"} <= set(name_words("单丽华"))  # 单 as a surname reads shan
    assert {"qiuzhiming", "qzm"} <= set(name_words("仇志明"))
    assert {"zengguoqiang", "zgq"} <= set(name_words("曾国强"))
    assert {"zhawenbin", "zwb"} <= set(name_words("查文斌", "zha wenbin"))
    assert {"shanlihua", "lihua", "slh"} <= set(name_words("单丽华", "Shān Lì Huá"))


def test_u_umlaut_is_found_as_v_and_as_u():
    assert {"lvxiuying", "luxiuying", "xiuying", "lxy"} <= set(name_words("吕秀英"))
    assert fold("Lü") == "lv"


def test_names_with_a_middle_dot_are_found_by_each_part():
    words = name_words("阿依古丽·买买提")
    assert {code("阿依古丽买买提") + "z", code("阿依古丽") + "z", code("买买提") + "z"} <= set(words)
    assert "ayigulimaimaiti" in words


def test_part_words_make_every_part_of_a_unit_a_prefix():
    unit = "西安华岳重工机械有限公司"
    words = part_words([unit, "焊接车间高级技师"])
    for text in (unit, "焊接车间高级技师"):
        for start in range(len(text)):
            for end in range(start + 2, min(len(text), start + SUFFIX_CHARS) + 1):
                assert any(w.startswith(code(text[start:end])) for w in words), text[start:end]
    assert len(words) == len(set(words))


def test_no_code_word_is_a_prefix_of_a_longer_query_code():
    """Pagefind also matches an indexed word that is a prefix of the query word: every code word ends in a
    letter that no query code has at that place, so 焊工 (a position) is not the exact name 焊工z."""
    words = part_words(["焊工", "西安华岳重工机械有限公司"]) + name_words("张建") + text_words(["焊，焊工"])
    for query in (code("焊工") + "z", code("焊工师"), code("张建国")):
        assert not [w for w in words if query.startswith(w) and query != w], query
    assert all(w.endswith("x") for w in part_words(["焊工"]))


def test_text_words_are_pairs_of_neighbouring_characters():
    words = text_words(["负责数据脱敏。焊", None])
    assert words[:2] == ["vq" + code("负责")[2:], "vq" + code("责数")[2:]]
    assert "vq" + code("脱敏")[2:] in words and "vq" + code("敏焊")[2:] not in words  # not across punctuation
    assert "vq" + code("焊")[2:] + "x" in words  # alone, and never a prefix of a pair
    assert len(words) == len(set(words)) == 6


def test_polyphonic_given_names_are_found_by_each_reading_the_likely_one_first():
    words = name_words("鲁长顺")
    assert {"luzhangshun", "luchangshun", "changshun", "lzs", "lcs"} <= set(words)
    assert words.index("luzhangshun") < words.index("luchangshun")  # pypinyin's phrase reading first
    assert sum(1 for w in words if w.startswith("lu") and len(w) > 3) <= 4  # bounded
    assert "luzhangshun" not in name_words("鲁长顺", "lu changshun")  # name_pinyin wins


def test_traditional_forms_of_names_and_units():
    assert traditional_forms("王建华") == ("王建華",)
    assert traditional_forms("张三丰") != () and traditional_forms("王五") == ()
    assert {code("王建華") + "z", code("建華") + "z"} <= set(name_words("王建华"))
    (form,) = traditional_forms("华岳重工")  # 華嶽重工
    assert any(w.startswith(code(form)) for w in part_words(["西安华岳重工机械有限公司"]))


def test_honour_words_find_title_endings_with_the_year():
    words = honour_words([("全国劳动模范", 2015), ("享受省部级劳模待遇（部级）", 2011)])
    for title in ("全国劳动模范", "劳动模范", "模范"):
        assert code(title) + "y2015" in words
    assert code("享受省部级劳模待遇部级") + "y2011" in words
    assert code("范") + "y2015" not in words


def test_hidden_text_is_wrapped_for_excerpts():
    text = record_terms("张建国")
    assert text.startswith(OPEN) and text.endswith(CLOSE) and "zjg" in text
    assert "baizhiqiang" in story_terms([("张建国", None), ("白志强", None)])
    assert record_terms("") == ""


def test_honour_label():
    assert honour_label("全国劳动模范", 2015) == "全国劳动模范（2015年）"


def indexed_pages(site: Path) -> dict[str, dict]:
    """What Pagefind holds for each indexed page (its fragments, in every base bundle), by URL."""
    pages = {}
    for bundle in json.loads((site / "search-bundles.json").read_text(encoding="utf-8"))["base"]:
        for fragment in (site / bundle / "fragment").glob("*.pf_fragment"):
            data = gzip.decompress(fragment.read_bytes())
            assert data.startswith(b"pagefind_dcd")
            page = json.loads(data[len(b"pagefind_dcd"):])
            pages[page["url"]] = page
    return pages


def test_sample_profile_is_indexed_with_search_words_and_honour_meta(search_site):
    pages = indexed_pages(search_site)
    zhang = pages["/workers/zhang-jianguo/"]
    assert zhang["meta"]["荣誉"] == "全国劳动模范（2015年）" and zhang["meta"]["title"] == "张建国"
    assert "全国劳动模范" in zhang["filters"]["荣誉称号"] and zhang["filters"]["类别"] == ["劳模"]
    words = zhang["content"].replace("\u200b", "")
    assert "zhangjianguo" in words and code("建国") + "z" in words
    assert code("华岳重工机械") in words and code("全国劳动模范") + "y2015" in words
    # the page's frame, headings and labels are not in the index
    assert "基本信息" not in words and "先进事迹" not in words and "性别" not in words
    shan = pages["/workers/shan-lihua/"]["content"]
    assert "shanlihua" in shan and "danlihua" not in shan
    story = pages["/stories/welding-mentor-and-apprentice/"]
    assert "baizhiqiang" in story["content"] and story["filters"]["类别"] == ["故事"]
    assert not [url for url in pages if not url.startswith(("/workers/", "/homes/", "/stories/"))]
    html = (search_site / "workers" / "zhang-jianguo" / "index.html").read_text(encoding="utf-8")
    # the search box loads Pagefind itself; PagefindUI is no longer on every page
    assert "pagefind-ui.js" not in html and "assets/laomo/search.js" in html
