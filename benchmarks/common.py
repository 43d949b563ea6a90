"""Shared pieces of the benchmarks: a cached synthetic tree and timing of whole processes."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("LAOMO_BENCH_DIR", "/tmp/laomo-bench"))
LAOMO = [sys.executable, "-m", "generator"]


# Reading a process's PSS makes the kernel walk its page tables: sampled every 0.1 s, the sampling took
# a third of a core from the build it measured. Memory peaks of a build last seconds.
SAMPLE_SECONDS = 1.0


# This machine's root filesystem is ext4 without a journal. There, a new file does not take the inode of
# a file deleted in the last 60 s (360 s while that inode's table block is not yet written back): every
# new file scans past all such inodes of its block group (fs/ext4/ialloc.c, find_inode_bit and
# recently_deleted). Right after a site of some 77,000 files and folders is deleted, a build that writes
# as many runs up to half as long again (measured: 38.4 s, then 55.5 s; `perf` put 17 % of all CPU time
# in those two kernel functions). Whichever side ran just after a deletion would lose; so nothing timed
# deletes anything, each run writes into its own folder, and a run waits until the previous run's
# cleanup is that old.
INODE_REUSE_SECONDS = 360
CLEANED_STAMP = CACHE / ".cleaned"


def clean_up(work: Path) -> None:
    """Delete a run's work folder, and note when (see INODE_REUSE_SECONDS)."""
    shutil.rmtree(work, ignore_errors=True)
    CLEANED_STAMP.write_text(f"{time.time():.0f}\n")


def wait_for_inode_reuse() -> None:
    try:
        cleaned = float(CLEANED_STAMP.read_text())
    except (OSError, ValueError):
        return
    wait = cleaned + INODE_REUSE_SECONDS - time.time()
    if 0 < wait <= INODE_REUSE_SECONDS:
        print(f"上一次基准运行在 {INODE_REUSE_SECONDS - wait:.0f} 秒前删除了它的全部输出；ext4（无日志）在删除后 "
              f"{INODE_REUSE_SECONDS} 秒内新建文件很慢，先等待 {wait:.0f} 秒……", file=sys.stderr)
        time.sleep(wait)


@dataclass
class Timing:
    seconds: float
    peak_rss_mb: float


def synthetic_tree(workers: int, homes: int, seed: int = 1) -> tuple[Path, Path]:
    """(records, private) for this size, generated once and reused."""
    root = CACHE / f"w{workers}-h{homes}-s{seed}"
    records, private = root / "records", root / "private"
    if not (root / ".complete").exists():
        started = time.perf_counter()
        subprocess.run(LAOMO + ["synth", "--workers", str(workers), "--homes", str(homes), "--seed", str(seed),
                                "--out", str(records), "--private", str(private)], check=True, cwd=REPO)
        (root / ".complete").write_text("")
        print(f"合成数据：{workers} 位人物、{homes} 个职工之家，用时 {time.perf_counter() - started:.1f} 秒", file=sys.stderr)
    return records, private


def _resident_kb(pid: int) -> int:
    """A process's proportional set size (its private pages plus its share of the pages it shares with
    others, such as a forked child's copy-on-write pages): summed over a tree, the memory it really uses.
    Where the kernel does not give it, the resident set size."""
    for path, field in ((f"/proc/{pid}/smaps_rollup", b"Pss:"), (f"/proc/{pid}/status", b"VmRSS:")):
        try:
            with open(path, "rb") as handle:
                for line in handle:
                    if line.startswith(field):
                        return int(line.split()[1])
        except OSError:
            continue
    return 0


def _tree_rss_kb(root: int) -> int:
    """Memory of a process and all its descendants, now (Linux /proc), in KB."""
    total, todo, seen = 0, [root], set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            total += _resident_kb(pid)
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", "rb") as handle:
                    todo.extend(int(c) for c in handle.read().split())
        except (OSError, ValueError):
            continue
    return total


def run_timed(command: list[str], cwd: Path = REPO, check: bool = True, env: dict | None = None) -> Timing:
    """Wall time and peak memory of one whole process (its children included).

    Peak memory is the larger of /usr/bin/time's (the largest resident set of a single process) and the
    largest sum over the whole process tree of each process's proportional set size (pages shared by
    forked processes counted once), sampled every SAMPLE_SECONDS."""
    wrapped = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
    started = time.perf_counter()
    process = subprocess.Popen(wrapped + command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, env={**os.environ, **(env or {})})
    peak_tree = 0
    stderr_parts: list[str] = []

    import threading

    reader = threading.Thread(target=lambda: stderr_parts.append(process.stderr.read()), daemon=True)
    reader.start()
    while process.poll() is None:
        peak_tree = max(peak_tree, _tree_rss_kb(process.pid))
        try:
            process.wait(timeout=SAMPLE_SECONDS)  # returns as soon as it ends: the wall time stays exact
        except subprocess.TimeoutExpired:
            pass
    seconds = time.perf_counter() - started
    reader.join()
    stderr = "".join(stderr_parts)
    if check and process.returncode not in (0,):
        raise SystemExit(f"命令失败（{process.returncode}）：{' '.join(command)}\n{stderr[-2000:]}")
    peak_kb = 0
    if wrapped:
        try:
            peak_kb = int(stderr.strip().splitlines()[-1])
        except (ValueError, IndexError):
            peak_kb = 0
    else:
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return Timing(seconds, max(peak_kb, peak_tree) / 1024)


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def median_of(runs: int, command: list[str]) -> Timing:
    timings = sorted((run_timed(command) for _ in range(runs)), key=lambda t: t.seconds)
    return timings[len(timings) // 2]
