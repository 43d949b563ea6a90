"""The one way laomo uses several cores: `map_in_processes`, and `in_background` for one task beside the rest.

Work that is the same function over many items (pages to render, files to read, photos to encode, site files
to check) runs in forked worker processes. What the function needs besides its item (a renderer, the folders
being loaded, the site being checked) is the `context`: given once, inherited by each worker when it is
forked, never pickled, so it may hold things that cannot be (Jinja environments, open caches). The items and
the results are pickled. Where `fork` is not available, or the work is small, everything runs in this
process, in order, with the same results.

`in_background` runs one long task (the Excel workbooks, the search index) in a forked child while this
process goes on; its result comes back pickled through a pipe. Without `fork` it runs when its result is
asked for.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
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


class BackgroundFailed(RuntimeError):
    """The background task raised, or its process died; the text says which (the caller words it in Chinese)."""


@contextlib.contextmanager
def in_background(task: Callable[[], R], name: str = "laomo-background") -> Iterator[Callable[[], R]]:
    """Run `task()` in a forked child while the body runs; the body calls what it is given for the result,
    which raises BackgroundFailed when the task failed. The child is waited for (or stopped, when the body
    raised) on leaving."""
    if not can_fork():
        def now() -> R:
            try:
                return task()
            except Exception as exc:  # noqa: BLE001 - the same failure as from a child
                raise BackgroundFailed(f"{type(exc).__name__}: {exc}") from exc

        yield now
        return
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def child() -> None:
        try:
            sender.send((True, task()))
        except BaseException as exc:  # noqa: BLE001 - any failure goes back to the parent, which reports it
            sender.send((False, f"{type(exc).__name__}: {exc}"))

    sys.stdout.flush()  # the child flushes what it inherits: empty the buffers first, or lines print twice
    sys.stderr.flush()
    process = context.Process(target=child, name=name, daemon=True)
    process.start()
    sender.close()

    def result() -> R:
        try:
            ok, value = receiver.recv()
        except (EOFError, OSError):
            process.join()
            raise BackgroundFailed(f"子进程意外退出，退出码 {process.exitcode}") from None
        if not ok:
            raise BackgroundFailed(value)
        done: R = value
        return done

    try:
        yield result
    except BaseException:
        process.terminate()
        raise
    finally:
        receiver.close()
        process.join()
