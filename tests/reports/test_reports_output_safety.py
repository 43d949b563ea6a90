"""`laomo report --out`: refused wherever private reports could reach git, a site or the records; written whole,
owner-only, inside --out and nowhere else, even when the writer is killed (issue 17 point 3, issue 18 point 4)."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from generator.cli import main
from generator.reports import output
from tests.conftest import REPO

RECORDS = REPO / "records"
EXAMPLES = REPO / "examples" / "private"
OURS = sorted([*output.OUTPUT_FILES, output.MARKER])


def report(out: Path, records: Path = RECORDS, private: Path = EXAMPLES) -> int:
    return main(["report", "--private", str(private), "--records", str(records), "--as-of", "2026-11-20",
                 "--out", str(out)])


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def _refused(capsys, out: Path, root: Path, **paths: Path) -> str:
    before = _tree(root)
    assert report(out, **paths) == 2
    printed = capsys.readouterr()
    assert _tree(root) == before and printed.out == ""  # nothing written
    assert "拒绝写出" in printed.err and "--out reports" in printed.err  # says where to write instead
    return printed.err


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git work tree holding copies of the records and the private examples, ignoring reports/."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "project"
    shutil.copytree(RECORDS, root / "records")
    shutil.copytree(EXAMPLES, root / "private")
    (root / ".gitignore").write_text("/reports/\n/private/\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def test_refused_at_the_top_of_a_work_tree_and_where_git_does_not_ignore(repo: Path, capsys):
    paths = {"records": repo / "records", "private": repo / "private"}
    assert "包含公开记录目录" in _refused(capsys, repo, repo, **paths)
    message = _refused(capsys, repo / "docs", repo, **paths)
    assert "git 工作区" in message and "未被 .gitignore 忽略" in message
    (repo / "tracked").mkdir()
    assert "git 工作区" in _refused(capsys, repo / "tracked" / "reports", repo, **paths)


def test_written_where_git_ignores_it(repo: Path):
    assert report(repo / "reports", repo / "records", repo / "private") == 0
    assert _entries(repo / "reports") == OURS
    status = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--untracked-files=all"],
                            capture_output=True, text=True, check=True).stdout
    assert "reports" not in status


def test_refused_in_the_records_the_private_tree_and_a_site(tmp_path: Path, capsys):
    private = tmp_path / "private"
    shutil.copytree(EXAMPLES, private)
    assert "私密记录目录" in _refused(capsys, private / "reports", tmp_path, private=private)
    assert "包含私密记录目录" in _refused(capsys, tmp_path, tmp_path, private=private)
    (tmp_path / "www" / "pagefind").mkdir(parents=True)
    assert "pagefind" in _refused(capsys, tmp_path / "www" / "internal", tmp_path, private=private)


def test_refused_at_root_and_home(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert "用户主目录" in _refused(capsys, tmp_path, tmp_path)
    assert report(Path("/")) == 2
    assert "根目录" in capsys.readouterr().err


def test_refused_in_a_folder_holding_anything_else(tmp_path: Path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("工作人员笔记", encoding="utf-8")
    (out / "index.html").write_text("someone else's page", encoding="utf-8")
    message = _refused(capsys, out, tmp_path)
    assert "notes.txt" in message and "不是 laomo report 之前写出的报表目录" in message
    assert (out / "index.html").read_text(encoding="utf-8") == "someone else's page"


def test_an_empty_folder_or_an_earlier_report_is_written(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    assert report(out) == 0 and _entries(out) == OURS
    assert report(out) == 0 and _entries(out) == OURS  # its own earlier report
    unmarked = tmp_path / "unmarked"  # a report written before folders were marked
    unmarked.mkdir()
    (unmarked / "findings.json").write_text("[]", encoding="utf-8")
    assert report(unmarked) == 0 and _entries(unmarked) == OURS


def _entries(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def test_owner_only_whatever_existed_before(tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir(mode=0o755)
    os.chmod(out, 0o755)
    for name in output.OUTPUT_FILES:
        (out / name).write_text("old", encoding="utf-8")
        os.chmod(out / name, 0o644)
    assert report(out) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    for name in OURS:
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o600, name
    fresh = tmp_path / "fresh"
    old_umask = os.umask(0)
    try:
        assert report(fresh) == 0
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
    assert all(stat.S_IMODE((fresh / n).stat().st_mode) == 0o600 for n in OURS)


def test_writes_nothing_outside_out(tmp_path: Path):
    """No temp files in the system's temp folder (xlsxwriter's would hold private rows) or beside --out."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    done = subprocess.run([sys.executable, "-m", "generator", "report", "--private", str(EXAMPLES), "--records",
                           str(RECORDS), "--as-of", "2026-11-20", "--out", str(tmp_path / "out")],
                          env={**os.environ, "TMPDIR": str(temp), "HOME": str(home)}, capture_output=True,
                          text=True, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert _entries(temp) == [] and _entries(tmp_path) == ["home", "out", "tmp"]
    assert _tree(home) == []


def test_a_full_disk_is_a_message_and_the_old_report_stays(tmp_path: Path, capsys, monkeypatch):
    out = tmp_path / "out"
    assert report(out) == 0
    before = {name: (out / name).read_bytes() for name in OURS}
    capsys.readouterr()
    real_write = os.write

    def full(fd: int, data) -> int:
        if len(data) > 1000:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(output.os, "write", full)
    assert report(out) == 1
    printed = capsys.readouterr()
    assert "写出报表失败" in printed.err and "磁盘空间不足" in printed.err and "Traceback" not in printed.err
    monkeypatch.undo()
    assert {name: (out / name).read_bytes() for name in OURS} == before
    assert _entries(out) == OURS


def _complete(out: Path) -> None:
    """Every file there is whole: JSON parses, workbooks are valid zip files, the page is closed."""
    assert set(_entries(out)) <= set(OURS), _entries(out)
    if (out / "findings.json").exists():
        json.loads((out / "findings.json").read_text(encoding="utf-8"))
    for name in ("eligibility.xlsx", "revocation.xlsx"):
        if (out / name).exists():
            with zipfile.ZipFile(out / name) as book:
                assert book.testzip() is None
    if (out / "index.html").exists():
        assert (out / "index.html").read_text(encoding="utf-8").rstrip().endswith("</html>")


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_writer_leaves_whole_files_and_no_temp_files(tmp_path: Path, signum: int):
    out = tmp_path / "out"
    assert report(out) == 0
    command = [sys.executable, "-m", "generator", "report", "--private", str(EXAMPLES), "--records", str(RECORDS),
               "--as-of", "2026-10-01", "--out", str(out)]
    # time a whole run, then kill runs at points spread over it
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, check=True, cwd=REPO)
    length = time.perf_counter() - started
    for step in range(12):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
        time.sleep(length * (0.3 + 0.06 * step))
        process.send_signal(signum)
        process.wait(timeout=60)
        time.sleep(0.05)  # a forked child, if any, ends on its broken pipe
        _complete(out)
        assert _entries(tmp_path) == ["out"]
    assert report(out) == 0 and _entries(out) == OURS


def test_refused_when_git_cannot_say(repo: Path, capsys, monkeypatch):
    monkeypatch.setattr(output.shutil, "which", lambda name: None)
    paths = {"records": repo / "records", "private": repo / "private"}
    assert "没有 git 命令" in _refused(capsys, repo / "reports", repo, **paths)


def test_a_planted_temp_folder_is_foreign(tmp_path: Path, capsys):
    out = tmp_path / "out"
    assert report(out) == 0
    capsys.readouterr()
    (out / f"{output.TEMP_PREFIX}x").mkdir()
    assert "不是 laomo report 之前写出的报表目录" in _refused(capsys, out, tmp_path)
    (out / f"{output.TEMP_PREFIX}x").rmdir()
    (out / f"{output.TEMP_PREFIX}left.123").write_bytes(b"half a workbook")  # a killed writer's
    assert report(out) == 0 and _entries(out) == OURS
