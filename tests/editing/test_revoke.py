"""`laomo revoke`: the honour gains `revoked:`, every other byte stays; impossible input is refused."""

from __future__ import annotations

import pytest
import yaml

from generator.cli import main
from generator.validate.run import validate_public

# Comments everywhere, four-space and odd indentation, trailing spaces, inline comments,
# quoted values, a flow mapping, blank lines: all of it must survive byte for byte.
ODD = """\
# yaml-language-server: $schema=../../schemas/worker.schema.json
#   张建国的记录   （手工编辑，注释很多）

id:   zhang-jianguo     # 编号
name: "张建国"
gender: 男
birth_year: 1970   \t
region: {province: 陕西省,   city: 西安市}
unit: 西安某某机械厂

# ---- 荣誉 ----
honours:
    -   title: 陕西省劳动模范    # 省劳模
        year: 2008
        # 文号待补
    -   title:    全国劳动模范
        year:  2015
        document: '中发〔2015〕9号'   # 原文件

      # 这行注释缩进得很奇怪

story: |
  # 这不是注释，是正文里的一行
  他长期从事焊接技术攻关。

summary: 焊接能手。
"""

def write(tree, text: str):
    """The file exactly as given (the tree fixture's dedent would touch blank lines)."""
    path = tree.records / "workers" / "zhang-jianguo.yml"
    path.write_bytes(text.encode("utf-8"))
    return path


def revoke(tree, *args):
    return main(["revoke", *args, "--records", str(tree.records)])


def errors(tree):
    return [d for d in validate_public(tree.records).diagnostics if d.severity == "error"]


def test_odd_file_is_valid_to_start_with(tree):
    write(tree, ODD)
    assert errors(tree) == []


@pytest.fixture(params=["libyaml", "pure"])
def loader(request, monkeypatch):
    """Both YAML composers: positions must agree whichever one is installed."""
    if request.param == "pure":  # PyYAML's own scanner refuses the trailing tab that libyaml allows
        monkeypatch.setattr("generator.edits.common._LOADER", yaml.SafeLoader)
        monkeypatch.setattr("generator.load.yamlsource._COMPOSER", yaml.SafeLoader, raising=False)
        return ODD.replace("1970   \t", "1970   ")
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("libyaml is not installed")
    return ODD


def test_revoke_inserts_lines_and_keeps_every_other_byte(tree, capsys, loader):
    odd = loader
    path = write(tree, odd)
    before = path.read_bytes()
    assert revoke(tree, "zhang-jianguo", "--honour", "全国劳动模范", "--date", "2020-06-30",
                  "--document", "陕劳竞发〔2020〕3号") == 0
    after = path.read_bytes()
    # region is a flow mapping, so nested mappings get the default step of 2 under the item's column 8
    block = "        revoked:\n          date: 2020-06-30\n          document: 陕劳竞发〔2020〕3号\n"
    anchor = "        document: '中发〔2015〕9号'   # 原文件\n"
    assert after == odd.replace(anchor, anchor + block).encode()
    assert after.replace(block.encode(), b"") == before
    worker = validate_public(tree.records).public.tree.workers["zhang-jianguo"]
    assert worker.honours[1].revoked is not None and str(worker.honours[1].revoked.date) == "2020-06-30"
    assert worker.honours[0].revoked is None and worker.story.startswith("# 这不是注释")


def test_revoke_prints_the_unified_diff(tree, capsys):
    write(tree, ODD)
    assert revoke(tree, "zhang-jianguo", "--honour", "陕西省劳动模范", "--date", "2012-01-05", "--document", "某文") == 0
    out = capsys.readouterr().out
    assert "--- a/" in out and "+++ b/" in out and "zhang-jianguo.yml" in out
    assert "+        revoked:\n" in out and "+          date: 2012-01-05\n" in out
    assert "         year: 2008\n" in out  # context line
    assert "已在" in out and "撤销" in out


def test_revoke_first_honour_goes_before_the_comment_between_items(tree):
    path = write(tree, ODD)
    assert revoke(tree, "zhang-jianguo", "--honour", "陕西省劳动模范", "--date", "2012-01-05", "--document", "某文") == 0
    text = path.read_text(encoding="utf-8")
    assert "        year: 2008\n        revoked:\n          date: 2012-01-05\n          document: 某文\n" \
           "        # 文号待补\n" in text
    assert errors(tree) == []


def test_revoke_keeps_crlf_line_endings_and_a_missing_final_newline(tree, loader):
    text = loader.split("\n\n      # 这行注释")[0].replace("\n", "\r\n")  # ends with "# 原文件", no line break
    path = write(tree, text)
    assert errors(tree) == []
    before = path.read_bytes()
    assert revoke(tree, "zhang-jianguo", "--honour", "全国劳动模范", "--date", "2020-06-30", "--document", "文号") == 0
    block = "\r\n        revoked:\r\n          date: 2020-06-30\r\n          document: 文号\r\n"
    assert path.read_bytes() == before + block.encode()
    assert errors(tree) == []


def test_revoke_keeps_a_byte_order_mark(tree):
    path = tree.records / "workers" / "zhang-jianguo.yml"
    path.write_bytes(b"\xef\xbb\xbf" + ODD.encode())
    assert revoke(tree, "zhang-jianguo", "--honour", "陕西省劳动模范", "--date", "2012-01-05", "--document", "某文") == 0
    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf# yaml-language-server")
    assert after.replace("        revoked:\n          date: 2012-01-05\n          document: 某文\n".encode(), b"") == \
        b"\xef\xbb\xbf" + ODD.encode()


def test_revoke_fills_in_an_empty_revoked_line(tree, capsys):
    text = ODD.replace("        year: 2008\n", "        year: 2008\n        revoked:    # 待定\n")
    path = write(tree, text)
    assert errors(tree) == []
    assert revoke(tree, "zhang-jianguo", "--honour", "陕西省劳动模范", "--date", "2012-01-05", "--document", "某文") == 0
    assert path.read_text(encoding="utf-8") == ODD.replace(
        "        year: 2008\n", "        year: 2008\n        revoked:\n          date: 2012-01-05\n          document: 某文\n")


def test_revoke_quotes_a_document_that_needs_it(tree):
    path = tree.worker()
    assert revoke(tree, "zhang-jianguo", "--honour", "全国劳动模范", "--date", "2020-01-01",
                  "--document", "京工发〔2020〕1号 附件: 名单 #2") == 0
    assert 'document: "京工发〔2020〕1号 附件: 名单 #2"' in path.read_text(encoding="utf-8")
    worker = validate_public(tree.records).public.tree.workers["zhang-jianguo"]
    assert worker.honours[0].revoked.document == "京工发〔2020〕1号 附件: 名单 #2"


def test_revoke_a_home_honour(tree):
    path = tree.home("mou-home")
    assert revoke(tree, "mou-home", "--honour", "北京市模范职工之家", "--date", "2024-08-20", "--document", "京工发〔2024〕9号") == 0
    assert path.read_text(encoding="utf-8").endswith(
        "    year: 2020\n    revoked:\n      date: 2024-08-20\n      document: 京工发〔2024〕9号\n")
    assert errors(tree) == []


def test_same_title_twice_needs_year(tree, capsys):
    text = ODD.replace("title: 陕西省劳动模范", "title: 全国劳动模范")
    path = write(tree, text)
    before = path.read_bytes()
    assert revoke(tree, "zhang-jianguo", "--honour", "全国劳动模范", "--date", "2020-06-30", "--document", "x") == 2
    assert "--year" in capsys.readouterr().err and path.read_bytes() == before
    assert revoke(tree, "zhang-jianguo", "--honour", "全国劳动模范", "--year", "2008", "--date", "2020-06-30",
                  "--document", "x") == 0
    assert "        year: 2008\n        revoked:\n" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("args, code, message", [
    (["li-si", "--honour", "全国劳动模范", "--date", "2020-06-30", "--document", "x"], 1, "找不到编号为“li-si”"),
    (["zhang-jiangu", "--honour", "全国劳动模范", "--date", "2020-06-30", "--document", "x"], 1, "zhang-jianguo"),
    (["../zhang-jianguo", "--honour", "全国劳动模范", "--date", "2020-06-30", "--document", "x"], 1, "格式不对"),
    (["zhang-jianguo", "--honour", "全国劳模", "--date", "2020-06-30", "--document", "x"], 1, "您要找的是不是"),
    (["zhang-jianguo", "--honour", "北京市模范职工之家", "--date", "2020-06-30", "--document", "x"], 1, "没有“北京市模范职工之家”"),
    (["zhang-jianguo", "--honour", "全国劳动模范", "--date", "2999-01-01", "--document", "x"], 1, "晚于今天"),
    (["zhang-jianguo", "--honour", "全国劳动模范", "--date", "2014-12-31", "--document", "x"], 1, "早于获奖年份 2015"),
    (["zhang-jianguo", "--honour", "全国劳动模范", "--date", "2020/06/30", "--document", "x"], 2, "YYYY-MM-DD"),
    (["zhang-jianguo", "--honour", "全国劳动模范", "--date", "2020-02-30", "--document", "x"], 2, "不存在"),
    (["zhang-jianguo", "--honour", "全国劳动模范", "--date", "2020-06-30"], 2, "--document"),
    (["zhang-jianguo", "--date", "2020-06-30", "--document", "x"], 2, "--honour"),
    (["zhang-jianguo", "--honour", "全国劳动模范", "--year", "2016", "--date", "2020-06-30", "--document", "x"], 1,
     "没有 2016 年"),
])
def test_impossible_input_is_refused_and_nothing_changes(tree, capsys, args, code, message):
    path = write(tree, ODD)
    before = path.read_bytes()
    assert revoke(tree, *args) == code
    captured = capsys.readouterr()
    assert message in captured.err and captured.err.startswith("laomo revoke：")
    assert captured.out == ""
    assert path.read_bytes() == before


def test_already_revoked_is_refused(tree, capsys):
    path = write(tree, ODD)
    assert revoke(tree, "zhang-jianguo", "--honour", "全国劳动模范", "--date", "2020-06-30", "--document", "x") == 0
    before = path.read_bytes()
    capsys.readouterr()
    assert revoke(tree, "zhang-jianguo", "--honour", "全国劳动模范", "--date", "2021-06-30", "--document", "y") == 1
    assert "已于 2020-06-30 撤销" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_a_record_with_errors_is_not_edited(tree, capsys):
    path = write(tree, ODD.replace("gender: 男", "gender: 男性"))
    before = path.read_bytes()
    assert revoke(tree, "zhang-jianguo", "--honour", "全国劳动模范", "--date", "2020-06-30", "--document", "x") == 1
    assert "目前有错误" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_an_edit_that_breaks_the_file_is_rolled_back(tree, capsys, monkeypatch):
    path = write(tree, ODD)
    before = path.read_bytes()
    monkeypatch.setattr("generator.edits.revoke._insert_revoked",
                        lambda file, index, date, document: file.insert_after(3, ["honours: oops"]))
    assert revoke(tree, "zhang-jianguo", "--honour", "全国劳动模范", "--date", "2020-06-30", "--document", "x") == 1
    captured = capsys.readouterr()
    assert "已恢复原样" in captured.err and captured.out == ""
    assert path.read_bytes() == before


def test_the_last_honour_revoked_says_the_page_goes(tree, capsys):
    tree.worker()
    assert revoke(tree, "zhang-jianguo", "--honour", "全国劳动模范", "--date", "2020-06-30", "--document", "x") == 0
    assert "唯一未撤销的荣誉" in capsys.readouterr().out


def test_flow_style_honour_is_refused(tree, capsys):
    text = ODD.split("# ---- 荣誉 ----")[0] + "honours: [{title: 全国劳动模范, year: 2015}]\n"
    path = write(tree, text)
    before = path.read_bytes()
    assert errors(tree) == []
    assert revoke(tree, "zhang-jianguo", "--honour", "全国劳动模范", "--date", "2020-06-30", "--document", "x") == 1
    assert "无法自动修改" in capsys.readouterr().err
    assert path.read_bytes() == before
