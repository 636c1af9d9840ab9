"""Fit the deeper spun stage's stacked model (``families/spun/data/deep_spun_model.json``) and report it out of fold.

The stacked model is a logistic regression (L2 1, standardized) on the ten LM features of a text's opening (its
first 160 tokens) and the page model's logit; with ``--with-share`` also the opening's swap share
(``scripts/deep_swap_share.py``: the share of its content words that the word swap model gives at least
``deep_swap_share.CUT``; it ranks better but flags more clean documents at the tiers that hold the false-alarm
bounds: measured, not shipped, see bench/README.md). Texts: the labelled dev
pages of ``../shared/corpus/web/`` and 200 clean openings of MedQuAD dev, news stories, press releases and NIH
pages (as ``scripts/lm_spin_features.py`` draws them), each scored as the stage scores it (``deep_swap_share.py
--score``).

Nested, at every level: a row of fold i that trains a model which is to score fold j never carries a page logit
or a swap share from a page model or word model that saw fold i, fold j, or the outer test fold. For the final fit
each text's page logit and swap share are out of fold (from models fitted without the text's fold); the word model
written beside the regression (for the share at run time) is fitted on all of it, as the page model is.

Tiers are chosen, not fixed: a tier is the lowest probability at which (a) the precision among the texts flagged,
the dev pages of 80+ words and the clean openings together (every opening a negative), is at least ``precision``,
and (b) at most ``openings`` of the clean openings are flagged. The verdict (HL101) is ``--verdict``, the suspected
tier (HL107) ``--suspect`` (each ``precision,openings``). The out-of-fold figures at the tiers are honest: each
outer fold's tiers are chosen on the inner out-of-fold scores of its training texts. The shipped tiers are chosen
on the out-of-fold scores of every text.

    .venv/bin/python scripts/train_deep_spun.py --openings /tmp/openings --swaps /tmp/swaps \\
        --counts /tmp/lmspin/counts.pickle [--with-share] [--write] [--oof-out FILE]

A refitted stacked model needs its tiers for short texts chosen again: ``scripts/train_deep_short.py --write``
(``data/deep_short_tiers.json`` records the digest of the stacked model it was chosen for, and a test checks it).

Other openings (``--tokens N``, without the share): the LM features of ``scripts/lm_spin_features.py --engine numpy``
at N tokens (its ``--tokens``, or one of its ``--heads``) instead of ``--openings``:

    .venv/bin/python scripts/train_deep_spun.py --features /tmp/lm --tokens 320 --counts /tmp/lmspin/counts.pickle
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import deep_swap_share as share  # noqa: E402
from devgroups import folds as group_folds  # noqa: E402
from lm_spin_features import FEATURES, FOLDS, PRECISION, PageModel, logit, stacked_inputs  # noqa: E402
from train_spun_model import auc, collect, fit, predict, regression_fields  # noqa: E402

from healthlint.families.spun.deep import STACKED_FEATURES, STACKED_FILE, TOKENS, WITH_SWAP_SHARE  # noqa: E402
from healthlint.families.spun.lmswaps import FEATURES as WORD_FEATURES  # noqa: E402

OUT = REPO / "src" / "healthlint" / "families" / "spun" / "data" / STACKED_FILE
Tier = tuple[float, float]  # (precision, share of clean openings flagged)


class Stack:
    """Every text's inputs, and the nested fits of the page model, the word model and the stacked model."""

    def __init__(
        self,
        x: np.ndarray,
        rows: list[list[list[float]]],
        labels: tuple[np.ndarray, np.ndarray],
        base: tuple[PageModel, np.ndarray],
        words: share.WordModels | None,
    ) -> None:
        self.x, self.rows, (self.y, self.fold) = x, rows, labels
        self.base, self.base_x = base
        self.words = words
        self._page: dict[frozenset[int], tuple[np.ndarray, float]] = {}
        self._inputs: dict[frozenset[int], np.ndarray] = {}

    def inputs(self, excluded: frozenset[int]) -> np.ndarray:
        """Each text's row of stacked inputs, its page logit and swap share from models fitted without
        ``excluded`` and without the text's own fold (rows of the excluded folds are left zero)."""
        key = excluded
        if key not in self._inputs:
            logits = np.zeros(len(self.y))
            shares = np.zeros(len(self.y))
            for i in set(range(FOLDS)) - excluded:
                left_out = excluded | {i}
                if left_out not in self._page:
                    self._page[left_out] = self.base.fitted(set(left_out))
                here = self.fold == i
                logits[here] = logit(self.base.score(self._page[left_out], self.base_x[here]))
                if self.words is not None:
                    model = self.words.without(set(left_out))
                    shares[here] = [share.share(model, self.rows[n]) for n in np.flatnonzero(here)]
            extra = [shares[:, None]] if self.words is not None else []
            self._inputs[key] = np.hstack([self.x, *extra, logits[:, None]])
        return self._inputs[key]

    def oof(self, excluded: frozenset[int] = frozenset()) -> np.ndarray:
        """Out-of-fold stacked scores of every text outside ``excluded``: the texts of fold j scored by a model
        fitted on the other folds' texts, whose inputs never saw fold j (nor ``excluded``)."""
        scores = np.zeros(len(self.y))
        for j in set(range(FOLDS)) - excluded:
            train = ~np.isin(self.fold, [*excluded, j])
            test = self.fold == j
            features_train = self.inputs(excluded | {j})[train]
            features_test = self.inputs(excluded)[test]
            mean, spread = features_train.mean(axis=0), features_train.std(axis=0)
            scale = np.where(spread > 1e-9, spread, 1.0)
            model = fit((features_train - mean) / scale, self.y[train], np.ones(int(train.sum())))
            scores[test] = predict((features_test - mean) / scale, model)
        return scores


def tier(scores: np.ndarray, y: np.ndarray, eligible: np.ndarray, opening: np.ndarray, rule: Tier) -> float:
    """The lowest probability at which the flagged texts hold ``rule`` (see the module docstring)."""
    precision, openings = rule
    allowed = int(openings * int((opening & eligible).sum()))
    best = 1.0
    for t in sorted(set(scores[eligible].tolist()), reverse=True):
        flagged = (scores >= t) & eligible
        tp = int((flagged & y).sum())
        if tp and tp / int(flagged.sum()) >= precision and int((flagged & opening).sum()) <= allowed:
            best = t
    return best


def tiers(
    scores: np.ndarray, y: np.ndarray, eligible: np.ndarray, opening: np.ndarray, args: argparse.Namespace
) -> tuple[float, float]:
    """(suspect, verdict): the verdict tier is never below the suspected one."""
    suspect = tier(scores, y, eligible, opening, args.suspect)
    return suspect, max(suspect, tier(scores, y, eligible, opening, args.verdict))


def best_recall(scores: np.ndarray, y: np.ndarray, eligible: np.ndarray) -> tuple[int, float]:
    """Spun dev pages caught at the best threshold for 90% precision among the dev pages (the earlier reports')."""
    best = (0, 1.0)
    for t in sorted(set(scores[eligible].tolist()), reverse=True):
        flagged = (scores >= t) & eligible
        tp = int((flagged & y).sum())
        if tp and tp / int(flagged.sum()) >= PRECISION and tp > best[0]:
            best = (tp, t)
    return best


STYLES = ("word-for-word", "thesaurus", "paraphraser")


def counts(flagged: np.ndarray, y: np.ndarray, dev: np.ndarray, style: np.ndarray) -> str:
    tp, fp, spun = int((flagged & dev & y).sum()), int((flagged & dev & ~y).sum()), int((dev & y).sum())
    by_style = ", ".join(f"{int((flagged & (style == s)).sum())}/{int((style == s).sum())}" for s in STYLES)
    return (
        f"{tp}/{spun} spun pages ({tp / spun:.1%}; by style {by_style}), {fp} clean pages"
        f" ({tp / max(tp + fp, 1):.1%} precision), {int((flagged & ~dev).sum())}/{int((~dev).sum())} clean openings"
    )


def lm_rows(cache: Path, tokens: int, texts: list[str]) -> list[dict[str, Any]]:
    """Each text's row of ``lm_spin_features.py --engine numpy --tokens N`` (or ``--heads N``) in ``cache``."""
    done: dict[str, dict[str, Any]] = {}
    for path in sorted(cache.glob(f"lm-numpy-{tokens}-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if "key" in row:
                done[row["key"]] = row
    missing = sum(share.key_of(t) not in done for t in texts)
    if missing:
        raise SystemExit(f"{missing} texts without features at {tokens} tokens in {cache}")
    return [done[share.key_of(t)] for t in texts]


def parse_tier(text: str) -> Tier:
    precision, openings = (float(v) for v in text.split(","))
    return precision, openings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--openings", type=Path, help="deep_swap_share.py --score's cache (its TOKENS openings)")
    parser.add_argument(
        "--features", type=Path, help="instead: lm_spin_features.py --engine numpy's cache, at --tokens tokens"
    )
    parser.add_argument("--tokens", type=int, default=TOKENS, help="tokens of each text the LM features read")
    parser.add_argument("--swaps", type=Path, help="train_deep_swaps.py's cache (for --with-share)")
    parser.add_argument("--counts", type=Path, required=True, help="lm_spin_features.py's counts.pickle")
    # At most 0.75% of the clean openings: one in 133-266 (the training folds hold 160, all of them 200).
    parser.add_argument("--verdict", type=parse_tier, default=(0.95, 0.0075), help="precision,openings (HL101)")
    parser.add_argument("--suspect", type=parse_tier, default=(0.90, 0.0075), help="precision,openings (HL107)")
    parser.add_argument(
        "--fixed", type=parse_tier, help="suspect,verdict probabilities instead of tiers chosen (for comparison)"
    )
    parser.add_argument("--with-share", action="store_true", help="the opening's swap share as one more input")
    parser.add_argument("--write", action="store_true", help=f"write {OUT.name}")
    parser.add_argument("--oof-out", type=Path, help="write each dev page's out-of-fold probability (index -> p)")
    args = parser.parse_args()
    if (args.openings is None) == (args.features is None):
        parser.error("give the LM features: --openings or --features")
    if args.with_share and (args.openings is None or args.swaps is None or args.tokens != TOKENS):
        parser.error(f"--with-share needs --openings and --swaps (the share is of the first {TOKENS} tokens)")
    if args.openings is not None and args.tokens != TOKENS:
        parser.error(f"--openings holds the first {TOKENS} tokens: use --features for --tokens {args.tokens}")

    indices, records, openings = share.texts()
    texts = [r["text"] for r in records] + [t for _, _, t in openings]
    if args.features is not None:
        rows = lm_rows(args.features, args.tokens, texts)
    else:
        rows = share.opening_rows(args.openings, texts)
    x = np.array([[row["features"][name] for name in FEATURES] for row in rows])
    dy = np.array([bool(r["labels"]["spun"]) for r in records])
    dfold = np.array(group_folds(records, FOLDS, positive=list(dy)))
    base, y, fold, base_x, dev, eligible = stacked_inputs(collect(args.counts), dy, dfold, openings)
    words = share.WordModels(args.swaps, indices, dfold) if args.with_share else None
    stack = Stack(x, [row.get("words", []) for row in rows], (y, fold), (base, base_x), words)
    opening = ~dev
    style = np.array([r["labels"].get("spun_style") or "" for r in records] + [""] * len(openings))

    oof = stack.oof()
    caught, t90 = best_recall(oof[dev], dy, eligible[dev])
    spun = int(dy.sum())
    print(f"{len(dy)} dev pages ({spun} spun), {len(openings)} clean openings; out of fold:")
    print(f"  AUC {auc(oof[dev], dy):.3f}; recall at 90% precision {caught}/{spun} (p >= {t90:.3f})")
    # Each outer fold's tiers from the inner out-of-fold scores of its training texts.
    outer_tiers = {}
    for k in range(FOLDS):
        inner, train = stack.oof(frozenset({k})), fold != k
        outer_tiers[k] = args.fixed or tiers(inner[train], y[train], eligible[train], opening[train], args)
    print(
        "  tiers chosen inside the folds (suspect, verdict):",
        [tuple(round(v, 3) for v in outer_tiers[k]) for k in range(FOLDS)],
    )
    for name, which in (("suspected or verdict (HL107+)", 0), ("verdict (HL101)", 1)):
        cut = np.array([outer_tiers[int(f)][which] for f in fold])
        print(f"  {name}: {counts((oof >= cut) & eligible, y, dev, style)}")

    if args.oof_out:
        oof_of = {i: round(float(p), 4) for i, p in zip(indices, oof[dev], strict=True)}
        args.oof_out.write_text(json.dumps(oof_of, indent=0) + "\n", encoding="utf-8")

    suspect, verdict = args.fixed or tiers(oof, y, eligible, opening, args)
    for name, cut in (("shipped suspect", suspect), ("shipped verdict", verdict)):
        print(f"  {name} p >= {cut:.4f}, on the out-of-fold scores: {counts((oof >= cut) & eligible, y, dev, style)}")

    features = stack.inputs(frozenset())
    mean, spread = features.mean(axis=0), features.std(axis=0)
    scale = np.where(spread > 1e-9, spread, 1.0)
    weights, bias = fit((features - mean) / scale, y, np.ones(len(y)))
    names = list(WITH_SWAP_SHARE if args.with_share else STACKED_FEATURES)
    model = {
        "features": names,
        **regression_fields(mean, scale, weights, bias),
        "suspect": round(suspect, 4),
        "verdict": round(verdict, 4),
        "tokens": args.tokens,
        "engine": "numpy",
        "trained_on": (
            f"{len(dy)} labelled dev pages of ../shared/corpus/web ({spun} spun) and {len(openings)} clean openings"
            " of MedQuAD dev, news stories, press releases and NIH pages; page logit (and swap share) out of fold;"
            f" tiers: suspect {args.suspect}, verdict {args.verdict} (precision, clean openings flagged)"
        ),
    }
    if words is not None:
        word_mean, word_scale, word_weights, word_bias = words.without(set())
        model["swap_share"] = {
            "features": list(WORD_FEATURES),
            **regression_fields(word_mean, word_scale, word_weights, word_bias),
            "cut": share.CUT,
        }
    for name, w in zip(names, model["weights"], strict=True):
        print(f"  {name:24s} {w:+.3f}")
    if args.write:
        OUT.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
