"""`laomo build`: validation first, atomic swap, no stale files, pagination, progress output."""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.site import command
from generator.site.atomic import MARKER
from tests.conftest import REPO


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run_build(records: Path, out: Path, capsys) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    code = command.run(parser.parse_args(["--records", str(records), "--out", str(out), "--jobs", "1"]))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_build_prints_progress_and_what_it_wrote(mini, tmp_path, capsys):
    mini.worker("zhang-san", "张三")
    code, out, err = run_build(mini.root, tmp_path / "site", capsys)
    assert code == 0, err
    assert "校验记录" in out and "生成页面" in out and "建立搜索索引" in out
    assert "已生成网站" in out and "data/workers.csv" in out and "用时" in out
    assert (tmp_path / "site" / "workers" / "zhang-san" / "index.html").is_file()
    assert (tmp_path / "site" / MARKER).is_file()
    leftovers = [p.name for p in tmp_path.iterdir() if ".building-" in p.name or ".docs-" in p.name]
    assert not leftovers


def test_invalid_records_write_nothing(mini, tmp_path, capsys):
    mini.worker("zhang-san", "张三")
    mini.write("workers/li-si.yml", "id: li-si\nname: 李四\ngender: 未知\n")
    out = tmp_path / "site"
    code, stdout, err = run_build(mini.root, out, capsys)
    assert code == 1
    assert re.search(r"li-si\.yml:\d+:\d+: error: ", err)  # d.as_text()
    assert "没有写入任何文件" in err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["records"]  # nothing beside it either


def test_failed_build_leaves_previous_site_byte_identical(mini, tmp_path, capsys):
    mini.worker("zhang-san", "张三")
    out = tmp_path / "site"
    assert run_build(mini.root, out, capsys)[0] == 0
    before = snapshot(out)
    mini.write("workers/broken.yml", "id: broken\nname: [unclosed\n")
    code, _, err = run_build(mini.root, out, capsys)
    assert code == 1 and "broken.yml" in err
    assert snapshot(out) == before


def test_failure_during_rendering_leaves_previous_site(mini, tmp_path, capsys, monkeypatch):
    mini.worker("zhang-san", "张三")
    out = tmp_path / "site"
    assert run_build(mini.root, out, capsys)[0] == 0
    before = snapshot(out)
    mini.worker("li-si", "李四")
    from generator.site import indexing

    def explode(*args, **kwargs):
        raise RuntimeError("模拟的索引失败")

    monkeypatch.setattr(indexing, "BackgroundIndex", explode)
    with pytest.raises(RuntimeError):
        run_build(mini.root, out, capsys)
    assert snapshot(out) == before
    assert not [p for p in tmp_path.iterdir() if ".building-" in p.name]


def test_failure_inside_the_indexing_process_is_reported_and_leaves_previous_site(mini, tmp_path, capsys,
                                                                                   monkeypatch):
    """The index is built in a forked process: its failure reaches the editor as a message, not a hang."""
    mini.worker("zhang-san", "张三")
    out = tmp_path / "site"
    assert run_build(mini.root, out, capsys)[0] == 0
    before = snapshot(out)
    mini.worker("li-si", "李四")
    from generator.site import build as build_module

    def explode(self, job):
        raise ValueError("模拟的文档错误")

    monkeypatch.setattr(build_module.RenderState, "search_document", explode)
    code, _, err = run_build(mini.root, out, capsys)
    assert code != 0
    assert "站内搜索索引没有建成" in err and "模拟的文档错误" in err
    assert snapshot(out) == before
    assert not [p for p in tmp_path.iterdir() if ".building-" in p.name or ".search-" in p.name]


def test_rebuild_leaves_no_stale_file(mini, tmp_path, capsys):
    mini.worker("zhang-san", "张三")
    mini.worker("li-si", "李四", title="陕西省劳动模范", year=2010)
    out = tmp_path / "site"
    assert run_build(mini.root, out, capsys)[0] == 0
    assert (out / "workers" / "li-si" / "index.html").is_file()
    (mini.root / "workers" / "li-si.yml").unlink()
    assert run_build(mini.root, out, capsys)[0] == 0
    assert not (out / "workers" / "li-si").exists()
    assert not (out / "workers" / "honour" / "shanxishenglaodongmofan").exists()
    assert "li-si" not in (out / "sitemap.xml").read_text(encoding="utf-8")


def test_refuses_to_replace_a_folder_it_did_not_make(mini, tmp_path, capsys):
    mini.worker("zhang-san", "张三")
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", encoding="utf-8")
    code, _, err = run_build(mini.root, precious, capsys)
    assert code == 1 and "不是空目录" in err
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "keep me"
    code, _, err = run_build(mini.root, mini.root / "site", capsys)
    assert code == 1 and "重叠" in err


def test_revoked_only_person_vanishes_from_a_fresh_build(mini, tmp_path, capsys):
    mini.worker("zhang-san", "张三")
    mini.worker("gao-feng", "高峰", title="陕西省劳动模范", year=2010, revoked=True)
    mini.story("about-gao", ["gao-feng"], "高峰的故事。")
    mini.story("about-both", ["gao-feng", "zhang-san"], "两个人的故事。")
    out = tmp_path / "site"
    assert run_build(mini.root, out, capsys)[0] == 0
    assert not (out / "workers" / "gao-feng").exists()
    assert not (out / "stories" / "about-gao").exists()
    both = (out / "stories" / "about-both" / "index.html").read_text(encoding="utf-8")
    assert "zhang-san" in both and "gao-feng" not in both and "高峰" not in both


def test_pagination_about_50_per_page_without_a_lonely_last_page(mini, tmp_path, capsys):
    names = [s + g for s in "赵钱孙李周吴郑王冯陈褚卫蒋沈" for g in ("建国", "秀英", "志强", "丽华", "卫东", "红梅")]
    for i, name in enumerate(names[:81]):
        mini.worker(f"worker-{i:03d}", name)
    out = tmp_path / "site"
    assert run_build(mini.root, out, capsys)[0] == 0
    first = (out / "workers" / "index.html").read_text(encoding="utf-8")
    second = (out / "workers" / "page" / "2" / "index.html").read_text(encoding="utf-8")
    assert first.count('<li class="laomo-card') == 40  # 81 = 40 + 41, not 50 + 31
    assert second.count('<li class="laomo-card') == 41
    assert 'aria-current="page">2<' in second and 'href="../../../workers/"' in second  # back to page 1
    assert 'href="../workers/page/2/"' in first and "共 81 人" in first
    assert not (out / "workers" / "page" / "3").exists()


def test_site_module_never_imports_the_private_tree():
    code = ("import sys, generator.site.build, generator.site.command, generator.projection, site_checks.check;"
            "bad=[m for m in sys.modules if m.startswith(('generator.model.private','generator.load.private',"
            "'generator.reports','generator.validate.private'))];print(bad);sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
