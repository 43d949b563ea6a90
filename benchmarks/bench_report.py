"""How long `laomo report` takes on 20,000 workers + 2,000 homes with their private tree (target ≤ 10 s).

Run: .venv/bin/python benchmarks/bench_report.py [--workers N] [--homes M] [--runs K]

The synthetic tree comes from generator.synth.synth (invented people only) and is cached under
$LAOMO_BENCH_DIR (default /tmp/laomo-bench), shared with the other benchmarks.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from common import CACHE, LAOMO, REPO, median_of

sys.path.insert(0, str(REPO))

from generator.synth import synth  # noqa: E402

TARGET_SECONDS = 10.0


def synthetic_tree(workers: int, homes: int, seed: int = 1) -> tuple[Path, Path]:
    """(records, private) for this size, generated once with generator.synth.synth and reused."""
    root = CACHE / f"w{workers}-h{homes}-s{seed}"
    records, private = root / "records", root / "private"
    if not (root / ".complete").exists():
        started = time.perf_counter()
        synth(records, workers=workers, homes=homes, private=private, seed=seed)
        (root / ".complete").write_text("")
        print(f"合成数据：{workers} 位人物、{homes} 个职工之家，用时 {time.perf_counter() - started:.1f} 秒",
              file=sys.stderr)
    return records, private


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=20_000)
    parser.add_argument("--homes", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--as-of", default="2026-11-20")
    args = parser.parse_args()
    records, private = synthetic_tree(args.workers, args.homes)
    out = records.parent / "reports"
    command = LAOMO + ["report", "--records", str(records), "--private", str(private), "--as-of", args.as_of,
                       "--out", str(out), "--config", str(REPO / "laomo.yml")]
    timing = median_of(args.runs, command)
    findings = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    sizes = {name: (out / name).stat().st_size for name in ("findings.json", "eligibility.xlsx", "revocation.xlsx",
                                                            "index.html")}
    verdict = "达标" if timing.seconds <= TARGET_SECONDS else "超出目标"
    print(f"| 内部报表 | {args.workers} 人 + {args.homes} 家 | {timing.seconds:.2f} 秒（目标 ≤ {TARGET_SECONDS:.0f} 秒，"
          f"{verdict}） | {len(findings)} 项 | 峰值内存 {timing.peak_rss_mb:.0f} MB |")
    print(json.dumps({"workers": args.workers, "homes": args.homes, "report_s": round(timing.seconds, 2),
                      "findings": len(findings), "peak_rss_mb": round(timing.peak_rss_mb),
                      "bytes": sizes}, ensure_ascii=False))


if __name__ == "__main__":
    main()
