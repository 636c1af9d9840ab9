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

With ``--probe DIR`` (``scripts/deep_probe.py --score``'s cache of pooled hidden states) the stacked model also reads
the logit of a linear probe: a logistic regression on the standardised mean of one layer's states over the opening
(``--probe-layer``: ``final``, or a block of ``deep_probe.LAYERS``; ``_skip0`` leaves the first position out), its
L2 chosen among ``L2_GRID`` by grouped cross-validation inside the rows it is fitted on. The probe is nested as the
page model is: a row's probe logit always comes from a probe that never saw the row's fold (nor the test fold);
the probe written beside the regression is fitted on every text. Shipped (wave 15):

    .venv/bin/python scripts/train_deep_spun.py --features /tmp/lmspin --tokens 160 \\
        --counts /tmp/lmspin/counts.pickle --probe /tmp/probe --probe-layer 8_skip0 --write

A refitted stacked model needs its tiers for short texts chosen again: ``scripts/train_deep_short.py --write``
(``data/deep_short_tiers.json`` records the digest of the stacked model it was chosen for, and a test checks it).

Other openings (``--tokens N``, without the share): the LM features of ``scripts/lm_spin_features.py --engine numpy``
at N tokens (its ``--tokens``, or one of its ``--heads``) instead of ``--openings``:

    .venv/bin/python scripts/train_deep_spun.py --features /tmp/lm --tokens 320 --counts /tmp/lmspin/counts.pickle
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import deep_swap_share as share  # noqa: E402
import logistic  # noqa: E402
from devgroups import folds as group_folds  # noqa: E402
from lm_spin_features import FEATURES, FOLDS, PRECISION, PageModel, logit, stacked_inputs, stage_text  # noqa: E402
from train_spun_model import auc, clean_documents, collect, fit, predict, regression_fields, spin  # noqa: E402

from healthlint.families.spun.deep import (  # noqa: E402
    STACKED_FEATURES,
    STACKED_FILE,
    TOKENS,
    WITH_PROBE,
    WITH_SWAP_SHARE,
)
from healthlint.families.spun.lmswaps import FEATURES as WORD_FEATURES  # noqa: E402

OUT = REPO / "src" / "healthlint" / "families" / "spun" / "data" / STACKED_FILE
Tier = tuple[float, float]  # (precision, share of clean openings flagged)


#: The probe's L2 strengths, one chosen by grouped cross-validation inside the rows it is fitted on.
L2_GRID = (1.0, 10.0, 100.0, 1000.0, 10000.0)


def extra_texts(count: int, used: set[int], lengths: list[int]) -> list[tuple[int, int, str]]:
    """(clean document index, spun or not, text): ``count`` openings of clean documents outside ``used`` (an even
    share per corpus, cut to a dev page's length) and two thesaurus-spun copies of each."""
    from healthlint.families.spun.analysis import Analyzer

    lex = Analyzer(with_model=False).lex
    rng = random.Random(15)
    docs = clean_documents()
    sources = sorted({s for s, _ in docs})
    out: list[tuple[int, int, str]] = []
    for source in sources:
        free = [i for i, (s, _) in enumerate(docs) if s == source and i not in used]
        for i in rng.sample(free, min(len(free), count // len(sources))):
            text, limit = docs[i][1], rng.choice(lengths)
            if len(text) > limit:
                cut = text.rfind(" ", 0, limit)
                text = text[: cut if cut > 0 else limit]
            out.append((i, 0, text))
            out.append((i, 1, spin(text, lex, rng.uniform(0.05, 0.4), False, rng)))
            out.append((i, 1, spin(text, lex, rng.uniform(0.1, 0.5), True, rng)))
    return out


def probe_vectors(cache: Path, texts: list[str], layer: str) -> np.ndarray:
    """Each text's pooled vector ``layer`` (``final`` or a block of ``deep_probe.LAYERS``, ``_skip0``: without the
    first row) from ``scripts/deep_probe.py --score``'s cache."""
    missing = sum(not (cache / f"{share.key_of(t)}.npz").is_file() for t in texts)
    if missing:
        raise SystemExit(f"{missing} texts without pooled vectors in {cache}: run scripts/deep_probe.py --score")
    names = layer.split("+")
    rows = []
    for t in texts:
        with np.load(cache / f"{share.key_of(t)}.npz") as held:
            rows.append(np.concatenate([held[name] for name in names]))
    return np.array(rows)


def probe_layer(name: str) -> tuple[int | None, bool, int]:
    """(block or None for the final state, leave the first row out, tokens pooled) of a pooled vector's name
    (``8_skip0``: the opening's :data:`TOKENS`; ``8_skip0_1024``: ``deep_probe.py --score-long``'s, up to 1024)."""
    block, *rest = name.split("_")
    skip = "skip0" in rest
    counts = [int(part) for part in rest if part.isdigit()]
    if "+" in name or "std" in rest or len(counts) > 1 or (counts and not skip):
        raise SystemExit(f"--probe-layer {name}: the stage reads one block's mean (past the opening: skipping row 0)")
    return (None if block == "final" else int(block)), skip, counts[0] if counts else TOKENS


def probe_fit(
    cache: Path,
    layer: str,
    extra_count: int,
    texts: list[str],
    openings: list[tuple[int, str, str]],
    records: list[dict[str, Any]],
    labels: tuple[np.ndarray, np.ndarray],
) -> ProbeFit:
    """The probe's training rows: the stacked model's texts (labels and folds as given) and ``extra_count`` extra
    texts (``extra_texts``), each read as the stage reads it, in its document's fold."""
    y, fold = labels
    extra = extra_texts(extra_count, {i for i, _, _ in openings}, [len(r["text"]) for r in records])
    extra = [(i, spun, stage_text(t)) for i, spun, t in extra]
    vectors = probe_vectors(cache, texts + [t for _, _, t in extra], layer)
    probe_y = np.concatenate([y, [s for _, s, _ in extra]]).astype(float)
    probe_fold = np.concatenate([fold, np.array([i % FOLDS for i, _, _ in extra], dtype=fold.dtype)])
    return ProbeFit(vectors, probe_y, probe_fold, 0, None)


class ProbeFit:
    """A logistic regression on standardised pooled vectors (optionally PCA first), L2 chosen inside its rows."""

    def __init__(self, v: np.ndarray, y: np.ndarray, fold: np.ndarray, pca: int, fixed_l2: float | None) -> None:
        self.v, self.y, self.fold, self.pca, self.fixed_l2 = v, y, fold, pca, fixed_l2
        self.chosen: list[float] = []
        self.cache: dict[frozenset[int], Any] = {}
        self.l2_of: dict[frozenset[int], float] = {}

    def without(self, folds: frozenset[int]) -> Any:
        """The probe fitted on every row outside ``folds`` (kept: the stacked candidates share it)."""
        if folds not in self.cache:
            self.cache[folds] = self.fitted(~np.isin(self.fold, list(folds)))
            self.l2_of[folds] = self.last_l2
        return self.cache[folds]

    def _fit(self, rows: np.ndarray, l2: float) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, Any]:
        x = self.v[rows]
        mean, spread = x.mean(axis=0), x.std(axis=0)
        scale = np.where(spread > 1e-9, spread, 1.0)
        z = (x - mean) / scale
        basis = None
        if self.pca:
            _, _, vt = np.linalg.svd(z - z.mean(axis=0), full_matrices=False)
            basis = vt[: self.pca].T
            z = z @ basis
        return mean, scale, basis, logistic.fit(z, self.y[rows].astype(float), l2)

    def apply(self, model: Any, x: np.ndarray) -> np.ndarray:
        """A fitted probe's probabilities of the pooled vectors ``x`` (texts outside its rows)."""
        return self._apply(model, x)

    @staticmethod
    def _apply(model: tuple[np.ndarray, np.ndarray, np.ndarray | None, Any], x: np.ndarray) -> np.ndarray:
        mean, scale, basis, fitted = model
        z = (x - mean) / scale
        if basis is not None:
            z = z @ basis
        return np.asarray(logistic.probability(z, fitted))

    def fitted(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, Any]:
        """Fit on ``rows`` (a mask); L2 by grouped CV over the folds present in ``rows`` (mean log loss)."""
        l2 = self.fixed_l2
        if l2 is None:
            present = sorted(set(self.fold[rows].tolist()))
            losses = []
            for candidate in L2_GRID:
                loss = 0.0
                for f in present:
                    inner_train, inner_test = rows & (self.fold != f), rows & (self.fold == f)
                    p = np.clip(self._apply(self._fit(inner_train, candidate), self.v[inner_test]), 1e-6, 1 - 1e-6)
                    yt = self.y[inner_test]
                    loss -= float(np.sum(yt * np.log(p) + (1 - yt) * np.log(1 - p)))
                losses.append(loss)
            l2 = L2_GRID[int(np.argmin(losses))]
            self.chosen.append(l2)
        self.last_l2 = l2
        return self._fit(rows, l2)

    def score(self, model: tuple[np.ndarray, np.ndarray, np.ndarray | None, Any], rows: np.ndarray) -> np.ndarray:
        return self._apply(model, self.v[rows])


class Stack:
    """Every text's inputs, and the nested fits of the page model, the word model and the stacked model."""

    def __init__(
        self,
        x: np.ndarray,
        rows: list[list[list[float]]],
        labels: tuple[np.ndarray, np.ndarray],
        base: tuple[PageModel, np.ndarray],
        words: share.WordModels | None,
        probe: ProbeFit | None = None,
        use_page: bool = True,
    ) -> None:
        self.x, self.rows, (self.y, self.fold) = x, rows, labels
        self.base, self.base_x = base
        self.words = words
        self.probe, self.use_page = probe, use_page
        self._page: dict[frozenset[int], tuple[np.ndarray, float]] = {}
        self._inputs: dict[frozenset[int], np.ndarray] = {}

    def inputs(self, excluded: frozenset[int]) -> np.ndarray:
        """Each text's row of stacked inputs, its page logit, swap share and probe logit from models fitted without
        ``excluded`` and without the text's own fold (rows of the excluded folds are left zero)."""
        key = excluded
        if key not in self._inputs:
            logits = np.zeros(len(self.y))
            shares = np.zeros(len(self.y))
            probes = np.zeros(len(self.y))
            for i in set(range(FOLDS)) - excluded:
                left_out = excluded | {i}
                here = self.fold == i
                if self.use_page:
                    if left_out not in self._page:
                        self._page[left_out] = self.base.fitted(set(left_out))
                    logits[here] = logit(self.base.score(self._page[left_out], self.base_x[here]))
                if self.words is not None:
                    model = self.words.without(set(left_out))
                    shares[here] = [share.share(model, self.rows[n]) for n in np.flatnonzero(here)]
                if self.probe is not None:
                    probes[here] = logit(self.probe.score(self.probe.without(left_out), np.flatnonzero(here)))
            extra = [shares[:, None]] if self.words is not None else []
            extra += [probes[:, None]] if self.probe is not None else []
            page = [logits[:, None]] if self.use_page else []
            self._inputs[key] = np.hstack([self.x, *extra, *page])
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
    parser.add_argument("--probe", type=Path, help="deep_probe.py --score's cache: the probe's logit as one more input")
    parser.add_argument("--probe-layer", default="final", help="the pooled vector the probe reads (deep_probe.py)")
    parser.add_argument("--probe-extra", type=int, default=0, help="extra training texts for the probe (--extra)")
    parser.add_argument("--write", action="store_true", help=f"write {OUT.name}")
    parser.add_argument("--oof-out", type=Path, help="write each dev page's out-of-fold probability (index -> p)")
    args = parser.parse_args()
    if (args.openings is None) == (args.features is None):
        parser.error("give the LM features: --openings or --features")
    if args.with_share and (args.openings is None or args.swaps is None or args.tokens != TOKENS):
        parser.error(f"--with-share needs --openings and --swaps (the share is of the first {TOKENS} tokens)")
    if args.probe is not None and (args.with_share or args.tokens != TOKENS):
        parser.error(f"--probe reads the first {TOKENS} tokens, without the swap share")
    if args.openings is not None and args.tokens != TOKENS:
        parser.error(f"--openings holds the first {TOKENS} tokens: use --features for --tokens {args.tokens}")

    indices, records, openings = share.texts()
    texts = [stage_text(r["text"]) for r in records] + [stage_text(t) for _, _, t in openings]
    if args.features is not None:
        rows = lm_rows(args.features, args.tokens, texts)
    else:
        rows = share.opening_rows(args.openings, texts)
    x = np.array([[row["features"][name] for name in FEATURES] for row in rows])
    dy = np.array([bool(r["labels"]["spun"]) for r in records])
    dfold = np.array(group_folds(records, FOLDS, positive=list(dy)))
    base, y, fold, base_x, dev, eligible = stacked_inputs(collect(args.counts), dy, dfold, openings)
    words = share.WordModels(args.swaps, indices, dfold) if args.with_share else None
    probe = None
    if args.probe is not None:
        probe = probe_fit(args.probe, args.probe_layer, args.probe_extra, texts, openings, records, (y, fold))
    stack = Stack(x, [row.get("words", []) for row in rows], (y, fold), (base, base_x), words, probe)
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
    names = list(WITH_SWAP_SHARE if args.with_share else WITH_PROBE if probe is not None else STACKED_FEATURES)
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
    if probe is not None:
        probe_mean, probe_scale, _, (probe_weights, probe_bias) = probe.without(frozenset())
        layer, skip_first, tokens = probe_layer(args.probe_layer)
        model["probe"] = {
            "layer": layer,
            "skip_first": skip_first,
            **({"tokens": tokens} if tokens != TOKENS else {}),
            "l2": probe.l2_of[frozenset()],
            "trained_on": f"the same texts and {len(probe.y) - len(y)} extra"
            " (clean openings and thesaurus-spun copies of them)",
            **regression_fields(probe_mean, probe_scale, probe_weights, probe_bias),
        }
    for name, w in zip(names, model["weights"], strict=True):
        print(f"  {name:24s} {w:+.3f}")
    if args.write:
        OUT.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
