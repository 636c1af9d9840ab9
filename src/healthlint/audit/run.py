"""Runs an audit on Dask: plan the partitions, check those not done yet on the workers, record
each as it arrives, then merge the parts and write the summary."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time
import uuid
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from healthlint.audit import summary as summaries
from healthlint.audit.checker import Loaded, UsageError
from healthlint.audit.outdir import OutDir
from healthlint.audit.sources import Fields, Partition, plan
from healthlint.audit.task import PartitionResult, check_partition

#: Unreadable records named on stderr; findings.parquet has every one (HL001).
TOLD_UNREADABLE = 20

#: Dask settings of a local cluster: its servers check their event loops every 500 ms, not 20
#: (on 2 cores the checks of the scheduler and nannies, in the driver's process, took 3-4% of a
#: core from the workers).
LOCAL_CLUSTER = {"distributed.admin.tick.interval": "500ms"}


@dataclass(frozen=True)
class AuditOptions:
    sources: list[str]
    out: Path
    fields: Fields = field(default_factory=Fields)
    #: How document text is parsed: ``markdown`` or ``text``.
    kind: str = "markdown"
    #: Documents per partition (a task); part of the audit's identity, as partitions are named by it.
    partition_size: int = 100
    #: Worker processes of the local cluster (ignored with ``scheduler``).
    workers: int = 2
    #: ``tcp://HOST:PORT`` of a running Dask scheduler; None starts a local cluster.
    scheduler: str | None = None
    #: Forget what an earlier run in ``out`` did and start over.
    fresh: bool = False

    def identity(self) -> dict[str, Any]:
        """What besides the config decides the outputs: a resumed audit must have the same."""
        return {
            "text_field": self.fields.text,
            "id_field": self.fields.id,
            "url_field": self.fields.url,
            "kind": self.kind,
            "partition_size": self.partition_size,
        }


class AuditError(Exception):
    """A partition could not be checked (a worker's setup differs, or a task failed on every try)."""


class Interrupted(Exception):
    """The run was stopped (Ctrl-C); the finished partitions are recorded and the next run resumes."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__(f"interrupted with {done} of {total} partitions done")
        self.done = done
        self.total = total


@dataclass
class Step:
    """Where a run is, as reported after each finished partition."""

    done: int
    total: int
    documents: int
    started: float
    #: Partitions finished in this run (not counting those an earlier run did).
    fresh: int
    #: Input bytes of the partitions this run checked, and of those left: the time left is
    #: reckoned by these (the largest partitions go first), or by partitions when they are 0.
    size_done: int = 0
    size_left: int = 0


def run_audit(
    loaded: Loaded,
    options: AuditOptions,
    *,
    client: Any = None,
    on_step: Callable[[Step], None] | None = None,
    say: Callable[[str], None] = lambda line: None,
) -> dict[str, Any]:
    """Audit the sources; returns the summary (also in ``out/summary.json``).

    :param client: a ``distributed.Client`` to use; by default one is made for ``options``.
    :param on_step: called after each partition is recorded (a progress bar, a test's trigger).
    :param say: where one-line notes go (partitions resumed or redone).
    :raises UsageError: for bad sources or an ``out`` folder holding another audit.
    :raises Interrupted: on Ctrl-C (or a ``KeyboardInterrupt`` from ``on_step``).
    """
    settings = loaded.settings
    partitions = list(plan(options.sources, options.fields, options.partition_size, settings.config))
    if len({p.id for p in partitions}) != len(partitions):
        raise UsageError("a source is named twice")
    if client is None and options.scheduler:
        _probe_scheduler(options.scheduler)  # before --out is made: a wrong address leaves nothing behind
    out = OutDir(options.out)
    done = out.open(settings.fingerprint, options.identity(), options.fresh)
    todo = [p for p in partitions if done.get(p.id) != p.digest]
    # The largest first, so the last tasks are short and no worker idles long waiting for the
    # others to finish (the outputs keep the inputs' order whatever the order of the work).
    todo.sort(key=lambda p: p.size, reverse=True)
    changed = sum(1 for p in todo if p.id in done)
    if len(todo) < len(partitions):
        say(f"resuming: {len(partitions) - len(todo)} of {len(partitions)} partitions were done by an earlier run")
    if changed:
        say(f"{changed} partition{'s' if changed != 1 else ''} changed since the earlier run: checking again")
    if todo:
        told = 0
        noticed: set[str] = set()
        step = Step(len(partitions) - len(todo), len(partitions), 0, time.monotonic(), 0, 0, sum(p.size for p in todo))
        with _client(options, client) as dask, contextlib.closing(_results(dask, todo, options, loaded)) as results:
            try:
                for result in results:
                    out.record(result)
                    for notice in result.notices:
                        if notice not in noticed:
                            noticed.add(notice)
                            say(f"notice: {notice}")
                    for problem in result.unreadable:
                        told += 1
                        if told <= TOLD_UNREADABLE:
                            say(f"unreadable: {problem}")
                        elif told == TOLD_UNREADABLE + 1:
                            say("more unreadable records: findings.parquet lists them all (code HL001)")
                    step.done += 1
                    step.fresh += 1
                    step.size_done += result.partition.size
                    step.size_left -= result.partition.size
                    step.documents += result.tally.totals["documents"]
                    if on_step is not None:
                        on_step(step)
            except KeyboardInterrupt:
                raise Interrupted(step.done, step.total) from None
    out.merge(p.id for p in partitions)
    tallies = out.tallies({p.id: p.digest for p in partitions})
    summary = summaries.build(tallies, loaded.names, len(partitions))
    out.write_summary(summary)
    return summary


@contextlib.contextmanager
def _client(options: AuditOptions, given: Any) -> Iterator[Any]:
    """A client of the given, named or a new local cluster, its workers set up for the audit."""
    with _cluster_client(options, given) as client, _quiet_workers(client):
        yield client


@contextlib.contextmanager
def _quiet_workers(client: Any) -> Iterator[None]:
    from healthlint.audit.workers import NAME, QuietWorker

    client.register_plugin(QuietWorker(), name=NAME)  # also on workers that join or restart later
    try:
        yield
    finally:
        with contextlib.suppress(Exception):  # a cluster already gone (Ctrl-C) has nothing to undo
            client.unregister_worker_plugin(NAME)


@contextlib.contextmanager
def _cluster_client(options: AuditOptions, given: Any) -> Iterator[Any]:
    if given is not None:
        yield given
        return
    if options.scheduler:
        try:
            client = _dask().Client(options.scheduler, timeout="20s")
        except OSError as exc:
            raise UsageError(f"cannot reach the Dask scheduler at {options.scheduler}: {exc}") from None
        with client:
            yield client
        return
    with local_cluster(options.workers) as client:
        yield client


#: Seconds to reach ``--scheduler`` (refused connections are retried, as the client does), then seconds more for it to
#: answer Dask's handshake and an identity request.
SCHEDULER_CONNECT_SECONDS = 20.0
SCHEDULER_ANSWER_SECONDS = 10.0


def _probe_scheduler(address: str) -> None:
    """Ask ``address`` who it is before a client is made, so that a wrong address is a usage error that says so.

    A Dask client connected to something that is not Dask either waits for its handshake for ever (a server that reads
    and does not answer) or reads a web server's reply as the length of a frame and fails allocating exabytes (the
    dashboard's port); a worker's address makes a client that fails later. Connecting is retried for 20 s, as the
    client does (:data:`SCHEDULER_CONNECT_SECONDS`); the answer must come within :data:`SCHEDULER_ANSWER_SECONDS` more.

    :raises UsageError: naming the address and what is wrong with it.
    """
    import asyncio
    import importlib

    connect: Any = importlib.import_module("distributed.comm.core").connect  # untyped: Any, as _dask() is
    security: Any = importlib.import_module("distributed.security").Security()  # the TLS settings of Dask's config

    class NoAnswer(Exception):
        pass

    async def identity() -> Any:
        comm = await connect(address, timeout=SCHEDULER_CONNECT_SECONDS, **security.get_connection_args("client"))
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    async def bounded() -> Any:
        task = asyncio.ensure_future(identity())
        done, _ = await asyncio.wait({task}, timeout=SCHEDULER_CONNECT_SECONDS + SCHEDULER_ANSWER_SECONDS)
        if not done:
            task.cancel()
            raise NoAnswer
        return task.result()

    wrong = f"{address} does not answer as a Dask scheduler"
    hint = "give the address `dask scheduler` prints (tcp://HOST:8786 by default; 8787 is its dashboard, a web page)"
    try:
        answer = asyncio.run(bounded())
    except ValueError as exc:  # a malformed address: a scheme Dask does not know, no port
        raise UsageError(f"--scheduler {address!r}: not a Dask scheduler address (tcp://HOST:PORT): {exc}") from None
    except NoAnswer:
        raise UsageError(
            f"{wrong} (no answer in {SCHEDULER_CONNECT_SECONDS + SCHEDULER_ANSWER_SECONDS:g} s); {hint}"
        ) from None
    except OSError as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    except Exception as exc:  # whatever a server that is not Dask sends (a web server's reply read as the length
        # of a frame is a MemoryError), it is the address that is wrong
        raise UsageError(f"{wrong} ({type(exc).__name__}: {str(exc)[:120]}); {hint}") from None
    kind = answer.get("type") if isinstance(answer, dict) else None
    if kind != "Scheduler":
        what = f"a Dask {kind.lower()}" if isinstance(kind, str) else "not Dask"
        raise UsageError(f"{address} is {what}, not the scheduler; give the address `dask scheduler` prints")


@contextlib.contextmanager
def local_cluster(workers: int) -> Iterator[Any]:
    """A client of a new cluster of ``workers`` processes on this machine, as ``healthlint audit`` starts it."""
    dask = _dask()
    with _workers_ignore_ctrl_c(), _dask_config().set(LOCAL_CLUSTER):
        # One thread per worker process: healthlint's rules are CPU-bound Python.
        cluster = dask.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
        )
    # Results straight from the workers: no relay through the scheduler, which shares the driver's process.
    with cluster, dask.Client(cluster, direct_to_workers=True) as client:
        yield client


@contextlib.contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """Worker processes started here inherit an ignored SIGINT: Ctrl-C reaches the whole process
    group, and it is the driver's to handle (record what is done, close the cluster)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _results(
    client: Any, todo: list[Partition], options: AuditOptions, loaded: Loaded
) -> Generator[PartitionResult, None, None]:
    """Results as they finish, with a few tasks queued per worker so none waits and memory
    holds a bounded number of partitions whatever the corpus size."""
    as_completed = _dask().as_completed

    waiting = iter(todo)
    run = uuid.uuid4().hex[:8]  # a resumed run's tasks never meet the cancelled ones of the run before
    cores = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()) or options.workers
    window = 2 * cores + 2

    def submit() -> Any:
        partition = next(waiting, None)
        if partition is None:
            return None
        return client.submit(
            check_partition,
            partition,
            options.fields,
            loaded.settings,
            options.kind,
            key=f"healthlint-audit-{partition.id}-{run}",
            pure=False,
        )

    running = as_completed([f for f in (submit() for _ in range(window)) if f is not None])
    try:
        for future in running:
            try:
                result: PartitionResult = future.result()
            except Exception as exc:  # a worker-side failure: stop with its reason, not a traceback
                raise AuditError(f"a partition failed on the workers: {type(exc).__name__}: {exc}") from None
            finally:
                future.release()
            following = submit()
            if following is not None:
                running.add(following)
            yield result
    finally:
        for future in list(running.futures):
            future.cancel()


def _dask() -> Any:
    """``distributed``, imported when an audit starts (it is an optional extra, and slow to import)."""
    import distributed

    return distributed


def _dask_config() -> Any:
    import dask.config

    return dask.config


def quiet_dask() -> None:
    """Dask's own log lines (a worker restarted, a connection closed) stay out of the audit's output,
    the local workers' too (they read the variable when they start)."""
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "critical")
    _dask()
    for name in list(logging.root.manager.loggerDict):
        if name.split(".")[0] in ("distributed", "dask"):
            logging.getLogger(name).setLevel(logging.CRITICAL)


class ProgressBar:
    """``37/120 partitions  3700 documents  41.2 docs/s  2:15 left`` on one line of stderr."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        #: A bar is on the current line (a note must start a line of its own).
        self.drawn = False

    def note(self, line: str) -> None:
        """A line of text between two updates of the bar."""
        self.stream.write(("\n" if self.drawn else "") + line + "\n")
        self.stream.flush()
        self.drawn = False

    def __call__(self, step: Step) -> None:
        elapsed = max(time.monotonic() - step.started, 1e-6)
        rate = step.documents / elapsed
        if step.size_done:
            left = elapsed * step.size_left / step.size_done
        else:
            left = (step.total - step.done) * elapsed / step.fresh if step.fresh else 0.0
        minutes, seconds = divmod(int(left), 60)
        hours, minutes = divmod(minutes, 60)
        eta = f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
        width = 24
        filled = int(width * step.done / step.total) if step.total else width
        bar = "#" * filled + "." * (width - filled)
        self.stream.write(
            f"\r[{bar}] {step.done}/{step.total} partitions  {step.documents} documents  {rate:.1f} docs/s  {eta} left "
        )
        self.drawn = step.done < step.total
        if not self.drawn:
            self.stream.write("\n")
        self.stream.flush()
