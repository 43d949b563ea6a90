"""What visitors read, without a browser: dictionary order, balanced pages, homes filed under their own
name, words for the public, the correction contact, studios and the related links of a profile."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.site.names import initial, pinyin_key, place_free
from generator.site.pages import paginate
from generator.site.settings import SettingsError, read_site_settings
from tests.site.conftest import build, read


def test_names_in_dictionary_order_syllable_by_syllable_then_tone():
    names = ["蒋有才", "贾志刚", "钱福贵", "齐海燕", "章三", "张四", "张三", "马丽", "麻林"]
    ordered = sorted(names, key=pinyin_key)
    assert ordered.index("贾志刚") < ordered.index("蒋有才")  # jia before jiang
    assert ordered.index("齐海燕") < ordered.index("钱福贵")  # qi before qian
    assert ordered.index("麻林") < ordered.index("马丽")  # ma2 before ma3
    # one surname stays together (same reading: code point order, as no stroke data is at hand)
    assert ordered[-3:] == ["张三", "张四", "章三"]


def test_a_pinyin_override_reads_the_surname_with_its_tone():
    assert pinyin_key("单丽华", "shan lihua")[0][:2] == ("shan", 4)
    assert initial("单丽华", "shan lihua") == "S" and initial("单丽华") == "D"
    assert pinyin_key("曾国强", "zeng guoqiang")[0][:2] == ("zeng", 1)


@pytest.mark.parametrize("count, sizes", [(50, [50]), (51, [51]), (74, [74]), (76, [38, 38]), (101, [50, 51]),
                                          (0, [0])])
def test_pages_are_balanced(count, sizes):
    pages = paginate(list(range(count)), "workers/", "全部劳模", "workers")
    assert [len(p.items) for p in pages] == sizes
    assert [i for p in pages for i in p.items] == list(range(count))


def test_homes_are_filed_under_their_own_name():
    assert place_free("北京市西城区德润实验学校工会委员会", ["北京市", "北京市", "西城区"]).startswith("德润")
    assert place_free("北京顺义绿野蔬菜专业合作社工会委员会", ["北京市", "北京市", "顺义区"]).startswith("绿野")
    assert place_free("北京市", ["北京市"]) == "北京市"


def test_site_settings_from_laomo_yml(tmp_path: Path):
    records = tmp_path / "records"
    records.mkdir()
    assert read_site_settings(records).correction is None
    (tmp_path / "laomo.yml").write_text("site:\n  correction: 电话 010-1234\n", encoding="utf-8")
    assert read_site_settings(records).correction == "电话 010-1234"
    (tmp_path / "laomo.yml").write_text("site:\n  correction: [1, 2]\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="site.correction"):
        read_site_settings(records)


def test_sample_pages_speak_to_the_public(sample_site: Path):
    pages = [p for p in sample_site.rglob("index.html") if "editing" not in p.parts]  # the staff's guide aside
    for path in pages + [sample_site / "404.html"]:
        text = path.read_text(encoding="utf-8")
        visible = re.sub(r"<script.*?</script>|<[^>]+>", " ", text, flags=re.DOTALL)
        assert "合并请求" not in visible and not re.search(r"\bgit\b", visible), path
        assert 'alt="logo"' not in text and "<title>劳模馆 - 劳模馆</title>" not in text, path
    home = read(sample_site, "homes/bj-xirun-elec")
    assert "非公" not in re.sub(r"<[^>]+>", "", home.split("单位性质")[1][:80]) or "非公有制单位" in home
    assert "按名称拼音排列" in read(sample_site, "homes") and "按姓名拼音排列" not in read(sample_site, "homes")
    story = read(sample_site, "stories/welding-mentor-and-apprentice")
    assert "讲述：" not in story and "本文关于：" in story


def test_every_profile_says_whom_to_tell_of_a_mistake(sample_site: Path):
    contact = read_site_settings(Path(__file__).resolve().parents[2] / "records").correction
    assert contact
    for path in (sample_site / "workers").glob("*/index.html"):
        if path.parent.name in {"page", "honour", "year", "region", "industry"}:
            continue
        text = path.read_text(encoding="utf-8")
        assert "信息有误？" in text and contact in text, path


def test_profile_has_breadcrumbs_related_links_and_its_studio(sample_site: Path):
    profile = read(sample_site, "workers/zhang-jianguo")
    crumbs = profile.split('class="laomo-crumbs"')[1].split("</nav>")[0]
    assert "首页" in crumbs and "劳模" in crumbs and "陕西省" in crumbs
    assert "同行业：" in profile and "同年获奖：" in profile
    assert 'href="../../studios/zhang-jianguo/"' in profile
    studio = read(sample_site, "studios/zhang-jianguo")
    assert "张建国焊接技能劳模创新工作室" in studio and "领衔人" in studio and "../../workers/zhang-jianguo/" in studio
    listing = read(sample_site, "studios")
    assert listing.count('class="laomo-studiolist__name"') == 4
    assert 'href="studios/"' in read(sample_site, "")
    assert 'href="workers/"' in read(sample_site, "").split('class="laomo-stats"')[1]  # the count tiles link


def test_colleagues_of_one_unit_link_each_other(mini, tmp_path: Path):
    for worker_id, name in (("a-one", "王一"), ("b-two", "李二")):
        mini.worker(worker_id, name)
    out = tmp_path / "site"
    build(mini.root, out)
    assert "同单位：" in read(out, "workers/a-one") and "../../workers/b-two/" in read(out, "workers/a-one")
