"""Fit the deeper spun stage's stacked model (``families/spun/data/deep_spun_model.json``) and report it out of fold.

Inputs are those of ``scripts/lm_spin_features.py`` (run it first with the same ``--cache``, ``--tokens``,
``--clean`` and ``--engine``: it scores every text with the language model and keeps the features): the
labelled dev pages of ``../shared/corpus/web/`` and clean openings of the health corpora. The stacked
model is a logistic regression (L2 1, standardized) on the LM features plus the page model's logit. For
the final fit the page model's logit of each text is its out-of-fold score (the page model refitted
without that text's fold), as inside the nested cross-validation whose figures this prints: a score
used for fitting never saw its own page.

The tiers are fixed, not tuned: verdict (HL101) at p >= 0.5, suspected (HL107) at p >= 0.4.

    .venv/bin/python scripts/train_deep_spun.py --engine numpy --cache /tmp/lmspin [--write]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from devgroups import folds as group_folds
from devgroups import read_pages
from lm_spin_features import (
    DEV_PAGES,
    FEATURES,
    FOLDS,
    REPO,
    clean_openings,
    lm_rows,
    logit,
    recall_at_precision,
    stacked_inputs,
    stacked_oof,
)
from train_spun_model import auc, collect, fit

from healthlint.families.spun.deep import FEATURES as SHIPPED_FEATURES
from healthlint.families.spun.deep import STACKED_FILE

VERDICT, SUSPECT = 0.5, 0.4
OUT = REPO / "src" / "healthlint" / "families" / "spun" / "data" / STACKED_FILE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--cache", type=Path, required=True, help="lm_spin_features.py's cache folder")
    parser.add_argument("--tokens", type=int, default=160)
    parser.add_argument("--clean", type=int, default=200)
    parser.add_argument("--engine", choices=("llama", "numpy"), default="llama", help="whose cached features")
    parser.add_argument("--write", action="store_true", help=f"write {OUT.name}")
    parser.add_argument(
        "--oof-out", type=Path, help="write each dev page's out-of-fold probability (JSON: index in the file -> p)"
    )
    args = parser.parse_args()
    args.shard, args.model = "0/1", None
    assert tuple(FEATURES) == SHIPPED_FEATURES

    every = read_pages(DEV_PAGES)
    indices = [i for i, r in enumerate(every) if r["labels"]["spun"] is not None]
    records = [every[i] for i in indices]
    data = collect(args.cache / "counts.pickle")
    openings = clean_openings(args.clean, [len(r["text"]) for r in records])
    rows, _ = lm_rows([r["text"] for r in records] + [t for _, _, t in openings], args)
    if rows is None:
        raise SystemExit("texts not scored yet: run scripts/lm_spin_features.py with the same options first")
    x = np.array([[row[name] for name in FEATURES] for row in rows])
    dy = np.array([bool(r["labels"]["spun"]) for r in records])
    dfold = np.array(group_folds(records, FOLDS, positive=list(dy)))
    base, y, fold, base_x, dev, eligible = stacked_inputs(data, dy, dfold, openings)

    oof = stacked_oof(x, y, fold, base, base_x, fold)
    recall, caught, t = recall_at_precision(oof[dev], dy, eligible[dev])
    print(f"{len(dy)} dev pages ({int(dy.sum())} spun), {len(openings)} clean openings; out of fold:")
    print(f"  AUC {auc(oof[dev], dy):.3f}; recall at 90% precision {caught}/{int(dy.sum())}", end="")
    print(f" ({recall:.1%}, p >= {t:.3f})")
    for name, cut in (("verdict", VERDICT), ("suspected or verdict", SUSPECT)):
        flagged = (oof >= cut) & eligible
        tp, fp = int((flagged & dev & y).sum()), int((flagged & dev & ~y).sum())
        print(
            f"  {name} (p >= {cut}): {tp}/{int(dy.sum())} spun pages, {fp} clean pages,"
            f" {int((flagged & ~dev).sum())}/{len(openings)} clean openings"
        )

    if args.oof_out:
        oof_of = {i: round(float(p), 4) for i, p in zip(indices, oof[dev], strict=True)}
        args.oof_out.write_text(json.dumps(oof_of, indent=0) + "\n", encoding="utf-8")

    page_oof = np.zeros(len(y))
    for k in range(FOLDS):
        page_oof[fold == k] = base.score(base.fitted({k}), base_x[fold == k])
    features = np.hstack([x, logit(page_oof)[:, None]])
    mean, spread = features.mean(axis=0), features.std(axis=0)
    scale = np.where(spread > 1e-9, spread, 1.0)
    weights, bias = fit((features - mean) / scale, y, np.ones(len(y)))
    model = {
        "features": [*FEATURES, "page_logit"],
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "weights": [round(float(v), 6) for v in weights],
        "bias": round(float(bias), 6),
        "suspect": SUSPECT,
        "verdict": VERDICT,
        "tokens": args.tokens,
        "engine": args.engine,
        "trained_on": (
            f"{len(dy)} labelled dev pages of ../shared/corpus/web ({int(dy.sum())} spun) and {len(openings)}"
            " clean openings of MedQuAD dev, news stories, press releases and NIH pages; page logit out of fold"
        ),
    }
    for name, w in zip(model["features"], model["weights"], strict=True):
        print(f"  {name:24s} {w:+.3f}")
    if args.write:
        OUT.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
