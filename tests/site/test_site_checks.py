"""site_checks (`laomo check`): a built site is verified, leaks of private values are caught."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest
import yaml
from PIL import Image

from site_checks import check
from site_checks.secrets import SecretMatcher, classify, collect_private_values, public_values
from tests.conftest import REPO

RECORDS = REPO / "records"
PRIVATE = REPO / "examples" / "private"


def run_check(site: Path, capsys, private: Path | None = None, records: Path | None = RECORDS):
    parser = argparse.ArgumentParser()
    check.add_arguments(parser)
    argv = [str(site)]
    if private is not None:
        argv += ["--private", str(private)]
    if records is not None:
        argv += ["--records", str(records)]
    code = check.run(parser.parse_args(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def private_phone() -> tuple[str, str]:
    """A phone number from the sample private tree, and the worker it belongs to."""
    for path in sorted((PRIVATE / "workers").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("phone"), str) and data["phone"].startswith("1"):
            return data["phone"], path.stem
    pytest.skip("examples/private has no mobile phone number")


@pytest.fixture
def site_copy(sample_site: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(sample_site, copy)
    return copy


def test_sample_site_passes_with_the_sample_private_tree(sample_site: Path, capsys):
    if not PRIVATE.is_dir() or not any(PRIVATE.rglob("*.yml")):
        pytest.skip("examples/private is empty")
    code, output = run_check(sample_site, capsys, PRIVATE)
    assert code == 0, output
    assert "全部通过" in output


def test_planted_phone_in_a_public_story_is_caught(tmp_path: Path, capsys):
    from generator.site.build import build_site

    phone, _ = private_phone()
    records = tmp_path / "records"
    shutil.copytree(RECORDS, records)
    from generator.load.public import load_public
    from generator.projection import project

    shown = project(load_public(RECORDS).tree).stories
    assert shown, "the sample records have a shown story"
    target = records / "stories" / f"{sorted(shown)[0]}.md"
    target.write_text(target.read_text(encoding="utf-8") + f"\n\n如需采访，请拨打 {phone} 联系本人。\n",
                      encoding="utf-8")
    site = tmp_path / "site"
    build_site(records, site, echo=lambda line: None)
    code, output = run_check(site, capsys, PRIVATE, records)
    assert code == 1
    assert f"stories/{target.stem}/index.html" in output
    assert "电话号码" in output
    assert phone not in output  # the value is named by kind, never printed in full
    assert "pagefind/" in output  # found inside Pagefind's gzipped index too


def test_tampered_pages_are_caught(site_copy: Path, capsys):
    profile = site_copy / "workers" / "zhang-jianguo" / "index.html"
    html = profile.read_text(encoding="utf-8")
    html = html.replace("</article>", '<script>alert("x")</script><img src="../../photos/none.jpg">'
                        '<a href="../../workers/nobody/" onclick="steal()">x</a>'
                        '<a href="javascript:alert(1)">y</a></article>', 1)
    profile.write_text(html, encoding="utf-8")
    stats = site_copy / "stats" / "index.html"
    stats.write_text(stats.read_text(encoding="utf-8").replace('<html lang="zh-CN"', "<html", 1)
                     .replace("<title>", "<title>", 1), encoding="utf-8")
    code, output = run_check(site_copy, capsys)
    assert code == 1
    assert "未知的内联脚本" in output
    assert "缺少替代文字" in output
    assert "不存在的文件" in output and "nobody" in output
    assert "事件属性 onclick" in output
    assert "javascript:" in output
    assert "stats/index.html: <html> 缺少 lang" in output


def test_external_script_and_bad_jsonld_are_caught(site_copy: Path, capsys):
    profile = site_copy / "workers" / "zhang-jianguo" / "index.html"
    html = profile.read_text(encoding="utf-8")
    html = html.replace("</head>", '<script src="https://cdn.example.org/x.js"></script>'
                        '<script type="application/ld+json">{"a": </script></head>', 1)
    profile.write_text(html, encoding="utf-8")
    code, output = run_check(site_copy, capsys)
    assert code == 1
    assert "外部或未知来源的脚本" in output and "不是合法 JSON" in output


def test_photo_with_metadata_is_caught(site_copy: Path, capsys):
    name = next((site_copy / "photos").glob("*.jpg")).name
    exif = Image.Exif()
    exif[0x010F] = "SampleCam"
    exif.get_ifd(0x8825)[2] = (34.0, 15.0, 30.0)
    Image.new("RGB", (160, 200)).save(site_copy / "photos" / name, "JPEG", exif=exif)
    code, output = run_check(site_copy, capsys)
    assert code == 1
    assert f"photos/{name}" in output and "元数据" in output and "GPS" in output


def test_private_value_in_image_metadata_is_caught(site_copy: Path, tmp_path: Path, capsys):
    private = tmp_path / "private"
    (private / "workers").mkdir(parents=True)
    (private / "workers" / "zhang-jianguo.yml").write_text('id: zhang-jianguo\nphone: "13800001111"\n'
                                                            "relative_contact:\n  name: 王小红\n",
                                                            encoding="utf-8")
    name = next((site_copy / "photos").glob("*.jpg")).name
    Image.new("RGB", (160, 200)).save(site_copy / "photos" / name, "JPEG", comment="联系人王小红".encode())
    code, output = run_check(site_copy, capsys, private)
    assert code == 1
    assert "亲属姓名" in output and "王小红" not in output


def test_classification_of_private_fields(tmp_path: Path):
    assert classify(("phone",), "13991234526") == ("13991234526", True)
    assert classify(("id_number",), "61011119661120047X") == ("61011119661120047X", True)
    assert classify(("relative_contact", "name"), "王芳") == ("王芳", False)
    assert classify(("monthly_income_yuan",), 4500) == ("4500", True)
    assert classify(("monthly_income_yuan",), 800) is None  # too short to be told from any number
    assert classify(("monthly_income_yuan",), 2026) is None  # year-like: part of every date
    assert classify(("id",), "zhang-jianguo") is None
    assert classify(("employment",), "退休") is None
    assert classify(("years", "0", "membership_rate"), 0.95) is None
    assert classify(("events", "0", "note"), "拖欠工资三个月") == ("拖欠工资三个月", False)
    assert classify(("health_checks", "0"), "2024-05-01") is None
    # a private value equal to a public field (the unit both trees name) is not a secret
    records = tmp_path / "records"
    (records / "workers").mkdir(parents=True)
    (records / "workers" / "a-b.yml").write_text("id: a-b\nunit: 西安华岳重工机械有限公司\nstory: 电话 13800001111\n",
                                                 encoding="utf-8")
    private = tmp_path / "private"
    (private / "workers").mkdir(parents=True)
    (private / "workers" / "a-b.yml").write_text(
        'id: a-b\nphone: "13800001111"\ntransfers:\n  - from: 西安某机械厂\n    to: 西安华岳重工机械有限公司\n',
        encoding="utf-8")
    secrets = {s.value: s for s in collect_private_values(private, public_values(records))}
    assert "西安华岳重工机械有限公司" not in secrets
    assert "13800001111" in secrets  # pasted into a public story: still a secret
    assert "西安某机械厂" in secrets


def test_matcher_digit_boundaries_and_many_strings():
    from site_checks.secrets import Secret

    secrets = [Secret("4500", "收入", "workers/li-si.yml", True, "li-si"),
               Secret("13800001111", "电话号码", "workers/li-si.yml", True, "li-si"),
               Secret("王芳", "亲属姓名", "workers/li-si.yml", False, "li-si")] + [
        Secret(f"备注内容第{i}条说明", "备注", "x.yml", False) for i in range(300)]
    matcher = SecretMatcher(secrets)
    assert matcher.find("价格 14500 元，照片 ab4500cd.jpg") == []
    # a short number or a two-character name counts only beside its owner (it occurs by chance elsewhere)
    assert matcher.find("月收入4500元") == []
    assert [s.value for s in matcher.find("月收入4500元", path="workers/li-si/index.html")] == ["4500"]
    assert [s.value for s in matcher.find('{"url":"/workers/li-si/","content":"月收入4500元"}')] == ["4500"]
    assert matcher.find("王芳同志") == []
    assert [s.value for s in matcher.find("li-si,李四,……亲属王芳", path="data/workers.csv")] == ["王芳"]
    # long values count anywhere
    assert [s.value for s in matcher.find("电话13800001111。")] == ["13800001111"]
    assert [s.value for s in matcher.find("……备注内容第17条说明……")] == ["备注内容第17条说明"]
    assert matcher.find("备注内容第17条") == []
