"""`make bench-200k`: a national hall (200,000 workers, 20,000 homes) beside a provincial one (20,000 / 2,000),
measured in the same run, so that the ratios between them mean something on a machine whose speed varies.

For each size, on a fresh copy of the cached synthetic tree, with the photos already in the photo cache
(the first run on a machine encodes them once, untimed, and says how long it took):

* `laomo validate`;
* a full build into an empty folder (`--full`), its peak memory the summed PSS of the process tree;
* a rebuild after one story is edited;
* `laomo report`.

Then the ratios the national-scale issue asks about: full build (≤ 8× the 20,000 build), validate and
report (≤ 10×). Prints a Markdown table, then as its last line one JSON object. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    CACHE,
    LAOMO,
    REPO,
    Timing,
    clean_up,
    load_average,
    run_timed,
    synthetic_tree,
    wait_for_inode_reuse,
)
from run import edit_story, workers_with_story  # noqa: E402


@dataclass
class Scale:
    workers: int
    homes: int
    warm_up: Timing | None
    validate: Timing
    full: Timing
    edit: Timing
    report: Timing


def measure(workers: int, homes: int, work: Path) -> Scale:
    original, private = synthetic_tree(workers, homes)
    records = work / f"records-{workers}"
    shutil.copytree(original, records)
    photo_cache = CACHE / f"photos-w{workers}-h{homes}"

    def build(out: Path, *extra: str) -> Timing:
        return run_timed(LAOMO + ["build", "--records", str(records), "--out", str(out), "--cache", str(photo_cache),
                                  *extra])

    warm_up = None
    if not (photo_cache / ".warm-v3").exists():
        warm_up = build(work / f"warm-up-{workers}")
        (photo_cache / ".warm-v3").write_text("")
    validate = run_timed(LAOMO + ["validate", "--records", str(records)])
    out = work / f"site-{workers}"
    full = build(out, "--full")
    story = workers_with_story(records)[0]
    edit_story(story, 1)
    edit = build(out)
    report = run_timed(LAOMO + ["report", "--records", str(records), "--private", str(private), "--as-of",
                                "2026-11-20", "--out", str(work / f"reports-{workers}"),
                                "--config", str(REPO / "laomo.yml")])
    return Scale(workers, homes, warm_up, validate, full, edit, report)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=200_000)
    parser.add_argument("--homes", type=int, default=20_000)
    parser.add_argument("--base-workers", type=int, default=20_000)
    parser.add_argument("--base-homes", type=int, default=2_000)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    wait_for_inode_reuse()
    loads = [load_average()]
    CACHE.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="laomo-scale-", dir=CACHE))
    base = measure(args.base_workers, args.base_homes, work)
    loads.append(load_average())
    big = measure(args.workers, args.homes, work)
    loads.append(load_average())

    def ratio(a: Timing, b: Timing) -> float:
        return a.seconds / b.seconds if b.seconds else float("nan")

    print(f"\n规模基准：{big.workers} 位人物 + {big.homes} 个职工之家，对照 {base.workers} + {base.homes}（同一次运行）")
    print(f"系统负载（开始、小规模后、大规模后）：{' → '.join(loads)}\n")
    print(f"| 步骤 | {base.workers} 人 | {big.workers} 人 | 倍数 |")
    print("|---|---|---|---|")
    if base.warm_up is not None or big.warm_up is not None:
        cells = [f"{s.warm_up.seconds:.1f} s" if s.warm_up else "" for s in (base, big)]
        print(f"| （首次）转换照片进缓存的那次构建 | {cells[0]} | {cells[1]} | |")
    rows = (("laomo validate", "validate"), ("laomo build --full（照片已缓存）", "full"),
            ("修改一篇事迹后重建", "edit"), ("laomo report", "report"))
    for label, name in rows:
        a, b = getattr(base, name), getattr(big, name)
        print(f"| {label} | {a.seconds:.1f} s | {b.seconds:.1f} s | {ratio(b, a):.2f} |")
    print(f"| 完整构建峰值内存（进程树 PSS 之和） | {base.full.peak_rss_mb:.0f} MB | {big.full.peak_rss_mb:.0f} MB | "
          f"{big.full.peak_rss_mb / max(base.full.peak_rss_mb, 1):.2f} |")
    if not args.keep:
        clean_up(work)
    print(json.dumps({
        "workers": big.workers, "base_workers": base.workers,
        "full_build_s": round(big.full.seconds, 1), "base_full_build_s": round(base.full.seconds, 1),
        "full_ratio": round(ratio(big.full, base.full), 2), "edit_s": round(big.edit.seconds, 2),
        "validate_ratio": round(ratio(big.validate, base.validate), 2),
        "report_ratio": round(ratio(big.report, base.report), 2),
        "peak_pss_mb": round(big.full.peak_rss_mb),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
