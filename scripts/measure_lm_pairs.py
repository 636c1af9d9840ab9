"""Measure the synonym gain (scripts/lm_pairs.py) as a tenth signal of the spun page model, out of fold.

Runs ``scripts/train_spun_model.py`` (same data, folds, guards and figures) with the page model given one more
signal, ``lm_gain``: the mean synonym gain of the text's judged words, shrunk towards clean prose's mean with a
prior of ``model.PRIOR_WORDS`` words like the other word shares. Nothing in the package changes: the analysis is
wrapped here, and ``--write`` is refused.

    --table FILE     the compact table of scripts/build_lm_pairs.py (what the light path would ship)
    --exact MATRIX   the exact table (``build_lm_pairs.py --matrix``; needs numpy and about 1.2 GB of memory)
    --cap BITS       count a word's gain at most this many bits
    --class-tail C   with --exact and --words-of: the compact table, its unlisted pairs read from C clusters of
                     context words (a class bigram) instead of the additive fit

The other arguments go to train_spun_model.py (``--cache`` is required: one per table; ``--drop lm_gain`` gives
the model without the signal on the same folds). Usage:

    nice -n 10 .venv/bin/python scripts/measure_lm_pairs.py --table /tmp/lm_pairs.bin --cache /tmp/lm.pickle --verbose
"""

from __future__ import annotations

import argparse
import sys
from bisect import bisect_left
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import lm_pairs
import train_spun_model as train

from healthlint.families.spun import analysis, model
from healthlint.families.spun.tokens import BlockTokens

SIGNAL = "lm_gain"


class ExactTable:
    """bits(b|a) read from the exact matrix, in the compact table's units (same words, same near-synonyms)."""

    def __init__(self, matrix: Path, compact: lm_pairs.PairTable) -> None:
        import numpy as np

        self.matrix = np.load(matrix)
        self.numbers, self.step = compact.numbers, compact.step
        self.offsets, self.synonyms = compact.offsets, compact.synonyms

    def units_of(self, a: int, b: int) -> float:
        return float(self.matrix[a, b]) / self.step


class ClassTailTable:
    """The compact table with a class-bigram tail: context words clustered (k-means, seed 0, on the rows of a rank-96
    randomized SVD of the exact table less its additive fit); an unlisted pair gets the larger of the floor and its
    cluster's mean row (one byte a pair, ``clusters`` x words bytes), shifted by the context word's own mean."""

    def __init__(self, matrix: Path, compact: lm_pairs.PairTable, clusters: int) -> None:
        import numpy as np

        bits = np.load(matrix)
        n = len(bits)
        rows, columns = bits.mean(axis=1), bits.mean(axis=0)
        residual = bits - rows[:, None] - columns[None, :] + bits.mean()
        rng = np.random.default_rng(0)
        basis = residual @ rng.standard_normal((n, 112)).astype(np.float32)
        for _ in range(2):
            basis, _ = np.linalg.qr(basis)
            basis = residual @ (residual.T @ basis)
        basis, _ = np.linalg.qr(basis)
        left, singular, _ = np.linalg.svd(basis.T @ residual, full_matrices=False)
        points = (basis @ left[:, :96]) * singular[:96]
        del residual, basis
        centres = points[rng.choice(n, clusters, replace=False)].copy()
        for _ in range(15):
            distance = (points**2).sum(1)[:, None] - 2 * points @ centres.T + (centres**2).sum(1)[None, :]
            label = distance.argmin(1)
            for k in range(clusters):
                if (label == k).any():
                    centres[k] = points[label == k].mean(0)
        means = np.zeros((clusters, n), dtype=np.float32)
        cluster_rows = np.zeros(clusters)
        for k in range(clusters):
            if (label == k).any():
                means[k] = bits[label == k].mean(0)
                cluster_rows[k] = rows[label == k].mean()
        self.tail = np.clip(np.rint(means / compact.step), 0, 255).astype(np.uint8)
        self.shift = np.rint((rows - cluster_rows[label]) / compact.step).astype(int).tolist()
        self.label = label.tolist()
        self.compact = compact
        self.numbers, self.step = compact.numbers, compact.step
        self.offsets, self.synonyms = compact.offsets, compact.synonyms

    def units_of(self, a: int, b: int) -> int:
        table = self.compact
        lo = a * table.top
        at = bisect_left(table.listed, b, lo, lo + table.top)
        if at < lo + table.top and table.listed[at] == b:
            return table.units[at]
        return max(table.floors[a], int(self.tail[self.label[a], b]) + self.shift[a])


def install(table: Any, cap: float | None) -> None:
    """Wrap the analysis, the page counts and signals, and the training script's priors with the new signal."""
    gain = lm_pairs.SynonymGain(table)
    if cap is not None:
        lm_pairs.MAX_GAIN = cap
    analyze = analysis.Analyzer.analyze

    def analyze_with_gain(self: analysis.Analyzer, article: Any, settings: Any) -> Any:
        result = analyze(self, article, settings)
        counts = lm_pairs.GainCounts()
        for block in article.blocks:
            if block.text.strip():
                gain.add(BlockTokens(block.text), counts)
        result.lm_words, result.lm_gain = counts.words, counts.gain
        return result

    page_counts, page_signals, clean_priors = model.page_counts, model.page_signals, train.clean_priors

    def counts_with_gain(a: Any) -> dict[str, float]:
        return {**page_counts(a), "lm_words": getattr(a, "lm_words", 0), "lm_gain": getattr(a, "lm_gain", 0.0)}

    def signals_with_gain(c: dict[str, float], priors: dict[str, float]) -> list[float]:
        shrunk = (c["lm_gain"] + model.PRIOR_WORDS * priors[SIGNAL]) / (c["lm_words"] + model.PRIOR_WORDS)
        return [*page_signals(c, priors), shrunk]

    def priors_with_gain(openings: list[dict[str, Any]]) -> dict[str, float]:
        clean = [o["counts"] for o in openings if o["spun"] == 0]
        mean = sum(c["lm_gain"] for c in clean) / max(sum(c["lm_words"] for c in clean), 1)
        return {**clean_priors(openings), SIGNAL: round(mean, 5)}

    analysis.Analyzer.analyze = analyze_with_gain  # type: ignore[method-assign]
    train.page_counts, train.page_signals, train.clean_priors = counts_with_gain, signals_with_gain, priors_with_gain
    train.SIGNALS = (*model.SIGNALS, SIGNAL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--table", type=Path, help="the compact table")
    source.add_argument("--exact", type=Path, help="the exact matrix (its words must be the table's: give --words-of)")
    parser.add_argument("--words-of", type=Path, help="with --exact: the compact table built from the same matrix")
    parser.add_argument("--cap", type=float, help="count a word's gain at most this many bits")
    parser.add_argument(
        "--class-tail", type=int, metavar="C", help="with --table and --exact: the tail of C clusters of context words"
    )
    args, rest = parser.parse_known_args()
    if "--write" in rest or "--cache" not in rest:
        parser.error("measurement only: no --write, and a --cache of its own")
    if args.class_tail:
        if args.words_of is None or args.exact is None:
            parser.error("--class-tail needs --exact and --words-of (the compact table)")
        table: Any = ClassTailTable(args.exact, lm_pairs.load(args.words_of), args.class_tail)
    elif args.table:
        table = lm_pairs.load(args.table)
    else:
        if args.words_of is None:
            parser.error("--exact needs --words-of")
        table = ExactTable(args.exact, lm_pairs.load(args.words_of))
    install(table, args.cap)
    sys.argv = [sys.argv[0], *rest]
    train.main()


if __name__ == "__main__":
    main()
