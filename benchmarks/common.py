"""Shared pieces of the benchmarks: a cached synthetic tree and timing of whole processes."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("LAOMO_BENCH_DIR", "/tmp/laomo-bench"))
LAOMO = [sys.executable, "-m", "generator"]


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


def run_timed(command: list[str], cwd: Path = REPO, check: bool = True) -> Timing:
    """Wall time and peak memory of one whole process (its children included)."""
    wrapped = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
    started = time.perf_counter()
    result = subprocess.run(wrapped + command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    if check and result.returncode not in (0,):
        raise SystemExit(f"命令失败（{result.returncode}）：{' '.join(command)}\n{result.stderr[-2000:]}")
    if wrapped:
        peak_kb = int(result.stderr.strip().splitlines()[-1])
    else:
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return Timing(seconds, peak_kb / 1024)


def median_of(runs: int, command: list[str]) -> Timing:
    timings = sorted((run_timed(command) for _ in range(runs)), key=lambda t: t.seconds)
    return timings[len(timings) // 2]
