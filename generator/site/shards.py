"""A site built in shards on several machines, then joined: `laomo build --shard K/N` and `laomo join`.

Past what one machine builds in time (docs/scale.md), the build runs as a matrix of N jobs. Every job loads,
validates and plans the whole site — each page needs the whole model (listings, links, counts), and planning
is the cheap part — but renders only its share of the pages (those whose url hashes to it, search.shard_of),
places only its share of the photo derivatives and indexes only its share of the search index's base parts
(part p goes to shard p mod N, the parts being independent Pagefind bundles that the search box merges at
query time, as Pagefind's multisite search does). The top pages, the open data and the sitemap are small and written by
every shard alike.

Each shard's folder carries SHARD_FILE: which shard of how many, and the plan's digest (every page's and
search part's key), so that `join` refuses shards of different records or code. `join` lays the shards'
files side by side in a staging folder — a file two shards both wrote must be the same bytes — and swaps it
in whole. The joined site is byte for byte the one a single machine builds (tests/site/test_shards.py).

A shard build is a full build that keeps no incremental state: its folder holds only part of a site.
"""

from __future__ import annotations

import argparse
import dataclasses
import filecmp
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.load.files import display_path
from generator.site import atomic
from generator.site.result import fault_message
from generator.site.search import shard_of
from generator.site.state import digest

if TYPE_CHECKING:  # only named in annotations: `laomo join` does not load the renderers
    from generator.site.indexing import SearchPlan
    from generator.site.plan import PagePlan

SHARD_FILE = ".laomo-shard.json"


class ShardError(Exception):
    """The shards cannot be joined; the message is Chinese."""


@dataclass(frozen=True)
class Shard:
    """Shard `index` (0-based) of `count`."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """`K/N` with 1 ≤ K ≤ N, as a matrix job numbers itself."""
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if not match or not 1 <= int(match[1]) <= int(match[2]):
            raise ValueError(f"分片应写成 K/N（第 K 片，共 N 片，1 ≤ K ≤ N），例如 1/4，而不是“{text}”")
        return cls(int(match[1]) - 1, int(match[2]))

    def owns(self, url: str) -> bool:
        return shard_of(url, self.count) == self.index

    def owns_part(self, part: int) -> bool:
        return part % self.count == self.index

    def share(self, plan: PagePlan, search: SearchPlan) -> tuple[PagePlan, SearchPlan, bytes]:
        """This shard's share of the pages to render and the search parts to index; and the digest of the whole
        plan (every page's and part's key), the same in every shard of one build."""
        whole = digest("shard-plan", sorted((url, plan.keys[job].hex()) for job, url in plan.urls.items()),
                       sorted((n, key.hex()) for n, key in search.keys.items()))
        mine = dataclasses.replace(plan, todo=[job for job in plan.todo if self.owns(plan.urls[job])])
        share = tuple(n for n in search.base_parts if self.owns_part(n))
        return mine, dataclasses.replace(search, base_parts=share), whole

    def manifest(self, plan: bytes) -> bytes:
        return (json.dumps({"shard": self.index, "count": self.count, "plan": plan.hex()}) + "\n").encode()


def _manifest(folder: Path) -> tuple[Shard, str]:
    try:
        data = json.loads((folder / SHARD_FILE).read_text("utf-8"))
        shard, plan = Shard(int(data["shard"]), int(data["count"])), str(data["plan"])
    except (OSError, ValueError, KeyError, TypeError):
        raise ShardError(f"{display_path(folder)} 不是 laomo build --shard 生成的分片（缺少或无法读取 {SHARD_FILE}）。"
                         ) from None
    if not 0 <= shard.index < shard.count:
        raise ShardError(f"{display_path(folder)} 的 {SHARD_FILE} 内容不对。请重新生成这个分片。")
    return shard, plan


def _files(folder: Path) -> list[str]:
    found = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            path = Path(root) / name
            if path.is_symlink() or not path.is_file():
                raise ShardError(f"分片中的 {display_path(path)} 不是普通文件，拒绝合并。")
            rel = path.relative_to(folder).as_posix()
            if rel not in (SHARD_FILE, atomic.MARKER):
                found.append(rel)
    return found


def join_shards(shards: list[Path], out: Path) -> int:
    """Join the shard folders into the site `out` (swapped in whole); the number of files. Raises ShardError
    or atomic.OutputError."""
    if not shards:
        raise ShardError("没有给出要合并的分片目录。")
    manifests = [_manifest(folder) for folder in shards]
    plans = {plan for _, plan in manifests}
    counts = {shard.count for shard, _ in manifests}
    if len(plans) > 1 or len(counts) > 1:
        raise ShardError("这些分片不是同一次构建的（记录、代码或分片数不同），不能合并。请用同一版本的记录重新生成全部分片。")
    count = counts.pop()
    have = sorted(shard.index for shard, _ in manifests)
    if have != list(range(count)):
        missing = sorted(set(range(count)) - set(have))
        twice = sorted({i for i in have if have.count(i) > 1})
        detail = "；".join(part for part in (
            f"缺少第 {'、'.join(str(i + 1) for i in missing)} 片" if missing else "",
            f"第 {'、'.join(str(i + 1) for i in twice)} 片给了不止一次" if twice else "") if part)
        raise ShardError(f"分片不全，不能合并（共 {count} 片：{detail}）。")
    for folder in shards:
        atomic.check_output(out, folder)
    written: dict[str, Path] = {}
    with atomic.staging(out) as tmp:
        for folder in shards:
            for rel in _files(folder):
                if rel in written:
                    if not filecmp.cmp(written[rel] / rel, folder / rel, shallow=False):
                        raise ShardError(f"两个分片中的 {rel} 内容不同（{display_path(written[rel])}、"
                                         f"{display_path(folder)}），不能合并。请用同一版本的代码重新生成全部分片。")
                    continue
                (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(folder / rel, tmp / rel)
                written[rel] = folder
        atomic.swap_in(tmp, out)
    return len(written)


# ——— `laomo join` ————————————————————————————————————————————————————————————


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shards", nargs="+", type=Path, metavar="SHARD", help="laomo build --shard 生成的分片目录")
    parser.add_argument("--out", type=Path, default=Path("site"), metavar="DIR",
                        help="合并后的网站目录（默认 site/）；合并成功后整体替换旧网站")


def run(args: argparse.Namespace) -> int:
    try:
        files = join_shards(list(args.shards), args.out)
    except (ShardError, atomic.OutputError) as exc:
        print(f"{exc}\n网站未合并，{display_path(args.out)} 保持原样。", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{fault_message(exc, args.out)}\n网站未合并，{display_path(args.out)} 保持原样。", file=sys.stderr)
        return 1
    print(f"已合并 {len(args.shards)} 个分片：{display_path(args.out)}/（文件 {files} 个）")
    return 0
