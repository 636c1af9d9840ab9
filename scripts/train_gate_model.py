"""Weigh moderate evidence across families: a logistic regression of "not publishable" over per-article features.

Go / no-go study for issue 16's gate (``bench/README.md``, "The weight of moderate evidence"). Runs the
``healthlint`` command (JSON, ``--ignore HL6,HL8``: grammar and HL801 itself left out) over

- the labelled development pages (``../shared/corpus/web/dev_pages.jsonl``, ``verdict_publishable`` not null),
- the clean corpora as publishable examples (MedQuAD dev, NIH consumer pages, news stories, press releases:
  editors publish those; they are the false-alarm guard),

collects per-article features from the metrics and findings, and fits a small L2 logistic regression with
``scripts/devgroups.py`` outer folds for the dev pages and folds by index for the clean documents; L2 and the
threshold are chosen inside each training fold. The composite's verdict is "withhold" when the default gate
withholds OR the composite's probability reaches the threshold. Figures are out of fold.

Two inputs were themselves fitted on the dev pages, so their shipped values flatter the dev pages: the page spin
model's ``spin_probability`` (and HL107, its suspected tier) and the HL517 spam-sentence scores. By default they
are replaced, for every dev page and clean document, by out-of-fold values from those models refitted without each
outer fold (``train_spun_model.py``'s data and fit; ``train_spam_blocks.py``'s fit, with its L2 and threshold chosen
inside the training fold as it does); ``--in-sample`` keeps the shipped values. The composite is fitted on those
out-of-fold inputs and applied to the shipped ones at run time (stacking). The default gate's own verdict still rests
on models fitted in sample (HL201's advice classifier, HL519, HL101): the baseline and the composite share that.

``--write`` writes the model fitted on every article the default gate passes (L2 and threshold chosen by the same
inner cross-validation) as HL801's package data; bench/README.md, "The weight of moderate evidence", has the figures.

``--leave-out CODES`` (default ``HL704``) names rules not run, beside HL6 and HL8. The shipped weights were fitted
before HL704 (chatbot residue) existed; run with it, the one dev page it withholds leaves the pool, the inner
threshold falls from 0.79 to 0.71 and the refit withholds a reputable publisher's publishable page in sample (and one
more MedQuAD answer out of fold), so it was not shipped (bench/README, "Chatbot residue withholds: HL704"). With
the default the script writes the shipped file byte for byte; ``--leave-out ""`` measures the refit.

Usage: OPENBLAS_NUM_THREADS=1 nice -n 10 .venv/bin/python scripts/train_gate_model.py [--write] [--cache DIR]
       [--leave-out CODES] [--in-sample] [--seed N] [--guard per-corpus|pooled] [--max-clean SHARE]
       [--dev-weight W] [--verbose]
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import logistic
import numpy as np
import train_spun_model as spun
from devgroups import folds as group_folds
from devgroups import read_pages
from logistic import Fitted, probability

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("HEALTHLINT_SHARED", REPO.parent / "shared"))
sys.path.insert(0, str(REPO / "bench"))

from bench import check_json  # noqa: E402  (bench/ is not a package)

from healthlint.families.verdict.evidence import FAULTS, FEATURES, features  # noqa: E402

DEV_PAGES = SHARED / "corpus" / "web" / "dev_pages.jsonl"
OUT = REPO / "src" / "healthlint" / "families" / "verdict" / "data" / "gate_model.json"
NIH = spun.NIH
FOLDS = 5


def lint(texts: list[str], healthlint: Path, jobs: int, leave_out: list[str]) -> list[dict[str, Any]]:
    """Each text's JSON article (findings reduced to code, severity, message), and whether the gate passes it with
    the disclaimer rules off (``passed_without_hl2``); the rules ``leave_out`` names are not run."""
    ignore = ",".join(["HL6", "HL8", *leave_out])
    with tempfile.TemporaryDirectory(prefix="healthlint-gate-model-") as tmp:
        folder = Path(tmp)
        for i, text in enumerate(texts):
            (folder / f"doc_{i:04d}.txt").write_text(text, encoding="utf-8", newline="")
        # HL801 itself is left out: the model weighs what the rest of the gate passes.
        report = check_json(healthlint, folder, "--ignore", ignore, "-j", str(jobs))
        without = check_json(healthlint, folder, "--ignore", f"{ignore},HL2", "-j", str(jobs))
    by_name = {Path(a["path"]).name: a for a in report["articles"]}
    passed_without = {Path(a["path"]).name: a["passed"] for a in without["articles"]}
    out = []
    for i in range(len(texts)):
        article = by_name[f"doc_{i:04d}.txt"]
        out.append(
            {
                "passed": article["passed"],
                "passed_without_hl2": passed_without[f"doc_{i:04d}.txt"],
                "metrics": article.get("metrics", {}),
                "findings": [[f["code"], f["severity"], f["message"]] for f in article["findings"]],
            }
        )
    return out


def tree_digest(root: Path) -> str:
    """sha256 of a source tree: every file's path (relative to ``root``) and bytes, in order; compiled bytecode left
    out (written on import, not an edit). Contents, not modification times: a checkout of another revision with the
    same times is another tree."""
    digest = hashlib.sha256()
    files = sorted(
        p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")
    )
    for path in files:
        data = path.read_bytes()
        digest.update(f"{path.relative_to(root).as_posix()}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def healthlint_package(program: Path) -> Path:
    """The ``healthlint`` package folder the program runs: asked of the program's own interpreter (its ``#!`` line),
    so a ``--healthlint`` of another checkout is keyed by that checkout's sources; this one's where it cannot say."""
    try:
        with program.open("rb") as handle:
            first = handle.readline().decode("utf-8", "replace").strip()
        interpreter = first[2:].split()[0] if first.startswith("#!") else ""
        if interpreter:
            done = subprocess.run(
                [interpreter, "-c", "import healthlint, os; print(os.path.dirname(healthlint.__file__))"],
                capture_output=True,
                text=True,
                timeout=60,
                check=True,
                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            )
            return Path(done.stdout.strip())
    except (OSError, IndexError, subprocess.SubprocessError):
        pass
    return REPO / "src" / "healthlint"


def input_digest() -> str:
    """sha256 of the texts linted: the dev pages file and the clean documents."""
    digest = hashlib.sha256(DEV_PAGES.read_bytes())
    for source, text in spun.clean_documents():
        digest.update(f"{source}\0{len(text)}\0{text}".encode())
    return digest.hexdigest()


def cache_key(package: Path, leave_out: list[str], inputs: str) -> str:
    """What the linted reports depend on: the healthlint sources and rule data that made them (``package``, hashed),
    the rules left out and the arguments of the runs, the texts (``inputs``, :func:`input_digest`), the HEALTHLINT_*
    variables that configure plugins, and this script's own code of the lint (what a report keeps)."""
    environment = {k: v for k, v in sorted(os.environ.items()) if k.startswith("HEALTHLINT_")}
    environment.pop("HEALTHLINT_SHARED", None)  # where the texts are: their digest is in the key
    payload = {
        "healthlint": tree_digest(package),
        "leave_out": sorted(leave_out),
        "arguments": ["--ignore", ",".join(["HL6", "HL8", *leave_out]), "and HL2 off"],
        "inputs": inputs,
        "environment": environment,
        "lint": inspect.getsource(lint),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def read_cached(path: Path, key: str) -> dict[str, Any] | None:
    """The reports a cache file holds if it was written under ``key`` (never a stale or foreign one)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    return data


def collect(cache: Path | None, healthlint: Path, jobs: int, leave_out: list[str]) -> dict[str, Any]:
    """The linted dev pages and clean documents; kept in ``cache`` (a directory) between runs, in a file named by
    :func:`cache_key`: a change of the healthlint sources or rule data, the rules left out or the texts is another
    file, so a stale cache is never read."""
    path = None
    key = ""
    if cache is not None:
        key = cache_key(healthlint_package(healthlint), leave_out, input_digest())
        path = cache / f"linted-{key[:20]}.json"
        cached = read_cached(path, key)
        if cached is not None:
            return cached
        print(f"{path.name}: no reports for these sources and options in {cache}: linting", file=sys.stderr)
    pages = [p for p in read_pages(DEV_PAGES) if p["labels"]["verdict_publishable"] is not None]
    # The spin model's clean documents, in its order: a document's fold (its index mod 5) is the one the spin
    # model's own cross-validation gives it.
    docs = spun.clean_documents()
    data = {
        "dev": lint([p["text"] for p in pages], healthlint, jobs, leave_out),
        "clean": lint([text for _, text in docs], healthlint, jobs, leave_out),
        "sources": [source for source, _ in docs],
        "key": key,
    }
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data), encoding="utf-8")
    return data


#: The page spin model's suspected tier (HL107), for out-of-fold probabilities.
SUSPECT = 0.925
L2_CHOICES = (0.3, 1.0, 3.0, 10.0, 30.0)


def article_features(article: dict[str, Any], inputs: dict[str, float]) -> list[float]:
    """The model's inputs of a JSON article, as HL801 reads them at run time (``verdict.evidence.features``)."""
    return features(article["metrics"], (code for code, _, _ in article["findings"]), inputs)


@dataclass
class Data:
    x: np.ndarray  # every example's features (dev pages first)
    y: np.ndarray  # not publishable
    dev: np.ndarray  # a dev page (else a clean document)
    passed: np.ndarray  # the default gate passes it
    passed_off: np.ndarray  # the default gate passes it with the disclaimer rules off
    source: list[str]  # "dev" or the clean corpus
    fold: np.ndarray  # outer fold
    group_pages: list[dict[str, Any]]  # the dev page records (for inner folds)

    def subset(self, mask: np.ndarray) -> Data:
        pages = [p for p, m in zip(self.group_pages, mask[: len(self.group_pages)], strict=True) if m]
        return Data(
            self.x[mask],
            self.y[mask],
            self.dev[mask],
            self.passed[mask],
            self.passed_off[mask],
            [s for s, m in zip(self.source, mask, strict=True) if m],
            self.fold[mask],
            pages,
        )


def objective(
    score: np.ndarray,
    data: Data,
    t: float,
    max_clean: float,
    totals: dict[str, int] | None,
    max_good: int | None = None,
) -> float | None:
    """Dev pages newly right minus newly wrong at threshold t; None when the clean guard fails: a NIH page newly
    withheld, or more than ``max_clean`` of the clean documents ``data`` holds (``totals`` None), or of each
    corpus's documents (``totals``: its documents in the training folds, whether the gate passes them or not);
    or, with ``max_good``, more publishable dev pages newly withheld than that."""
    new = data.passed & (score >= t)
    if max_good is not None and int((new & data.dev & (data.y == 0)).sum()) > max_good:
        return None
    clean = ~data.dev
    if clean.any():
        newly = Counter(s for s, n, c in zip(data.source, new, clean, strict=True) if n and c)
        if newly[NIH]:
            return None
        if totals is None and float(new[clean].mean()) > max_clean:
            return None
        if totals is not None and any(count > max_clean * totals[s] for s, count in newly.items()):
            return None
    return float((new & data.dev & (data.y == 1)).sum() - (new & data.dev & (data.y == 0)).sum())


def refit(
    train: Data, l2: float, dev_weight: float, nonneg: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, Fitted]:
    """Standardise on ``train`` (the default gate's passed articles only) and fit; (mean, scale, model)."""
    mean, scale = logistic.standardise(train.x)
    w = np.where(train.dev, dev_weight, 1.0)
    return mean, scale, logistic.fit((train.x - mean) / scale, train.y.astype(float), l2, w, nonneg)


def choose(
    train: Data,
    l2s: tuple[float, ...],
    dev_weight: float,
    max_clean: float,
    totals: dict[str, int] | None,
    nonneg: np.ndarray | None,
    max_good: int | None = None,
) -> tuple[float, float]:
    """L2 and threshold by inner cross-validation on ``train`` (passed articles only); ``max_good``: see
    ``objective``."""
    ndev = int(train.dev.sum())
    inner_dev = group_folds(train.group_pages, FOLDS - 1, seed=2, positive=list(train.y[:ndev] == 1))
    inner = np.concatenate([np.array(inner_dev, dtype=int), np.arange(len(train.y) - ndev) % (FOLDS - 1)])
    best: tuple[float, float, float] = (-1e9, l2s[0], 1.0)
    for l2 in l2s:
        score = np.zeros(len(train.y))
        for k in range(FOLDS - 1):
            mean, scale, model = refit(train.subset(inner != k), l2, dev_weight, nonneg)
            score[inner == k] = probability((train.x[inner == k] - mean) / scale, model)
        for t in np.arange(0.3, 0.99, 0.01):
            value = objective(score, train, float(t), max_clean, totals, max_good)
            if value is not None and value > best[0]:
                best = (value, l2, float(t))
    return best[1], best[2]


def oof_spin(
    records: list[dict[str, Any]], fold: list[int], cache: Path | None
) -> tuple[dict[str, float], list[float]]:
    """Out-of-fold page-model spin probabilities: the spun family's model (``train_spun_model.py``) refitted
    without each outer fold; by URL for the dev pages it was fitted on, and for every clean document in order."""
    from healthlint.families.spun.model import page_signals

    # the spin counts are made in this process, by the healthlint it imports: keyed by its sources and the spun
    # model script's (train_spun_model.py checks only that a cache has the counts it expects)
    key = ""
    if cache is not None:
        import healthlint

        script = Path(spun.__file__).read_bytes()
        key = hashlib.sha256(
            f"{tree_digest(Path(healthlint.__file__).parent)}\0{input_digest()}\0".encode() + script
        ).hexdigest()[:20]
    data = spun.collect(cache / f"spun_counts-{key}.pkl" if cache else None)
    priors = spun.clean_priors(data["openings"])

    def matrix(rows: list[dict[str, Any]]) -> np.ndarray:
        return np.array([page_signals(r["counts"], priors) for r in rows])

    fold_of = {r["url"]: f for r, f in zip(records, fold, strict=True)}
    dev, whole = data["dev"], data["whole"]
    openings = [o for o in data["openings"] if o["counts"]["words"] >= spun.MIN_WORDS]
    dx, dy = matrix(dev), np.array([d["spun"] for d in dev], dtype=float)
    dfold = np.array([fold_of[d["url"]] for d in dev])
    ox, oy = matrix(openings), np.array([o["spun"] for o in openings], dtype=float)
    ofold = np.array([o["index"] % FOLDS for o in openings])
    wx = matrix(whole)
    wfold = np.array([w["index"] % FOLDS for w in whole])
    mean, scale = logistic.standardise(np.vstack([ox, dx]))
    dev_p, whole_p = np.zeros(len(dev)), np.zeros(len(whole))
    for k in range(FOLDS):
        x = np.vstack([(ox[ofold != k] - mean) / scale, (dx[dfold != k] - mean) / scale])
        y = np.concatenate([oy[ofold != k], dy[dfold != k]])
        w = np.concatenate([np.ones(int((ofold != k).sum())), np.full(int((dfold != k).sum()), spun.DEV_WEIGHT)])
        model = spun.fit(x, y, w)
        dev_p[dfold == k] = probability((dx[dfold == k] - mean) / scale, model)
        whole_p[wfold == k] = probability((wx[wfold == k] - mean) / scale, model)
    short = np.array([w["counts"]["words"] < spun.MIN_WORDS for w in whole])
    whole_p[short] = 0.0
    by_url = {d["url"]: float(p) for d, p in zip(dev, dev_p, strict=True) if d["counts"]["words"] >= spun.MIN_WORDS}
    return by_url, [float(p) for p in whole_p]


def oof_spam(
    records: list[dict[str, Any]], fold: list[int], clean_texts: list[str]
) -> tuple[list[tuple[float, int]], list[tuple[float, int]]]:
    """Out-of-fold HL517 inputs: the spam-sentence model (``train_spam_blocks.py``, L2 and threshold chosen inside
    each training fold as it does) refitted without each outer fold; per dev record and clean document, the top
    unit score above the fold's threshold (moved onto the shipped threshold's scale, 0 when none) and the count of
    units at the threshold. The run-time filters of HL517 (units other link rules report, page chrome) are not
    applied."""
    import train_spam_blocks as spam

    from healthlint.article.parse import parse_article
    from healthlint.families.links.spamblocks import shipped_model
    from healthlint.families.links.spamfeatures import units

    shipped = shipped_model().threshold
    pages = spam.load()
    clean_rows = [[u.features for u in units(parse_article("doc.txt", t, "text"))] for t in clean_texts]
    dev_out: list[tuple[float, int]] = [(0.0, 0)] * len(pages)
    clean_out: list[tuple[float, int]] = [(0.0, 0)] * len(clean_texts)

    def summary(model: Any, rows: list[list[float]], threshold: float) -> tuple[float, int]:
        probs = [model.probability(f) for f in rows]
        over = [p for p in probs if p >= threshold]
        return (max(over) - threshold + shipped if over else 0.0), len(over)

    for k in range(FOLDS):
        train = [p for p, f in zip(pages, fold, strict=True) if f != k]
        l2, threshold, _ = spam.inner_choice(train, spam.L2_CHOICES, spam.Tier())  # HL517's threshold only
        model = spam.fit(train, l2)
        print(f"  spam model without fold {k}: L2 {l2:g}, threshold {threshold:.3f}", file=sys.stderr)
        for i, page in enumerate(pages):
            if fold[i] == k:
                dev_out[i] = summary(model, [row[0] for row in page.rows], threshold)
        for i, rows in enumerate(clean_rows):
            if i % FOLDS == k:
                clean_out[i] = summary(model, rows, threshold)
    return dev_out, clean_out


def dataset(args: argparse.Namespace) -> tuple[Data, list[dict[str, Any]]]:
    """Every dev page with a verdict and every clean document, with their features and folds; and the dev pages."""
    linted = collect(args.cache, args.healthlint, args.jobs, [c for c in args.leave_out.split(",") if c])
    records = read_pages(DEV_PAGES)
    unpublishable = [r["labels"]["verdict_publishable"] is False for r in records]
    fold_all = group_folds(records, FOLDS, seed=args.seed, positive=unpublishable)
    keep = [i for i, r in enumerate(records) if r["labels"]["verdict_publishable"] is not None]
    pages = [records[i] for i in keep]
    gold = np.array([not p["labels"]["verdict_publishable"] for p in pages])
    nclean = len(linted["clean"])
    dev_inputs: list[dict[str, float]] = [{} for _ in pages]
    clean_inputs: list[dict[str, float]] = [{} for _ in range(nclean)]
    if not args.in_sample:
        spin_dev, spin_clean = oof_spin(records, fold_all, args.cache)
        spam_dev, spam_clean = oof_spam(records, fold_all, [t for _, t in spun.clean_documents()])
        for j, i in enumerate(keep):
            if records[i]["url"] in spin_dev:
                dev_inputs[j].update(spin_probability=spin_dev[records[i]["url"]], suspect=SUSPECT)
            dev_inputs[j]["spam_score"], dev_inputs[j]["spam_units"] = spam_dev[i]
        for i in range(nclean):
            clean_inputs[i].update(spin_probability=spin_clean[i], suspect=SUSPECT)
            clean_inputs[i]["spam_score"], clean_inputs[i]["spam_units"] = spam_clean[i]
    articles = linted["dev"] + linted["clean"]
    inputs = dev_inputs + clean_inputs
    data = Data(
        x=np.array([article_features(a, extra) for a, extra in zip(articles, inputs, strict=True)]),
        y=np.concatenate([gold, np.zeros(nclean, dtype=bool)]).astype(int),
        dev=np.concatenate([np.ones(len(pages), dtype=bool), np.zeros(nclean, dtype=bool)]),
        passed=np.array([a["passed"] for a in articles]),
        passed_off=np.array([a["passed_without_hl2"] for a in articles]),
        source=["dev"] * len(pages) + linted["sources"],
        fold=np.concatenate([np.array([fold_all[i] for i in keep], dtype=int), np.arange(nclean) % FOLDS]),
        group_pages=pages,
    )
    return data, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(REPO)}")
    parser.add_argument("--cache", type=Path, help="keep the linted reports in this directory between runs")
    parser.add_argument("--healthlint", type=Path, default=REPO / ".venv" / "bin" / "healthlint")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--leave-out",
        default="HL704",
        metavar="CODES",
        help="rules not run, beside HL6 and HL8 (default HL704: the shipped weights predate it; see the docstring)",
    )
    parser.add_argument("--dev-weight", type=float, default=4.0, help="a dev page's weight against a clean document")
    parser.add_argument("--max-clean", type=float, default=0.015, help="clean documents newly withheld, inner guard")
    parser.add_argument(
        "--guard",
        choices=("pooled", "per-corpus"),
        default="per-corpus",
        help="a share of each corpus's documents (default), or of the clean documents the gate passes, pooled",
    )
    parser.add_argument("--in-sample", action="store_true", help="the shipped spin and spam inputs, not out of fold")
    parser.add_argument("--seed", type=int, default=1, help="seed of the outer folds of the dev pages")
    parser.add_argument(
        "--free-signs", action="store_true", help="let every weight take either sign (the faults' are kept >= 0)"
    )
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    if not DEV_PAGES.is_file():
        sys.exit(f"{DEV_PAGES} not found: this script needs ../shared/corpus")
    data, pages = dataset(args)
    # More of a fault never lowers the probability: every fault's weight is fitted >= 0 (--free-signs: any sign).
    nonneg = None if args.free_signs else np.array([name in FAULTS for name in FEATURES])

    def guard(folds: np.ndarray) -> dict[str, int] | None:
        """Each corpus's documents in the training folds (``folds``: a mask), for the per-corpus guard."""
        if args.guard == "pooled":
            return None
        return Counter(s for s, f, d in zip(data.source, folds, data.dev, strict=True) if f and not d)

    oof = np.zeros(len(data.y))
    thresholds = np.zeros(len(data.y))
    for k in range(FOLDS):
        train = data.subset((data.fold != k) & data.passed)
        l2, t = choose(train, L2_CHOICES, args.dev_weight, args.max_clean, guard(data.fold != k), nonneg)
        mean, scale, model = refit(train, l2, args.dev_weight, nonneg)
        held = data.fold == k
        oof[held] = probability((data.x[held] - mean) / scale, model)
        thresholds[held] = t
        print(f"fold {k}: L2 {l2:g}, threshold {t:.2f}")
    figures = report(data, oof, thresholds, pages, args.verbose)
    everything = data.subset(data.passed)
    l2, t = choose(everything, L2_CHOICES, args.dev_weight, args.max_clean, guard(~data.dev), nonneg)
    mean, scale, (weights, bias) = refit(everything, l2, args.dev_weight, nonneg)
    print(f"fitted on every passed article: L2 {l2:g}, threshold {t:.2f}; weights on standardised inputs:")
    for name, weight in sorted(zip(FEATURES, weights, strict=True), key=lambda item: -abs(item[1])):
        print(f"  {weight:+.3f}  {name}")
    if args.write:
        written = {
            "features": list(FEATURES),
            **logistic.regression_fields(mean, scale, weights, bias),
            "threshold": round(t, 3),
            "trained_on": (
                f"the {int(everything.dev.sum())} labelled dev pages and {int((~everything.dev).sum())} clean documents"
                " (MedQuAD dev, press releases, news stories, NIH pages) that the default gate passes;"
                + (" the shipped spin and spam inputs" if args.in_sample else " spin and spam inputs out of fold")
                + ("; every weight free" if args.free_signs else "; the weights of faults >= 0")
            ),
            "out_of_fold": figures,
        }
        OUT.write_text(json.dumps(written, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(REPO)}")


def agreement(passed: np.ndarray, withheld: np.ndarray, data: Data) -> tuple[int, int, int, int]:
    """Dev pages the gate gets right before and after the composite, bad pages it adds and good pages it loses."""
    dev, good = data.dev, data.y == 0
    after = passed & ~withheld
    return (
        int((passed[dev] == good[dev]).sum()),
        int((after[dev] == good[dev]).sum()),
        int((passed & withheld & dev & ~good).sum()),
        int((passed & withheld & dev & good).sum()),
    )


def auc(positive: np.ndarray, negative: np.ndarray) -> float:
    """The chance that a positive scores above a negative (ties count half); NaN when either side is empty."""
    return logistic.auc(np.concatenate([positive, negative]), np.arange(len(positive) + len(negative)) < len(positive))


def report(
    data: Data, oof: np.ndarray, thresholds: np.ndarray, pages: list[dict[str, Any]], verbose: bool
) -> dict[str, Any]:
    """Print the out-of-fold figures; return them (for the model file)."""
    n = int(data.dev.sum())
    figures: dict[str, Any] = {}
    for name, passed in (("every rule", data.passed), ("disclaimer rules off", data.passed_off)):
        withheld = passed & (oof >= thresholds)
        before, after, added, lost = agreement(passed, withheld, data)
        figures[f"gate agreement, {name}"] = f"{before}/{n} -> {after}/{n} (+{added} -{lost})"
    passed_dev = data.passed & data.dev
    bad, good = oof[passed_dev & (data.y == 1)], oof[passed_dev & (data.y == 0)]
    clean = oof[data.passed & ~data.dev]
    figures["ROC AUC among passed articles, bad against good dev pages"] = round(auc(bad, good), 3)
    figures["ROC AUC among passed articles, bad dev pages against clean documents"] = round(auc(bad, clean), 3)
    withheld = data.passed & (oof >= thresholds)
    figures["reputable dev pages newly withheld"] = sum(
        bool(w) for w, p in zip(withheld[:n], pages, strict=True) if p.get("reputable_publisher")
    )
    for source in dict.fromkeys(s for s in data.source if s != "dev"):
        mask = np.array([s == source for s in data.source])
        figures[f"{source} newly withheld"] = f"{int(withheld[mask].sum())}/{int(mask.sum())}"
    for key, value in figures.items():
        print(f"{key}: {value}")
    # What a looser or stricter guard would buy: thresholds on the pooled out-of-fold scores (several fold models).
    for share in (0.01, 0.02, 0.05, 0.10, 0.20):
        t = float(np.quantile(clean, 1 - share))
        print(
            f"  withholding {share:.0%} of the clean documents the gate passes (p >= {t:.2f}):"
            f" +{int((bad >= t).sum())} bad, -{int((good >= t).sum())} good dev pages"
        )
    if verbose:
        for i in np.argsort(-oof[:n]):
            if data.passed[i] and (data.y[i] or oof[i] >= thresholds[i]):
                flag = "BAD " if data.y[i] else "good"
                print(f"  {flag} p={oof[i]:.3f} {'W' if withheld[i] else ' '} {pages[i]['url'][:70]}")
    return figures


if __name__ == "__main__":
    main()
