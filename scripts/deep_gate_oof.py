"""The gate's agreement with ``verdict_publishable`` under ``deep = true``, the deep stage's decision out of fold.

Measurement only (wave 15). ``bench/eval_web.py --deep`` reports the gate with the deeper spun stage in sample: its
stacked model (ten LM features, a 576-weight probe of SmolLM2's block 8 and the page model's logit) was fitted on the
very dev pages it is measured on. This script replaces the stage's decision on each dev page by the one a model that
never saw the page's fold would have made, and reports the gate that follows.

How the gate with ``deep = true`` is rebuilt from runs without it (``families/spun/shared.py``, ``_deepen``): the
stacked model replaces the page model's probability and tiers, so it decides HL107 and the *model's* HL101; the
evidence-density, odd-pair and list-free verdicts stay (an HL101 from them names them in the light run's message,
which names the page model's evidence only when no other verdict holds). HL801 reads the page model's probability and
tier (``page_spin_probability``, ``page_suspected``), the light run's, **but also counts HL108** (as spinner phrases),
and HL108 lists its rare word pairs only on a page suspected or judged spun: by the stacked model's tiers under
``deep = true``. So each page's HL108 findings are taken from a light run that suspects every page
(``suspect-threshold`` 1e-9, ``--select HL108``) and HL801 is decided again from the light run's metrics and codes with
HL108 as the stacked model's tiers list it (``verdict/evidence.py``'s own functions; HL801 is not weighed on a page
withheld already). HL107 is a warning and HL109 a suggestion (no gate effect). A page is withheld when the light run
has an error other than a page-model HL101 or HL801, or its stacked probability is at or above the verdict tier, or
HL801 decided again withholds it. Texts of 50-79 words, which the page model does not judge, are judged by the stage
with the short tiers (``data/deep_short_tiers.json``; suspect = verdict, so a short page the stage flags is withheld
by HL101 and one it does not flag keeps the light run's HL801). The two gate-labelled pages with no spun label (no
stacked model was fitted on them) take the shipped model's probability from the ``deep = true`` run, with the shipped
tiers, for (b); the light decision for (a).

Validation (``--validate``): HL801 recomputed from each light article's metrics and codes must give the probability
it reports; and with each page's in-sample stacked probability from a real ``deep = true`` run (every rule, and the
disclaimer rules off) and the shipped tiers, the rebuilt gate must match that run's gate page for page.

Out of fold: each seed's stacked probabilities and each outer fold's tiers (chosen on its training texts' inner
out-of-fold scores by ``train_deep_spun.py``'s rule) are recomputed with ``scripts/deep_probe.py``'s machinery
(candidate (a): the wave 14 model, ten LM features + page logit; (b): + the probe of ``--layer``, shipped:
``8_skip0_1024`` since wave 16) and
checked against the score files its ``--scores-out`` wrote. A short page (50-79 words) takes the shipped short tier
on its out-of-fold probability (that tier was chosen on short texts, the dev pages cut short among them:
``--short light`` instead leaves short pages as the light run judges them, for the bound).

    OPENBLAS_NUM_THREADS=1 nice -n 10 .venv/bin/python scripts/deep_gate_oof.py --runs /tmp/deepgate15_runs.json \\
        --validate --probe /tmp/probe15 --counts /tmp/lmspin/counts.pickle --scores /tmp/probe15_scores/8_skip0
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "bench"))

import eval_web  # noqa: E402

#: The runs: every rule, the disclaimer rules off, and both with HL303 and HL517 at error.
STRICT = '\n[severity]\nHL303 = "error"\nHL517 = "error"\n'
RUNS = {
    "all": ([], ""),
    "no_hl2": (["--ignore", "HL2"], ""),
    "all_strict": ([], STRICT),
    "no_hl2_strict": (["--ignore", "HL2"], STRICT),
}
#: HL108 lists its rare word pairs only on a page the spin model suspects or judges: this run suspects every page
#: the page model weighs, so each page's HL108 findings are known for when the stacked model suspects it.
FLAG_ALL = (["--select", "HL108"], "[plugins.spun]\nsuspect-threshold = 1e-9\n")
#: What HL801 counts that the deep stage changes: HL108 (counted as spinner phrases) follows the stacked model's
#: tiers, and HL801 itself is decided again.
RARE_PAIR, WEIGHT = "HL108", "HL801"
#: An HL101 message names these when a verdict other than the page model's holds (``rules/hl101_spun_article.py``).
OTHER_VERDICTS = ("points of spin evidence per 100 words", "odd pairs one synonym away", "list-free score")
DEEP_CONFIG = 'rule-timeout = 0\narticle-timeout = 0\n[plugins.spun]\ndeep = true\nswap-findings = "verdict"\n\n'
SPUN_DATA = REPO / "src" / "healthlint" / "families" / "spun" / "data"


def healthlint_runs(records: list[dict[str, Any]], healthlint: Path, deep: bool, which: list[str]) -> dict[str, Any]:
    """Each run's JSON article per page file name, as ``bench/eval_web.py`` runs healthlint."""
    pages = [eval_web.Page(i, r, f"page_{i:03d}.txt") for i, r in enumerate(records)]
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="healthlint-deepgate-") as tmp:
        folder = Path(tmp)
        for page in pages:
            (folder / page.name).write_text(page.text, encoding="utf-8", newline="")
        for name in which:
            extra, severity = RUNS[name] if name in RUNS else (FLAG_ALL[0], "")
            config = FLAG_ALL[1] if name == "flag_all" else ""
            eval_web.DEEP, eval_web.SEVERITY = (DEEP_CONFIG if deep else ""), severity
            print(f"  healthlint run {name} (deep {deep})", file=sys.stderr, flush=True)
            out[name] = eval_web.run(pages, healthlint, folder, config, extra)
    return out


def light_state(article: dict[str, Any], rare_pairs: dict[str, Any]) -> dict[str, Any]:
    """What the gate with ``deep = true`` keeps of a light run's article (``rare_pairs``: the flag-all run's)."""
    errors = [f for f in article["findings"] if f["severity"] == "error"]
    model_hl101 = [
        f for f in errors if f["code"] == "HL101" and not any(marker in f["message"] for marker in OTHER_VERDICTS)
    ]
    kept = sorted({f["code"] for f in errors if f not in model_hl101 and f["code"] != WEIGHT})
    metrics = article.get("metrics", {})
    spun = metrics.get("spun") or {}
    english = "skipped" not in spun
    words = int(metrics.get("words") or 0)
    return {
        "kept_errors": kept,
        "model_hl101": bool(model_hl101),
        "weight_error": any(f["code"] == WEIGHT for f in errors),
        "long": spun.get("spin_probability") is not None,
        "short": english and spun.get("spin_probability") is None and 50 <= words < 80,
        "metrics": metrics,
        "codes": [f["code"] for f in article["findings"] if f["code"] not in (RARE_PAIR, WEIGHT)],
        "rare_pairs": [f["code"] for f in rare_pairs["findings"] if f["code"] == RARE_PAIR],
    }


def weighs(state: dict[str, Any], flagged: bool) -> bool:
    """HL801 as the deep run decides it: the light run's inputs, with HL108 as the stacked model's tiers list it."""
    from healthlint.families.verdict.evidence import features, shipped_model

    metrics = state["metrics"]
    if "weight_of_evidence" not in metrics:
        return False  # not weighed (too short, or an input code not selected)
    model = shipped_model()
    codes = state["codes"] + (state["rare_pairs"] if flagged else [])
    return model.probability(features(metrics, codes)) >= model.threshold


def withheld(state: dict[str, Any], p: float | None, tiers: tuple[float, float] | None) -> tuple[bool, str]:
    """The gate with ``deep = true``, and what withholds the page: an error it keeps, the stacked model's verdict
    (HL101), or HL801 decided again; the light decision where the stage does not judge the page."""
    if state["kept_errors"]:
        return True, ", ".join(state["kept_errors"])
    if p is None or tiers is None:
        if state["model_hl101"]:
            return True, "HL101"
        return state["weight_error"], WEIGHT
    suspect, verdict = tiers
    if p >= verdict:
        return True, "HL101 (stacked model)"
    if state["short"]:
        return state["weight_error"], WEIGHT  # unflagged: no HL107 or HL108 on a short page, HL801 as in the light run
    weight = weighs(state, p >= suspect)
    return weight, WEIGHT if weight == state["weight_error"] else f"{WEIGHT} (by the stacked tiers' {RARE_PAIR})"


def check_weights(light: dict[str, Any]) -> int:
    """HL801 recomputed from each light article's metrics and codes must give its reported probability."""
    from healthlint.families.verdict.evidence import features, shipped_model

    model, bad = shipped_model(), 0
    for run, articles in light.items():
        for name, article in articles.items():
            woe = article.get("metrics", {}).get("weight_of_evidence")
            if woe is None:
                continue
            p = model.probability(features(article["metrics"], [f["code"] for f in article["findings"]]))
            if round(p, 3) != woe["probability"]:
                bad += 1
                print(f"  HL801 {run} {name}: recomputed {p:.3f}, reported {woe['probability']}")
    print(f"HL801 recomputed from the light runs' metrics and codes: {bad} differ")
    return bad


def validate(records: list[dict[str, Any]], light: dict[str, Any], deep: dict[str, Any]) -> int:
    """Rebuild the in-sample deep gate from the light runs and the deep run's probabilities; list every mismatch."""
    model = json.loads((SPUN_DATA / "deep_spun_model.json").read_text(encoding="utf-8"))
    short = json.loads((SPUN_DATA / "deep_short_tiers.json").read_text(encoding="utf-8"))
    gold = {f"page_{i:03d}.txt": r["labels"]["verdict_publishable"] for i, r in enumerate(records)}
    bad = 0
    for run in deep:
        agree_real = agree_rebuilt = mismatches = 0
        for name, article in deep[run].items():
            state = light_state(light[run][name], light["flag_all"][name])
            spun = article.get("metrics", {}).get("spun") or {}
            p = spun.get("spin_probability")
            tiers = None
            if p is not None and state["long"]:
                tiers = (float(model["suspect"]), float(model["verdict"]))
            elif p is not None and state["short"]:
                tiers = (float(short["suspect"]), float(short["verdict"]))
            rebuilt = not withheld(state, p, tiers)[0]
            real = bool(article["passed"])
            if gold[name] is not None:
                agree_real += real == gold[name]
                agree_rebuilt += rebuilt == gold[name]
            if rebuilt != real:
                mismatches += 1
                codes = sorted({f["code"] for f in article["findings"] if f["severity"] == "error"})
                print(f"  {run} {name}: rebuilt {'pass' if rebuilt else 'withheld'}, real {codes or 'pass'}, p {p}")
        print(f"validate {run}: real deep gate {agree_real}, rebuilt {agree_rebuilt}; {mismatches} pages differ")
        bad += mismatches
    return bad


Tiers = tuple[float, float]


def fold_scores(args: argparse.Namespace, seed: int) -> dict[str, tuple[dict[str, float], dict[str, Tiers]]]:
    """Per candidate: each dev page's (by url) out-of-fold stacked probability and its outer fold's tiers (suspect,
    verdict), chosen on the inner out-of-fold scores of the fold's training texts."""
    import deep_swap_share as share
    from devgroups import folds as group_folds
    from lm_spin_features import FEATURES, FOLDS, stacked_inputs, stage_text
    from train_deep_spun import ProbeFit, Stack, lm_rows, probe_vectors, tiers
    from train_spun_model import collect

    from healthlint.families.spun.deep import TOKENS

    _indices, recs, openings = share.texts()
    # As the stage reads each text (the caches are keyed by it since textfit15).
    texts = [stage_text(r["text"]) for r in recs] + [stage_text(t) for _, _, t in openings]
    x = np.array([[row["features"][name] for name in FEATURES] for row in lm_rows(args.lmspin, TOKENS, texts)])
    v = probe_vectors(args.probe, texts, args.layer)
    dy = np.array([bool(r["labels"]["spun"]) for r in recs])
    dfold = np.array(group_folds(recs, FOLDS, seed=seed, positive=list(dy)))
    base, y, fold, base_x, dev, eligible = stacked_inputs(collect(args.counts), dy, dfold, openings)
    opening = ~dev
    n = len(texts)
    empty: list[list[list[float]]] = [[] for _ in range(n)]
    rule = argparse.Namespace(verdict=(0.95, 0.0075), suspect=(0.90, 0.0075))
    out = {}
    probe = ProbeFit(v, y.astype(float), fold, 0, None)
    for key, stack in (
        ("a", Stack(x, empty, (y, fold), (base, base_x), None)),
        ("b", Stack(x, empty, (y, fold), (base, base_x), None, probe)),
    ):
        oof = stack.oof()
        outer = {}
        for k in range(FOLDS):
            inner, train = stack.oof(frozenset({k})), fold != k
            outer[k] = tiers(inner[train], y[train], eligible[train], opening[train], rule)
        stored = json.loads((args.scores / f"{key}-{seed}.json").read_text(encoding="utf-8"))
        diff = float(np.abs(np.array(stored["scores"]) - oof[dev]).max())
        same_urls = stored["urls"] == [r["url"] for r in recs]
        print(
            f"  seed {seed} ({key}): against {key}-{seed}.json max abs difference {diff:.2g}, urls equal {same_urls};"
            f" outer (suspect, verdict) tiers {[tuple(round(t, 3) for t in outer[k]) for k in range(FOLDS)]}",
            file=sys.stderr,
            flush=True,
        )
        urls = [r["url"] for r in recs]
        out[key] = (
            {u: float(p) for u, p in zip(urls, oof[dev], strict=True)},
            {u: (float(outer[int(f)][0]), float(outer[int(f)][1])) for u, f in zip(urls, dfold, strict=True)},
        )
    return out


def gate(
    records: list[dict[str, Any]],
    light: dict[str, Any],
    scores: dict[str, float],
    tiers_of: dict[str, Tiers],
    short_tiers: Tiers | None,
    fallback: tuple[dict[str, float | None], Tiers] | None,
) -> dict[str, dict[str, Any]]:
    """Per run: agreement with ``verdict_publishable``, pages passed, and the disagreements by kind.

    ``scores``/``tiers_of``: the stacked probability and tiers per url (empty: the light gate); ``short_tiers``: those
    of short pages (None: short pages as the light run judges them); ``fallback``: probabilities (per file) and tiers
    for pages without a score of their own (the pages with no spun label, which no stacked model was fitted on)."""
    result = {}
    for run in RUNS:
        agree = passed_n = n = 0
        kinds: Counter[str] = Counter()
        decided: Counter[str] = Counter()  # pages withheld only by the spin verdict or HL801, by label
        for i, r in enumerate(records):
            g = r["labels"]["verdict_publishable"]
            if g is None:
                continue
            name = f"page_{i:03d}.txt"
            state = light_state(light[run][name], light["flag_all"][name])
            url = r["url"]
            p: float | None = None
            tiers: Tiers | None = None
            if scores:
                if url in scores:
                    p = scores[url]
                    tiers = tiers_of[url] if state["long"] else short_tiers if state["short"] else None
                elif fallback is not None and fallback[0].get(name) is not None:
                    p = fallback[0][name]
                    tiers = fallback[1] if state["long"] else short_tiers if state["short"] else None
            w, why = withheld(state, p, tiers)
            if w and not state["kept_errors"]:
                decided[f"{why}, {'publishable' if g else 'not publishable'}"] += 1
            n += 1
            passed_n += not w
            if (not w) == bool(g):
                agree += 1
                continue
            if not w:
                labels = r["labels"]
                kind = "spun passed" if labels.get("spun") else "spam passed" if labels.get("spam") else "other passed"
            else:
                kind = "good withheld by " + why
            kinds[kind] += 1
        result[run] = {"agree": agree, "of": n, "passed": passed_n, "kinds": kinds, "decided": decided}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=Path, default=eval_web.PAGES)
    parser.add_argument("--healthlint", type=Path, default=REPO / ".venv" / "bin" / "healthlint")
    parser.add_argument("--runs", type=Path, required=True, help="the healthlint runs' JSON (made when missing)")
    parser.add_argument("--validate", action="store_true", help="also run deep = true and rebuild its gate")
    parser.add_argument("--probe", type=Path, default=Path("/tmp/probe15"), help="deep_probe.py --score's cache")
    parser.add_argument("--lmspin", type=Path, default=Path("/tmp/lmspin"))
    parser.add_argument("--counts", type=Path, default=Path("/tmp/lmspin/counts.pickle"))
    parser.add_argument("--scores", type=Path, default=Path("/tmp/probe15_scores/8_skip0"), help="--scores-out's")
    parser.add_argument("--layer", default="8_skip0")
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--short", choices=["tier", "light"], default="tier", help="how short pages are judged")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()

    records = [json.loads(line) for line in args.pages.read_text(encoding="utf-8").splitlines() if line.strip()]
    runs: dict[str, Any] = json.loads(args.runs.read_text(encoding="utf-8")) if args.runs.is_file() else {}
    wanted = [name for name in (*RUNS, "flag_all") if name not in runs.setdefault("light", {})]
    if wanted:
        runs["light"] |= healthlint_runs(records, args.healthlint, False, wanted)
        args.runs.write_text(json.dumps(runs), encoding="utf-8")
    if args.validate and "deep" not in runs:
        runs["deep"] = healthlint_runs(records, args.healthlint, True, ["all", "no_hl2"])
        args.runs.write_text(json.dumps(runs), encoding="utf-8")
    light = runs["light"]
    model = json.loads((SPUN_DATA / "deep_spun_model.json").read_text(encoding="utf-8"))
    short = json.loads((SPUN_DATA / "deep_short_tiers.json").read_text(encoding="utf-8"))
    shipped_tiers = (float(model["suspect"]), float(model["verdict"]))
    short_tiers = (float(short["suspect"]), float(short["verdict"])) if args.short == "tier" else None

    table: dict[str, Any] = {"light (deep = false)": gate(records, light, {}, {}, None, None)}
    fallback = None
    if "deep" in runs:
        if args.validate:
            check_weights({k: v for k, v in light.items() if k in RUNS})
            validate(records, light, runs["deep"])
        # each page's in-sample stacked probability, from the deep run (rounded to 3 places in its metrics)
        insample = {
            name: (article.get("metrics", {}).get("spun") or {}).get("spin_probability")
            for name, article in runs["deep"]["all"].items()
        }
        fallback = (insample, shipped_tiers)
        by_url = {r["url"]: insample[f"page_{i:03d}.txt"] for i, r in enumerate(records)}
        scores = {u: float(p) for u, p in by_url.items() if p is not None}
        table["shipped (b), in sample, shipped tiers"] = gate(
            records, light, scores, dict.fromkeys(scores, shipped_tiers), short_tiers, fallback
        )
    for seed in (int(s) for s in args.seeds.split(",")):
        per = fold_scores(args, seed)
        for key, label in (("a", "wave 14 (a)"), ("b", "shipped (b)")):
            scores, tiers_of = per[key]
            back = fallback if key == "b" else None  # the wave 14 model's own in-sample scores are not at hand
            table[f"{label}, out of fold, seed {seed}"] = gate(records, light, scores, tiers_of, short_tiers, back)

    print(f"\n{'model':<44} {'all':>8} {'no HL2':>8} {'strict':>8} {'strict, no HL2':>15}  passed")
    for label, res in table.items():
        cells = [f"{res[r]['agree']}/{res[r]['of']}" for r in RUNS]
        print(f"{label:<44} {cells[0]:>8} {cells[1]:>8} {cells[2]:>8} {cells[3]:>15}  {res['all']['passed']}")
    for label, res in table.items():
        print(f"\n{label}: disagreements")
        for run in RUNS:
            print(f"  {run}: " + "; ".join(f"{k} {v}" for k, v in sorted(res[run]["kinds"].items())))
            print("    withheld only by: " + "; ".join(f"{k} {v}" for k, v in sorted(res[run]["decided"].items())))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    k: {r: {**v, "kinds": dict(v["kinds"]), "decided": dict(v["decided"])} for r, v in res.items()}
                    for k, res in table.items()
                }
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
