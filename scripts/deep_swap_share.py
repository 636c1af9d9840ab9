"""Would HL109's word signal help the stacked page model? Nested out-of-fold figures, nothing written.

The candidate feature is the share of the opening's scored content words (the first 160 tokens, what the
stacked model reads) that the word swap model (``scripts/train_deep_swaps.py``) gives at least ``--cut``. The
word model is itself fitted on the dev pages' labelled words, so the feature of a page always comes from a word
model that never saw that page's fold, nor the outer test fold (for the training rows of each outer fold).
Compared with the shipped stacked model's inputs (ten LM features and the page model's logit) refitted the same
way, on the dev pages and the 200 clean openings of ``scripts/lm_spin_features.py``.

Needs: ``train_deep_swaps.py``'s cache (dev pages scored whole), ``lm_spin_features.py --engine numpy``'s cache
(``--lmspin``), and the clean openings' word features (``--opening-words``: JSON {document index: [features of
each word of the first 160 tokens]}, from ``lmswaps.word_swaps`` over ``LanguageModel.score(text, 160)``).

    .venv/bin/python scripts/deep_swap_share.py --cache /tmp/swaps --lmspin /tmp/lmspin --opening-words FILE
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import train_deep_swaps as swaps  # noqa: E402
from devgroups import folds as group_folds  # noqa: E402
from devgroups import read_pages  # noqa: E402
from lm_spin_features import FEATURES, FOLDS, clean_openings, lm_rows, logit, recall_at_precision, stacked_inputs  # noqa: E402
from train_spun_model import auc, collect, fit, predict  # noqa: E402

from healthlint.families.spun.deep import TOKENS, model_path  # noqa: E402


def head_ends(texts: list[str]) -> list[int]:
    """Character offset where each text's first :data:`TOKENS` tokens end (the tokenizer alone, no weights)."""
    from gguf import GGUFReader

    from healthlint.families.spun.lm import _tokenizer

    tokenizer = _tokenizer(GGUFReader(str(model_path())))
    ends = []
    for text in texts:
        offsets = tokenizer.encode(text, add_special_tokens=False).offsets
        ends.append(offsets[min(TOKENS, len(offsets)) - 1][1] if offsets else 0)
    return ends


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--cache", type=Path, required=True, help="train_deep_swaps.py's cache")
    parser.add_argument("--lmspin", type=Path, required=True, help="lm_spin_features.py's cache (numpy engine)")
    parser.add_argument("--opening-words", type=Path, required=True)
    parser.add_argument("--cut", type=float, default=0.2, help="word probability counted in the share")
    args = parser.parse_args()

    every = read_pages()
    indices = [i for i, r in enumerate(every) if r["labels"]["spun"] is not None]
    records = [every[i] for i in indices]
    dy = np.array([bool(r["labels"]["spun"]) for r in records])
    dfold = np.array(group_folds(records, FOLDS, positive=list(dy)))
    items = swaps.load(swaps.texts(80), args.cache)
    gx, gy = swaps.word_rows(items)
    d = swaps.dev_rows(items, every)
    fold_of = dict(zip(indices, dfold.tolist(), strict=True))
    wfold = np.array([fold_of[int(p)] for p in d["page"]])
    starts = np.array([w[0] for i in indices for w in swaps.WORDS[i]])
    ends = dict(zip(indices, head_ends([r["text"] for r in records]), strict=True))
    in_head = starts < np.array([ends[int(p)] for p in d["page"]])

    def word_model(left_out: set[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
        keep = ~np.isin(wfold, list(left_out)) & (d["label"] >= 0)
        return swaps.fitted(np.vstack([d["x"][keep], gx]), np.concatenate([d["label"][keep] == 1, gy]))

    openings = clean_openings(200, [len(r["text"]) for r in records])
    opening_words = json.loads(args.opening_words.read_text(encoding="utf-8"))

    def shares(model: tuple[np.ndarray, np.ndarray, np.ndarray, float]) -> np.ndarray:
        p = swaps.probabilities(model, d["x"])
        dev = [
            float(((p >= args.cut) & in_head & (d["page"] == i)).sum() / max((in_head & (d["page"] == i)).sum(), 1))
            for i in indices
        ]
        clean = []
        for i, _, _ in openings:
            x = np.array(opening_words[str(i)])
            clean.append(float((swaps.probabilities(model, x) >= args.cut).mean()) if len(x) else 0.0)
        return np.array(dev + clean)

    lm_args = argparse.Namespace(tokens=TOKENS, engine="numpy", shard="0/1", model=None, cache=args.lmspin)
    rows, _ = lm_rows([r["text"] for r in records] + [t for _, _, t in openings], lm_args)
    if rows is None:
        raise SystemExit("texts not scored yet: run scripts/lm_spin_features.py --engine numpy first")
    x = np.array([[row[name] for name in FEATURES] for row in rows])
    data = collect(args.lmspin / "counts.pickle")
    base, y, fold, base_x, dev, eligible = stacked_inputs(data, dy, dfold, openings)

    outer_share = {k: shares(word_model({k})) for k in range(FOLDS)}
    inner_share = {(k, j): shares(word_model({k, j})) for k in range(FOLDS) for j in range(FOLDS) if j != k}
    alone = sum(outer_share[k] * (fold == k) for k in range(FOLDS))
    print(f"share alone (word model out of fold): AUC on dev pages {auc(alone[dev], dy):.3f}")
    for name, with_share in (("shipped inputs", False), ("shipped inputs + swap share", True)):
        oof = np.zeros(len(y))
        for k in range(FOLDS):
            train, test = fold != k, fold == k
            inner = np.zeros(len(y))
            share_train = np.zeros(len(y))
            for j in set(range(FOLDS)) - {k}:
                inner[fold == j] = base.score(base.fitted({k, j}), base_x[fold == j])
                share_train[fold == j] = inner_share[(k, j)][fold == j]
            outer = base.score(base.fitted({k}), base_x[test])
            xt = [x[train], logit(inner[train])[:, None]]
            xs = [x[test], logit(outer)[:, None]]
            if with_share:
                xt.append(share_train[train][:, None])
                xs.append(outer_share[k][test][:, None])
            ftrain, ftest = np.hstack(xt), np.hstack(xs)
            mean, spread = ftrain.mean(axis=0), ftrain.std(axis=0)
            scale = np.where(spread > 1e-9, spread, 1.0)
            model = fit((ftrain - mean) / scale, y[train], np.ones(int(train.sum())))
            oof[test] = predict((ftest - mean) / scale, model)
        _, caught, t = recall_at_precision(oof[dev], dy, eligible[dev])
        line = f"{name}: AUC {auc(oof[dev], dy):.3f}, {caught}/{int(dy.sum())} at 90% precision (p >= {t:.3f})"
        for cut in (0.5, 0.4):
            flagged = (oof >= cut) & eligible
            line += (
                f"; p >= {cut}: {int((flagged & dev & y).sum())}/{int(dy.sum())} spun pages,"
                f" {int((flagged & dev & ~y).sum())} clean pages,"
                f" {int((flagged & ~dev).sum())}/{len(openings)} openings"
            )
        print(line)


if __name__ == "__main__":
    main()
