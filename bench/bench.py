"""Benchmark healthlint against its peers (proselint; write-good where npm is available) in one run.

Usage (from the repository root, after `pip install -e '.[dev,bench]'`):

    .venv/bin/python bench/bench.py                 # full run: 500 real articles, 3 repeats
    .venv/bin/python bench/bench.py --repeat 1      # quicker, noisier

The corpus is the 500 real health articles in ../shared/corpus/health/ written out as Markdown
files (about 317k words). Every figure is measured in this run, on this machine, and healthlint
is reported as a ratio against the peers measured alongside it: absolute numbers on a noisy
2-core machine mean little, ratios from the same run mean more.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
WORD_RE = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


@dataclass
class Run:
    seconds: float
    max_rss_mb: float
    returncode: int


def measure(command: list[str], cwd: Path, env: dict[str, str] | None = None, ok: tuple[int, ...] = (0, 1)) -> Run:
    """Wall time and peak resident memory (the process and the workers it waited for)."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    # Peers exit with the number of problems found; only a signal or a healthlint error is a failure.
    if code < 0 or (ok and code not in ok):
        raise SystemExit(f"{' '.join(command[:6])} ... failed with exit code {code}:\n{stderr[-2000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, code)


def best(
    command: list[str], cwd: Path, repeat: int, env: dict[str, str] | None = None, ok: tuple[int, ...] = (0, 1)
) -> Run:
    runs = [measure(command, cwd, env, ok) for _ in range(repeat)]
    return min(runs, key=lambda r: r.seconds)


def median_seconds(
    command: list[str], cwd: Path, repeat: int, env: dict[str, str] | None = None, ok: tuple[int, ...] = (0, 1)
) -> float:
    return statistics.median(measure(command, cwd, env, ok).seconds for _ in range(repeat))


def build_corpus(shared: Path, folder: Path, copies_of_seeds: int) -> tuple[list[Path], int]:
    health = shared / "corpus" / "health"
    if not health.is_dir():
        raise SystemExit(f"{health} not found: the benchmark needs the shared corpus")
    folder.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    words = 0
    for source in sorted(health.glob("*.jsonl")):
        for i, line in enumerate(source.read_text(encoding="utf-8").splitlines()):
            text = json.loads(line)["text"].strip()
            path = folder / f"{source.stem}_{i:03d}.md"
            path.write_text(text + "\n", encoding="utf-8")
            files.append(path)
            words += len(WORD_RE.findall(text))
    seeds = shared / "seeds"
    for n in range(copies_of_seeds):
        for seed in sorted(seeds.glob("*.txt")):
            path = folder / f"seed{n:02d}_{seed.stem}.md"
            text = seed.read_text(encoding="utf-8")
            path.write_text(text, encoding="utf-8")
            files.append(path)
            words += len(WORD_RE.findall(text))
    return files, words


def check_json(healthlint: Path, folder: Path, *args: str) -> dict[str, Any]:
    """``healthlint check . --format json --no-cache ARGS`` in ``folder``: the parsed report (exit 0 or 1 only)."""
    done = subprocess.run(
        [str(healthlint), "check", ".", "--format", "json", "--no-cache", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"healthlint exited {done.returncode}:\n{done.stderr}")
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def write_good_command(workdir: Path) -> list[str] | None:
    """write-good from the npm registry, installed into the benchmark's own folder."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        return None
    prefix = workdir / "node"
    binary = prefix / "node_modules" / ".bin" / "write-good"
    if not binary.exists():
        proc = subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(prefix), "write-good"],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0 or not binary.exists():
            print(f"(write-good not measured: npm install failed: {proc.stderr.strip()[-200:]})", file=sys.stderr)
            return None
    return [str(binary)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="the shared folder")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (best or median is kept)")
    parser.add_argument("--seeds", type=int, default=0, help="also add the five seeds this many times")
    parser.add_argument("--no-write-good", action="store_true", help="skip write-good even where npm is available")
    parser.add_argument("--keep", type=Path, help="keep the corpus and tools in this folder")
    args = parser.parse_args()

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="healthlint-bench-"))
    corpus = workdir / "corpus"
    if corpus.exists():
        shutil.rmtree(corpus)
    files, words = build_corpus(args.shared, corpus, args.seeds)
    single = min(files[:500], key=lambda p: abs(len(WORD_RE.findall(p.read_text(encoding="utf-8"))) - 600))
    single_words = len(WORD_RE.findall(single.read_text(encoding="utf-8")))
    names = [p.name for p in files]

    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("HEALTHLINT_CACHE_DIR", None)
    # Measure as users run: with Python's bytecode cache (pip writes it for installed peers; an
    # editable checkout only gets it on first run, and some sandboxes switch it off).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    hl = [sys.executable, "-m", "healthlint", "check", "--exit-zero"]
    bin_dir = Path(sys.executable).parent
    proselint = [str(bin_dir / "proselint")] if (bin_dir / "proselint").exists() else ["proselint"]
    peers: dict[str, list[str]] = {"proselint": [*proselint, "check", "--output-format", "json"]}
    write_good = None if args.no_write_good else write_good_command(workdir)
    if write_good:
        peers["write-good"] = write_good

    print(f"corpus: {len(files)} files, {words:,} words; single file: {single.name} ({single_words} words)")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, repeat={args.repeat}\n")

    # One warm-up run per tool: bytecode caches, healthlint's built-on-first-use indexes.
    for command in [*peers.values(), hl]:
        measure([*command, single.name], corpus, env, ok=())

    throughput: dict[str, float] = {}
    memory: dict[str, float] = {}
    for name, command in peers.items():
        run = best([*command, *names], corpus, args.repeat, env, ok=())
        throughput[name], memory[name] = words / run.seconds, run.max_rss_mb
    one = best([*hl, "-j", "1", "--no-cache", "-f", "json", "."], corpus, args.repeat, env)
    two = best([*hl, "-j", "2", "--no-cache", "-f", "json", "."], corpus, args.repeat, env)
    throughput["healthlint"] = words / one.seconds
    every_rule = best([*hl, "-j", "1", "--no-cache", "--extend-select", "HL", "-f", "json", "."], corpus, 1, env)
    memory["healthlint"] = every_rule.max_rss_mb

    single_runs = max(5, args.repeat * 3)
    single_times = {
        name: median_seconds([*command, single.name], corpus, single_runs, env, ok=())
        for name, command in peers.items()
    }
    single_times["healthlint"] = median_seconds([*hl, "--no-cache", single.name], corpus, single_runs, env)

    # Cold means an empty result cache, not a fresh machine: --cache-dir moves only the result
    # cache, so the word indexes and compiled patterns built on first use stay where they are.
    cache_dir = workdir / "cache"
    colds, warms = [], []
    for _ in range(args.repeat):
        shutil.rmtree(cache_dir, ignore_errors=True)
        cached = [*hl, "--cache-dir", str(cache_dir), "-f", "json", "."]
        colds.append(measure(cached, corpus, env).seconds)
        warms.append(measure(cached, corpus, env).seconds)
    cold, warm = min(colds), min(warms)

    fastest_peer = max((n for n in peers), key=lambda n: throughput[n])
    quickest_single = min((n for n in peers), key=lambda n: single_times[n])
    # The targets are stated against proselint; the fastest peer is shown too.
    rows = [
        ("metric", "healthlint", *peers, "vs proselint", f"vs fastest ({fastest_peer})", "target (vs proselint)"),
        (
            "words/s, one process",
            f"{throughput['healthlint']:,.0f}",
            *(f"{throughput[n]:,.0f}" for n in peers),
            f"{throughput['healthlint'] / throughput['proselint']:.2f}x",
            f"{throughput['healthlint'] / throughput[fastest_peer]:.2f}x",
            ">= 1.00x",
        ),
        ("speed-up with --jobs 2", f"{one.seconds / two.seconds:.2f}x", *("" for _ in peers), "", "", ">= 1.70x"),
        (
            "single file, ms (start-up incl.)",
            f"{single_times['healthlint'] * 1000:.0f}",
            *(f"{single_times[n] * 1000:.0f}" for n in peers),
            f"{single_times['healthlint'] / single_times['proselint']:.2f}x",
            f"{single_times['healthlint'] / single_times[quickest_single]:.2f}x",
            "<= 2.00x",
        ),
        (
            "warm re-run / cold run",
            f"{warm:.2f}s / {cold:.2f}s",
            *("" for _ in peers),
            f"{warm / cold:.1%}",
            "",
            "<= 10%",
        ),
        (
            "peak memory, MB (every rule)",
            f"{memory['healthlint']:.0f}",
            *(f"{memory[n]:.0f}" for n in peers),
            "",
            "",
            "<= 400",
        ),
    ]
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for k, row in enumerate(rows):
        print("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if k == 0:
            print("  ".join("-" * w for w in widths))
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
