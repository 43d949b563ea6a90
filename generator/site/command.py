"""`laomo build [--records DIR] [--out DIR]`: the public site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from generator.load.files import display_path
from generator.site.shards import Shard


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--records", type=Path, default=Path("records"), metavar="DIR",
                        help="公开记录目录（默认 records/）")
    parser.add_argument("--out", type=Path, default=Path("site"), metavar="DIR",
                        help="网站输出目录（默认 site/）；生成成功后整体替换旧网站")
    parser.add_argument("--jobs", type=int, default=2, metavar="N", help="并行进程数（默认 2）")
    parser.add_argument("--cache", type=Path, default=None, metavar="DIR",
                        help="构建缓存目录：照片衍生图、上次构建的记录和锁文件（默认为用户缓存目录 ~/.cache/laomo，"
                             "或 $XDG_CACHE_HOME/laomo；只有本人可读写，不放在工作区里）")
    parser.add_argument("--shard", type=_shard, default=None, metavar="K/N",
                        help="只生成网站的第 K 片（共 N 片，在 N 台机器上并行），之后用 laomo join 合并；"
                             "分片总是完整构建，不保留增量构建的状态")
    parser.add_argument("--full", action="store_true",
                        help="完整重建：不沿用上次生成的结果（默认只重新生成有变化的页面和搜索索引）")


def _shard(text: str) -> Shard:
    try:
        return Shard.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def run(args: argparse.Namespace) -> int:
    from generator.site.build import BuildFailed, build_site

    def echo(line: str) -> None:
        print(line, flush=True)

    try:
        report = build_site(args.records, args.out, jobs=max(1, getattr(args, "jobs", 2) or 1), echo=echo,
                            cache=getattr(args, "cache", None), full=bool(getattr(args, "full", False)),
                            shard=getattr(args, "shard", None))
    except BuildFailed as failure:
        for d in sorted(failure.diagnostics):
            print(d.as_text(), file=sys.stderr)
        if failure.message:
            print(failure.message, file=sys.stderr)
        errors = sum(1 for d in failure.diagnostics if d.severity == "error")
        detail = f"发现 {errors} 个错误，" if errors else ""
        print(f"{detail}网站未生成，没有写入任何文件；{display_path(args.out)} 保持原样。", file=sys.stderr)
        return 1
    out = display_path(report.out)
    print(f"已生成网站：{out}/（页面 {report.pages} 个，照片文件 {report.photos} 个"
          f"{f'，新转换照片 {report.photos_encoded} 张' if report.photos_encoded else ''}）")
    print(f"  开放数据：{out}/data/workers.csv、workers.json、homes.csv、homes.json")
    parts = f"，共 {report.search_parts} 个索引，见 search-bundles.json" if report.search_parts > 1 else ""
    print(f"  站点地图：{out}/sitemap.xml；搜索索引：{out}/pagefind/（{report.search}{parts}）")
    if report.incremental:
        print(f"  增量构建：重新生成页面 {report.rendered} 个，重建搜索索引 {report.search_rebuilt} 个，"
              "其余沿用上次的结果（页面与完整构建逐字节相同，搜索结果相同；--full 可强制完整重建）。")
    shard = getattr(args, "shard", None)
    if shard is not None:
        print(f"  这是网站的第 {shard.index + 1} 片（共 {shard.count} 片）：全部分片生成后，用 laomo join 把它们合并成整个网站。")
    timing = "，".join(f"{name} {seconds:.1f}s" for name, seconds in report.timings.items())
    print(f"用时 {report.seconds:.1f} 秒（{timing}）。")
    return 0
