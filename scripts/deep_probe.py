"""A linear probe of SmolLM2's hidden states for the deeper spun stage: measured out of fold (wave 15).

The stage's forward pass (``families/spun/lm.py``) already computes the final hidden state at every position of
the opening it scores (the first :data:`~healthlint.families.spun.deep.TOKENS` tokens). This script asks whether
a logistic regression on the *pooled* hidden state (the mean over the positions the stage keeps, 576 floats)
separates spun pages from clean ones beyond the ten scalar LM features, and whether a middle layer's pooled
residual stream does better.

``--score``: every text of ``scripts/train_deep_spun.py`` (the labelled dev pages and the 200 clean openings of
``scripts/lm_spin_features.py``) is run once through ``LanguageModel.states`` at 160 tokens, and kept in
``--cache`` (one ``.npz`` a text): the mean of the final hidden state over the rows the stage keeps (positions
0..n-2, ``Scores.hidden``), that of the residual stream after blocks :data:`LAYERS`, the same without position 0
(the first position's state is an outlier in most causal LMs), and the ten LM features (a check against
``/tmp/lmspin``). ``--extra N``: as many more clean openings of clean documents the 200 do not use, and two
thesaurus-spun copies of each (``train_spun_model.spin``, as the page model's training openings are made): extra
*training* rows for the probe, never scored for the figures.

``--score-long CAP`` (after ``--score``; wave 16): adds to each text's ``.npz`` the pools of blocks
:data:`LONG_BLOCKS` over the first CAP tokens and the first 320 (mean, and standard deviation: ``_std``), from
``LanguageModel.stream`` (a pass that stops after the last block), as the stage pools a probe that reads past the
opening. ``--layer A+B`` reads pooled vectors concatenated; ``--candidates ab`` measures only those.

Without ``--score``: the figures, nested exactly as ``train_deep_spun.py`` nests (``Stack``): a row of fold i that
trains a model meant to score fold j never carries a page logit or a probe score from a model that saw fold i,
fold j or the outer test fold. The probe is a logistic regression on the standardised pooled vector (optionally
PCA to ``--pca`` dims, fitted on the probe's own training rows), its L2 chosen among :data:`L2_GRID` by grouped
cross-validation over the folds of its own training rows (log loss), so never on a row it will score. Candidates:
(a) the shipped stacked model (ten LM features + page logit), (b) the same + the probe's logit, (c) the probe
alone (+ page logit, and truly alone). Per seed of ``devgroups.folds`` (the dev pages' folds; clean openings by
index): AUC (and among publishers not judged reputable), best recall at 90% precision, and at tiers chosen
inside the folds as ``train_deep_spun.py`` chooses them (its guard on the clean openings): spun pages by style,
clean pages, clean openings. ``--scores-out DIR`` writes each candidate's out-of-fold page scores in the form
``scripts/auc_gain.py`` reads.

    OPENBLAS_NUM_THREADS=1 nice -n 10 .venv/bin/python scripts/deep_probe.py --score --cache /tmp/probe [--extra 100]
    .venv/bin/python scripts/deep_probe.py --cache /tmp/probe --counts /tmp/lmspin/counts.pickle --seeds 1,2,3 \\
        [--layer final|8|15|22] [--pca K] [--extra-train] --scores-out /tmp/probe/scores
    .venv/bin/python scripts/auc_gain.py /tmp/probe/scores/a-1.json /tmp/probe/scores/b-1.json --groups
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import deep_swap_share as share  # noqa: E402
from devgroups import folds as group_folds  # noqa: E402
from lm_spin_features import FEATURES, FOLDS, stacked_inputs, stage_text  # noqa: E402
from train_deep_spun import (  # noqa: E402
    STYLES,
    ProbeFit,
    Stack,
    best_recall,
    extra_texts,
    lm_rows,
    parse_tier,
    probe_vectors,
    tiers,
)
from train_spun_model import auc, collect  # noqa: E402

from healthlint.families.spun.deep import TOKENS, features_of, model_path  # noqa: E402

#: Blocks (0-based, of 30) after which the residual stream is pooled besides the final state.
LAYERS = (8, 15, 22)


def score(texts: list[str], cache: Path) -> None:
    from healthlint.families.spun.lm import LanguageModel
    from healthlint.families.spun.shared import analyzer

    cache.mkdir(parents=True, exist_ok=True)
    todo = [t for t in texts if not (cache / f"{share.key_of(t)}.npz").is_file()]
    if not todo:
        return
    lex = analyzer().lex
    lm = LanguageModel(model_path())
    spent = 0.0
    for n, text in enumerate(todo, 1):
        started = time.process_time()
        tokens = lm.tokenize(text)[:TOKENS]
        final, mids = lm.states(tokens, LAYERS)
        rows = max(len(tokens) - 1, 0)
        scores = lm._scores(tokens, final[:rows])
        features = features_of(text, scores, lm.word_of, lex)
        pooled: dict[str, Any] = {}
        for name, states in (("final", final), *((str(b), m) for b, m in zip(LAYERS, mids, strict=True))):
            kept = states[:rows].astype(np.float64)
            pooled[name] = kept.mean(axis=0) if rows else np.zeros(states.shape[1])
            pooled[f"{name}_skip0"] = kept[1:].mean(axis=0) if rows > 1 else pooled[name]
        seconds = time.process_time() - started
        spent += seconds
        np.savez(
            cache / f"{share.key_of(text)}.npz",
            features=np.array([features[f] for f in FEATURES]),
            tokens=len(tokens),
            seconds=seconds,
            **pooled,
        )
        if n % 25 == 0:
            print(f"  {n}/{len(todo)} ({spent:.0f} s CPU)", file=sys.stderr, flush=True)


#: The blocks pooled over more of the opening by ``--score-long`` (block 8 is the shipped probe's; 15 a variant).
LONG_BLOCKS = (8, 15)


def score_long(texts: list[str], cache: Path, cap: int) -> None:
    """Add to each text's ``.npz`` (written by ``--score``) the mean (and standard deviation) of the residual stream
    after each block of :data:`LONG_BLOCKS` over the rows 1..m-2 of its first m = min(n, ``cap``) tokens, and of its
    first 320, from one ``LanguageModel.stream`` pass (windows as ``score``; stops after the last block): keys
    ``{block}_skip0_{tokens}`` and ``{block}_skip0_{tokens}_std``."""
    from healthlint.families.spun.lm import LanguageModel

    caps = sorted({320, cap})
    names = [f"{b}_skip0_{c}" for b in LONG_BLOCKS for c in caps]
    todo = []
    for t in texts:
        path = cache / f"{share.key_of(t)}.npz"
        if not path.is_file():
            raise SystemExit(f"{path} is missing: run --score first")
        with np.load(path) as held:
            if not all(name in held.files for name in names):
                todo.append(t)
    if not todo:
        return
    lm = LanguageModel(model_path())
    spent = 0.0
    for n, text in enumerate(todo, 1):
        path = cache / f"{share.key_of(text)}.npz"
        with np.load(path) as held:
            data = {k: held[k] for k in held.files}
        started = time.process_time()
        tokens = lm.tokenize(text)[:cap]
        streams = lm.stream(tokens, LONG_BLOCKS)
        for block, states in zip(LONG_BLOCKS, streams, strict=True):
            for c in caps:
                rows = states[: max(min(len(tokens), c) - 1, 0)].astype(np.float64)
                kept = rows[1:] if len(rows) > 1 else rows
                width = states.shape[1]
                data[f"{block}_skip0_{c}"] = kept.mean(axis=0) if len(kept) else np.zeros(width)
                data[f"{block}_skip0_{c}_std"] = kept.std(axis=0) if len(kept) else np.zeros(width)
        seconds = time.process_time() - started
        spent += seconds
        data["long_seconds"] = np.array(seconds)
        data["long_tokens"] = np.array(len(tokens))
        np.savez(path, **data)
        if n % 25 == 0:
            print(f"  {n}/{len(todo)} ({spent:.0f} s CPU)", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--score", action="store_true", help="run the texts through the model (once) and cache them")
    parser.add_argument("--score-long", type=int, metavar="CAP", help="add pools over up to CAP tokens (and 320)")
    parser.add_argument("--extra", type=int, default=0, help="extra clean openings (and 2 spun copies of each)")
    parser.add_argument("--counts", type=Path, help="lm_spin_features.py's counts.pickle")
    parser.add_argument("--lmspin", type=Path, default=Path("/tmp/lmspin"), help="the shipped model's LM features")
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--layer", default="final", help="final, 8, 15, 22 (add _skip0 to leave position 0 out)")
    parser.add_argument("--pca", type=int, default=0, help="PCA to K dims inside the probe's fit (0: none)")
    parser.add_argument("--l2", type=float, help="a fixed L2 instead of one chosen inside the folds")
    parser.add_argument("--extra-train", action="store_true", help="train the probe also on the --extra texts")
    parser.add_argument("--verdict", type=parse_tier, default=(0.95, 0.0075))
    parser.add_argument("--suspect", type=parse_tier, default=(0.90, 0.0075))
    parser.add_argument("--candidates", default="abcd", help="the candidates to measure (letters of a-d)")
    parser.add_argument("--scores-out", type=Path, help="each candidate's out-of-fold page scores (auc_gain.py)")
    args = parser.parse_args()

    _indices, records, openings = share.texts()
    texts = [stage_text(r["text"]) for r in records] + [stage_text(t) for _, _, t in openings]
    lengths = [len(r["text"]) for r in records]
    extra = extra_texts(args.extra, {i for i, _, _ in openings}, lengths) if args.extra else []
    extra = [(i, spun, stage_text(t)) for i, spun, t in extra]
    if args.score:
        score(texts + [t for _, _, t in extra], args.cache)
        return
    if args.score_long:
        score_long(texts, args.cache, args.score_long)
        return
    if args.counts is None:
        parser.error("--counts is needed for the figures")

    x = np.array([[row["features"][name] for name in FEATURES] for row in lm_rows(args.lmspin, TOKENS, texts)])
    check = np.array([np.load(args.cache / f"{share.key_of(t)}.npz")["features"] for t in texts])
    print(f"LM features here against {args.lmspin}: max abs difference {np.abs(check - x).max():.2g}")
    v = probe_vectors(args.cache, texts, args.layer)
    dy = np.array([bool(r["labels"]["spun"]) for r in records])
    style = np.array([r["labels"].get("spun_style") or "" for r in records] + [""] * len(openings))
    other = ~np.array([bool(r.get("reputable_publisher")) for r in records])
    n = len(texts)
    data = collect(args.counts)
    cost = [float(np.load(args.cache / f"{share.key_of(t)}.npz")["seconds"]) for t in texts]
    print(
        f"{len(dy)} dev pages ({int(dy.sum())} spun), {len(openings)} clean openings; layer {args.layer},"
        f" PCA {args.pca or 'none'}, extra training texts {len(extra) if args.extra_train else 0};"
        f" pass + pooling {np.mean(cost):.2f} s CPU a text"
    )
    if args.scores_out:
        args.scores_out.mkdir(parents=True, exist_ok=True)

    summary: dict[str, list[str]] = {}
    for seed in (int(s) for s in args.seeds.split(",")):
        dfold = np.array(group_folds(records, FOLDS, seed=seed, positive=list(dy)))
        base, y, fold, base_x, dev, eligible = stacked_inputs(data, dy, dfold, openings)
        opening = ~dev
        pv, py, pfold = v, y.astype(float), fold
        if args.extra_train and extra:
            pv = np.vstack([v, probe_vectors(args.cache, [t for _, _, t in extra], args.layer)])
            py = np.concatenate([py, [float(s) for _, s, _ in extra]])
            pfold = np.concatenate([fold, [i % FOLDS for i, _, _ in extra]])
        probe = ProbeFit(pv, py, pfold, args.pca, args.l2)
        none = np.zeros((n, 0))
        empty: list[list[list[float]]] = [[] for _ in range(n)]
        labels, page = (y, fold), (base, base_x)
        candidates = {
            "a": ("(a) shipped: 10 LM features + page logit", Stack(x, empty, labels, page, None)),
            "b": ("(b) + probe logit", Stack(x, empty, labels, page, None, probe)),
            "c": ("(c) probe logit + page logit", Stack(none, empty, labels, page, None, probe)),
            "d": ("(d) probe alone", Stack(none, empty, labels, page, None, probe, use_page=False)),
        }
        print(f"\nseed {seed}")
        for key, (name, stack) in candidates.items():
            if key not in args.candidates:
                continue
            oof = stack.oof()
            caught, _ = best_recall(oof[dev], dy, eligible[dev])
            outer = {}
            for k in range(FOLDS):
                inner, train = stack.oof(frozenset({k})), fold != k
                outer[k] = tiers(inner[train], y[train], eligible[train], opening[train], args)
            line = [
                f"{name}: AUC {auc(oof[dev], dy):.3f} (not reputable {auc(oof[dev][other], dy[other]):.3f}),"
                f" best 90% {caught}/{int(dy.sum())}"
            ]
            for label, which in (("HL107+", 0), ("HL101", 1)):
                cut = np.array([outer[int(f)][which] for f in fold])
                flagged = (oof >= cut) & eligible
                tp, fp = int((flagged & dev & y).sum()), int((flagged & dev & ~y).sum())
                by = " / ".join(f"{int((flagged & (style == s)).sum())}" for s in STYLES)
                line.append(
                    f"{label} {tp}/{int(dy.sum())} ({by}), {fp} clean pages,"
                    f" {int((flagged & opening).sum())}/{int(opening.sum())} openings"
                )
            print("  " + "; ".join(line))
            summary.setdefault(key, []).append("; ".join(line))
            if args.scores_out:
                urls = [r["url"] for r in records]
                payload = {"urls": urls, "spun": [bool(b) for b in dy], "scores": [float(s) for s in oof[dev]]}
                (args.scores_out / f"{key}-{seed}.json").write_text(json.dumps(payload), encoding="utf-8")
        if probe.chosen:
            values, counts = np.unique(probe.chosen, return_counts=True)
            print("  probe L2 chosen inside the folds:", dict(zip(values.tolist(), counts.tolist(), strict=True)))


if __name__ == "__main__":
    main()
