"""`laomo changes BASE`: the reviewer's summary of what a change does to the data, on a small git repository."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from generator.changes import changed_characters
from generator.cli import main
from tests.conftest import WORKER, Tree

STORY = """\
---
title: {title}
date: 2024-05-01
about:
  - {about}
---
{body}
"""

LONG_STORY = "他扎根一线三十年，带出徒弟四十多人，完成技术革新二十余项，为企业节约资金数百万元。" * 2


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True,
                          env=env).stdout.strip()


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def worker(worker_id: str, name: str = "张建国", unit: str = "西安某某机械厂", extra: str = "") -> str:
    text = WORKER.format(id=worker_id).replace("张建国", name).replace("西安某某机械厂", unit)
    return text + extra


@pytest.fixture
def repo(tree: Tree) -> Tree:
    git(tree.root, "init", "-q", "-b", "main")
    tree.worker("zhang-jianguo", worker("zhang-jianguo", extra=f"story: |\n  {LONG_STORY}\n"))
    tree.worker("wang-li", worker("wang-li", "王丽"))
    tree.write("stories/zhang-story.md", STORY.format(title="焊花里的青春", about="zhang-jianguo", body="正文一段。"))
    tree.write("stories/wang-story.md", STORY.format(title="王丽的三十年", about="wang-li", body="正文。"))
    commit(tree.root, "base")
    return tree


def changes(tree: Tree, base: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    code = main(["changes", base, "--records", str(tree.records)])
    out = capsys.readouterr().out
    assert code == 0, out
    return out.splitlines()


def test_summary_names_each_change_in_chinese(repo: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    base = git(repo.root, "rev-parse", "HEAD")
    repo.worker("li-ming", worker("li-ming", "李明"))  # a worker added
    revoked = worker("wang-li", "王丽").replace(
        "    year: 2015\n", "    year: 2015\n    revoked:\n      date: 2025-03-10\n      document: 总工发〔2025〕4号\n")
    repo.worker("wang-li", revoked)  # an honour revoked: the only one, so 王丽 leaves the site
    changed_story = LONG_STORY.replace("三十年", "三十五年")
    repo.worker("zhang-jianguo", worker("zhang-jianguo", unit="西安重型机械厂",
                                        extra=f"died: 2026-01-02\nstory: |\n  {changed_story}\n"))
    (repo.records / "stories" / "zhang-story.md").unlink()  # a story removed
    lines = changes(repo, base, capsys)

    assert lines[0] == f"## 本次改动对记录的影响（与 {base} 相比）"
    assert "- 人物：李明（li-ming），2015 年 全国劳动模范" in lines
    assert "- 故事：《焊花里的青春》（zhang-story）" in lines
    assert "- 王丽（wang-li）：2015 年 全国劳动模范（已撤销，撤销日期 2025-03-10，文号 总工发〔2025〕4号）" in lines
    assert "- 张建国（zhang-jianguo）：2026-01-02" in lines  # 登记逝世
    assert "- 人物 张建国（zhang-jianguo）" in lines
    assert "  - 工作单位：西安某某机械厂 → 西安重型机械厂" in lines
    assert "  - 先进事迹改动了 2 字" in lines
    assert "- 人物 李明（li-ming）（新增的记录）" in lines  # shown on the site
    assert "- 人物 王丽（wang-li）（所有荣誉均已撤销）" in lines  # hidden from the site
    assert "- 故事 《王丽的三十年》（wang-story）（相关的人物和职工之家都不再显示）" in lines
    assert "- 故事 《焊花里的青春》（zhang-story）（记录已删除）" in lines
    sections = [line for line in lines if line.startswith("### ")]
    assert sections == ["### 新增", "### 删除", "### 撤销荣誉", "### 登记逝世", "### 内容改动",
                        "### 网站上将新出现", "### 网站上将不再显示"]


def test_honour_conferred_and_photo_added(repo: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    base = git(repo.root, "rev-parse", "HEAD")
    repo.photo("wang-li.jpg")
    repo.worker("wang-li", worker("wang-li", "王丽").replace(
        "    year: 2015\n", "    year: 2015\n  - title: 陕西省劳动模范\n    year: 2010\n")
        + "photo:\n  file: wang-li.jpg\n  alt: 王丽在车间\n")
    lines = changes(repo, base, capsys)
    assert "- 王丽（wang-li）：2010 年 陕西省劳动模范" in lines
    assert "- 王丽（wang-li）：新增照片 wang-li.jpg" in lines
    assert "  - 照片说明：（空） → 王丽在车间" in lines

    base = commit(repo.root, "photo")
    repo.photo("wang-li.jpg", size=(300, 300))  # the same file name, another picture
    assert "- 王丽（wang-li）：更换了照片 wang-li.jpg" in changes(repo, base, capsys)


def test_nothing_changed_and_a_broken_file_is_not_called_removed(repo: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    base = git(repo.root, "rev-parse", "HEAD")
    assert "本次改动没有改变任何公开记录，网站上显示的内容不变。" in changes(repo, base, capsys)
    repo.worker("wang-li", "id: wang-li\nname: [\n")
    lines = changes(repo, base, capsys)
    assert "- 人物 wang-li：这个文件没有通过检查（见上面的检查结果），改好之后才能比较" in lines
    assert not any(line.startswith("- 人物：王丽") for line in lines)


def test_base_tree_is_read_as_blobs_never_through_links(repo: Tree, capsys: pytest.CaptureFixture[str],
                                                        tmp_path_factory: pytest.TempPathFactory) -> None:
    """A symlink committed under records/ is not followed when the base is copied out of git."""
    outside = tmp_path_factory.mktemp("outside") / "secret.yml"
    outside.write_text(worker("secret", "秘密"), encoding="utf-8")
    (repo.records / "workers" / "secret.yml").symlink_to(outside)
    base = commit(repo.root, "link")
    (repo.records / "workers" / "secret.yml").unlink()
    lines = changes(repo, base, capsys)
    assert not any("秘密" in line for line in lines)


def test_summary_appended_to_files_and_bad_base_refused(repo: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    summary = repo.root / "summary.md"
    summary.write_text("## 之前的内容\n", encoding="utf-8")
    repo.worker("li-ming", worker("li-ming", "李明"))
    assert main(["changes", "HEAD", "--records", str(repo.records), "--append-to", str(summary)]) == 0
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## 之前的内容\n## 本次改动对记录的影响") and "李明（li-ming）" in text
    assert capsys.readouterr().out == ""
    assert main(["changes", "no-such-revision", "--records", str(repo.records)]) == 2
    assert "无法取得 no-such-revision 的记录" in capsys.readouterr().err


def test_record_text_cannot_hide_lines_from_the_reviewer(repo: Tree, capsys: pytest.CaptureFixture[str]) -> None:
    """An HTML comment in a field would hide the rest of the comment on the pull request; links and emphasis too."""
    base = git(repo.root, "rev-parse", "HEAD")
    repo.worker("wang-li", worker("wang-li", "王丽") + "position: 技师<!-- [点这里](http://x) *强调*\n")
    lines = changes(repo, base, capsys)
    assert "  - 职务：（空） → 技师&lt;!-- \\[点这里\\](http://x) \\*强调\\*" in lines
    assert not any("<!--" in line for line in lines)


def test_changed_characters_counts_the_longer_side_of_each_edit() -> None:
    assert changed_characters("一二三四五", "一二三四五") == 0
    assert changed_characters("一二三四五", "一二X四五") == 1
    assert changed_characters("一二三", "一二三四五六") == 3
    assert changed_characters("一二三四五六", "一六") == 4
