"""Worker processes: forks of the configured parent check articles and send their results back in order."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

from healthlint.model import ArticleResult

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

Item = TypeVar("Item")

_FORKED_CHECK: Callable[[object], ArticleResult] | None = None


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    import multiprocessing  # only parallel runs pay for importing it

    return "fork" in multiprocessing.get_all_start_methods() and sys.platform.startswith("linux")


def check_in_workers(
    check: Callable[[Item], ArticleResult], items: Sequence[Item], jobs: int
) -> Iterator[ArticleResult]:
    """``check(item)`` for each item in ``jobs`` forked workers, yielded in the order of ``items``.

    Workers are forks of this process, so they share its configured plugins and everything
    loaded before the fork; only the items and results cross between processes.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _FORKED_CHECK
    _FORKED_CHECK = check  # type: ignore[assignment]
    try:
        chunksize = max(1, min(8, len(items) // (jobs * 8)))
        context = multiprocessing.get_context("fork")
        pool = ProcessPoolExecutor(
            max_workers=min(jobs, len(items)), mp_context=context, initializer=_die_with, initargs=(os.getpid(),)
        )
        try:
            yield from pool.map(_check_in_worker, items, chunksize=chunksize)
        except BaseException:
            # Ctrl-C, SIGTERM while publishing, or a reader that stopped early: the results are not wanted.
            # Leaving the pool as ``with`` does would wait for every article still queued (a worker survives
            # its own KeyboardInterrupt and takes the next), so a run went on to the end before it stopped.
            _stop(pool)
            raise
        pool.shutdown()
    finally:
        _FORKED_CHECK = None


def _stop(pool: ProcessPoolExecutor) -> None:
    """Drop the queued work and kill the workers (forks that hold nothing the parent needs)."""
    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        if worker.is_alive():
            worker.kill()
    for worker in workers:
        worker.join(5)


def _die_with(parent: int) -> None:
    """In each worker: end when the parent ends, however it ends.

    A parent killed outright (SIGTERM, as a cancelled or timed-out CI job sends; SIGKILL) cannot stop its workers,
    and a worker waiting for its next article never sees the task queue close, since it holds the queue's writing
    end too (a fork inherits both): it slept for ever. Linux's parent-death signal kills it instead.
    """
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not glibc/musl Linux: the old behaviour
        return
    if os.getppid() != parent:  # the parent ended before the signal was asked for
        os._exit(1)


def _check_in_worker(item: object) -> ArticleResult:
    """Runs in a worker forked from the parent, which set ``_FORKED_CHECK``."""
    check = _FORKED_CHECK
    assert check is not None, "worker was not forked from a running check"
    return check(item)
