"""Measure the synonym gain (scripts/lm_pairs.py) as a tenth signal of the spun page model, out of fold.

Runs ``scripts/train_spun_model.py`` (same data, folds, guards and figures) with the page model given one more
signal, ``lm_gain``: the mean synonym gain of the text's judged words, shrunk towards clean prose's mean with a
prior of ``model.PRIOR_WORDS`` words like the other word shares. Nothing in the package changes: the analysis is
wrapped here, and ``--write`` (or any abbreviation of it) is refused.

    --table FILE     the compact table of scripts/build_lm_pairs.py (what the light path would ship)
    --exact MATRIX   the exact table (``build_lm_pairs.py --matrix``; needs numpy and about 1.2 GB of memory), with
                     --words-of the compact table built from it (its words and near-synonyms; the matrix's .words
                     file must hold the same words)
    --cap BITS       count a word's gain at most this many bits
    --class-tail C   with --exact and --words-of: the compact table, its unlisted pairs read from C clusters of
                     context words (a class bigram) instead of the additive fit
    --alone          print the mean gain's own ROC AUC (no shrinking, no model; see :func:`signal_alone`) and stop

The other arguments go to train_spun_model.py (``--drop lm_gain`` gives the model without the signal on the same
folds, ``--scores FILE`` the out-of-fold scores scripts/auc_gain.py compares). The counts are cached (``--cache``;
by default ``.healthlint_cache/lm_pairs.<fingerprint>.pickle`` in the checkout), with a fingerprint of what made
them: the files' sha256, the cap, the class tail, MAX_SYNONYMS, the Zipf window and lm_pairs.py itself; a cache
made by anything else is analysed again. Usage:

    nice -n 10 .venv/bin/python scripts/measure_lm_pairs.py --table FILE [--cap 6] [--alone] [--drop lm_gain]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import sys
from bisect import bisect_left
from pathlib import Path
from typing import Any

# The class tail's k-means and SVD run on one BLAS thread, like the other measuring scripts (set before numpy loads).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
# This checkout's package first, then its scripts: run from another worktree, it must not measure the venv's healthlint.
sys.path[:0] = [str(REPO / "src"), str(HERE)]

import lm_pairs  # noqa: E402
import numpy as np  # noqa: E402
import train_spun_model as train  # noqa: E402
from logistic import auc  # noqa: E402

from healthlint.families.spun import analysis, model  # noqa: E402
from healthlint.families.spun.tokens import BlockTokens  # noqa: E402

SIGNAL = "lm_gain"
#: The key of the counts cache that holds what made the counts (see :func:`fingerprint`).
FINGERPRINT = "lm_pairs_fingerprint"


def matrix_words(matrix: Path, compact: lm_pairs.PairTable) -> np.ndarray:
    """The exact matrix (float32), refused unless its .words file (written beside it by ``build_lm_pairs.py
    --matrix``) holds the compact table's words in its order: rows and columns are read by the table's numbers."""
    words_file = matrix.with_suffix(".words")
    if not words_file.exists():
        raise SystemExit(f"{words_file}: missing (build_lm_pairs.py --matrix writes the matrix's words beside it)")
    words = words_file.read_text(encoding="utf-8").split()
    if words != sorted(compact.numbers, key=compact.numbers.__getitem__):
        raise SystemExit(f"{words_file}: not the words of the --words-of table (build both from the same matrix)")
    bits = np.load(matrix)
    if bits.shape != (len(words), len(words)):
        raise SystemExit(f"{matrix}: {bits.shape} does not fit its {len(words)} words")
    return bits


class ExactTable:
    """bits(b|a) read from the exact matrix, in the compact table's units (same words, same near-synonyms)."""

    def __init__(self, matrix: Path, compact: lm_pairs.PairTable) -> None:
        self.matrix = matrix_words(matrix, compact)
        self.numbers, self.step = compact.numbers, compact.step
        self.offsets, self.synonyms = compact.offsets, compact.synonyms

    def units_of(self, a: int, b: int) -> float:
        return float(self.matrix[a, b]) / self.step


class ClassTailTable:
    """The compact table with a class-bigram tail: context words clustered (k-means, seed 0, on the rows of a rank-96
    randomized SVD of the exact table less its additive fit); an unlisted pair gets the larger of the floor and its
    cluster's mean row (one byte a pair, ``clusters`` x words bytes), shifted by the context word's own mean."""

    def __init__(self, matrix: Path, compact: lm_pairs.PairTable, clusters: int) -> None:
        bits = matrix_words(matrix, compact)
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


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 24):
            digest.update(block)
    return digest.hexdigest()


def fingerprint(args: argparse.Namespace) -> str:
    """What made the counts: the table files' sha256, the cap, the class tail, the near-synonym window and the
    gain's code (lm_pairs.py)."""
    made = {
        "files": {
            name: sha256_of(getattr(args, name)) for name in ("table", "exact", "words_of") if getattr(args, name)
        },
        "cap": args.cap,
        "class_tail": args.class_tail,
        "max_synonyms": lm_pairs.MAX_SYNONYMS,
        "synonym_zipf100_below": lm_pairs.SYNONYM_ZIPF100_BELOW,
        "lm_pairs.py": sha256_of(Path(lm_pairs.__file__)),
    }
    return json.dumps(made, sort_keys=True)


def keep_fingerprint(made: str) -> None:
    """Make train_spun_model's cache current only when it was made with ``made`` (and store it in the cache)."""
    current, collect = train._current, train.collect

    def current_with_fingerprint(data: dict[str, Any]) -> bool:
        return data.get(FINGERPRINT) == made and current(data)

    def collect_with_fingerprint(cache: Path | None) -> dict[str, Any]:
        data = collect(cache)
        if data.get(FINGERPRINT) != made:
            data[FINGERPRINT] = made
            if cache is not None:
                cache.write_bytes(pickle.dumps(data))
        return data

    train._current, train.collect = current_with_fingerprint, collect_with_fingerprint


class _Refused:
    """Stands for train_spun_model.OUT: the package's spun_model.json is never written from here."""

    def relative_to(self, *_: Any) -> str:
        return "the package's spun_model.json (refused here)"

    def write_text(self, *_: Any, **__: Any) -> int:
        raise SystemExit("measure_lm_pairs.py never writes the package's spun_model.json")


def forwarded(parser: argparse.ArgumentParser, rest: list[str]) -> argparse.Namespace:
    """The arguments for train_spun_model.py, parsed by its own parser (abbreviations included): --write refused."""
    trained = train.make_parser().parse_args(rest)
    if trained.write:
        parser.error("measurement only: train_spun_model.py's --write is refused")
    return trained


def measuring_only(trained: argparse.Namespace, rest: list[str], kind: str, made: str) -> list[str]:
    """Refuse train_spun_model's write of the package's model, and give it a cache of the measured counts named by
    what made them (``.healthlint_cache/<kind>.<fingerprint>.pickle``) unless ``rest`` names one: ``rest`` to run
    train_spun_model with."""
    train.OUT = _Refused()  # type: ignore[assignment]
    if trained.cache is not None:
        return rest
    folder = REPO / ".healthlint_cache"
    folder.mkdir(exist_ok=True)
    return [*rest, "--cache", str(folder / f"{kind}.{hashlib.sha256(made.encode()).hexdigest()[:16]}.pickle")]


def signal_alone(data: dict[str, Any]) -> dict[str, float]:
    """The mean gain of a text's judged words (no shrinking, no model) as a score on its own: ROC AUC on the dev
    pages, on the word-for-word and on the thesaurus pages each against all clean dev pages, and on the simulated
    spun openings (of train_spun_model.MIN_WORDS words or more) against the clean ones."""

    def mean_gain(c: dict[str, float]) -> float:
        return float(c["lm_gain"]) / max(float(c["lm_words"]), 1.0)

    dev = data["dev"]
    y = np.array([bool(d["spun"]) for d in dev])
    x = np.array([mean_gain(d["counts"]) for d in dev])
    style = [d["style"] for d in dev]
    found = {"dev pages": auc(x, y)}
    for name in ("word-for-word", "thesaurus"):
        keep = np.array([not spun or s == name for spun, s in zip(y, style, strict=True)])
        found[f"{name} pages against all clean dev pages"] = auc(x[keep], y[keep])
    openings = [o for o in data["openings"] if o["counts"]["words"] >= train.MIN_WORDS]
    found["simulated spun openings against clean openings"] = auc(
        np.array([mean_gain(o["counts"]) for o in openings]), np.array([o["spun"] == 1 for o in openings])
    )
    return {name: round(float(v), 3) for name, v in found.items()}


def main() -> None:
    # No abbreviations here: an option this parser does not know goes to train_spun_model.py's parser whole.
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0], allow_abbrev=False)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--table", type=Path, help="the compact table")
    source.add_argument("--exact", type=Path, help="the exact matrix (its words must be the table's: give --words-of)")
    parser.add_argument("--words-of", type=Path, help="with --exact: the compact table built from the same matrix")
    parser.add_argument("--cap", type=float, help="count a word's gain at most this many bits")
    parser.add_argument(
        "--class-tail",
        type=int,
        metavar="C",
        help="with --exact and --words-of: the compact table's unlisted pairs read from C clusters of context words",
    )
    parser.add_argument("--alone", action="store_true", help="print the mean gain's own ROC AUC and stop")
    args, rest = parser.parse_known_args()
    trained = forwarded(parser, rest)
    if args.exact is not None and args.words_of is None:
        parser.error("--exact needs --words-of (the compact table built from the same matrix)")
    if args.table is not None and args.words_of is not None:
        parser.error("--words-of goes with --exact")
    if args.class_tail is not None:
        if args.exact is None:
            parser.error("--class-tail needs --exact and --words-of (the compact table)")
        if args.class_tail < 1:
            parser.error("--class-tail needs at least one cluster")
    made = fingerprint(args)
    rest = measuring_only(trained, rest, "lm_pairs", made)
    if args.class_tail is not None:
        table: Any = ClassTailTable(args.exact, lm_pairs.load(args.words_of), args.class_tail)
    elif args.table:
        table = lm_pairs.load(args.table)
    else:
        table = ExactTable(args.exact, lm_pairs.load(args.words_of))
    install(table, args.cap)
    keep_fingerprint(made)
    if args.alone:
        data = train.collect(train.make_parser().parse_args(rest).cache)
        print(json.dumps(signal_alone(data), indent=2))
        return
    sys.argv = [sys.argv[0], *rest]
    train.main()


if __name__ == "__main__":
    main()
