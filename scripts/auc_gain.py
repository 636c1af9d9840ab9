"""The out-of-fold ROC AUC gain between two runs of train_spun_model.py (or measure_lm_pairs.py), with a paired
bootstrap: the same resampled pages score both runs.

Each run's ``--scores FILE`` is read (full URLs, full precision); the two must score the same pages with the same
labels. By default pages are resampled one by one; ``--groups`` resamples whole groups of scripts/devgroups.py (one
site or spam network, shared text), as the folds deal them, which gives a wider and more honest interval when a
network's pages move together.

Usage: .venv/bin/python scripts/auc_gain.py BEFORE.json AFTER.json [--resamples 2000] [--groups]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
from devgroups import DEV_PAGES, groups, read_pages
from logistic import auc


def scores(path: Path) -> dict[str, tuple[bool, float]]:
    """url -> (spun, out-of-fold score) of a ``--scores`` file; exits with a message when it holds none."""
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        urls, spun, values = data["urls"], data["spun"], data["scores"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SystemExit(f"{path}: not a --scores file of train_spun_model.py ({error})") from None
    if not urls or not len(urls) == len(spun) == len(values):
        raise SystemExit(f"{path}: no page scores (or lists of different lengths)")
    if len(set(urls)) != len(urls):
        raise SystemExit(f"{path}: a page is scored twice")
    return {u: (bool(s), float(v)) for u, s, v in zip(urls, spun, values, strict=True)}


def paired(before: Path, after: Path) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """The pages (sorted URLs), their labels and the two runs' scores; refused unless both runs scored the same
    pages with the same labels."""
    a, b = scores(before), scores(after)
    if set(a) != set(b):
        raise SystemExit(
            f"the runs scored different pages: {len(set(a) - set(b))} only in {before},"
            f" {len(set(b) - set(a))} only in {after}"
        )
    keys = sorted(a)
    if any(a[k][0] != b[k][0] for k in keys):
        raise SystemExit("the runs label some pages differently")
    y = np.array([a[k][0] for k in keys])
    if y.all() or not y.any():
        raise SystemExit("an AUC needs spun and clean pages")
    return keys, y, np.array([a[k][1] for k in keys]), np.array([b[k][1] for k in keys])


def page_groups(urls: list[str], pages_file: Path) -> list[str]:
    """Each URL's group (scripts/devgroups.py), computed over every page of ``pages_file``, as the folds are."""
    pages = read_pages(pages_file)
    names = dict(zip((p["url"] for p in pages), groups(pages), strict=True))
    missing = [u for u in urls if u not in names]
    if missing:
        raise SystemExit(f"{len(missing)} scored pages are not in {pages_file} (e.g. {missing[0]})")
    return [names[u] for u in urls]


def bootstrap(
    y: np.ndarray, before: np.ndarray, after: np.ndarray, units: list[str] | None, resamples: int
) -> np.ndarray:
    """AUC gains on ``resamples`` resamples (seed 0) of the pages, or of whole ``units`` (one name a page)."""
    members: list[np.ndarray] = (
        [np.flatnonzero(np.array(units) == name) for name in sorted(set(units))]
        if units is not None
        else [np.array([i]) for i in range(len(y))]
    )
    rng = np.random.default_rng(0)
    gains = []
    for _ in range(resamples):
        i = np.concatenate([members[j] for j in rng.integers(0, len(members), len(members))])
        if y[i].any() and not y[i].all():
            gains.append(auc(after[i], y[i]) - auc(before[i], y[i]))
    return np.array(gains)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("before", type=Path, help="the --scores file of the run without the change")
    parser.add_argument("after", type=Path, help="the --scores file of the run with it")
    parser.add_argument("--resamples", type=int, default=2000)
    parser.add_argument("--groups", action="store_true", help="resample whole site groups (scripts/devgroups.py)")
    parser.add_argument("--pages", type=Path, default=DEV_PAGES, help="the dev pages, for --groups")
    args = parser.parse_args()
    keys, y, before, after = paired(args.before, args.after)
    units = page_groups(keys, args.pages) if args.groups else None
    gains = bootstrap(y, before, after, units, args.resamples)
    low, high = np.percentile(gains, [2.5, 97.5])
    what = f"{len(set(units))} site groups" if units is not None else "pages"
    print(
        f"{len(keys)} pages: ROC AUC {auc(before, y):.3f} -> {auc(after, y):.3f},"
        f" gain {auc(after, y) - auc(before, y):+.3f} (95% {low:+.3f} to {high:+.3f}, {len(gains)} resamples of {what})"
    )


if __name__ == "__main__":
    main()
