"""Two builds of healthlint side by side: throughput and single-file time, runs interleaved.

A change that must not slow healthlint down is measured against the commit before it, in the same
run: each measurement alternates between the two ``healthlint`` programs (A B A B …), so a noisy
machine slows both alike, and the ratio B/A is what counts. Make the other build with
``git worktree add ../before REV && cd ../before && python3 -m venv .venv && .venv/bin/pip install -e .``.

- throughput: ``healthlint check CORPUS --no-cache -j 1`` over the 500 health articles (default rules),
  reported as words per second (best of the runs);
- single file: ``healthlint check ONE.md --no-cache`` on a 600-word article, start-up included
  (median of the runs).

A family's own cost shows with ``--select HL2`` (passed to every run of both builds).

Usage: .venv/bin/python bench/versus.py --a ../before/.venv/bin/healthlint --b .venv/bin/healthlint [--repeat 5]
       [--select HL2]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import build_corpus, measure  # noqa: E402  (bench/ is not a package)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--a", type=Path, required=True, help="the healthlint program before the change")
    parser.add_argument("--b", type=Path, required=True, help="the healthlint program after the change")
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--select", help="rule codes or prefixes, as healthlint check --select takes them")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="healthlint-versus-") as tmp:
        folder = Path(tmp) / "corpus"
        files, words = build_corpus(args.shared, folder, copies_of_seeds=0)
        single = max(files, key=lambda p: -abs(len(p.read_text(encoding="utf-8").split()) - 600))
        programs = {"A": args.a, "B": args.b}
        selection = ["--select", args.select] if args.select else []
        for program in programs.values():  # warm the data cache and the OS file cache
            measure([str(program), "check", str(single), "--no-cache"], Path(tmp))
        bulk: dict[str, list[float]] = {"A": [], "B": []}
        one: dict[str, list[float]] = {"A": [], "B": []}
        for _ in range(args.repeat):
            for name, program in programs.items():
                bulk[name].append(
                    measure([str(program), "check", str(folder), "--no-cache", "-j1", *selection], Path(tmp)).seconds
                )
                one[name].append(
                    measure([str(program), "check", str(single), "--no-cache", *selection], Path(tmp)).seconds
                )
    a_rate, b_rate = words / min(bulk["A"]), words / min(bulk["B"])
    a_one, b_one = statistics.median(one["A"]), statistics.median(one["B"])
    rules = f"rules {args.select}" if args.select else "default rules"
    print(f"corpus: {len(files)} articles, {words} words; single file: {single.name}; {args.repeat} runs each; {rules}")
    print(f"{'measure':<34}{'A (before)':>14}{'B (after)':>14}{'B/A':>8}")
    print(f"{'words/s, one process (best)':<34}{a_rate:>14,.0f}{b_rate:>14,.0f}{b_rate / a_rate:>8.3f}")
    print(f"{'single file, ms (median)':<34}{a_one * 1000:>14.0f}{b_one * 1000:>14.0f}{b_one / a_one:>8.3f}")


if __name__ == "__main__":
    main()
