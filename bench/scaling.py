"""How the time to check each adversarial shape grows from 100 KB to 1 MB (issue 21: at most 15x).

Each shape of ``tests/adversarial/shapes.py`` is written at both sizes and checked once through
the CLI (default settings, no cache); the script prints the CPU seconds the check took at each
size (and the wall-clock seconds of the large one), their ratio, and whether it stays within the
bound. CPU time, not wall-clock time, so that a busy machine does not move the ratio. Linear work
gives about 10x (less, with start-up in both); quadratic work gives about 100x (or hits the rule
time limit). Slow: minutes for all shapes. Run it niced:

    nice -n 10 .venv/bin/python bench/scaling.py [--shape NAME ...] [--small 100000] [--large 1000000]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.adversarial.shapes import SHAPES  # noqa: E402  (run as a script from the repository)

BOUND = 15.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def check_time(folder: Path, name: str, text: str) -> tuple[float, float, int, bool]:
    """CPU and wall-clock seconds to check ``text`` through the CLI, the exit code, and whether a rule
    was stopped (HL005)."""
    path = folder / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    cpu = _children_cpu()
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "healthlint", "check", path.name, "--no-cache"],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    return _children_cpu() - cpu, time.monotonic() - started, done.returncode, " HL005 " in done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", action="append", choices=sorted(SHAPES), help="only these shapes")
    parser.add_argument("--small", type=int, default=100_000, help="bytes of the small article")
    parser.add_argument("--large", type=int, default=1_000_000, help="bytes of the large article")
    args = parser.parse_args()
    names = args.shape or list(SHAPES)
    print(f"{'shape':<20} {'small cpu':>9} {'large cpu':>9} {'large wall':>10} {'growth':>7}  within {BOUND:g}x")
    failures = 0
    with tempfile.TemporaryDirectory(prefix="healthlint-scaling-") as tmp:
        folder = Path(tmp)
        for name in names:
            small, _, small_rc, small_stopped = check_time(folder, name, SHAPES[name](args.small))
            large, wall, large_rc, large_stopped = check_time(folder, name, SHAPES[name](args.large))
            growth = large / small if small > 0 else float("inf")
            clean = small_rc in (0, 1) and large_rc in (0, 1)
            # A rule stopped by rule-timeout caps the time, so the ratio says nothing: a failure.
            ok = growth <= BOUND and clean and not (small_stopped or large_stopped)
            failures += not ok
            notes = "" if clean else f"  (exit {small_rc}/{large_rc})"
            if small_stopped or large_stopped:
                notes += f"  (a rule timed out at {'100 KB' if small_stopped else 'the large size'})"
            verdict = "yes" if ok else "NO"
            print(f"{name:<20} {small:9.2f} {large:9.2f} {wall:10.2f} {growth:6.1f}x  {verdict}{notes}", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
