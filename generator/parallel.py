"""The one way laomo uses several cores: `map_in_processes`.

Work that is the same function over many items (pages to render, files to read, photos to encode, site files
to check) runs in forked worker processes. What the function needs besides its item (a renderer, the folders
being loaded, the site being checked) is the `context`: given once, inherited by each worker when it is
forked, never pickled, so it may hold things that cannot be (Jinja environments, open caches). The items and
the results are pickled. Where `fork` is not available, or the work is small, everything runs in this
process, in order, with the same results.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import Any, TypeVar

C = TypeVar("C")
T = TypeVar("T")
R = TypeVar("R")

# In a worker process only: the context map_in_processes was given (set by _start when the worker starts).
# A worker serves one call of map_in_processes, so this is never shared between two kinds of work.
_worker_context: Any = None


def cores() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def map_in_processes(fn: Callable[[C, T], R], items: Sequence[T], context: C, jobs: int, *,
                     parallel_from: int = 2, chunksize: int | None = None,
                     initializer: Callable[[], None] | None = None) -> Iterator[R]:
    """`fn(context, item)` for each item, in order, in up to `jobs` forked processes when there are at least
    `parallel_from` items. Results arrive while the rest are still being worked out.

    `fn` must be a module-level function (it is sent to the workers by name); `initializer` runs once in each
    worker before its first item. Chunks default to an eighth of each worker's share.
    """
    if jobs < 2 or len(items) < max(parallel_from, 2) or not can_fork():
        yield from (fn(context, item) for item in items)
        return
    workers = min(jobs, len(items))
    chunk = chunksize if chunksize is not None else max(1, len(items) // (workers * 8))
    # initargs reach a forked worker through fork itself (the Process object is copied, not pickled)
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                             initializer=_start, initargs=(context, initializer)) as pool:
        yield from pool.map(partial(_call, fn), items, chunksize=chunk)


def _start(context: Any, initializer: Callable[[], None] | None) -> None:
    global _worker_context
    _worker_context = context
    if initializer is not None:
        initializer()


def _call(fn: Callable[[Any, T], R], item: T) -> R:
    return fn(_worker_context, item)
