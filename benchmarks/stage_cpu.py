"""CPU seconds of each stage of one full build, for comparing two versions of the code on a busy machine.

    python benchmarks/stage_cpu.py RECORDS OUT [--jobs N]

Runs `build_site(RECORDS, OUT, full=True)` in this process and prints, for each lap of the build's report
(generator.site.result.Laps), its wall time, the CPU time of this process (all its threads) and the CPU
time of the child processes that ended during it: the renderers are counted in `pages`, the search index
(its forked process and the Pagefind services under it, which run from `keys` to the end) in `search`,
where they are waited for. User + system time, from getrusage. On a machine shared with other work the
wall times say little; the CPU times are what two versions can be compared by, run alternately.

To time another checkout with the same interpreter, run this file from outside both trees with
PYTHONPATH=that/checkout (the current folder comes first on sys.path, then PYTHONPATH, then the editable
install). Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path


def cpu() -> tuple[float, float]:
    """(this process, its ended children): user + system seconds."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    import generator
    from generator.site import result
    from generator.site.build import build_site

    rows: list[tuple[str, float, float, float]] = []
    marks: dict[int, tuple[float, float]] = {}
    restart, lap = result.Laps.restart, result.Laps.__call__

    def timed_restart(self: result.Laps) -> None:
        restart(self)
        marks[id(self)] = cpu()

    def timed_lap(self: result.Laps, name: str) -> None:
        started = self.mark
        lap(self, name)
        now, before = cpu(), marks[id(self)]
        rows.append((name, self.mark - started, now[0] - before[0], now[1] - before[1]))
        marks[id(self)] = now

    result.Laps.restart, result.Laps.__call__ = timed_restart, timed_lap  # type: ignore[method-assign]
    started, before = time.perf_counter(), cpu()
    build_site(args.records, args.out, jobs=args.jobs, full=True, echo=lambda _line: None)
    wall, after = time.perf_counter() - started, cpu()
    print(f"code: {Path(generator.__file__).parent.parent}; load average {os.getloadavg()[0]:.1f}")
    print(f"{'stage':10} {'wall s':>7} {'own CPU':>8} {'children':>8}")
    for name, seconds, own, children in rows:
        print(f"{name:10} {seconds:7.2f} {own:8.2f} {children:8.2f}")
    own, children = after[0] - before[0], after[1] - before[1]
    print(f"{'total':10} {wall:7.2f} {own:8.2f} {children:8.2f}   CPU {own + children:.2f} s")
    sys.stdout.flush()
    os._exit(0)  # as laomo does: no freeing of every object of a large build


if __name__ == "__main__":
    main()
