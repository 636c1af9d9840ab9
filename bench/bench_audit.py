"""Throughput of ``healthlint audit`` with 1 and 2 worker processes, beside ``healthlint check``.

The corpus is ``../shared/corpus/health`` (500 articles) as one JSON Lines file, and the same
texts as Markdown files for ``check``. Each round measures, one after the other:

- ``audit`` with each worker count: a local cluster started as ``healthlint audit`` starts it,
  warmed up on a few documents (each worker loads the plugins and word data once), then the
  whole corpus audited and timed (start-up and warm-up not included);
- ``check --no-cache -jN`` on the files, for N in the same worker counts, less the time the same
  command takes on one article (its start-up), as the reference: what the machine gives.

The machine is shared, so absolute speeds move a lot between minutes: compare the ratios of
one round (measured seconds apart), and read the spread over the rounds. CPU seconds survive
a loaded machine better than wall time: each round also prints the CPU time of the audit's
workers and of its driver's process (which holds a local cluster's scheduler and nannies),
and of ``check`` (its start-up subtracted likewise). The cost of a million
pages is core-hours = 1e6 / (documents per second per worker) / 3600.

Usage:
    .venv/bin/python bench/bench_audit.py [--rounds 3] [--sample N] [--workers 1 2] [--no-check]
        [--partition-size 25] [--price-per-core-hour 0.04] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def peak_rss_mb() -> float:
    """This process's peak resident memory (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    """CPU time (user and system) of this process, or of its waited-for children: unlike wall
    time, it hardly moves when other jobs load the machine."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def write_corpus(shared: Path, target: Path, folder: Path, sample: int | None) -> tuple[int, int]:
    """The corpus as JSON Lines (``target``) and as one Markdown file per record (``folder``)."""
    health = shared / "corpus" / "health"
    if not health.is_dir():
        raise SystemExit(f"{health} not found: the benchmark needs the shared corpus")
    records = []
    for source in sorted(health.glob("*.jsonl")):
        for line in source.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            records.append({"id": record["id"], "url": record.get("url"), "text": record["text"]})
    if sample:
        records = records[:: max(1, len(records) // sample)][:sample]
    target.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    folder.mkdir()
    for n, record in enumerate(records):  # the audit checks a text as check checks <id>.md holding it
        (folder / f"{n:05d}.md").write_text(record["text"], encoding="utf-8")
    return len(records), sum(len(r["text"].split()) for r in records)


def measure_audit(corpus: Path, workers: int, size: int, workdir: Path) -> dict[str, Any]:
    from healthlint.audit.checker import load_settings
    from healthlint.audit.run import AuditOptions, local_cluster, run_audit
    from healthlint.audit.sources import Fields

    loaded = load_settings(None, {}, [], [])
    fields = Fields(url="url")
    workdir.mkdir(exist_ok=True)
    warmup = workdir / f"warmup-{workers}.jsonl"
    warmup.write_text("".join(corpus.read_text(encoding="utf-8").splitlines(keepends=True)[: 2 * workers]))
    started = time.perf_counter()
    with local_cluster(workers) as client:
        warm = AuditOptions([str(warmup)], workdir / f"warm-{workers}", fields, partition_size=1, fresh=True)
        run_audit(loaded, warm, client=client)
        startup = time.perf_counter() - started
        options = AuditOptions([str(corpus)], workdir / f"out-{workers}", fields, partition_size=size, fresh=True)
        workers_cpu = client.run(cpu_seconds)
        driver_cpu = cpu_seconds()  # the scheduler and the nannies of a local cluster run in this process
        started = time.perf_counter()
        summary = run_audit(loaded, options, client=client)
        seconds = time.perf_counter() - started
        driver_cpu = cpu_seconds() - driver_cpu
        workers_cpu = {k: v - workers_cpu[k] for k, v in client.run(cpu_seconds).items()}
        memory = client.run(peak_rss_mb)
    return {
        "workers": workers,
        "documents": summary["documents"],
        "words": summary["words"],
        "seconds": round(seconds, 2),
        "startup_seconds": round(startup, 2),
        "worker_cpu_seconds": round(sum(workers_cpu.values()), 2),
        "driver_cpu_seconds": round(driver_cpu, 2),
        "peak_memory_mb_per_worker": sorted(round(m) for m in memory.values()),
    }


def timed_check(folder: Path, jobs: int) -> tuple[float, float]:
    """Wall and CPU seconds (its worker processes included) of ``check -jN`` on a folder."""
    healthlint = Path(sys.executable).with_name("healthlint")
    cpu = cpu_seconds(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [str(healthlint), "check", str(folder), "--no-cache", "-j", str(jobs), "--format", "json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"healthlint check failed: {done.stderr}")
    return seconds, cpu_seconds(resource.RUSAGE_CHILDREN) - cpu


def measure_check(folder: Path, one: Path, jobs: int) -> dict[str, Any]:
    """``check -jN`` on the corpus, less its start-up (the same command on one article)."""
    whole, whole_cpu = timed_check(folder, jobs)
    startup, startup_cpu = timed_check(one, jobs)
    return {
        "jobs": jobs,
        "seconds": round(whole - startup, 2),
        "with_startup": round(whole, 2),
        "cpu_seconds": round(whole_cpu - startup_cpu, 2),
    }


def spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f}, {min(values):.2f}-{max(values):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--sample", type=int, help="audit only this many documents (a quick run)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--partition-size", type=int, default=25)
    parser.add_argument("--no-check", dest="check", action="store_false", help="do not measure healthlint check")
    parser.add_argument("--price-per-core-hour", type=float, help="to print the cost of a million pages")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    os.environ.setdefault("HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD", "1")
    rounds: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="healthlint-bench-audit-") as tmp:
        workdir = Path(tmp)
        os.chdir(workdir)  # no project config: the defaults
        corpus, folder, one = workdir / "health.jsonl", workdir / "files", workdir / "one"
        documents, words = write_corpus(args.shared, corpus, folder, args.sample)
        one.mkdir()
        (one / "00000.md").write_bytes((folder / "00000.md").read_bytes())
        print(f"corpus: {documents} documents, {words} words; partitions of {args.partition_size}")
        for number in range(1, args.rounds + 1):
            audits = [measure_audit(corpus, n, args.partition_size, workdir / f"r{number}") for n in args.workers]
            checks = [measure_check(folder, one, n) for n in args.workers] if args.check else []
            rounds.append({"round": number, "audit": audits, "check": checks})
            report_round(rounds[-1], args.price_per_core_hour)
    if len(rounds) > 1:
        report_spread(rounds, args.workers)
    if args.json:
        args.json.write_text(json.dumps(rounds, indent=1) + "\n", encoding="utf-8")


def report_round(measured: dict[str, Any], price: float | None) -> None:
    audits, checks = measured["audit"], measured["check"]
    base = audits[0]["seconds"] * audits[0]["workers"]
    for row in audits:
        per_worker = row["documents"] / row["seconds"] / row["workers"]
        core_hours = 1e6 / per_worker / 3600
        cost = f", ${core_hours * price:.2f}" if price else ""
        print(
            f"round {measured['round']}: audit, {row['workers']} worker(s): {row['seconds']} s,"
            f" {row['documents'] / row['seconds']:.1f} documents/s, {row['words'] / row['seconds']:,.0f} words/s,"
            f" speed-up {base / row['seconds']:.2f}x; start-up {row['startup_seconds']} s;"
            f" CPU: workers {row['worker_cpu_seconds']} s, driver {row['driver_cpu_seconds']} s;"
            f" peak memory per worker {row['peak_memory_mb_per_worker']} MB;"
            f" a million pages like these: {core_hours:.1f} core-hours{cost}"
        )
    for row in checks:
        print(
            f"round {measured['round']}: check -j{row['jobs']}: {row['seconds']} s without start-up"
            f" ({row['with_startup']} s with), speed-up {checks[0]['seconds'] / row['seconds']:.2f}x;"
            f" CPU {row['cpu_seconds']} s"
        )
    if checks and audits[0]["workers"] == checks[0]["jobs"] == 1:
        cost = audits[0]["seconds"] / checks[0]["seconds"]
        cpu = audits[0]["worker_cpu_seconds"] / checks[0]["cpu_seconds"]
        print(
            f"round {measured['round']}: audit with one worker takes {cost:.2f}x the time of check -j1,"
            f" its worker {cpu:.2f}x the CPU time"
        )


def report_spread(rounds: list[dict[str, Any]], workers: list[int]) -> None:
    print(f"\nover {len(rounds)} rounds:")
    for i, n in enumerate(workers[1:], 1):
        audit = [r["audit"][0]["seconds"] / r["audit"][i]["seconds"] for r in rounds]
        print(f"  audit speed-up with {n} workers: {spread(audit)}")
        if rounds[0]["check"]:
            check = [r["check"][0]["seconds"] / r["check"][i]["seconds"] for r in rounds]
            print(f"  check speed-up with -j{n}: {spread(check)}")
    if rounds[0]["check"] and workers[0] == 1:
        cost = [r["audit"][0]["seconds"] / r["check"][0]["seconds"] for r in rounds]
        print(f"  audit with one worker / check -j1: {spread(cost)}")
        cpu = [r["audit"][0]["worker_cpu_seconds"] / r["check"][0]["cpu_seconds"] for r in rounds]
        print(f"  CPU time of the one worker / check -j1's: {spread(cpu)}")


if __name__ == "__main__":
    main()
