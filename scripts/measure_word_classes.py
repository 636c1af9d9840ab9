"""Measure class-based plausibility signals of unlisted word pairs for the spun page model (wave 12; none kept: see
bench/README.md, "Word classes that smooth the web pair counts (wave 12)").

For every text scripts/train_spun_model.py analyses (the dev pages, clean documents, clean openings and their
thesaurus-spun copies), the word pairs the analysis judged are kept with their flags (``RECORD_PAIRS``). First a
pair-level report (:func:`pair_report`): does the class table tell the unlisted pairs a simulated spinner made from
natural ones? Then the candidate counts below are computed from the pairs with the word classes of
scripts/build_word_classes.py, added to a copy of the counts cache, and each candidate is measured with
``train_spun_model.py --extra`` (same folds, same guards) against the shipped signals, with a paired page bootstrap
of the out-of-fold ROC AUC gain and each fit's score of our own fixtures (:data:`FIXTURES`).

Candidates (each a share or mean shrunk towards clean prose's, with the prior of the pair shares):

- ``implausible_rate``: unlisted pairs whose classes are implausible neighbours (class PMI below ``--tau``), over
  all judged pairs;
- ``content_implausible_rate``: the same among pairs of two content words, over the content pairs;
- ``frame_implausible_rate``: the implausible unlisted pairs with a function word, over all judged pairs;
- ``unlisted_plausible_out``: the unlisted share with the class-plausible unlisted pairs counted as listed (in
  place of ``unlisted_rate``: ``--drop unlisted_rate``);
- ``class_surprise``: the mean of -PMI (clipped to +-6) over the judged pairs with both words classed;
- ``unlisted_surprise``: the same over the unlisted pairs only;
- ``smoothed_surprise``: a class-smoothed pair surprise, -PMI (log10) of every judged pair: the web's for a listed
  pair, the class PMI for an unlisted one, capped by the most its frequency allows (``Lexicon.pmi_bound``);
- ``unlisted_smoothed_surprise``: the same summed over the unlisted pairs only, over all judged pairs.

Usage (a minute: the pairs are analysed once into ``--pairs-cache``, then a few seconds per candidate):

    nice -n 10 .venv/bin/python scripts/measure_word_classes.py --classes FILE [--tau -1.0] [--table pmi|logp]
        [--runs "implausible_rate;class_surprise/unlisted_rate"]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import pickle
import sys
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import train_spun_model as tsm  # noqa: E402
from logistic import auc  # noqa: E402

from healthlint.families.spun.lexicon.store import get_lexicon  # noqa: E402
from healthlint.families.spun.lexicon.units import BIGRAM_CUTOFF, CORPUS_TOKENS  # noqa: E402
from healthlint.families.spun.model import page_counts  # noqa: E402
from healthlint.families.spun.result import Analysis  # noqa: E402
from healthlint.families.spun.swaps import CONTENT, ODD, UNLISTED  # noqa: E402

# In the checkout's ignored cache folder, not a predictable path in a world-writable /tmp (the file is unpickled).
PAIRS_CACHE = REPO / ".healthlint_cache" / "class_pairs.pickle"
CLIP = 6.0

tsm.CANDIDATES.update(
    {
        "implausible_rate": ("implausible_pairs", "pairs", 30.0),
        "content_implausible_rate": ("content_implausible_pairs", "content_pairs", 30.0),
        "frame_implausible_rate": ("frame_implausible_pairs", "pairs", 30.0),
        "unlisted_plausible_out": ("unlisted_not_plausible", "pairs", 30.0),
        "class_surprise": ("class_surprise", "classed_pairs", 30.0),
        "smoothed_surprise": ("smoothed_surprise", "pairs", 30.0),
        "unlisted_smoothed_surprise": ("unlisted_smoothed_surprise", "pairs", 30.0),
        "unlisted_surprise": ("unlisted_surprise", "classed_unlisted_pairs", 30.0),
    }
)


def load_classes(path: Path, table: str = "pmi") -> tuple[dict[str, int], np.ndarray]:
    """word -> class, and the class table (``pmi`` or ``logp``) of a scripts/build_word_classes.py file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    klass = {w: c for c, line in enumerate(data["classes"]) for w in line.split()}
    return klass, np.array(data[table])


def candidate_counts(
    pairs: list[tuple[str, int]], klass: dict[str, int], pmi: np.ndarray, tau: float
) -> dict[str, float]:
    out = dict.fromkeys(
        (
            "implausible_pairs",
            "content_implausible_pairs",
            "frame_implausible_pairs",
            "unlisted_not_plausible",
            "class_surprise",
            "classed_pairs",
            "unlisted_surprise",
            "classed_unlisted_pairs",
            "smoothed_surprise",
            "unlisted_smoothed_surprise",
        ),
        0.0,
    )
    lex = get_lexicon()
    to10 = math.log10(2.0)
    for key, kind in pairs:
        x, _, y = key.partition(" ")
        cx, cy = klass.get(x), klass.get(y)
        value = None if cx is None or cy is None else float(pmi[cx, cy])
        if value is not None:
            out["classed_pairs"] += 1
            out["class_surprise"] += min(max(-value, -CLIP), CLIP)
        listed = lex.pmi(x, y) if not kind & UNLISTED else None
        if listed is not None:
            est = listed
        else:
            a, b = lex.count(x), lex.count(y)
            bound = math.log10(BIGRAM_CUTOFF * CORPUS_TOKENS / (a * b)) if a and b else 0.0
            est = bound if value is None else min(value * to10, bound)
            out["unlisted_smoothed_surprise"] += min(max(-est, -CLIP), CLIP)
        out["smoothed_surprise"] += min(max(-est, -CLIP), CLIP)
        if kind & UNLISTED:
            implausible = value is not None and value < tau
            plausible = value is not None and value >= tau
            out["implausible_pairs"] += implausible
            out["content_implausible_pairs"] += implausible and bool(kind & CONTENT)
            out["frame_implausible_pairs"] += implausible and not kind & CONTENT
            out["unlisted_not_plausible"] += not plausible
            if value is not None:
                out["classed_unlisted_pairs"] += 1
                out["unlisted_surprise"] += min(max(-value, -CLIP), CLIP)
    return out


def run(cache: Path, args: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """train_spun_model's figures and out-of-fold dev scores for these arguments."""
    scores = cache.with_suffix(".scores.json")
    sys.argv = ["train_spun_model.py", "--cache", str(cache), "--scores", str(scores), *args]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        tsm.main()
    text = out.getvalue()
    figures = json.loads(text[: text.rindex("}") + 1])
    return figures, json.loads(scores.read_text(encoding="utf-8"))


def bootstrap(base: dict[str, Any], new: dict[str, Any], rounds: int = 2000) -> tuple[float, float, float]:
    """The AUC gain on the dev pages and its 95% interval, pages resampled with replacement (paired)."""
    y = np.array(base["spun"])
    a, b = np.array(base["scores"]), np.array(new["scores"])
    rng = np.random.default_rng(0)
    gains = []
    for _ in range(rounds):
        i = rng.integers(len(y), size=len(y))
        if y[i].all() or not y[i].any():
            continue
        gains.append(auc(b[i], y[i]) - auc(a[i], y[i]))
    lo, hi = np.percentile(gains, [2.5, 97.5])
    return auc(b, y) - auc(a, y), float(lo), float(hi)


def summary(figures: dict[str, Any]) -> str:
    parts = [f"AUC {figures['dev pages, out-of-fold ROC AUC']}"]
    for tier in ("suspect", "verdict"):
        f = figures[tier]
        alone, rules = f["dev pages, model alone"], f["dev pages, model or the rules"]
        clean = ", ".join(f"{k.split('_')[-1]} {v}" for k, v in f["clean documents of 80+ words flagged"].items())
        parts.append(
            f"{tier} t={f['threshold']}: alone {alone['tp']} ({alone['fp']} fp),"
            f" rules {rules['tp']} ({rules['fp']} fp);"
            f" clean {clean}; openings {f['clean openings flagged / simulated spun openings caught']}"
        )
    return " | ".join(parts)


def pair_report(data: dict[str, Any], klass: dict[str, int], table: np.ndarray) -> None:
    """Pair-level diagnostics: does a class table tell a thesaurus swap's unlisted pair from a natural one?

    - the simulated openings: the unlisted pairs a spun copy has and its clean opening does not (made by the
      swaps) against the clean opening's own unlisted pairs, scored by -class PMI; for reference the same with the
      odd-pair flag and with the word-frequency bound on the pair's PMI (``Lexicon.pmi_bound``);
    - the dev pages: the unlisted pairs of spun pages against those of clean pages (-class PMI).
    """
    lex = get_lexicon()

    def score(key: str) -> float | None:
        x, _, y = key.partition(" ")
        return -float(table[klass[x], klass[y]]) if x in klass and y in klass else None

    natural: list[tuple[str, int]] = []
    made: list[tuple[str, int]] = []
    openings = data["openings"]
    for i in range(0, len(openings), 3):  # a clean opening, then its two spun copies (see train_spun_model.collect)
        own = openings[i]["counts"]["pair_kinds"]
        seen = {key for key, _ in own}
        natural += [(key, kind) for key, kind in own if kind & UNLISTED]
        for copy in openings[i + 1 : i + 3]:
            made += [(key, kind) for key, kind in copy["counts"]["pair_kinds"] if kind & UNLISTED and key not in seen]
    pairs = natural + made
    gold = np.array([False] * len(natural) + [True] * len(made))
    classed = np.array([score(key) is not None for key, _ in pairs])
    by_class = np.array([score(key) or 0.0 for key, _ in pairs])
    odd = np.array([float(bool(kind & ODD)) for _, kind in pairs])
    bound = np.array([-lex.pmi_bound(*key.split(" ")) for key, _ in pairs])
    print(
        f"simulated openings: {len(made)} unlisted pairs made by swaps against {len(natural)} natural ones"
        f" ({classed.mean():.0%} with both words classed);"
        f" ROC AUC of -class PMI {auc(by_class[classed], gold[classed]):.3f},"
        f" of the odd-pair flag {auc(odd, gold):.3f}, of -PMI bound {auc(bound, gold):.3f}"
    )
    values, labels = [], []
    for row in data["dev"]:
        for key, kind in row["counts"]["pair_kinds"]:
            value = score(key)
            if kind & UNLISTED and value is not None:
                values.append(value)
                labels.append(bool(row["spun"]))
    print(
        f"dev pages: {len(values)} classed unlisted pairs; ROC AUC of -class PMI, spun pages' against clean pages':"
        f" {auc(np.array(values), np.array(labels)):.3f}"
    )


def fixture_scores(
    names: list[str],
    model: dict[str, Any],
    extra: list[str],
    dropped: list[str],
    tau: float,
    klass: dict[str, int],
    table: np.ndarray,
) -> str:
    """The model's probability for each of our own fixture texts (FIXTURES)."""
    from healthlint.article import parse_article
    from healthlint.families.spun.analysis import Analyzer
    from healthlint.families.spun.model import SIGNALS, page_counts, page_signals
    from healthlint.families.spun.options import SpunOptions
    from healthlint.families.spun.settings import compile_settings

    analyzer = Analyzer(with_model=False)
    settings = compile_settings(SpunOptions())
    drop = [SIGNALS.index(name) for name in dropped]
    out = []
    for path in names:
        article = parse_article(path, (REPO / path).read_text(encoding="utf-8"))
        a = analyzer.analyze(article, settings)
        counts = {**page_counts(a), **candidate_counts(tsm.judged_pairs(analyzer, article), klass, table, tau)}
        x = [v for i, v in enumerate(page_signals(counts, model["priors"])) if i not in drop]
        x += tsm.candidate_signals(counts, extra, model["extra_priors"])
        z = model["bias"] + sum(
            w * (v - m) / sc for w, v, m, sc in zip(model["weights"], x, model["mean"], model["scale"], strict=True)
        )
        out.append(f"{Path(path).stem} {1.0 / (1.0 + math.exp(-z)):.3f}")
    return ", ".join(out)


#: Texts of our own: the plain body-dense text on leg veins, the hand-spun word-for-word text and its original.
FIXTURES = [
    "tests/rules/HL101/clean_ordinary_swaps.md",
    "tests/rules/HL101/flag_word_for_word.md",
    "tests/rules/HL101/clean_word_for_word.md",
]


def plain_swaps(cache: Path) -> None:
    """Not a class signal: the page model with the swap surprise that leaves out the health-prose pairs (what HL105
    and the list-free score read) in place of the one that counts them (``model_swap_surprise``, as since wave 11),
    measured the same way; and the fixtures under that fit. The health-pair table is counted in MedQuAD and NIH
    answers, which are also the clean documents of the guards: the clean figures are optimistic, the dev pages' not."""
    counts_of = tsm.page_counts

    def with_plain(a: Any) -> dict[str, Any]:
        return {**counts_of(a), "plain_swap_surprise": min(a.swap_surprise, 10.0), "one": 1.0}

    tsm.page_counts = with_plain  # collect() and _current() read the module's name
    tsm.CANDIDATES["plain_swap_surprise"] = ("plain_swap_surprise", "one", 0.0)
    tsm.collect(cache)
    base_figures, base = run(cache, [])
    figures, scores = run(cache, ["--extra", "plain_swap_surprise", "--drop", "swap_surprise"])
    gain, lo, hi = bootstrap(base, scores)
    print(f"shipped signals: {summary(base_figures)}")
    print(f"health-prose pairs not counted as swaps: {summary(figures)}")
    print(f"    AUC gain {gain:+.3f} (95% {lo:+.3f} to {hi:+.3f})")
    from healthlint.article import parse_article
    from healthlint.families.spun.analysis import Analyzer
    from healthlint.families.spun.model import SIGNALS, page_signals
    from healthlint.families.spun.options import SpunOptions
    from healthlint.families.spun.settings import compile_settings

    analyzer = Analyzer(with_model=False)
    settings = compile_settings(SpunOptions())
    model, dropped = scores["model"], SIGNALS.index("swap_surprise")
    out = []
    for path in FIXTURES:
        a = analyzer.analyze(parse_article(path, (REPO / path).read_text(encoding="utf-8")), settings)
        c = with_plain(a)
        x = [v for i, v in enumerate(page_signals(c, model["priors"])) if i != dropped] + [c["plain_swap_surprise"]]
        z = model["bias"] + sum(
            w * (v - m) / sc for w, v, m, sc in zip(model["weights"], x, model["mean"], model["scale"], strict=True)
        )
        out.append(f"{Path(path).stem} {1.0 / (1.0 + math.exp(-z)):.3f}")
    print(f"    fixtures: {', '.join(out)}")
    tsm.page_counts = counts_of


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--classes", type=Path, help="a file of scripts/build_word_classes.py (required but for --plain-swaps)"
    )
    parser.add_argument("--tau", type=float, default=-1.0, help="class PMI (log2) under which a pair is implausible")
    parser.add_argument("--table", default="pmi", choices=("pmi", "logp"), help="the class table read")
    parser.add_argument("--pairs-cache", type=Path, default=PAIRS_CACHE)
    parser.add_argument(
        "--runs",
        default="implausible_rate;content_implausible_rate;frame_implausible_rate;class_surprise;unlisted_surprise;"
        "smoothed_surprise;unlisted_smoothed_surprise;unlisted_plausible_out/unlisted_rate;"
        "smoothed_surprise/unlisted_rate",
        help="candidates to measure, ';'-separated: extra[,extra][/dropped,dropped]",
    )
    parser.add_argument(
        "--plain-swaps",
        action="store_true",
        help="measure instead the page model with the health-prose pairs not counted as swaps (see plain_swaps)",
    )
    args = parser.parse_args()
    args.pairs_cache.parent.mkdir(parents=True, exist_ok=True)
    if args.plain_swaps:
        plain_swaps(args.pairs_cache.with_suffix(".plain_swaps.pickle"))
        return
    if args.classes is None:
        parser.error("--classes is required")
    tsm.RECORD_PAIRS = True
    data = tsm.collect(args.pairs_cache)
    klass, table = load_classes(args.classes, args.table)
    pair_report(data, klass, table)
    for part in ("dev", "dev_cut", "whole", "openings", "short"):
        for row in data[part]:
            counts = row.get("counts", row)
            counts.update(candidate_counts(counts["pair_kinds"], klass, table, args.tau))
    cache = args.pairs_cache.with_suffix(".measure.pickle")
    cache.write_bytes(pickle.dumps(data))
    tsm.EXTRA_COUNTS = {"pair_kinds", *(key for hits, total, _ in tsm.CANDIDATES.values() for key in (hits, total))}
    tsm.EXTRA_COUNTS -= set(page_counts(Analysis()))
    tsm.RECORD_PAIRS = False
    base_figures, base = run(cache, [])
    print(f"shipped signals: {summary(base_figures)}")
    print(f"    fixtures: {fixture_scores(FIXTURES, base['model'], [], [], args.tau, klass, table)}")
    y = np.array(base["spun"])
    dev = [row["counts"] for row in data["dev"]]
    for spec in args.runs.split(";"):
        extra, _, dropped = spec.partition("/")
        alone = []
        for name in extra.split(","):
            hits, total, _ = tsm.CANDIDATES[name]
            alone.append(f"{auc(np.array([c[hits] / max(c[total], 1) for c in dev]), y):.3f}")
        figures, scores = run(cache, ["--extra", extra] + (["--drop", dropped] if dropped else []))
        gain, lo, hi = bootstrap(base, scores)
        print(f"{spec} (alone on dev: ROC AUC {', '.join(alone)}): {summary(figures)}")
        print(f"    AUC gain {gain:+.3f} (95% {lo:+.3f} to {hi:+.3f})")
        fixtures = fixture_scores(
            FIXTURES, scores["model"], extra.split(","), [d for d in dropped.split(",") if d], args.tau, klass, table
        )
        print(f"    fixtures: {fixtures}")


if __name__ == "__main__":
    main()
