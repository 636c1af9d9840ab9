"""Fit the treatment-advice model of the disclaimer family and report its out-of-fold accuracy.

Reads ``../shared/corpus/web/dev_pages.jsonl`` (pages labelled ``gives_treatment_advice``), turns
each page into the features of :mod:`healthlint.families.disclaimer.advice_model`, and fits an
L2-regularised logistic regression (``scripts/logistic.py``). The figures are
out of fold: pages are grouped by ``scripts/devgroups.py`` (registered domain, the networks the
corpus README names, shared text) and every group sits on one side of each of the 5 splits (its
``folds``, the advice label spread evenly); the L2 strength is chosen inside each training side by
an inner grouped split, so nothing of a test fold is seen. The final model is fitted on every page and written to
``src/healthlint/families/disclaimer/data/advice_model.json``.

``--seeds 1 2 3`` repeats the out-of-fold figures over other deals of the groups into folds (the model is
written from the first); ``--errors`` lists the pages the out-of-fold models get wrong, with their score and
the features that pushed them most.

Usage: .venv/bin/python scripts/train_advice.py [--pages FILE] [--dry-run] [--seeds N ...] [--errors]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import logistic
import numpy as np
from devgroups import folds, groups

from healthlint.article import parse_article
from healthlint.families.disclaimer.advice_model import FEATURES, features, probability

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT.parent / "shared" / "corpus" / "web" / "dev_pages.jsonl"
OUT = ROOT / "src" / "healthlint" / "families" / "disclaimer" / "data" / "advice_model.json"
FOLDS = 5
INNER_FOLDS = 4
L2_GRID = (0.1, 1.0, 10.0, 30.0, 100.0)


def page_sentences(text: str) -> list[str]:
    article = parse_article("page.txt", text)
    return [block.text[a:b] for block in article.blocks for a, b in block.sentences]


def fit(rows: list[list[float]], gold: list[bool], l2: float) -> dict[str, object]:
    """The model (``logistic.fit``), as the model file and ``advice_model.probability`` hold it."""
    x = np.array(rows, dtype=float)
    mean, scale = logistic.standardise(x)
    weights, bias = logistic.fit((x - mean) / scale, np.array(gold, dtype=float), l2)
    return {
        "features": list(FEATURES),
        "mean": mean.tolist(),
        "scale": scale.tolist(),
        "bias": bias,
        "weights": weights.tolist(),
        "threshold": 0.5,
    }


def accuracy(model: dict[str, object], rows: list[list[float]], gold: list[bool]) -> float:
    right = sum((probability(r, model) >= 0.5) == g for r, g in zip(rows, gold, strict=True))
    return right / len(rows) if rows else 0.0


def choose_l2(rows: list[list[float]], gold: list[bool], pages: list[dict[str, object]]) -> float:
    inner = folds(pages, INNER_FOLDS, seed=2, positive=gold)
    best, best_score = L2_GRID[0], -1.0
    for l2 in L2_GRID:
        right = 0
        for fold in range(INNER_FOLDS):
            train = [i for i, f in enumerate(inner) if f != fold]
            test = [i for i, f in enumerate(inner) if f == fold]
            if not test or not train:
                continue
            model = fit([rows[i] for i in train], [gold[i] for i in train], l2)
            right += round(accuracy(model, [rows[i] for i in test], [gold[i] for i in test]) * len(test))
        if right > best_score:
            best, best_score = l2, right
    return best


def out_of_fold(
    records: list[dict[str, object]], rows: list[list[float]], gold: list[bool], seed: int, show: bool
) -> tuple[int, list[tuple[int, float, dict[str, object]]]]:
    """The pages the grouped 5-fold models judge right, and (index, score, model) of each page judged wrong."""
    fold_of = folds(records, FOLDS, seed=seed, positive=gold)
    group = groups(records)
    right = tp = fp = fn = 0
    wrong: list[tuple[int, float, dict[str, object]]] = []
    for fold in range(FOLDS):
        train = [i for i, f in enumerate(fold_of) if f != fold]
        test = [i for i, f in enumerate(fold_of) if f == fold]
        l2 = choose_l2([rows[i] for i in train], [gold[i] for i in train], [records[i] for i in train])
        model = fit([rows[i] for i in train], [gold[i] for i in train], l2)
        fold_right = 0
        for i in test:
            score = probability(rows[i], model)
            predicted = score >= 0.5
            fold_right += predicted == gold[i]
            tp += predicted and gold[i]
            fp += predicted and not gold[i]
            fn += gold[i] and not predicted
            if predicted != gold[i]:
                wrong.append((i, score, model))
        right += fold_right
        if show:
            print(
                f"fold {fold}: {len(test)} pages, {len({group[i] for i in test})} site groups, l2={l2}, "
                f"accuracy {fold_right}/{len(test)}"
            )
    print(
        f"fold seed {seed}: out-of-fold accuracy {right}/{len(rows)} = {right / len(rows):.3f}; "
        f"precision {tp}/{tp + fp}, recall {tp}/{tp + fn} ({len(set(group))} site groups)"
    )
    return right, wrong


def show_errors(
    records: list[dict[str, object]], rows: list[list[float]], wrong: list[tuple[int, float, dict[str, object]]]
) -> None:
    for i, score, model in wrong:
        record = records[i]
        pushes = sorted(
            (
                (w * (x - m) / s, name)
                for w, x, m, s, name in zip(
                    model["weights"],
                    rows[i],
                    model["mean"],
                    model["scale"],
                    FEATURES,
                    strict=True,  # type: ignore[call-overload]
                )
            ),
            reverse=score >= 0.5,
        )
        labels: dict[str, object] = record["labels"]  # type: ignore[assignment]
        print(
            f"  {'FP' if score >= 0.5 else 'FN'} p={score:.2f} reputable={record['reputable_publisher']} "
            f"spun={labels['spun']} {record['url']}\n"
            f"     {', '.join(f'{name} {push:+.2f}' for push, name in pushes[:4])}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=Path, default=PAGES)
    parser.add_argument("--dry-run", action="store_true", help="report the figures, do not write the model")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1], help="fold seeds (devgroups.folds)")
    parser.add_argument("--errors", action="store_true", help="list the pages judged wrong out of fold")
    args = parser.parse_args()
    if not args.pages.is_file():
        raise SystemExit(f"{args.pages} not found: this script needs ../shared/corpus/web")
    records = [json.loads(line) for line in args.pages.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = [r for r in records if r["labels"]["gives_treatment_advice"] is not None]
    rows = [features(page_sentences(r["text"])) for r in records]
    gold = [bool(r["labels"]["gives_treatment_advice"]) for r in records]
    for n, seed in enumerate(args.seeds):
        _, wrong = out_of_fold(records, rows, gold, seed, show=n == 0)
        if args.errors:
            show_errors(records, rows, wrong)
    l2 = choose_l2(rows, gold, records)
    model = fit(rows, gold, l2)
    print(f"final model: l2={l2}, accuracy on the pages it was fitted to {accuracy(model, rows, gold):.3f}")
    for name, weight in zip(FEATURES, model["weights"], strict=True):  # type: ignore[call-overload]
        print(f"  {name:<30} {weight:+.3f}")
    if not args.dry_run:
        rounded = {
            k: [round(x, 6) for x in v] if isinstance(v, list) and k != "features" else v for k, v in model.items()
        }
        rounded["bias"] = round(float(model["bias"]), 6)  # type: ignore[arg-type]
        OUT.write_text(json.dumps(rounded, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
