"""Fit the page model of spun text (src/healthlint/families/spun/data/spun_model.json); report out-of-fold figures.

Training data, all read from ../shared/corpus (none of it is shipped; only the weights are):

- the labelled real pages of web/dev_pages.jsonl (``spun`` true or false; null left out): the data the
  model is calibrated on, weighted up;
- clean health prose: MedQuAD dev and the health corpora (news stories, press releases, NIH pages),
  cut to openings of 400-2,600 characters like the web excerpts, as clean examples;
- extra, simulated spun examples: the same openings run through a thesaurus spinner, in two styles
  (any synonym of a content word, 5-40% of them: word salad; only common synonyms of common words,
  10-50%: the word-for-word dialect).

Cross-validation: the dev pages are dealt into 5 folds by *group* (``scripts/devgroups.py``: registered
domain, the networks the corpus README names, shared text; spun pages spread evenly), the clean
documents by index; each fold's model is fitted on
the other folds (and the spun copies of their clean openings) and scores the held-out fold. The
thresholds are chosen on those out-of-fold scores, and the figures printed are out of fold; the
shipped model is then fitted on everything.

``--short`` also measures texts of 40-79 words, which the model does not judge (see :func:`short_band`): the real
short dev pages, every dev page cut to its first 36-90 words, clean openings cut the same way with their spun copies,
and whole clean documents of that length. The short texts draw on random streams of their own, so the long
openings, the fit and the shipped file are the same with or without them.

Needs numpy (a dev dependency; the runtime reads only the JSON). Usage:

    nice -n 10 .venv/bin/python scripts/train_spun_model.py [--cache FILE] [--write] [--verbose] [--short]

``--drop NAMES`` measures the model without some of its signals, ``--extra NAMES`` with candidate signals added
(:data:`CANDIDATES`, filled by a measuring script such as scripts/measure_word_classes.py), ``--scores FILE`` writes
the dev pages' out-of-fold scores and the final fit (for a paired bootstrap against another run).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import pickle
import random
import re
import sys
from pathlib import Path
from typing import Any

import logistic
import numpy as np
from devgroups import folds as group_folds
from devgroups import read_pages

# The deep spun scripts (lm_spin_features, train_deep_spun, train_deep_swaps, deep_swap_share) import fit, predict, auc
# and regression_fields from here.
from logistic import Fitted, auc, regression_fields
from logistic import probability as predict

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("HEALTHLINT_SHARED", REPO.parent / "shared"))
sys.path.insert(0, str(REPO / "src"))

from healthlint.article import parse_article  # noqa: E402
from healthlint.families.spun.analysis import Analyzer  # noqa: E402
from healthlint.families.spun.model import MODEL_FILE, SIGNALS, page_counts, page_signals  # noqa: E402
from healthlint.families.spun.options import SpunOptions  # noqa: E402
from healthlint.families.spun.result import Analysis  # noqa: E402
from healthlint.families.spun.settings import compile_settings  # noqa: E402
from healthlint.families.spun.swaps import FUNCTION_WORDS  # noqa: E402
from healthlint.families.spun.tokens import BlockTokens  # noqa: E402

OUT = REPO / "src" / "healthlint" / "families" / "spun" / "data" / MODEL_FILE
DEV_PAGES = SHARED / "corpus" / "web" / "dev_pages.jsonl"
TOKEN = re.compile(r"[A-Za-z]+")
#: Weight of a real page against a clean or simulated opening.
DEV_WEIGHT = 8.0
L2 = 1.0
MIN_WORDS = 80
NIH = "medquad_nih_consumer100"
#: Short clean openings (and their spun copies) are cut to this many whitespace-separated words, a little wider
#: than the short band so that the analysis's own word count covers it.
SHORT_CUT = (36, 90)
#: The short texts measured (``--short``): this many words, the upper bound excluded.
SHORT_BAND = (40, MIN_WORDS)


def clean_documents() -> list[tuple[str, str]]:
    docs: list[tuple[str, str]] = []
    with gzip.open(SHARED / "corpus" / "clean" / "medquad_dev.jsonl.gz", "rt", encoding="utf-8") as handle:
        docs += [("medquad_dev", json.loads(line)["text"]) for line in handle]
    for name in ("fakehealth_healthrelease_hnr200", "fakehealth_healthstory_rated200", NIH):
        with (SHARED / "corpus" / "health" / f"{name}.jsonl").open(encoding="utf-8") as handle:
            docs += [(name, json.loads(line)["text"]) for line in handle]
    return docs


def opening(text: str, rng: random.Random) -> str:
    """The first 400-2,600 characters, cut at a space (web excerpts are page openings)."""
    limit = rng.randint(400, 2600)
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit]


def short_opening(text: str, rng: random.Random) -> str:
    """The first SHORT_CUT words or so (whitespace-separated), as a short web excerpt holds."""
    n = rng.randint(*SHORT_CUT)
    spans = list(re.finditer(r"\S+", text))
    return text if len(spans) <= n else text[: spans[n - 1].end()]


def dev_cuts(texts: list[str]) -> list[str]:
    """Each labelled dev page (``texts``, in file order) cut short as :func:`short_opening` cuts (its own stream)."""
    rng = random.Random(17)
    return [short_opening(text, rng) for text in texts]


def short_openings(lex: Any) -> list[tuple[int, str, int, str]]:
    """(index in clean_documents(), source, spun or not, text): every clean document's short opening and two
    thesaurus-spun copies of it, as the long openings are made (on a random stream of their own, so the long
    openings stay as they were)."""
    rng = random.Random(16)
    texts: list[tuple[int, str, int, str]] = []
    for i, (source, text) in enumerate(clean_documents()):
        part = short_opening(text, rng)
        texts.append((i, source, 0, part))
        texts.append((i, source, 1, spin(part, lex, rng.uniform(0.05, 0.4), False, rng)))
        texts.append((i, source, 1, spin(part, lex, rng.uniform(0.1, 0.5), True, rng)))
    return texts


def spin(text: str, lex: Any, rate: float, common_only: bool, rng: random.Random) -> str:
    """Replace lowercase content words by thesaurus synonyms, one for one."""

    def swap(m: re.Match[str]) -> str:
        word = m.group(0)
        if not word.islower() or word in FUNCTION_WORDS or lex.zipf(word) < 3.0 or rng.random() > rate:
            return word
        synonyms = sorted(lex.synonyms(word))
        if common_only:
            synonyms = [s for s in synonyms if " " not in s and lex.zipf(s) >= 3.5]
        return rng.choice(synonyms) if synonyms else word

    return TOKEN.sub(swap, text)


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> Fitted:
    """The page model's regression (L2 ``L2``) on standardised inputs; the other spun scripts refit it with this."""
    return logistic.fit(x, y, L2, w)


def prf(flag: np.ndarray, gold: np.ndarray) -> dict[str, Any]:
    tp = int((flag & gold).sum())
    fp = int((flag & ~gold).sum())
    fn = int((~flag & gold).sum())
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 3) if tp + fn else 0.0,
    }


def _current(data: dict[str, Any]) -> bool:
    """Whether a cache of :func:`collect` holds what this version writes: the same parts, each with the counts
    :func:`~healthlint.families.spun.model.page_counts` gives now (a new signal adds a count)."""
    keys = set(page_counts(Analysis())) | ({"pair_kinds"} if RECORD_PAIRS else set()) | EXTRA_COUNTS
    parts = ("dev", "dev_cut", "whole", "openings", "short")
    return all(part in data for part in parts) and all(
        set(row.get("counts", row)) == keys for part in parts for row in data[part][:1]
    )


#: Whether :func:`collect` also keeps each text's judged word pairs (``"x y"`` and their swaps.ODD flags) under
#: ``"pair_kinds"`` (scripts/measure_word_classes.py sets it; the model does not read them).
RECORD_PAIRS = False
#: Counts a measuring script has added to a cache beside page_counts' (see CANDIDATES): the cache is current with them.
EXTRA_COUNTS: set[str] = set()


def judged_pairs(analyzer: Analyzer, article: Any) -> list[tuple[str, int]]:
    """The word pairs an analysis judged, each with its flags: the analysis's own walk (``Analyzer.judged_pairs``)."""
    return [
        (key, kind)
        for block in article.blocks
        if block.text.strip()
        for _, key, _, kind in analyzer.judged_pairs(BlockTokens(block.text))
    ]


def collect(cache: Path | None) -> dict[str, Any]:
    """Counts (see model.page_counts) of every text the script uses; kept in ``cache`` between runs."""
    if cache is not None and cache.exists():
        data: dict[str, Any] = pickle.loads(cache.read_bytes())
        if _current(data):
            return data
        print(f"{cache} was written for other counts or texts: analysing again", file=sys.stderr)
    rng = random.Random(15)
    analyzer = Analyzer(with_model=False)
    settings = compile_settings(SpunOptions())
    lex = analyzer.lex

    def analyse(name: str, text: str) -> tuple[dict[str, float], bool]:
        article = parse_article(name, text)
        a = analyzer.analyze(article, settings)
        rules_flag = (
            a.verdict
            or bool(a.garbled)
            or bool(a.nonwords)
            or any(e.phrase is not None and e.phrase.strength == "strong" for e in a.phrases)
        )
        counts = page_counts(a)
        if RECORD_PAIRS:
            counts = {**counts, "pair_kinds": judged_pairs(analyzer, article)}
        return counts, rules_flag

    data: dict[str, Any] = {"dev": [], "dev_cut": [], "whole": [], "openings": [], "short": []}
    with DEV_PAGES.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    cuts = iter(dev_cuts([r["text"] for r in records if r["labels"]["spun"] is not None]))
    for j, record in enumerate(records):
        spun = record["labels"]["spun"]
        if spun is None:
            continue
        counts, rules_flag = analyse(f"p{j}.txt", record["text"])
        data["dev"].append(
            {
                "counts": counts,
                "spun": bool(spun),
                "url": record["url"],
                "rules": rules_flag,
                "style": record["labels"].get("spun_style"),
            }
        )
        cut, _ = analyse(f"q{j}.txt", next(cuts))
        data["dev_cut"].append(cut)
    for i, (source, text) in enumerate(clean_documents()):
        counts, rules_flag = analyse(f"w{i}.txt", text)
        data["whole"].append({"counts": counts, "source": source, "index": i, "rules": rules_flag})
        part = opening(text, rng)
        variants = [
            (0, part),
            (1, spin(part, lex, rng.uniform(0.05, 0.4), False, rng)),
            (1, spin(part, lex, rng.uniform(0.1, 0.5), True, rng)),
        ]
        for label, body in variants:
            counts, _ = analyse(f"c{i}.txt", body)
            data["openings"].append({"counts": counts, "spun": label, "index": i})
    for i, source, label, body in short_openings(lex):
        counts, _ = analyse(f"s{i}.txt", body)
        data["short"].append({"counts": counts, "spun": label, "index": i, "source": source})
    if cache is not None:
        cache.write_bytes(pickle.dumps(data))
    return data


#: Candidate signals measured with ``--extra`` (not in the shipped model): name -> (hits, total, prior weight), a
#: rate (or mean) shrunk towards clean prose's like the model's own. Their counts are not ``page_counts``': a
#: measuring script adds them to a copy of the cache and names them in EXTRA_COUNTS
#: (scripts/measure_word_classes.py).
CANDIDATES: dict[str, tuple[str, str, float]] = {}


def candidate_signals(c: dict[str, float], names: list[str], priors: dict[str, float]) -> list[float]:
    """The ``--extra`` signals of one text's counts (see :data:`CANDIDATES`)."""
    out = []
    for name in names:
        hits, total, weight = CANDIDATES[name]
        out.append((c[hits] + weight * priors[name]) / (c[total] + weight))
    return out


def candidate_priors(openings: list[dict[str, Any]], names: list[str]) -> dict[str, float]:
    """Clean prose's rates of the ``--extra`` signals (pooled over the clean openings, as :func:`clean_priors`)."""
    clean = [o["counts"] for o in openings if o["spun"] == 0]
    return {
        name: round(sum(c[CANDIDATES[name][0]] for c in clean) / max(sum(c[CANDIDATES[name][1]] for c in clean), 1), 5)
        for name in names
    }


def clean_priors(openings: list[dict[str, Any]]) -> dict[str, float]:
    """Clean prose's rates, the priors the page signals shrink towards (pooled over the clean openings)."""
    clean = [o["counts"] for o in openings if o["spun"] == 0]

    def pooled(hits: str, total: str) -> float:
        return round(sum(c[hits] for c in clean) / max(sum(c[total] for c in clean), 1), 5)

    return {
        "unlisted_rate": pooled("unlisted_pairs", "pairs"),
        "content_unlisted_rate": pooled("content_unlisted_pairs", "content_pairs"),
        "odd_rate": pooled("odd_pairs", "pairs"),
        "uncommon_rate": pooled("uncommon_words", "content_words"),
        "unknown_rate": pooled("unknown_words", "words"),
        "demotion": pooled("demotion", "graded_words"),
        # The 90th percentile of a text's synonym gains, weighted by the words judged (as page_signals shrinks it).
        "trigram_q90": round(
            sum(c["trigram_q90"] * c["trigram_words"] for c in clean) / max(sum(c["trigram_words"] for c in clean), 1),
            5,
        ),
    }


def short_band(
    data: dict[str, Any],
    priors: dict[str, float],
    standard: tuple[np.ndarray, np.ndarray],
    dfold: np.ndarray,
    train: Any,
) -> dict[str, Any]:
    """Out-of-fold figures on texts of SHORT_BAND words, which the shipped model does not judge.

    Short texts: the real short dev pages and every dev page cut to its first 36-90 words (labelled as the page),
    clean openings cut the same way (and their spun copies), and whole clean documents of that length. Two models:
    the page model as fitted (each fold's, as above), and a regression of the same signals fitted on short texts
    only (the short openings and the cut dev pages, weight DEV_WEIGHT). Each is read at the lowest threshold that
    holds a tier's guards on short texts: clean short openings and whole short documents flagged at most 1% (0.5%
    for the verdict), no NIH text, and the precision on the cut dev pages at least 0.9 (0.95)."""
    lo, hi = SHORT_BAND
    folds = int(dfold.max()) + 1

    def rows(items: list[dict[str, Any]]) -> np.ndarray:
        return np.array([page_signals(c, priors) for c in items])

    dev = data["dev"]
    dy = np.array([d["spun"] for d in dev])
    real = np.array([lo <= d["counts"]["words"] < hi for d in dev])
    cwords = np.array([c["words"] for c in data["dev_cut"]])
    cut_in = (cwords >= lo) & (cwords < hi)
    cx, dx = rows(data["dev_cut"]), rows([d["counts"] for d in dev])
    short = [s for s in data["short"] if lo <= s["counts"]["words"] < hi]
    sx, sy = rows([s["counts"] for s in short]), np.array([s["spun"] for s in short])
    sfold = np.array([s["index"] % folds for s in short])
    snih = np.array([s["source"] == NIH for s in short])
    whole = [w for w in data["whole"] if lo <= w["counts"]["words"] < hi]
    wx, wfold = rows([w["counts"] for w in whole]), np.array([w["index"] % folds for w in whole])
    wnih = np.array([w["source"] == NIH for w in whole])

    # Scores of the short openings, the cut dev pages, the whole dev pages and the whole short clean documents.
    page_model = (np.zeros(len(sy)), np.zeros(len(dy)), np.zeros(len(dy)), np.zeros(len(whole)))
    short_model = (np.zeros(len(sy)), np.zeros(len(dy)), np.zeros(len(dy)), np.zeros(len(whole)))
    mean, scale = standard
    smean, sscale = logistic.standardise(np.vstack([sx, cx[cut_in]]))
    for k in range(folds):
        long_openings = [o for o in data["openings"] if o["counts"]["words"] >= MIN_WORDS]
        fitted = train(dfold != k, np.array([o["index"] % folds != k for o in long_openings]))
        for scores, x, f in zip(page_model, (sx, cx, dx, wx), (sfold, dfold, dfold, wfold), strict=True):
            scores[f == k] = predict((x[f == k] - mean) / scale, fitted)
        own = (dfold != k) & cut_in
        x = np.vstack([(sx[sfold != k] - smean) / sscale, (cx[own] - smean) / sscale])
        y = np.concatenate([sy[sfold != k], dy[own]]).astype(float)
        w = np.concatenate([np.ones(int((sfold != k).sum())), np.full(int(own.sum()), DEV_WEIGHT)])
        fitted = fit(x, y, w)
        for scores, x, f in zip(short_model, (sx, cx, dx, wx), (sfold, dfold, dfold, wfold), strict=True):
            scores[f == k] = predict((x[f == k] - smean) / sscale, fitted)

    def caught(flagged: np.ndarray, among: np.ndarray) -> str:
        spun, clean = among & dy, among & ~dy
        return (
            f"{int((flagged & spun).sum())}/{int(spun.sum())} spun caught,"
            f" {int((flagged & clean).sum())}/{int(clean.sum())} clean flagged"
        )

    def at(scores: tuple[np.ndarray, ...], precision: float, clean_share: float) -> dict[str, Any]:
        so, co, do, wo = scores
        for t in np.arange(0.05, 0.9951, 0.005):
            flagged = (co >= t) & cut_in
            if (
                float((so[sy == 0] >= t).mean()) <= clean_share
                and float((wo >= t).mean()) <= clean_share
                and int(((so >= t) & (sy == 0) & snih).sum() + ((wo >= t) & wnih).sum()) == 0
                and prf(flagged, dy)["precision"] >= precision
            ):
                break
        else:
            return {"threshold": "none holds the guards"}
        return {
            "threshold": round(float(t), 3),
            "short dev pages": caught(do >= t, real),
            "dev pages cut short": caught(co >= t, cut_in),
            "clean short openings flagged": f"{int((so[sy == 0] >= t).sum())}/{int((sy == 0).sum())}",
            "spun short openings caught": f"{int((so[sy == 1] >= t).sum())}/{int((sy == 1).sum())}",
            "whole clean documents flagged": f"{int((wo >= t).sum())}/{len(whole)}",
        }

    report: dict[str, Any] = {}
    for name, scores in (("page model", page_model), ("short-text model", short_model)):
        report[f"{name}, texts of {lo}-{hi - 1} words"] = {
            "ROC AUC, dev pages cut short": round(auc(scores[1][cut_in], dy[cut_in]), 3),
            "ROC AUC, spun short openings against clean": round(auc(scores[0], sy == 1), 3),
            "suspect (0.9, 1%)": at(scores, 0.9, 0.01),
            "verdict (0.95, 0.5%)": at(scores, 0.95, 0.005),
        }
    return report


def make_parser() -> argparse.ArgumentParser:
    """The command line's parser (measure_lm_pairs.py checks the arguments it forwards with it)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--write", action="store_true", help=f"write {OUT.relative_to(REPO)}")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--cache", type=Path, help="keep the analysed counts in this file between runs")
    parser.add_argument("--verbose", action="store_true", help="print every dev page's out-of-fold score")
    parser.add_argument(
        "--short", action="store_true", help=f"measure texts of {SHORT_BAND[0]}-{SHORT_BAND[1] - 1} words (not judged)"
    )
    parser.add_argument(
        "--drop",
        default="",
        help="measure the model without these of its signals (comma-separated; `--drop demotion` is the model"
        " before wave 11)",
    )
    parser.add_argument(
        "--extra", default="", help="measure the model with these candidate signals added (see CANDIDATES)"
    )
    parser.add_argument("--scores", type=Path, help="write the dev pages' out-of-fold scores to this JSON file")
    return parser


def main() -> None:
    parser = make_parser()
    args = parser.parse_args()
    drop = [SIGNALS.index(name) for name in args.drop.split(",") if name]
    extra = [name for name in args.extra.split(",") if name]
    if (drop or extra) and (args.write or args.short):
        parser.error("--drop and --extra measure the page model only (no --write, no --short)")
    data = collect(args.cache)
    folds = args.folds

    priors = clean_priors(data["openings"])
    extra_priors = candidate_priors(data["openings"], extra)
    names = [s for i, s in enumerate(SIGNALS) if i not in drop] + extra

    def matrix(rows: list[dict[str, Any]]) -> np.ndarray:
        return np.array(
            [
                [v for i, v in enumerate(page_signals(r["counts"], priors)) if i not in drop]
                + candidate_signals(r["counts"], extra, extra_priors)
                for r in rows
            ]
        )

    dev, whole = data["dev"], data["whole"]
    openings = [o for o in data["openings"] if o["counts"]["words"] >= MIN_WORDS]
    dx, dy = matrix(dev), np.array([d["spun"] for d in dev])
    dwords = np.array([d["counts"]["words"] for d in dev])
    drules = np.array([d["rules"] for d in dev])
    dstyle = [d["style"] for d in dev]
    ox, oy = matrix(openings), np.array([o["spun"] for o in openings], dtype=float)
    ofold = np.array([o["index"] % folds for o in openings])
    wx = matrix(whole)
    wwords = np.array([w["counts"]["words"] for w in whole])
    wfold = np.array([w["index"] % folds for w in whole])
    wsource = [w["source"] for w in whole]
    wrules = np.array([w["rules"] for w in whole])

    mean, scale = logistic.standardise(np.vstack([ox, dx]))

    def standard(x: np.ndarray) -> np.ndarray:
        return (x - mean) / scale

    def train(dev_mask: np.ndarray, open_mask: np.ndarray) -> Fitted:
        x = np.vstack([standard(ox[open_mask]), standard(dx[dev_mask])])
        y = np.concatenate([oy[open_mask], dy[dev_mask].astype(float)])
        w = np.concatenate([np.ones(int(open_mask.sum())), np.full(int(dev_mask.sum()), DEV_WEIGHT)])
        return fit(x, y, w)

    page_of = {page["url"]: page for page in read_pages(DEV_PAGES)}
    dfold = np.array(group_folds([page_of[d["url"]] for d in dev], folds, positive=list(dy)))
    oof = np.zeros(len(dy))
    woof = np.zeros(len(whole))
    ooof = np.zeros(len(oy))
    for k in range(folds):
        model = train(dfold != k, ofold != k)
        oof[dfold == k] = predict(standard(dx[dfold == k]), model)
        woof[wfold == k] = predict(standard(wx[wfold == k]), model)
        ooof[ofold == k] = predict(standard(ox[ofold == k]), model)
    judged = wwords >= MIN_WORDS
    long_enough = dwords >= MIN_WORDS
    nih = np.array([s == NIH for s in wsource])

    def acceptable(t: float, min_precision: float, max_clean: float) -> bool:
        flagged = (oof >= t) & long_enough
        return (
            prf(flagged, dy)["precision"] >= min_precision
            and float(((woof >= t) & judged).mean()) <= max_clean
            and int(((woof >= t) & judged & nih).sum()) == 0
            and float(((ooof >= t) & (oy == 0)).mean()) <= max_clean
        )

    def choose(min_precision: float, max_clean: float) -> float:
        for t in np.arange(0.05, 0.995, 0.005):
            if acceptable(float(t), min_precision, max_clean):
                return round(float(t), 3)
        return 0.995

    suspect = choose(0.9, 0.01)
    verdict = max(choose(0.95, 0.005), suspect)
    figures: dict[str, Any] = {"dev pages, out-of-fold ROC AUC": round(auc(oof, dy), 3)}
    for name, t in (("suspect", suspect), ("verdict", verdict)):
        model_flag = (oof >= t) & long_enough
        either = model_flag | drules
        figures[name] = {
            "threshold": t,
            "dev pages, model alone": prf(model_flag, dy),
            "dev pages, model or the rules": prf(either, dy),
            "dev pages under 200 words, model or the rules": prf(either[dwords < 200], dy[dwords < 200]),
            "recall by style, model or the rules": {
                s: f"{int((either & dy & np.array([x == s for x in dstyle])).sum())}/{dstyle.count(s)}"
                for s in ("word-for-word", "thesaurus", "paraphraser")
            },
            "clean documents of 80+ words flagged": {
                s: f"{int(((woof >= t) & judged & np.array([x == s for x in wsource])).sum())}"
                f"/{int((judged & np.array([x == s for x in wsource])).sum())}"
                for s in sorted(set(wsource))
            },
            "clean openings flagged / simulated spun openings caught": (
                f"{int(((ooof >= t) & (oy == 0)).sum())}/{int((oy == 0).sum())}"
                f" / {int(((ooof >= t) & (oy == 1)).sum())}/{int((oy == 1).sum())}"
            ),
        }
    figures["dev pages, rules alone"] = prf(drules, dy)
    figures["clean documents, rules alone"] = f"{int(wrules.sum())}/{len(wrules)}"
    if args.verbose:
        for t in np.arange(0.5, 1.0, 0.025):
            flagged = (oof >= t) & long_enough
            print(
                f"  t={t:.3f} dev {prf(flagged, dy)} clean docs {int(((woof >= t) & judged).sum())}"
                f" NIH {int(((woof >= t) & judged & nih).sum())} clean openings {int(((ooof >= t) & (oy == 0)).sum())}"
            )
        for k in np.argsort(-oof):
            print(
                f"  {'SPUN ' if dy[k] else 'clean'} p={oof[k]:.3f} words={dwords[k]:4d} rules={int(drules[k])}"
                f" {dstyle[k]!s:14s} {' '.join(f'{v:.2f}' for v in dx[k])}  {dev[k]['url'][:60]}"
            )
    print(json.dumps(figures, indent=2))
    if args.short:
        print(json.dumps(short_band(data, priors, (mean, scale), dfold, train), indent=2))

    final = train(np.ones(len(dy), dtype=bool), np.ones(len(oy), dtype=bool))
    if args.scores:
        scores = {
            "urls": [d["url"] for d in dev],
            "spun": [bool(v) for v in dy],
            "scores": [float(v) for v in oof],
            "model": {"priors": priors, "extra_priors": extra_priors, **regression_fields(mean, scale, *final)},
        }
        args.scores.write_text(json.dumps(scores), encoding="utf-8")
    for name, weight in zip(names, final[0], strict=True):
        print(f"  {name:26s} {weight:+.3f}")
    if args.write:
        model_data = {
            "signals": list(SIGNALS),
            "priors": priors,
            **regression_fields(mean, scale, final[0], final[1]),
            "suspect": suspect,
            "verdict": verdict,
            "min_words": MIN_WORDS,
            "trained_on": (
                f"{len(dy)} labelled real pages of the development set (weight {DEV_WEIGHT:g}),"
                f" {int((oy == 0).sum())} clean openings of MedQuAD dev and the health corpora, and"
                f" {int(oy.sum())} copies of them spun by thesaurus substitution"
            ),
            "out_of_fold": figures,
        }
        OUT.write_text(json.dumps(model_data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
