"""The out-of-fold ROC AUC gain between two ``--verbose`` runs of train_spun_model.py (or measure_lm_pairs.py),
with a paired page bootstrap: the same resampled pages score both runs.

Usage: .venv/bin/python scripts/auc_gain.py BEFORE.txt AFTER.txt [--resamples 2000]
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import numpy as np
from logistic import auc

#: A page's line in the --verbose listing: label, out-of-fold probability, ..., the URL (cut to 60 characters).
LINE = re.compile(r"\s+(SPUN |clean) p=([\d.]+) .*\s(\S+)$")


def scores(path: Path) -> dict[str, tuple[bool, float]]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = LINE.match(line)
        if m:
            found[m.group(3)] = (m.group(1) == "SPUN ", float(m.group(2)))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--resamples", type=int, default=2000)
    args = parser.parse_args()
    a, b = scores(args.before), scores(args.after)
    keys = sorted(set(a) & set(b))
    y = np.array([a[k][0] for k in keys])
    before, after = np.array([a[k][1] for k in keys]), np.array([b[k][1] for k in keys])
    rng = np.random.default_rng(0)
    gains = []
    for _ in range(args.resamples):
        i = rng.integers(0, len(y), len(y))
        if y[i].any() and not y[i].all():
            gains.append(auc(after[i], y[i]) - auc(before[i], y[i]))
    low, high = np.percentile(gains, [2.5, 97.5])
    print(
        f"{len(keys)} pages: ROC AUC {auc(before, y):.3f} -> {auc(after, y):.3f},"
        f" gain {auc(after, y) - auc(before, y):+.3f} (95% {low:+.3f} to {high:+.3f})"
    )


if __name__ == "__main__":
    main()
