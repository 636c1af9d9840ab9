"""Throughput of ``healthlint audit`` with 1 and 2 worker processes, and peak memory per worker.

The corpus is ``../shared/corpus/health`` (500 articles) as one JSON Lines file. For each
worker count a local Dask cluster is started, warmed up on a few documents (each worker loads
the plugins and word data once), then the whole corpus is audited and timed. The figures
give the cost of a million pages: core-hours = 1e6 / (documents per second per worker) / 3600.

Run it on an otherwise idle machine; ``--sample 20`` only proves it works.

Usage:
    .venv/bin/python bench/bench_audit.py [--sample N] [--workers 1 2] [--price-per-core-hour 0.04]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def peak_rss_mb() -> float:
    """This process's peak resident memory (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_corpus(shared: Path, target: Path, sample: int | None) -> tuple[int, int]:
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
    return len(records), sum(len(r["text"].split()) for r in records)


def measure(corpus: Path, workers: int, size: int, workdir: Path) -> dict[str, Any]:
    from healthlint.audit.checker import load_settings
    from healthlint.audit.run import AuditOptions, local_cluster, run_audit
    from healthlint.audit.sources import Fields

    loaded = load_settings(None, {}, [], [])
    fields = Fields(url="url")
    warmup = workdir / f"warmup-{workers}.jsonl"
    warmup.write_text("".join(corpus.read_text(encoding="utf-8").splitlines(keepends=True)[: 2 * workers]))
    with local_cluster(workers) as client:
        started = time.perf_counter()
        warm = AuditOptions([str(warmup)], workdir / f"warm-{workers}", fields, partition_size=1, fresh=True)
        run_audit(loaded, warm, client=client)
        startup = time.perf_counter() - started
        options = AuditOptions([str(corpus)], workdir / f"out-{workers}", fields, partition_size=size, fresh=True)
        started = time.perf_counter()
        summary = run_audit(loaded, options, client=client)
        seconds = time.perf_counter() - started
        memory = client.run(peak_rss_mb)
    return {
        "workers": workers,
        "documents": summary["documents"],
        "seconds": round(seconds, 2),
        "documents_per_second": round(summary["documents"] / seconds, 2),
        "words_per_second": round(summary["words"] / seconds),
        "startup_seconds": round(startup, 2),
        "peak_memory_mb_per_worker": sorted(round(m) for m in memory.values()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--sample", type=int, help="audit only this many documents (a quick run)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--partition-size", type=int, default=25)
    parser.add_argument("--price-per-core-hour", type=float, help="to print the cost of a million pages")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    os.environ.setdefault("HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD", "1")
    with tempfile.TemporaryDirectory(prefix="healthlint-bench-audit-") as tmp:
        workdir = Path(tmp)
        os.chdir(workdir)  # no project config: the defaults
        corpus = workdir / "health.jsonl"
        documents, words = write_corpus(args.shared, corpus, args.sample)
        print(f"corpus: {documents} documents, {words} words; partitions of {args.partition_size}")
        rows = [measure(corpus, n, args.partition_size, workdir) for n in args.workers]
    base = rows[0]["documents_per_second"] / rows[0]["workers"]
    for row in rows:
        per_worker = row["documents_per_second"] / row["workers"]
        core_hours = 1e6 / per_worker / 3600
        cost = f", ${core_hours * args.price_per_core_hour:.2f}" if args.price_per_core_hour else ""
        print(
            f"{row['workers']} worker(s): {row['seconds']} s, {row['documents_per_second']} documents/s,"
            f" {row['words_per_second']} words/s, speed-up {row['documents_per_second'] / base:.2f}x;"
            f" startup {row['startup_seconds']} s; peak memory per worker {row['peak_memory_mb_per_worker']} MB;"
            f" a million pages like these: {core_hours:.1f} core-hours{cost}"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
