"""`laomo new`: ids from pinyin, templates that validate as written, look-alike warnings, refusals."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.edits.common import yaml_scalar
from generator.model.common import RECORD_ID
from generator.scaffold import fresh_id, home_id_base, person_id_base
from generator.validate.run import validate_public
from tests.conftest import REPO

WORKER_FLAGS = ["--name", "张建国", "--gender", "男", "--province", "陕西省", "--city", "西安市",
                "--unit", "西安某某机械厂", "--honour", "全国劳动模范", "--year", "2015"]
HOME_FLAGS = ["--name", "某某电气有限公司工会委员会", "--employer", "北京某某电气有限公司", "--ownership", "非公",
              "--province", "北京市", "--honour", "北京市模范职工之家", "--year", "2022"]


def new(tree, kind, *flags):
    return main(["new", kind, "--records", str(tree.records), *flags])


def errors(tree):
    return [d for d in validate_public(tree.records).diagnostics if d.severity == "error"]


def uncomment_all(text: str) -> str:
    """Enable every optional field of a template the way an editor does: delete the leading "# "."""
    out = []
    for line in text.splitlines():
        match = re.match(r"^(\s*)#( ?)(.*)$", line)
        if match and match.group(1) + match.group(2) and (
                re.match(r"(- )?[a-z_]+:", match.group(3)) or match.group(3).startswith("  ")) or line.strip() == "#":
            out.append(match.group(1) + match.group(3) if match else "")
        else:
            out.append(line)
    return "\n".join(out) + "\n"


# ---- ids ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name, expected", [
    ("张建国", "zhang-jianguo"),
    ("吕秀英", "lyu-xiuying"),
    ("单丽华", "shan-lihua"),
    ("曾国强", "zeng-guoqiang"),
    ("查文斌", "zha-wenbin"),
    ("仇志明", "qiu-zhiming"),
    ("欧阳修", "ouyang-xiu"),
    ("阿依古丽·买买提", "ayiguli-maimaiti"),
])
def test_person_id_is_surname_hyphen_given_name(name, expected):
    assert person_id_base(name) == expected


def test_home_id_comes_from_the_employer_without_company_suffix():
    assert home_id_base("北京西润电气设备有限公司") == "beijingxirundianqishebei"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("张王李赵单曾欧阳吕女建国秀英·A b1"), min_size=1, max_size=20))
def test_any_name_gives_a_valid_fresh_id(name):
    taken = {"zhang-jianguo"}
    record_id = fresh_id(person_id_base(name), taken, "worker")
    assert RECORD_ID.match(record_id) and record_id not in taken


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=30))
def test_yaml_scalar_reads_back_as_the_same_text(text):
    assert yaml.safe_load(f"k: {yaml_scalar(text)}\n")["k"] == text


# ---- workers -------------------------------------------------------------------------------


def test_new_worker_with_flags_validates_as_written(tree, capsys):
    assert new(tree, "worker", *WORKER_FLAGS) == 0
    path = tree.records / "workers" / "zhang-jianguo.yml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../schemas/worker.schema.json"
    assert errors(tree) == []
    out = capsys.readouterr().out
    assert "records/workers/zhang-jianguo.yml" in out.replace("\\", "/") and "下一步" in out
    worker = validate_public(tree.records).public.tree.workers["zhang-jianguo"]
    assert (worker.name, worker.gender, worker.region.province, worker.region.city, worker.unit) == \
           ("张建国", "男", "陕西省", "西安市", "西安某某机械厂")
    assert [(h.title, h.year) for h in worker.honours] == [("全国劳动模范", 2015)]


def test_every_optional_field_of_the_worker_template_validates_once_uncommented(tree):
    shutil.copy(REPO / "records" / "vocab" / "honours.yml", tree.records / "vocab" / "honours.yml")
    assert new(tree, "worker", *WORKER_FLAGS[:6], *WORKER_FLAGS[8:]) == 0  # no --city: it is a comment too
    path = tree.records / "workers" / "zhang-jianguo.yml"
    path.write_text(uncomment_all(path.read_text(encoding="utf-8")), encoding="utf-8")
    tree.photo("zhang-jianguo.jpg", (640, 800))
    assert errors(tree) == []
    worker = validate_public(tree.records).public.tree.workers["zhang-jianguo"]
    assert worker.studio is not None and worker.photo is not None and worker.died is not None
    assert len(worker.honours) == 2 and worker.region.city and worker.region.district and worker.story


def test_every_optional_field_of_the_home_template_validates_once_uncommented(tree):
    shutil.copy(REPO / "records" / "vocab" / "honours.yml", tree.records / "vocab" / "honours.yml")
    tree.home("bj-xirun-elec")
    assert new(tree, "home", *HOME_FLAGS, "--id", "bj-mou-elec") == 0
    path = tree.records / "homes" / "bj-mou-elec.yml"
    assert errors(tree) == []
    path.write_text(uncomment_all(path.read_text(encoding="utf-8")), encoding="utf-8")
    tree.photo("home-bj-mou-elec.jpg", (640, 480))
    assert errors(tree) == []
    home = validate_public(tree.records).public.tree.homes["bj-mou-elec"]
    assert home.parent == "bj-xirun-elec" and home.dissolved is not None and len(home.honours) == 2


def test_polyphonic_surname_gets_name_pinyin(tree):
    flags = list(WORKER_FLAGS)
    flags[1] = "单丽华"
    assert new(tree, "worker", *flags) == 0
    text = (tree.records / "workers" / "shan-lihua.yml").read_text(encoding="utf-8")
    assert "\nname_pinyin: shan lihua\n" in text
    assert errors(tree) == []


def test_id_collision_takes_a_numeric_suffix_across_workers_and_homes(tree, capsys):
    tree.worker("zhang-jianguo")
    tree.home("zhang-jianguo-2")
    assert new(tree, "worker", *WORKER_FLAGS) == 0
    assert (tree.records / "workers" / "zhang-jianguo-3.yml").is_file()
    assert errors(tree) == []
    assert "zhang-jianguo-3" in capsys.readouterr().out


def test_explicit_id_that_is_taken_is_refused(tree, capsys):
    tree.worker("zhang-jianguo")
    assert new(tree, "worker", *WORKER_FLAGS, "--id", "zhang-jianguo") == 1
    assert "已经被使用" in capsys.readouterr().err


def test_same_name_and_birth_year_warns_but_writes(tree, capsys):
    tree.worker("zhang-jianguo")  # 张建国, born 1970, 西安某某机械厂
    flags = [f if f != "西安某某机械厂" else "宝鸡某某厂" for f in WORKER_FLAGS]
    assert new(tree, "worker", *flags, "--birth-year", "1970") == 0
    err = capsys.readouterr().err
    assert "可能是同一个人" in err and "出生年份相同" in err and "zhang-jianguo.yml" in err
    assert (tree.records / "workers" / "zhang-jianguo-2.yml").is_file()


def test_same_name_and_unit_warns(tree, capsys):
    tree.worker("zhang-jianguo")
    assert new(tree, "worker", *WORKER_FLAGS) == 0
    err = capsys.readouterr().err
    assert "可能是同一个人" in err and "工作单位相同" in err


def test_same_name_elsewhere_does_not_warn(tree, capsys):
    tree.worker("zhang-jianguo")
    flags = [f if f != "西安某某机械厂" else "宝鸡某某厂" for f in WORKER_FLAGS]
    assert new(tree, "worker", *flags, "--birth-year", "1980") == 0
    assert "可能是同一个人" not in capsys.readouterr().err


def test_missing_flags_without_a_terminal_exit_2_naming_them(tree, capsys):
    assert new(tree, "worker", "--name", "张建国", "--province", "陕西省") == 2
    err = capsys.readouterr().err
    assert "缺少必填信息" in err and "--gender" in err and "--unit" in err and "--honour" in err and "--year" in err
    assert "--name" not in err.split("例如：")[0]
    assert not any((tree.records / "workers").iterdir())


def test_no_kind_is_a_usage_error(tree, capsys):
    assert main(["new", "--records", str(tree.records)]) == 2
    assert "worker" in capsys.readouterr().err


def test_unknown_honour_is_refused_with_close_titles(tree, capsys):
    flags = [f if f != "全国劳动模范" else "全国劳模" for f in WORKER_FLAGS]
    assert new(tree, "worker", *flags) == 1
    err = capsys.readouterr().err
    assert "不在荣誉称号表" in err and "您要找的是不是：全国劳动模范" in err
    assert not any((tree.records / "workers").iterdir())


def test_collective_title_is_refused_for_a_person(tree, capsys):
    flags = [f if f != "全国劳动模范" else "北京市模范职工之家" for f in WORKER_FLAGS]
    assert new(tree, "worker", *flags) == 1
    assert "只授予集体" in capsys.readouterr().err


@pytest.mark.parametrize("flag, value, code", [
    ("--gender", "男性", 2), ("--year", "二〇一五", 2), ("--year", "1949", 1), ("--year", "2999", 1),
])
def test_bad_values_are_refused(tree, capsys, flag, value, code):
    flags = list(WORKER_FLAGS)
    flags[flags.index(flag) + 1] = value
    assert new(tree, "worker", *flags) == code
    assert capsys.readouterr().err.startswith("laomo new：")


def test_honour_before_sixteenth_birthday_is_refused(tree, capsys):
    assert new(tree, "worker", *WORKER_FLAGS, "--birth-year", "2005") == 1
    assert "16 岁" in capsys.readouterr().err


def test_interactive_asks_again_after_a_wrong_answer(tree, monkeypatch, capsys):
    monkeypatch.setattr("generator.scaffold._is_terminal", lambda: True)
    answers = iter(["李秀英", "女士", "女", "", "陕西省", "", "咸阳某某纺织厂", "劳动模范", "陕西省劳动模范", "2010", "",
                    ""])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    assert main(["new", "worker", "--records", str(tree.records)]) == 0
    err = capsys.readouterr().err
    assert "性别只能是" in err and "您要找的是不是" in err
    assert errors(tree) == []
    worker = validate_public(tree.records).public.tree.workers["li-xiuying"]
    assert worker.gender == "女" and worker.region.city is None and worker.honours[0].title == "陕西省劳动模范"


def test_interactive_takes_several_honours_and_the_short_province_name(tree, monkeypatch, capsys):
    monkeypatch.setattr("generator.scaffold._is_terminal", lambda: True)
    answers = iter(["李秀英", "女", "1960", "陕西", "咸阳", "咸阳某某纺织厂", "陕西省劳动模范", "2010", "",
                    "全国劳动模范", "2015", "陕西省劳动模范", "全国劳动模范", ""])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    assert main(["new", "worker", "--records", str(tree.records)]) == 0
    assert "已经填过了" in capsys.readouterr().err
    assert errors(tree) == []
    worker = validate_public(tree.records).public.tree.workers["li-xiuying"]
    assert (worker.region.province, worker.region.city) == ("陕西省", "咸阳市")
    assert [(h.title, h.year) for h in worker.honours] == [("陕西省劳动模范", 2010), ("全国劳动模范", 2015)]


def test_unknown_province_is_refused(tree, capsys):
    flags = [f if f != "陕西省" else "关中" for f in WORKER_FLAGS]
    assert new(tree, "worker", *flags) == 2
    assert "不是省级行政区的名称" in capsys.readouterr().err


# ---- homes and stories ----------------------------------------------------------------------


def test_new_home_with_flags_validates(tree, capsys):
    assert new(tree, "home", *HOME_FLAGS) == 0
    path = tree.records / "homes" / "beijingmoumoudianqi.yml"
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../../schemas/home.schema.json\n")
    assert errors(tree) == []


def test_new_home_missing_ownership_exits_2(tree, capsys):
    flags = HOME_FLAGS[:4] + HOME_FLAGS[6:]
    assert new(tree, "home", *flags) == 2
    assert "--ownership" in capsys.readouterr().err


def test_new_story_with_flags_validates(tree, capsys):
    tree.worker("zhang-jianguo")
    tree.home("mou-home")
    assert new(tree, "story", "--title", "焊花里的师徒情", "--about", "zhang-jianguo,mou-home", "--date", "2024-05-01") == 0
    path = tree.records / "stories" / "2024-zhang-jianguo.md"  # year and the first subject: readable
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    assert [e.message[:12] for e in errors(tree)] == ["故事正文还是模板里的提示"]  # the placeholder must be replaced
    path.write_text(text[: text.index("（在这里写正文")] + "师徒二人的故事。\n", encoding="utf-8")
    assert errors(tree) == []
    story = validate_public(tree.records).public.tree.stories["2024-zhang-jianguo"]
    assert story.meta.about == ["zhang-jianguo", "mou-home"] and str(story.meta.date) == "2024-05-01"


def test_story_about_an_unknown_id_is_refused(tree, capsys):
    tree.worker("zhang-jianguo")
    assert new(tree, "story", "--title", "标题", "--about", "zhang-jiangu") == 1
    assert "您要找的是不是：zhang-jianguo" in capsys.readouterr().err


def test_home_with_the_same_union_name_warns(tree, capsys):
    tree.home("mou-home")  # 某某有限公司工会委员会
    flags = list(HOME_FLAGS)
    flags[1] = "某某有限公司工会委员会"
    assert new(tree, "home", *flags) == 0
    assert "可能是同一个职工之家" in capsys.readouterr().err


def test_without_a_vocabulary_nothing_is_written(tree, capsys):
    (tree.records / "vocab" / "honours.yml").unlink()
    assert new(tree, "worker", *WORKER_FLAGS) == 1
    assert "称号表" in capsys.readouterr().err
    assert not any((tree.records / "workers").iterdir())
