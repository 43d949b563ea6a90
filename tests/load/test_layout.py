"""records/ holds only public records, each where records.md puts it; the loaders never leave the tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.load.public import load_public
from generator.validate.layout import check_layout
from tests.conftest import REPO

PRIVATE_WORKER = (REPO / "examples/private/workers/zhang-jianguo.yml").read_text(encoding="utf-8")


@pytest.fixture
def records(tmp_path) -> Path:
    shutil.copytree(REPO / "records", tmp_path / "records")
    return tmp_path / "records"


def _validate(records: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "validate", "--records", str(records)],
                          capture_output=True, text=True, cwd=records.parent, check=False)


def _errors_by_path(output: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in output.splitlines():
        if ": error: " in line:
            where, message = line.split(": error: ", 1)
            found.setdefault(where.split(":")[0], []).append(message)
    return found


def test_sample_tree_has_the_layout():
    assert check_layout(REPO / "records") == []


@pytest.mark.parametrize("relative", ["private/workers/x.yml", "workers/old/x.yml", "x.yml", "workers/x/y/z.yml",
                                      ".private/x.yml", "vocab/old-honours.yml", "photos/x.yml", "homes/notes.doc"])
def test_private_file_in_a_wrong_place_is_an_error(records, relative):
    path = records / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PRIVATE_WORKER, encoding="utf-8")
    result = _validate(records)
    assert result.returncode == 1
    errors = _errors_by_path(result.stdout)
    shown = f"records/{relative}"
    assert shown in errors, result.stdout
    assert any("不会被读取" in m or "不属于" in m or "只能" in m for m in errors[shown]), errors[shown]
    assert any("6101**********0470" in m for m in errors[shown])  # and the ID number in it, masked
    assert "610111196611200470" not in result.stdout


def test_each_wrong_place_says_what_to_do(records):
    (records / "private").mkdir()
    (records / "workers/old").mkdir()
    problems = {d.path.split("records/", 1)[1]: d.message for d in check_layout(records)}
    assert set(problems) == {"private", "workers/old"}  # empty folders too
    assert "私密目录" in problems["private"] and "请删除" in problems["workers/old"]


def test_linked_folders_and_files_leaving_the_tree_are_refused(tmp_path):
    records = tmp_path / "records"
    shutil.copytree(REPO / "records", records)
    outside = tmp_path / "outside"
    outside.mkdir()
    for name in ("workers", "photos"):
        shutil.move(records / name, outside / name)
        (records / name).symlink_to(outside / name)
    shutil.move(records / "vocab/honours.yml", outside / "honours.yml")
    (records / "vocab/honours.yml").symlink_to(outside / "honours.yml")
    errors = _errors_by_path(_validate(records).stdout)
    for shown in ("records/workers", "records/photos", "records/vocab/honours.yml"):
        assert shown in errors and any("符号链接" in m for m in errors[shown]), shown
    load = load_public(records)  # what the build loads: nothing from outside
    assert load.tree.workers == {} and load.tree.vocab == {}


def test_link_inside_the_tree_is_fine(records):
    (records / "photos/same.jpg").symlink_to(records / "photos/zhang-jianguo.jpg")
    assert check_layout(records) == []


def test_fifo_and_folders_named_like_records_are_reported(records):
    os.mkfifo(records / "workers/pipe.yml")
    (records / "workers/folder.yml").mkdir()
    (records / "stories/folder.md").mkdir()
    errors = _errors_by_path(_validate(records).stdout)
    assert any("FIFO" in m for m in errors["records/workers/pipe.yml"])
    assert any("文件夹" in m for m in errors["records/workers/folder.yml"])
    assert any("文件夹" in m for m in errors["records/stories/folder.md"])
    assert all(len(errors[p]) == 1 for p in errors), errors  # the loader and the layout check do not both say it
    load = load_public(records)
    assert any(d.path.endswith("pipe.yml") for d in load.diagnostics)  # the build refuses it too


def test_text_named_like_a_photo_is_reported_and_scanned(records):
    (records / "photos/notes.jpg").write_text("身份证 610111196611200470\n", encoding="utf-8")
    errors = _errors_by_path(_validate(records).stdout)
    assert any("不是 JPEG" in m for m in errors["records/photos/notes.jpg"])
    assert any("6101**********0470" in m for m in errors["records/photos/notes.jpg"])


def test_dangling_link_and_link_loop_are_reported(records):
    (records / "workers/gone.yml").symlink_to(records / "workers/nowhere.yml")
    (records / "loop").symlink_to(records / "loop")
    errors = _errors_by_path(_validate(records).stdout)
    assert any("不存在" in m for m in errors["records/workers/gone.yml"])
    assert any("符号链接" in m for m in errors["records/loop"])
