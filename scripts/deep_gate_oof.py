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

HL801 with the deep stage (``--hl801``, wave 16, measurement only: not shipped). Where the stage judges a page, HL801
is decided again by weights of its own fitted on deep runs: the stacked probability and its suspected tier stand for
the page model's, HL108 counts as the stacked tiers list it, HL517's inputs are out of fold (``train_gate_model.py``'s
``oof_spam`` on the same folds). Inside each outer fold (the stacked model's folds for the seed; a page with no spun
label: index mod 5) L2 and the threshold are chosen on the training folds' articles the deep gate passes before HL801
(``train_gate_model.py``'s ``choose``: the dev pages with their out-of-fold stacked probabilities, and the clean
documents of 80+ words the stage judges, with the shipped stacked model's probabilities from ``deep_clean_corpora.py
--inputs``; the clean guard per corpus, no NIH page; ``--max-good N``: at most N publishable training pages newly
withheld, default 0, -1 for no bound). Reported beside wave 15's HL801 (the light weights on the page model's
probability) and the light weights on the stacked probability; per variant the pages it adds and removes against
wave 15's HL801 by kind, and the clean documents it newly withholds per corpus.

    OPENBLAS_NUM_THREADS=1 nice -n 10 .venv/bin/python scripts/deep_gate_oof.py --runs /tmp/deepgate15_runs.json \\
        --validate --probe /tmp/probe15 --counts /tmp/lmspin/counts.pickle --scores /tmp/probe15_scores/8_skip0

With the stage's caches of textfit15 (or new ones: the same flags on new caches re-run the whole measurement) and
the clean documents' inputs:

    OPENBLAS_NUM_THREADS=1 nice -n 10 .venv/bin/python scripts/deep_clean_corpora.py --inputs /tmp/clean.jsonl
    OPENBLAS_NUM_THREADS=1 nice -n 10 .venv/bin/python scripts/deep_gate_oof.py --runs /tmp/gate_runs.json \\
        --probe /tmp/probe_rt --lmspin /tmp/lmspin_rt --counts /tmp/lmspin_rt/counts.pickle \\
        --hl801 --gate-cache /tmp/gatecache --clean-inputs /tmp/clean.jsonl [--max-good -1]
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
Tiers = tuple[float, float]


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


def clean_flag_all(texts: list[str], healthlint: Path) -> dict[str, Any]:
    """The flag-all run (``FLAG_ALL``) over the clean documents, per ``doc_NNNN.txt``: each document's HL108 findings
    for when the stacked model suspects it."""
    with tempfile.TemporaryDirectory(prefix="healthlint-deepgate-clean-") as tmp:
        folder = Path(tmp)
        for i, text in enumerate(texts):
            (folder / f"doc_{i:04d}.txt").write_text(text, encoding="utf-8", newline="")
        eval_web.DEEP, eval_web.SEVERITY = "", ""
        print("  healthlint run flag_all (clean documents)", file=sys.stderr, flush=True)
        pages = [eval_web.Page(i, {"text": t}, f"doc_{i:04d}.txt") for i, t in enumerate(texts)]
        return eval_web.run(pages, healthlint, folder, FLAG_ALL[1], FLAG_ALL[0])


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


def withheld(
    state: dict[str, Any], p: float | None, tiers: tuple[float, float] | None, hl801: bool | None = None
) -> tuple[bool, str]:
    """The gate with ``deep = true``, and what withholds the page: an error it keeps, the stacked model's verdict
    (HL101), or HL801 decided again; the light decision where the stage does not judge the page. ``hl801``: HL801's
    decision on a page the stage judges, from another model of it (None: the light weights, as shipped in wave 15)."""
    if state["kept_errors"]:
        return True, ", ".join(state["kept_errors"])
    if p is None or tiers is None:
        if state["model_hl101"]:
            return True, "HL101"
        return state["weight_error"], WEIGHT
    suspect, verdict = tiers
    if p >= verdict:
        return True, "HL101 (stacked model)"
    if hl801 is not None:
        return hl801, WEIGHT if hl801 == state["weight_error"] else f"{WEIGHT} (deep weights)"
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


def fold_scores(
    args: argparse.Namespace, seed: int
) -> dict[str, tuple[dict[str, float], dict[str, Tiers], dict[str, int]]]:
    """Per candidate: each dev page's (by url) out-of-fold stacked probability, its outer fold's tiers (suspect,
    verdict), chosen on the inner out-of-fold scores of the fold's training texts, and its outer fold."""
    import deep_swap_share as share
    from devgroups import folds as group_folds
    from lm_spin_features import FEATURES, FOLDS, stacked_inputs, stage_text
    from train_deep_spun import ProbeFit, Stack, lm_rows, probe_vectors, tiers
    from train_spun_model import collect

    from healthlint.families.spun.deep import TOKENS

    _indices, recs, openings = share.texts()
    # the text the stage reads (textfit15), as deep_probe.py and train_deep_spun.py key their caches
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
        check = ""
        if args.scores is not None:
            stored = json.loads((args.scores / f"{key}-{seed}.json").read_text(encoding="utf-8"))
            diff = float(np.abs(np.array(stored["scores"]) - oof[dev]).max())
            same_urls = stored["urls"] == [r["url"] for r in recs]
            check = f" against {key}-{seed}.json max abs difference {diff:.2g}, urls equal {same_urls};"
        print(
            f"  seed {seed} ({key}):{check}"
            f" outer (suspect, verdict) tiers {[tuple(round(t, 3) for t in outer[k]) for k in range(FOLDS)]}",
            file=sys.stderr,
            flush=True,
        )
        urls = [r["url"] for r in recs]
        out[key] = (
            {u: float(p) for u, p in zip(urls, oof[dev], strict=True)},
            {u: (float(outer[int(f)][0]), float(outer[int(f)][1])) for u, f in zip(urls, dfold, strict=True)},
            {u: int(f) for u, f in zip(urls, dfold, strict=True)},
        )
    return out


def gate(
    records: list[dict[str, Any]],
    light: dict[str, Any],
    scores: dict[str, float],
    tiers_of: dict[str, Tiers],
    short_tiers: Tiers | None,
    fallback: tuple[dict[str, float | None], Tiers] | None,
    hl801: dict[str, bool] | None = None,
) -> dict[str, dict[str, Any]]:
    """Per run: agreement with ``verdict_publishable``, pages passed, and the disagreements by kind.

    ``scores``/``tiers_of``: the stacked probability and tiers per url (empty: the light gate); ``short_tiers``: those
    of short pages (None: short pages as the light run judges them); ``fallback``: probabilities (per file) and tiers
    for pages without a score of their own (the pages with no spun label, which no stacked model was fitted on);
    ``hl801``: HL801's decision per file where the stage judges the page (None: the light weights).
    Also per run: the pages HL801 withholds that nothing else does, by kind (``hl801_kinds``)."""
    result = {}
    for run in RUNS:
        agree = passed_n = n = 0
        kinds: Counter[str] = Counter()
        decided: Counter[str] = Counter()  # pages withheld only by the spin verdict or HL801, by label
        by_weight: Counter[str] = Counter()  # pages withheld by HL801 alone, by kind
        pages: dict[str, tuple[bool, str]] = {}  # per page: withheld, its kind
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
            w, why = withheld(state, p, tiers, None if hl801 is None else hl801.get(name))
            labels = r["labels"]
            pages[name] = (
                w,
                "publishable" if g else "spun" if labels.get("spun") else "spam" if labels.get("spam") else "other",
            )
            if w and why.startswith(WEIGHT):
                by_weight[pages[name][1]] += 1
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
        result[run] = {
            "agree": agree,
            "of": n,
            "passed": passed_n,
            "kinds": kinds,
            "decided": decided,
            "hl801_kinds": by_weight,
            "pages": pages,
        }
    return result


# HL801 when the deep stage has run (wave 16): weights fitted on deep runs, nested out of fold.


def stage_features(
    state: dict[str, Any], p: float, suspect: float, spam: tuple[float, int] | None = None
) -> list[float]:
    """HL801's inputs where the deep stage judges the article, as ``verdict/evidence.py`` reads them at run time
    with ``deep = true``: the stacked probability for the spin input, HL107 at the stacked suspected tier, HL108 (as
    spinner phrases) only when the stacked model suspects the page; ``spam``: HL517's inputs out of fold (None: the
    shipped ones the light run reports)."""
    from healthlint.families.verdict.evidence import features

    codes = [c for c in state["codes"] if c != "HL107"] + (state["rare_pairs"] if p >= suspect else [])
    inputs = {"spin_probability": p, "suspect": suspect}
    if spam is not None:
        inputs |= {"spam_score": spam[0], "spam_units": float(spam[1])}
    return features(state["metrics"], codes, inputs)


def clean_states(linted: dict[str, Any], flag_all: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Each clean document's light states (every rule, the disclaimer rules off) from ``train_gate_model.py``'s
    linted cache (``--ignore HL6,HL8``) and the clean flag-all run."""
    out = []
    for i, article in enumerate(linted["clean"]):
        findings = [{"code": c, "severity": v, "message": m} for c, v, m in article["findings"]]
        full = {"findings": findings, "metrics": article["metrics"]}
        off = {"findings": [f for f in findings if not f["code"].startswith("HL2")], "metrics": article["metrics"]}
        rare = flag_all[f"doc_{i:04d}.txt"]
        out.append((light_state(full, rare), light_state(off, rare)))
    return out


def stage_fit_data(
    records: list[dict[str, Any]],
    light: dict[str, Any],
    judged: dict[str, tuple[float, Tiers, int]],
    clean: list[tuple[dict[str, Any], dict[str, Any]]],
    clean_p: list[float | None],
    sources: list[str],
    shipped_tiers: Tiers,
    spam: tuple[list[tuple[float, int]], list[tuple[float, int]]],
) -> tuple[Any, list[str]]:
    """``train_gate_model.Data`` of the articles the deep stage judges: the gate-labelled dev pages (``judged``: file
    name -> out-of-fold stacked probability, its fold's tiers, its fold) and the clean documents (``clean_p``: the
    shipped stacked model's probability, None where the stage does not judge the document; fold: index mod 5);
    ``passed``: the deep gate passes it before HL801. Also each row's file name (``page_NNN.txt``, ``doc_NNNN.txt``)."""
    import train_gate_model as tg

    x, y, dev, passed, passed_off, source, fold, pages, names = [], [], [], [], [], [], [], [], []
    for i, r in enumerate(records):
        name = f"page_{i:03d}.txt"
        g = r["labels"]["verdict_publishable"]
        if g is None or name not in judged:
            continue
        p, tiers, k = judged[name]
        full = light_state(light["all"][name], light["flag_all"][name])
        off = light_state(light["no_hl2"][name], light["flag_all"][name])
        x.append(stage_features(full, p, tiers[0], spam[0][i]))
        y.append(not g)
        dev.append(True)
        passed.append(not withheld(full, p, tiers, False)[0])
        passed_off.append(not withheld(off, p, tiers, False)[0])
        source.append("dev")
        fold.append(k)
        pages.append(r)
        names.append(name)
    for i, ((full, off), p) in enumerate(zip(clean, clean_p, strict=True)):
        if p is None or not full["long"]:
            continue  # the stage judges only texts of 80+ words here (the short ones' inputs are not at hand)
        x.append(stage_features(full, p, shipped_tiers[0], spam[1][i]))
        y.append(False)
        dev.append(False)
        passed.append(not withheld(full, p, shipped_tiers, False)[0])
        passed_off.append(not withheld(off, p, shipped_tiers, False)[0])
        source.append(sources[i])
        fold.append(i % tg.FOLDS)
        names.append(f"doc_{i:04d}.txt")
    data = tg.Data(
        x=np.array(x),
        y=np.array(y, dtype=int),
        dev=np.array(dev),
        passed=np.array(passed),
        passed_off=np.array(passed_off),
        source=source,
        fold=np.array(fold, dtype=int),
        group_pages=pages,
    )
    return data, names


def stage_oof(data: Any) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """HL801's out-of-fold probabilities and thresholds on ``data``, refitted without each outer fold with L2 and the
    threshold chosen inside the fold as ``train_gate_model.py`` does (per-corpus clean guard, dev weight 4, faults'
    weights >= 0); and one line per fold."""
    import train_gate_model as tg
    from logistic import probability

    from healthlint.families.verdict.evidence import FAULTS, FEATURES

    nonneg = np.array([name in FAULTS for name in FEATURES])
    oof, thresholds, lines = np.zeros(len(data.y)), np.zeros(len(data.y)), []
    for k in range(tg.FOLDS):
        train = data.subset((data.fold != k) & data.passed)
        totals = Counter(s for s, f, d in zip(data.source, data.fold != k, data.dev, strict=True) if f and not d)
        l2, t = tg.choose(train, tg.L2_CHOICES, DEV_WEIGHT, MAX_CLEAN, totals, nonneg, MAX_GOOD)
        mean, scale, model = tg.refit(train, l2, DEV_WEIGHT, nonneg)
        held = data.fold == k
        oof[held] = probability((data.x[held] - mean) / scale, model)
        thresholds[held] = t
        lines.append(f"fold {k}: L2 {l2:g}, threshold {t:.2f}")
    return oof, thresholds, lines


class StageInputs:
    """What HL801's fit on deep runs reads besides the dev pages' light runs: the clean documents' light runs
    (``train_gate_model.py``'s cache), their flag-all run (kept in the runs file) and the shipped stacked model's
    probability of each (``deep_clean_corpora.py --inputs``)."""

    def __init__(self, args: argparse.Namespace, runs: dict[str, Any], records: list[dict[str, Any]]) -> None:
        import train_gate_model as tg
        import train_spun_model as spun

        if args.gate_cache is None or args.clean_inputs is None:
            raise SystemExit("--hl801 needs --gate-cache and --clean-inputs")
        self.args, self.records, self.light = args, records, runs["light"]
        self.linted = tg.collect(args.gate_cache, args.healthlint, 2)
        self.texts = [text for _, text in spun.clean_documents()]
        if "clean_flag_all" not in runs:
            found = clean_flag_all(self.texts, args.healthlint)
            runs["clean_flag_all"] = {
                name: {"findings": [f for f in a["findings"] if f["code"] == RARE_PAIR]} for name, a in found.items()
            }
            args.runs.write_text(json.dumps(runs), encoding="utf-8")
        self.clean = clean_states(self.linted, runs["clean_flag_all"])
        self.sources: list[str] = self.linted["sources"]
        import deep_swap_share as share

        # the clean documents whose openings (cut to a dev page's length) the stacked model was fitted on
        self.openings = {i for i, _, _ in share.texts()[2]}
        offset: dict[str, int] = {}
        for i, source in enumerate(self.sources):
            offset.setdefault(source, i)
        self.clean_p: list[float | None] = [None] * len(self.sources)
        lines = [
            json.loads(line)
            for path in sorted(args.clean_inputs.parent.glob(args.clean_inputs.name + ".*"))
            for line in path.read_text(encoding="utf-8").splitlines()
        ]
        for row in lines:
            name, i = row["doc"]
            if "p" in row:
                self.clean_p[offset[name.split("/", 1)[1]] + int(i)] = float(row["p"])
        missing = sum(1 for (full, _), p in zip(self.clean, self.clean_p, strict=True) if full["long"] and p is None)
        if missing:
            raise SystemExit(f"{args.clean_inputs}: {missing} clean documents of 80+ words have no stacked probability")
        model = json.loads((SPUN_DATA / "deep_spun_model.json").read_text(encoding="utf-8"))
        self.tiers = (float(model["suspect"]), float(model["verdict"]))

    def judged(
        self,
        scores: dict[str, float],
        tiers_of: dict[str, Tiers],
        folds: dict[str, int],
        short_tiers: Tiers | None,
        fallback: tuple[dict[str, float | None], Tiers] | None,
    ) -> dict[str, tuple[float, Tiers, int]]:
        """The gate-labelled dev pages the stage judges (as ``gate`` decides it): file name -> out-of-fold stacked
        probability, its tiers, its outer fold (a page with no spun label: the shipped model's, fold index mod 5)."""
        out = {}
        for i, r in enumerate(self.records):
            name = f"page_{i:03d}.txt"
            state = light_state(self.light["all"][name], self.light["flag_all"][name])
            tiers = None
            if r["url"] in scores:
                p, fold = scores[r["url"]], folds[r["url"]]
                tiers = tiers_of[r["url"]] if state["long"] else short_tiers if state["short"] else None
            elif fallback is not None and fallback[0].get(name) is not None:
                p, fold = float(fallback[0][name] or 0.0), i % FOLDS_OF_GATE
                tiers = fallback[1] if state["long"] else short_tiers if state["short"] else None
            if tiers is not None:
                out[name] = (p, tiers, fold)
        return out

    def data(self, judged: dict[str, tuple[float, Tiers, int]], folds: dict[str, int]) -> tuple[Any, list[str]]:
        """``stage_fit_data`` with HL517's inputs out of fold on the same folds."""
        import train_gate_model as tg

        fold_list = [folds.get(r["url"], i % FOLDS_OF_GATE) for i, r in enumerate(self.records)]
        spam = tg.oof_spam(self.records, fold_list, self.texts)
        return stage_fit_data(
            self.records, self.light, judged, self.clean, self.clean_p, self.sources, self.tiers, spam
        )

    def hl801(
        self, judged: dict[str, tuple[float, Tiers, int]], folds: dict[str, int], seed: int
    ) -> tuple[dict[str, bool], dict[str, bool], dict[str, Counter[str]]]:
        """HL801's decision on each judged page: the light weights on the stacked input, and weights fitted on deep
        runs out of fold; and the clean documents each (and wave 15's HL801) newly withholds, per corpus."""
        from healthlint.families.verdict.evidence import shipped_model

        model = shipped_model()
        data, names = self.data(judged, folds)
        oof, thresholds, lines = stage_oof(data)
        print(f"  HL801 deep weights, seed {seed}: " + "; ".join(lines), file=sys.stderr, flush=True)
        light_weights, deep_weights = {}, {}
        for j in np.flatnonzero(data.dev):
            name = names[j]
            p, tiers, _ = judged[name]
            state = light_state(self.light["all"][name], self.light["flag_all"][name])
            light_weights[name] = model.probability(stage_features(state, p, tiers[0])) >= model.threshold
            deep_weights[name] = bool(oof[j] >= thresholds[j])
        clean: dict[str, Counter[str]] = {"wave 15": Counter(), "light weights, stacked input": Counter()}
        clean["deep weights, nested oof"] = Counter()
        for (full, _), p, source in zip(self.clean, self.clean_p, self.sources, strict=True):
            if p is None or not full["long"] or withheld(full, p, self.tiers, False)[0]:
                continue
            clean["wave 15"][source] += weighs(full, p >= self.tiers[0])
            clean["light weights, stacked input"][source] += (
                model.probability(stage_features(full, p, self.tiers[0])) >= model.threshold
            )
        clean_rows = ~data.dev & data.passed
        clean["deep weights, nested oof: of them, an opening the stacked model was fitted on"] = Counter()
        for j in np.flatnonzero(clean_rows):
            clean["deep weights, nested oof"][data.source[j]] += bool(oof[j] >= thresholds[j])
            trained = int(names[j][4:8]) in self.openings
            clean["deep weights, nested oof: of them, an opening the stacked model was fitted on"][data.source[j]] += (
                bool(oof[j] >= thresholds[j]) and trained
            )
        passed = Counter(data.source[j] for j in np.flatnonzero(clean_rows))
        clean["passed before HL801 (of those judged)"] = passed
        return light_weights, deep_weights, clean


#: Outer folds of the pages no stacked model was fitted on (no spun label): their index mod this.
FOLDS_OF_GATE = 5


#: ``train_gate_model.py``'s defaults; and the threshold may newly withhold no publishable dev page of the training
#: folds (the light fit has no such bound): ``--max-good N`` allows N, ``-1`` lifts the bound.
DEV_WEIGHT, MAX_CLEAN = 4.0, 0.015
MAX_GOOD: int | None = 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=Path, default=eval_web.PAGES)
    parser.add_argument("--healthlint", type=Path, default=REPO / ".venv" / "bin" / "healthlint")
    parser.add_argument("--runs", type=Path, required=True, help="the healthlint runs' JSON (made when missing)")
    parser.add_argument("--validate", action="store_true", help="also run deep = true and rebuild its gate")
    parser.add_argument("--probe", type=Path, default=Path("/tmp/probe15"), help="deep_probe.py --score's cache")
    parser.add_argument("--lmspin", type=Path, default=Path("/tmp/lmspin"))
    parser.add_argument("--counts", type=Path, default=Path("/tmp/lmspin/counts.pickle"))
    parser.add_argument("--scores", type=Path, help="deep_probe.py --scores-out's files, to check the scores against")
    parser.add_argument("--layer", default="8_skip0")
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--short", choices=["tier", "light"], default="tier", help="how short pages are judged")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument(
        "--hl801",
        action="store_true",
        help="also fit HL801's weights for the deep stage inside the folds (needs --gate-cache and --clean-inputs)",
    )
    parser.add_argument("--gate-cache", type=Path, help="train_gate_model.py --cache's directory (the clean runs)")
    parser.add_argument("--clean-inputs", type=Path, help="deep_clean_corpora.py --inputs's file (shipped model)")
    parser.add_argument(
        "--max-good", type=int, default=0, help="publishable training pages HL801 may newly withhold (-1: any)"
    )
    args = parser.parse_args()
    global MAX_GOOD
    MAX_GOOD = None if args.max_good < 0 else args.max_good

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
    clean_table: dict[int, dict[str, Counter[str]]] = {}
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
    stage = StageInputs(args, runs, records) if args.hl801 else None
    for seed in (int(s) for s in args.seeds.split(",")):
        per = fold_scores(args, seed)
        for key, label in (("a", "wave 14 (a)"), ("b", "shipped (b)")):
            scores, tiers_of, folds = per[key]
            back = fallback if key == "b" else None  # the wave 14 model's own in-sample scores are not at hand
            table[f"{label}, out of fold, seed {seed}"] = gate(records, light, scores, tiers_of, short_tiers, back)
            if stage is None or key != "b":
                continue
            judged = stage.judged(scores, tiers_of, folds, short_tiers, fallback)
            light_weights, deep_weights, clean_rows = stage.hl801(judged, folds, seed)
            table[f"{label} + HL801 light weights, stacked input, seed {seed}"] = gate(
                records, light, scores, tiers_of, short_tiers, back, light_weights
            )
            table[f"{label} + HL801 deep weights, nested oof, seed {seed}"] = gate(
                records, light, scores, tiers_of, short_tiers, back, deep_weights
            )
            clean_table[seed] = clean_rows

    print(f"\n{'model':<44} {'all':>8} {'no HL2':>8} {'strict':>8} {'strict, no HL2':>15}  passed")
    for label, res in table.items():
        cells = [f"{res[r]['agree']}/{res[r]['of']}" for r in RUNS]
        print(f"{label:<44} {cells[0]:>8} {cells[1]:>8} {cells[2]:>8} {cells[3]:>15}  {res['all']['passed']}")
    for label, res in table.items():
        print(f"\n{label}: disagreements")
        for run in RUNS:
            print(f"  {run}: " + "; ".join(f"{k} {v}" for k, v in sorted(res[run]["kinds"].items())))
            print("    withheld only by: " + "; ".join(f"{k} {v}" for k, v in sorted(res[run]["decided"].items())))
    for seed, rows in clean_table.items():
        print(f"\nclean documents the deep stage judges, newly withheld by HL801 (seed {seed}):")
        for variant, counts in rows.items():
            print(f"  {variant}: " + "; ".join(f"{k} {v}" for k, v in counts.items()))
    for label, res in table.items():
        if "HL801" in label or "out of fold" in label:
            cells = ["; ".join(f"{k} {v}" for k, v in sorted(res[r]["hl801_kinds"].items())) for r in RUNS]
            print(f"HL801 withholds, by kind ({label}): " + " | ".join(cells))
    for label, res in table.items():
        if "HL801" not in label:
            continue
        base = table[label.split(" + HL801")[0] + ", out of fold, seed " + label.rsplit(" ", 1)[1]]
        cells = []
        for run in RUNS:
            added = Counter(k for n, (w, k) in res[run]["pages"].items() if w and not base[run]["pages"][n][0])
            removed = Counter(k for n, (w, k) in res[run]["pages"].items() if not w and base[run]["pages"][n][0])
            cells.append(
                "+("
                + ", ".join(f"{k} {v}" for k, v in sorted(added.items()))
                + ") -("
                + ", ".join(f"{k} {v}" for k, v in sorted(removed.items()))
                + ")"
            )
        print(f"against wave 15's HL801 ({label}): " + " | ".join(cells))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    k: {
                        r: {
                            **v,
                            "kinds": dict(v["kinds"]),
                            "decided": dict(v["decided"]),
                            "hl801_kinds": dict(v["hl801_kinds"]),
                        }
                        for r, v in res.items()
                    }
                    for k, res in table.items()
                }
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
