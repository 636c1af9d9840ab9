"""Measure the synonym gain (scripts/lm_pairs.py) as a tenth signal of the spun page model, out of fold.

Runs ``scripts/train_spun_model.py`` (same data, folds, guards and figures) with the page model given one more
signal, ``lm_gain``: the mean synonym gain of the text's judged words, shrunk towards clean prose's mean with a
prior of ``model.PRIOR_WORDS`` words like the other word shares. Nothing in the package changes: the analysis is
wrapped here, and ``--write`` is refused.

    --table FILE     the compact table of scripts/build_lm_pairs.py (what the light path would ship)
    --exact MATRIX   the exact table (``build_lm_pairs.py --matrix``; needs numpy and about 1.2 GB of memory)
    --cap BITS       count a word's gain at most this many bits

The other arguments go to train_spun_model.py (``--cache`` is required: one per table; ``--drop lm_gain`` gives
the model without the signal on the same folds). Usage:

    nice -n 10 .venv/bin/python scripts/measure_lm_pairs.py --table /tmp/lm_pairs.bin --cache /tmp/lm.pickle --verbose
"""

from __future__ import annotations

import argparse
import sys
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
    args, rest = parser.parse_known_args()
    if "--write" in rest or "--cache" not in rest:
        parser.error("measurement only: no --write, and a --cache of its own")
    if args.table:
        table: Any = lm_pairs.load(args.table)
    else:
        if args.words_of is None:
            parser.error("--exact needs --words-of")
        table = ExactTable(args.exact, lm_pairs.load(args.words_of))
    install(table, args.cap)
    sys.argv = [sys.argv[0], *rest]
    train.main()


if __name__ == "__main__":
    main()
