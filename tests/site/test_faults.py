"""Faults: two builds at once, a full disk, read-only or impossible output folders, a kill during the switch.

Each ends with a Chinese message and exit status 1 (or, for concurrent builds, the second waiting for the
first); the previous site stays as it was and no temporary folder is left behind.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.cli import main
from generator.site import atomic
from tests.site.conftest import RECORDS, MiniTree
from tests.site.test_incremental import differences

LAOMO = [sys.executable, "-m", "generator"]


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".") and
                  any(tag in p.name for tag in (".building-", ".old-", ".prev-", ".docs-", ".search-")))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def cli(capsys, *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out + captured.err


@pytest.fixture
def mini(tmp_path: Path) -> MiniTree:
    tree = MiniTree(tmp_path / "records")
    tree.worker("zhang-jianguo", "张建国", story="他在车间里干了三十年。")
    tree.worker("li-xiuying", "李秀英")
    return tree


# ——— impossible output paths ——————————————————————————————————————————————————


def test_out_below_a_file_is_a_message(mini: MiniTree, tmp_path: Path, capsys):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    status, text = cli(capsys, "build", "--records", str(mini.root), "--out", str(tmp_path / "afile" / "site"))
    assert status == 1 and "Traceback" not in text
    assert "是文件而不是目录" in text and (tmp_path / "afile").read_text(encoding="utf-8") == "x"
    assert leftovers(tmp_path) == []


def test_out_that_is_a_file_is_a_message(mini: MiniTree, tmp_path: Path, capsys):
    (tmp_path / "site").write_text("x", encoding="utf-8")
    status, text = cli(capsys, "build", "--records", str(mini.root), "--out", str(tmp_path / "site"))
    assert status == 1 and "Traceback" not in text and "不是目录" in text
    assert (tmp_path / "site").read_text(encoding="utf-8") == "x"


# ——— a small file system as the output's parent ————————————————————————————————


@pytest.fixture
def small_disk(tmp_path: Path):
    """A tmpfs of its own (root only, where the machine allows mounting), unmounted afterwards."""
    mount = shutil.which("mount")
    point = tmp_path / "disk"
    point.mkdir()

    def make(size: str) -> Path:
        done = subprocess.run([mount or "mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                              capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"此机器不允许挂载 tmpfs（{done.stderr.decode(errors='replace').strip()}）")
        return point

    yield make
    subprocess.run(["umount", "-l", str(point)], capture_output=True)


def test_a_full_disk_is_a_message_and_keeps_the_old_site(mini: MiniTree, tmp_path: Path, small_disk, capsys):
    disk = small_disk("3m")
    out = disk / "site"
    status, text = cli(capsys, "build", "--records", str(mini.root), "--out", str(out))
    assert status == 0, text
    before = snapshot(out)
    (disk / "filler").write_bytes(b"\0" * (shutil.disk_usage(disk).free - 200_000))  # a full rebuild cannot fit
    status, text = cli(capsys, "build", "--full", "--records", str(mini.root), "--out", str(out))
    assert status == 1, text
    assert "Traceback" not in text and "磁盘空间不足" in text and "腾出" in text, text
    assert snapshot(out) == before
    assert leftovers(disk) == []


def test_a_read_only_parent_is_a_message_and_keeps_the_old_site(mini: MiniTree, tmp_path: Path, small_disk,
                                                                 capsys):
    disk = small_disk("20m")
    out = disk / "site"
    status, text = cli(capsys, "build", "--records", str(mini.root), "--out", str(out))
    assert status == 0, text
    before = snapshot(out)
    done = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("无法把 tmpfs 重新挂载为只读")
    mini.worker("wang-fang", "王芳")
    for full in ((), ("--full",)):
        status, text = cli(capsys, "build", *full, "--records", str(mini.root), "--out", str(out))
        assert status == 1, text
        assert "Traceback" not in text and "不可写" in text and "权限" in text, text
        assert snapshot(out) == before
    assert leftovers(disk) == []
    status, text = cli(capsys, "build", "--records", str(mini.root), "--out", str(disk / "new"))
    assert status == 1 and "没有写入权限" in text and "Traceback" not in text, text


# ——— two builds at once ——————————————————————————————————————————————————————


@pytest.mark.slow
def test_twenty_pairs_of_concurrent_builds(tmp_path: Path):
    """`laomo build & sleep 0.5; laomo build`, twenty times on the sample tree: the second waits for the
    first, no traceback, no temporary folder left, and the final site is right."""
    records = tmp_path / "records"
    shutil.copytree(RECORDS, records)
    out = tmp_path / "site"
    env = {**os.environ, "LAOMO_CACHE_DIR": str(tmp_path / "cache")}
    command = LAOMO + ["build", "--records", str(records), "--out", str(out)]
    first = subprocess.run(command + ["--full"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    chance = random.Random(18)
    waited = 0
    for n in range(20):
        edited = records / "workers" / "zhang-jianguo.yml"  # each pair has something to do
        edited.write_text(edited.read_text(encoding="utf-8").replace("story: |\n", f"story: |\n  第{n}次补充。\n\n", 1),
                          encoding="utf-8")
        a = subprocess.Popen(command + ["--full"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=env, cwd=tmp_path)
        time.sleep(chance.uniform(0.2, 1.0))
        b = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                             cwd=tmp_path)
        for process in (a, b):
            stdout, stderr = process.communicate(timeout=600)
            assert process.returncode == 0, stderr
            assert "Traceback" not in stderr + stdout
            waited += "等待它完成" in stdout
    assert waited >= 1  # the second build did meet the first at least once
    for _ in range(120):  # the last old site may still be being deleted in the background
        if not leftovers(tmp_path):
            break
        time.sleep(0.5)
    assert leftovers(tmp_path) == []
    reference = tmp_path / "reference" / "site"
    done = subprocess.run(LAOMO + ["build", "--full", "--records", str(records), "--out", str(reference)],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert differences(out, reference) == []


# ——— a kill at every step of the switch ————————————————————————————————————————

OLD = {"index.html": b"old home", "workers/a/index.html": b"old a", "workers/b/index.html": b"old b",
       "data/workers.csv": b"old csv"}
NEW = {"index.html": b"old home", "workers/a/index.html": b"new a", "workers/c/index.html": b"new c",
       "data/workers.csv": b"new csv"}
STEPS = ("rename", "replace", "link", "unlink", "mkdir", "rmdir", "makedirs")

CHILD = r"""
import os, sys
from pathlib import Path
from generator.site import atomic

out, tmp, mode, kill_at, exchange = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
count = [0]

def counted(real):
    def step(*args, **kwargs):
        count[0] += 1
        if count[0] == kill_at:
            os._exit(9)  # as SIGKILL: no clean-up, no finally
        return real(*args, **kwargs)
    return step

for name in %(steps)r:
    setattr(os, name, counted(getattr(os, name)))
real_exchange = atomic._exchange
atomic._exchange = counted(real_exchange if exchange == "yes" else (lambda a, b: False))
if mode == "full":
    atomic.swap_in(tmp, out, background_delete=False)
else:
    atomic.commit(tmp, out, ["workers/a/index.html", "workers/c/index.html", "data/workers.csv"],
                  ["workers/b/index.html"], set(%(old)r))
os._exit(0)
""" % {"steps": STEPS, "old": sorted(OLD)}  # noqa: UP031 - a script's source: its braces would need doubling


def _write(folder: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)


def _site(folder: Path) -> dict[str, bytes]:
    found = snapshot(folder) if folder.is_dir() else {}
    found.pop(atomic.MARKER, None)
    return found


@pytest.mark.parametrize("exchange", ["yes", "no"], ids=["renameat2", "two-renames"])
@pytest.mark.parametrize("mode", ["full", "incremental", "incremental-with-shadow"])
def test_a_kill_at_every_step_of_the_switch_leaves_a_whole_site(tmp_path: Path, mode: str, exchange: str):
    """The switch is killed (os._exit, as SIGKILL) at its first, second, … file-system call until it
    completes: after each kill the site is wholly old or wholly new, and once the next build has tidied
    up (as it does first, holding the lock) it is whole and in its place."""
    k = 0
    outcomes = set()
    while True:
        k += 1
        assert k < 200
        case = tmp_path / f"k{k}"
        out, tmp = case / "site", case / ".site.building-test"
        out.mkdir(parents=True)
        _write(out, OLD)
        (out / atomic.MARKER).write_text(atomic.MARKER_TEXT, encoding="utf-8")
        if mode == "incremental-with-shadow":
            atomic._make_shadow(atomic.shadow_of(out), out, set(OLD))
        tmp.mkdir()
        _write(tmp, NEW if mode == "full" else {rel: NEW[rel] for rel in
                                               ("workers/a/index.html", "workers/c/index.html", "data/workers.csv")})
        child = subprocess.run([sys.executable, "-c", CHILD, str(out), str(tmp), "full" if mode == "full" else "inc",
                                str(k), exchange], capture_output=True, text=True)
        assert child.returncode in (0, 9), child.stderr
        seen = _site(out)
        if not (exchange == "no" and not out.exists()):  # two renames: a moment without a site, put right below
            assert seen in (OLD, NEW), (k, seen)
        atomic._cleanup_leftovers(out)
        after = _site(out)
        assert after in (OLD, NEW), (k, after)
        outcomes.add("new" if after == NEW else "old")
        if child.returncode == 0:
            assert after == NEW
            break
    assert outcomes == {"old", "new"}
