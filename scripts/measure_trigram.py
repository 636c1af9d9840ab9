"""Measure trigram-model signals (scripts/trigram_lm.py) as a tenth signal of the spun page model, out of fold.

Runs ``scripts/train_spun_model.py`` (same data, folds, guards and figures) with the page model given one candidate
signal more (``--extra``, shrunk towards clean prose's value with a prior of ``model.PRIOR_WORDS`` words like the
other word shares). Nothing in the package changes: the analysis is wrapped here, and ``--write`` (or any
abbreviation of it) is refused. Candidates (:data:`SIGNALS`):

    tg_excess_mean   mean trigram-over-unigram surprisal of the judged words (bits)
    tg_excess_q90    its 90th percentile per text
    tg_gain_mean     mean synonym gain with both sides (bits)
    tg_gain_q90      its 90th percentile per text
    tg_gain_share3   share of judged words whose best near-synonym is more than 3 bits likelier
    tg_gain_share6   ... more than 6 bits
    tg_oov_excess    share of content words the model does not know, beyond clean prose's share in their Zipf band

    --signal NAME[,NAME]  the candidates added (``none``: the shipped 9 signals on the same folds, the "before")
    --fold-seed S         devgroups.folds' seed (train_spun_model.py uses 1)
    --alone               print each candidate's own ROC AUC (no shrinking, no model) and stop

Other arguments go to train_spun_model.py (``--scores FILE`` for scripts/auc_gain.py, ``--verbose``; since the 90th
percentile ships as the page model's ``trigram_q90``, ``--drop trigram_q90`` gives the model the candidates were
measured against). The counts
are cached in ``.healthlint_cache/trigram.<fingerprint>.pickle`` (the model file's sha256, trigram_lm.py's, the
near-synonym window); a cache made by anything else is analysed again. Usage:

    nice -n 10 .venv/bin/python scripts/measure_trigram.py --signal tg_excess_mean [--fold-seed 2] --scores F.json
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO / "src"), str(HERE)]

import devgroups  # noqa: E402
import numpy as np  # noqa: E402
import train_spun_model as train  # noqa: E402
import trigram_lm  # noqa: E402
from logistic import auc  # noqa: E402
from measure_lm_pairs import forwarded, keep_fingerprint, measuring_only, sha256_of  # noqa: E402

from healthlint.families.spun import analysis, model  # noqa: E402

#: Candidate -> (hits, total) among the counts (see :func:`derive`), shrunk with the word prior.
SIGNALS: dict[str, tuple[str, str]] = {
    "tg_excess_mean": ("tg_excess", "tg_judged"),
    "tg_excess_q90": ("tg_excess_q90_hits", "tg_judged"),
    "tg_gain_mean": ("tg_gain", "tg_gain_words"),
    "tg_gain_q90": ("tg_gain_q90_hits", "tg_gain_words"),
    "tg_gain_share3": ("tg_gain_over3", "tg_gain_words"),
    "tg_gain_share6": ("tg_gain_over6", "tg_gain_words"),
    "tg_oov_excess": ("tg_oov_resid", "tg_content"),
}
RAW = tuple(trigram_lm.TrigramCounts().as_counts())
DERIVED = ("tg_excess_q90_hits", "tg_gain_q90_hits", "tg_oov_resid", "tg_content")


def install() -> None:
    """Wrap the analysis and the page counts with the trigram counts; register the candidates."""
    lm = trigram_lm.open_model()
    scorers: dict[int, trigram_lm.TrigramScorer] = {}
    analyze = analysis.Analyzer.analyze

    def analyze_with_trigram(self: analysis.Analyzer, article: Any, settings: Any) -> Any:
        result = analyze(self, article, settings)
        scorer = scorers.get(id(self))
        if scorer is None:
            scorer = scorers[id(self)] = trigram_lm.TrigramScorer(lm, self.lex)
        result.trigram_counts = scorer.score_text([b.text for b in article.blocks]).as_counts()
        return result

    page_counts = train.page_counts

    def counts_with_trigram(a: Any) -> dict[str, Any]:
        return {**page_counts(a), **getattr(a, "trigram_counts", trigram_lm.TrigramCounts().as_counts())}

    analysis.Analyzer.analyze = analyze_with_trigram  # type: ignore[method-assign]
    train.page_counts = counts_with_trigram
    train.EXTRA_COUNTS = set(RAW)
    train.CANDIDATES.update({name: (hits, total, model.PRIOR_WORDS) for name, (hits, total) in SIGNALS.items()})


def rows_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        *(d["counts"] for d in data["dev"]),
        *data["dev_cut"],
        *(w["counts"] for w in data["whole"]),
        *(o["counts"] for o in data["openings"]),
        *(s["counts"] for s in data["short"]),
    ]


def band_rates(data: dict[str, Any]) -> list[float]:
    """Clean prose's unknown share per Zipf band (pooled over the clean openings)."""
    clean = [o["counts"] for o in data["openings"] if o["spun"] == 0]
    words = np.sum([c["tg_band_words"] for c in clean], axis=0)
    unknown = np.sum([c["tg_band_unknown"] for c in clean], axis=0)
    return [float(u) / max(float(w), 1.0) for u, w in zip(unknown, words, strict=True)]


def derive(data: dict[str, Any]) -> dict[str, Any]:
    """Add the derived counts (the percentiles times their word counts; the unknown words beyond the bands' clean
    shares) to every text's counts."""
    rates = band_rates(data)
    for c in rows_of(data):
        c["tg_excess_q90_hits"] = c["tg_excess_q90"] * c["tg_judged"]
        c["tg_gain_q90_hits"] = c["tg_gain_q90"] * c["tg_gain_words"]
        c["tg_content"] = sum(c["tg_band_words"])
        c["tg_oov_resid"] = sum(c["tg_band_unknown"]) - sum(
            n * r for n, r in zip(c["tg_band_words"], rates, strict=True)
        )
    return data


def keep_derived() -> None:
    collect = train.collect

    def collect_and_derive(cache: Path | None) -> dict[str, Any]:
        return derive(collect(cache))

    train.collect = collect_and_derive


def fingerprint() -> str:
    made = {
        "model": sha256_of(Path(trigram_lm.model_path())),
        "trigram_lm.py": sha256_of(Path(trigram_lm.__file__)),
        "max_synonyms": trigram_lm.MAX_SYNONYMS,
        "synonym_zipf100_below": trigram_lm.SYNONYM_ZIPF100_BELOW,
        "bands": trigram_lm.ZIPF_BANDS,
    }
    return json.dumps(made, sort_keys=True)


def signal_alone(data: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Each candidate's raw value (hits / total, no shrinking, no model) as a score on its own: ROC AUC on the dev
    pages, on the word-for-word and on the thesaurus pages each against all clean dev pages, and on the simulated
    spun openings (of train_spun_model.MIN_WORDS words or more) against the clean ones."""
    dev = data["dev"]
    y = np.array([bool(d["spun"]) for d in dev])
    style = [d["style"] for d in dev]
    openings = [o for o in data["openings"] if o["counts"]["words"] >= train.MIN_WORDS]
    oy = np.array([o["spun"] == 1 for o in openings])
    out = {}
    for name, (hits, total) in SIGNALS.items():

        def value(c: dict[str, Any], hits: str = hits, total: str = total) -> float:
            return float(c[hits]) / max(float(c[total]), 1.0)

        x = np.array([value(d["counts"]) for d in dev])
        found = {"dev": auc(x, y)}
        for kind in ("word-for-word", "thesaurus", "paraphraser"):
            keep = np.array([not spun or s == kind for spun, s in zip(y, style, strict=True)])
            found[kind] = auc(x[keep], y[keep])
        found["simulated"] = auc(np.array([value(o["counts"]) for o in openings]), oy)
        out[name] = {k: round(float(v), 3) for k, v in found.items()}
    return out


def coverage(data: dict[str, Any]) -> dict[str, Any]:
    """What share of the content words the model knows, per corpus part and Zipf band."""
    report: dict[str, Any] = {}
    parts = {
        "dev pages": [d["counts"] for d in data["dev"]],
        "clean openings": [o["counts"] for o in data["openings"] if o["spun"] == 0],
        "simulated spun openings": [o["counts"] for o in data["openings"] if o["spun"] == 1],
    }
    for name, rows in parts.items():
        words = np.sum([c["tg_band_words"] for c in rows], axis=0)
        unknown = np.sum([c["tg_band_unknown"] for c in rows], axis=0)
        report[name] = {
            "content words known": f"{1 - unknown.sum() / words.sum():.4f} of {int(words.sum())}",
            "known share by band (upper Zipf x 100)": {
                str(top): f"{1 - u / max(w, 1):.3f} of {int(w)}"
                for top, u, w in zip((*trigram_lm.ZIPF_BANDS, "rest"), unknown, words, strict=True)
            },
        }
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0], allow_abbrev=False)
    parser.add_argument("--signal", default="none", help="candidates added, comma-separated, or none")
    parser.add_argument("--fold-seed", type=int, default=1, help="devgroups.folds' seed (1: train_spun_model's)")
    parser.add_argument("--alone", action="store_true", help="print each candidate's own ROC AUC and stop")
    args, rest = parser.parse_known_args()
    trained = forwarded(parser, rest)
    names = [] if args.signal == "none" else args.signal.split(",")
    unknown = [n for n in names if n not in SIGNALS]
    if unknown:
        parser.error(f"unknown signal(s) {unknown}: choose from {sorted(SIGNALS)} or none")
    if "--extra" in rest or any(r.startswith("--extra=") for r in rest):
        parser.error("give the candidates with --signal")
    made = fingerprint()
    rest = measuring_only(trained, rest, "trigram", made)
    install()
    keep_fingerprint(made)
    keep_derived()
    train.group_folds = functools.partial(devgroups.folds, seed=args.fold_seed)
    if args.alone:
        started = time.perf_counter()
        data = train.collect(train.make_parser().parse_args(rest).cache)
        print(f"counts ready in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        print(json.dumps({"alone": signal_alone(data), "coverage": coverage(data)}, indent=2))
        return
    sys.argv = [sys.argv[0], *rest, *(["--extra", ",".join(names)] if names else [])]
    train.main()


if __name__ == "__main__":
    main()
