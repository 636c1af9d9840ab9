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

``--gate`` also measures what the out-of-fold verdicts do to the gate. It checks the pages with the
``healthlint`` command as ``bench/eval_web.py`` does (the default configuration; and ``require = "always"``
with ``--select HL2``, which says whether a safety statement was found), then decides each advice-labelled
page's HL201 by its out-of-fold verdict (HL201 fires when the page is judged to advise and no safety
statement was found; a page without an advice label keeps the run's HL201). A page passes when it has no
error but HL201's. It prints the gate agreement with ``verdict_publishable`` and the publishable pages withheld,
first with the shipped model's verdicts (which must give the run's own gate: a check of the method), then
per fold seed. The disclaimer-off row cannot move with the advice model and is not printed.

Usage: .venv/bin/python scripts/train_advice.py [--pages FILE] [--dry-run] [--seeds N ...] [--errors] [--gate]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import logistic
import numpy as np
from devgroups import folds, groups

from healthlint.article import parse_article
from healthlint.families.disclaimer.advice_model import FEATURES, features, gives_treatment_advice, probability

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
) -> tuple[int, list[tuple[int, float, dict[str, object]]], list[float]]:
    """The pages the grouped 5-fold models judge right, (index, score, model) of each page judged wrong, and
    every page's out-of-fold score."""
    fold_of = folds(records, FOLDS, seed=seed, positive=gold)
    group = groups(records)
    right = tp = fp = fn = 0
    wrong: list[tuple[int, float, dict[str, object]]] = []
    scores = [0.0] * len(rows)
    for fold in range(FOLDS):
        train = [i for i, f in enumerate(fold_of) if f != fold]
        test = [i for i, f in enumerate(fold_of) if f == fold]
        l2 = choose_l2([rows[i] for i in train], [gold[i] for i in train], [records[i] for i in train])
        model = fit([rows[i] for i in train], [gold[i] for i in train], l2)
        fold_right = 0
        for i in test:
            score = scores[i] = probability(rows[i], model)
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
    return right, wrong, scores


@dataclass(frozen=True)
class GatePage:
    """What the gate needs of a page to decide it again with another advice verdict."""

    url: str
    publishable: bool
    #: An error other than HL201 withholds it whatever the advice verdict.
    other_error: bool
    #: HL201 fired in the run (the shipped model's verdict).
    hl201: bool
    #: No safety statement was found (HL201 under ``require = "always"``).
    no_statement: bool


def gate(pages: Sequence[GatePage], advises: dict[str, bool]) -> tuple[int, int]:
    """Gate agreement with ``verdict_publishable`` and publishable pages withheld, HL201 decided by ``advises``
    (by URL) where it holds the page, else as the run decided it."""
    agree = withheld = 0
    for page in pages:
        hl201 = advises[page.url] and page.no_statement if page.url in advises else page.hl201
        passed = not page.other_error and not hl201
        agree += passed == page.publishable
        withheld += page.publishable and not passed
    return agree, withheld


def gate_pages(records: list[dict[str, object]]) -> list[GatePage]:
    """The gate-labelled pages, checked with the healthlint command (default configuration, and
    ``require = "always"`` for the safety statement)."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench import check_json  # bench/ is not a package

    healthlint = Path(sys.executable).parent / "healthlint"
    labelled = [(i, r) for i, r in enumerate(records) if r["labels"]["verdict_publishable"] is not None]  # type: ignore[index]
    with tempfile.TemporaryDirectory(prefix="healthlint-train-advice-") as tmp:
        folder = Path(tmp)
        for i, record in labelled:
            (folder / f"page_{i:03d}.txt").write_text(str(record["text"]), encoding="utf-8", newline="")
        (folder / "healthlint.toml").write_text("", encoding="utf-8")
        default = {Path(a["path"]).name: a for a in check_json(healthlint, folder)["articles"]}
        (folder / "healthlint.toml").write_text('[plugins.disclaimer]\nrequire = "always"\n', encoding="utf-8")
        always = {Path(a["path"]).name: a for a in check_json(healthlint, folder, "--select", "HL2")["articles"]}
    pages = []
    for i, record in labelled:
        name = f"page_{i:03d}.txt"
        errors = {f["code"] for f in default[name]["findings"] if f["severity"] == "error"}
        pages.append(
            GatePage(
                str(record["url"]),
                bool(record["labels"]["verdict_publishable"]),  # type: ignore[index]
                bool(errors - {"HL201"}),
                "HL201" in errors,
                any(f["code"] == "HL201" for f in always[name]["findings"]),
            )
        )
    return pages


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
    parser.add_argument("--gate", action="store_true", help="the gate with the out-of-fold advice verdicts")
    args = parser.parse_args()
    if not args.pages.is_file():
        raise SystemExit(f"{args.pages} not found: this script needs ../shared/corpus/web")
    every = [json.loads(line) for line in args.pages.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = [r for r in every if r["labels"]["gives_treatment_advice"] is not None]
    rows = [features(page_sentences(r["text"])) for r in records]
    gold = [bool(r["labels"]["gives_treatment_advice"]) for r in records]
    checked = gate_pages(every) if args.gate else []
    if checked:
        shipped = {str(r["url"]): gives_treatment_advice(page_sentences(r["text"])) for r in records}
        agree, withheld = gate(checked, shipped)
        ran = sum((not p.other_error and not p.hl201) == p.publishable for p in checked)
        print(
            f"gate, the shipped model's verdicts: agreement {agree}/{len(checked)}, publishable pages withheld "
            f"{withheld} (the run: {ran}/{len(checked)})"
        )
    for n, seed in enumerate(args.seeds):
        _, wrong, scores = out_of_fold(records, rows, gold, seed, show=n == 0)
        if args.errors:
            show_errors(records, rows, wrong)
        if checked:
            agree, withheld = gate(checked, {str(r["url"]): s >= 0.5 for r, s in zip(records, scores, strict=True)})
            print(
                f"fold seed {seed}: gate with out-of-fold advice verdicts: agreement {agree}/{len(checked)}, "
                f"publishable pages withheld {withheld}"
            )
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
