"""Choose the deeper spun stage's tiers for short texts (``data/deep_short_tiers.json``); report them out of fold.

The stacked model (``data/deep_spun_model.json``, ``scripts/train_deep_spun.py``) reads the LM features of a text's
opening and the page model's logit. Both are defined for a text of any length, but the model's tiers were chosen
on texts of 80+ words, and the page model does not judge shorter ones. This script keeps the stacked model as it
is and chooses a second pair of tiers for texts of ``--min-words`` to 79 words, on short texts:

- the real short dev pages (labelled; scored whole);
- every labelled dev page cut to its first 36-90 words (``train_spun_model.dev_cuts``; labelled as the page: the
  openings of real pages, spun or not, are the kind of text a short excerpt is);
- clean openings of MedQuAD dev and the health corpora cut the same way (``train_spun_model.short_openings``,
  the clean ones only), and the whole clean documents of that length;

each kept when the analysis counts 40-79 words. Every text is scored out of fold: by the stacked model fitted
without its fold (on inputs that never saw it, as ``train_deep_spun.Stack.oof`` scores its own texts), with the
page model's logit from the page model fitted without its fold; dev pages and their cuts take their page's group
fold (``scripts/devgroups.py``), clean texts their document's (index mod 5).

A tier is the lowest probability at which, among the texts of the band: the clean short texts (openings and whole
documents) flagged are at most ``clean`` of them, no NIH text is flagged, and the flagged dev texts (short pages
and cut pages) are at least ``precision`` spun: HL107 (0.9, 1%), HL101 (0.95, 0.5%); the verdict tier is never
below the suspected one. The figures at the shipped tiers are out of fold twice over: printed too are the
figures when each fold's tiers are chosen on the other folds' texts alone.

LM features: ``scripts/lm_spin_features.py --engine numpy --tokens 160 --clean 200 --cache DIR`` (the stacked
model's own texts), and the short texts' in ``--short-cache FILE`` (scored here with the runtime's numpy engine
when missing: about 1 s of CPU a text, some 950 texts).

    nice -n 10 .venv/bin/python scripts/train_deep_short.py --features /tmp/lmspin \\
        --counts /tmp/lmspin/counts.pickle --short-cache /tmp/lmshort.jsonl [--write]

A stacked model that reads the probe (``train_deep_spun.py --probe``) needs the short texts' pooled states too:
``--probe DIR --probe-layer L`` (as given to ``train_deep_spun.py``) scores them into that cache (LM features and
pooled vectors from one pass, ``scripts/deep_probe.py``'s ``score``) and reads both from it instead of
``--short-cache``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import deep_swap_share as share  # noqa: E402
from devgroups import folds as group_folds  # noqa: E402
from lm_spin_features import FEATURES, FOLDS, logit, stacked_inputs, stage_text  # noqa: E402
from train_deep_spun import Stack, lm_rows, probe_fit, probe_layer, probe_vectors  # noqa: E402
from train_spun_model import NIH, auc, clean_documents, collect, dev_cuts, fit, predict, short_openings  # noqa: E402

from healthlint.families.spun.deep import SHORT_FILE, STACKED_FILE, TOKENS  # noqa: E402
from healthlint.families.spun.lexicon.store import get_lexicon  # noqa: E402

DATA = REPO / "src" / "healthlint" / "families" / "spun" / "data"
OUT = DATA / SHORT_FILE
#: The band's upper end: from here the stacked model's own tiers apply (the page model's minimum).
LONG = 80
#: (precision among the flagged dev texts, share of the clean short texts flagged) of each tier.
SUSPECT = (0.9, 0.01)
VERDICT = (0.95, 0.005)


def short_rows(texts: list[str], cache: Path) -> list[dict[str, float]]:
    """The LM features of each text (the first TOKENS tokens, as the stage reads them), scored when not in ``cache``."""
    done: dict[str, dict[str, float]] = {}
    if cache.exists():
        for line in cache.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            done[row["key"]] = row["features"]
    todo = [t for t in dict.fromkeys(texts) if share.key_of(t) not in done]
    if todo:
        from lm_spin_features import NumpyScorer, lm_features, model_path

        scorer = NumpyScorer(model_path(), TOKENS)
        lex = get_lexicon()
        with cache.open("a", encoding="utf-8") as out:
            for n, text in enumerate(todo, 1):
                features = lm_features(text, scorer, lex)[0]
                done[share.key_of(text)] = features
                out.write(json.dumps({"key": share.key_of(text), "features": features}) + "\n")
                out.flush()
                if n % 50 == 0:
                    print(f"  scored {n}/{len(todo)} short texts", file=sys.stderr)
    return [done[share.key_of(t)] for t in texts]


def lowest(
    scores: np.ndarray, spun: np.ndarray, dev: np.ndarray, clean: np.ndarray, nih: np.ndarray, rule: tuple[float, float]
) -> float:
    """The lowest probability at which, going down, the flagged dev texts (``dev``) are still at least ``rule``'s
    precision spun while the clean texts flagged stay within ``rule``'s share and no NIH text is flagged (1.0: none)."""
    precision, share_ = rule
    best = 1.0
    for t in sorted(set(scores[dev | clean].tolist()), reverse=True):
        flagged = scores >= t
        tp, fp = int((flagged & dev & spun).sum()), int((flagged & dev & ~spun).sum())
        if (flagged & nih).any() or int((flagged & clean).sum()) > share_ * int(clean.sum()):
            break  # lower thresholds flag these too
        if tp and tp / (tp + fp) >= precision:
            best = t
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--features", type=Path, required=True, help="lm_spin_features.py --engine numpy's cache")
    parser.add_argument("--counts", type=Path, required=True, help="lm_spin_features.py's counts.pickle")
    parser.add_argument("--short-cache", type=Path, help="the short texts' LM features (JSON lines)")
    parser.add_argument(
        "--probe",
        type=Path,
        help="for a stacked model that reads the probe: deep_probe.py --score's cache (the short texts are scored"
        " into it too, LM features and pooled vectors from one pass; --short-cache is then not read)",
    )
    parser.add_argument("--probe-layer", default="final", help="as train_deep_spun.py --probe-layer")
    parser.add_argument("--probe-extra", type=int, default=0, help="as train_deep_spun.py --probe-extra")
    parser.add_argument("--min-words", type=int, default=50, help="the shortest texts judged")
    parser.add_argument("--write", action="store_true", help=f"write {OUT.name}")
    args = parser.parse_args()
    if (args.short_cache is None) == (args.probe is None):
        parser.error("give --short-cache, or --probe for a stacked model that reads the probe")

    # The stacked model's own texts and its fold models, as train_deep_spun.py fits them.
    _, records, openings = share.texts()
    texts = [stage_text(r["text"]) for r in records] + [stage_text(t) for _, _, t in openings]
    rows = lm_rows(args.features, TOKENS, texts)
    x = np.array([[row["features"][name] for name in FEATURES] for row in rows])
    dy = np.array([bool(r["labels"]["spun"]) for r in records])
    dfold = np.array(group_folds(records, FOLDS, positive=list(dy)))
    data = collect(args.counts)
    base, y, fold, base_x, _, _ = stacked_inputs(data, dy, dfold, openings)
    probe = None
    if args.probe is not None:
        probe = probe_fit(args.probe, args.probe_layer, args.probe_extra, texts, openings, records, (y, fold))
    stack = Stack(x, [[] for _ in rows], (y, fold), (base, base_x), None, probe)
    oof = stack.oof()[: len(dy)]
    models = {}
    for j in range(FOLDS):
        train = fold != j
        features = stack.inputs(frozenset({j}))[train]
        mean, spread = features.mean(axis=0), features.std(axis=0)
        scale = np.where(spread > 1e-9, spread, 1.0)
        models[j] = (mean, scale, fit((features - mean) / scale, y[train], np.ones(int(train.sum()))), base.fitted({j}))

    # The short texts: cut dev pages, clean short openings, whole clean documents (then the real short pages). Their
    # counts are collect()'s, which analysed the same texts in the same order; the texts are drawn again for the LM.
    cuts = dev_cuts([r["text"] for r in records])
    short: list[tuple[str, int, str, bool, str]] = [  # kind, fold, source, spun, text
        ("cut", int(dfold[n]), "dev", bool(dy[n]), text) for n, text in enumerate(cuts)
    ]
    short += [("opening", i % FOLDS, s, False, t) for i, s, label, t in short_openings(get_lexicon()) if label == 0]
    short += [("whole", i % FOLDS, s, False, t) for i, (s, t) in enumerate(clean_documents())]
    counts = (
        list(data["dev_cut"])
        + [row["counts"] for row in data["short"] if row["spun"] == 0]
        + [row["counts"] for row in data["whole"]]
    )
    if len(counts) != len(short):
        raise SystemExit(f"{args.counts} holds other texts than this script draws: delete it")
    keep = [n for n, c in enumerate(counts) if 40 <= c["words"] < LONG]
    short, counts = [short[n] for n in keep], [counts[n] for n in keep]
    short_texts = [stage_text(t) for *_, t in short]  # as the stage reads each
    if args.probe is not None:
        from deep_probe import score as score_probe
        from deep_probe import score_long

        score_probe(short_texts, args.probe)
        if (tokens := probe_layer(args.probe_layer)[2]) != TOKENS:  # a probe that reads past the opening
            score_long(short_texts, args.probe, tokens)
        sx = np.array([np.load(args.probe / f"{share.key_of(t)}.npz")["features"] for t in short_texts])
        sv = probe_vectors(args.probe, short_texts, args.probe_layer)
    else:
        lm = short_rows(short_texts, args.short_cache)
        sx = np.array([[row[name] for name in FEATURES] for row in lm])
    page_x = base.signals(counts)
    sfold = np.array([s[1] for s in short])
    scores = np.zeros(len(short))
    for j, (mean, scale, model, page) in models.items():
        here = sfold == j
        columns = [sx[here]]
        if probe is not None:
            fitted = probe.without(frozenset({j}))
            columns.append(logit(probe.apply(fitted, sv[here]))[:, None])
        inputs = np.hstack([*columns, logit(base.score(page, page_x[here]))[:, None]])
        scores[here] = predict((inputs - mean) / scale, model)

    dwords = np.array([d["counts"]["words"] for d in data["dev"]])
    real = (dwords >= 40) & (dwords < LONG)
    # One table of the band's texts: the real short dev pages, then the short texts.
    words = np.concatenate([dwords[real], [c["words"] for c in counts]])
    p = np.concatenate([oof[real], scores])
    kind = np.array(["page"] * int(real.sum()) + [s[0] for s in short])
    spun = np.concatenate([dy[real], [s[3] for s in short]])
    tfold = np.concatenate([dfold[real], sfold])
    nih = np.concatenate([np.zeros(int(real.sum()), dtype=bool), [s[2] == NIH for s in short]])
    is_dev = (kind == "page") | (kind == "cut")
    is_clean = (kind == "opening") | (kind == "whole")

    def figures(flagged: np.ndarray, band: np.ndarray) -> dict[str, str]:
        def of(which: np.ndarray) -> str:
            return f"{int((flagged & band & which).sum())}/{int((band & which).sum())}"

        out = {
            "short dev pages, spun caught": of((kind == "page") & spun),
            "short dev pages, clean flagged": of((kind == "page") & ~spun),
            "dev pages cut short, spun caught": of((kind == "cut") & spun),
            "dev pages cut short, clean flagged": of((kind == "cut") & ~spun),
        }
        for source in sorted({s[2] for s in short} - {"dev"}):
            src = np.array([False] * int(real.sum()) + [s[2] == source for s in short])
            out[f"clean short texts flagged, {source}"] = of(is_clean & src)
        return out

    report: dict[str, Any] = {}
    for low in sorted({40, 50, 60, args.min_words}):
        band = words >= low
        auc_cut = auc(p[band & (kind == "cut")], spun[band & (kind == "cut")])
        entry: dict[str, Any] = {"ROC AUC, dev pages cut short": round(auc_cut, 3)}
        chosen = {}
        for name, rule in (("suspect", SUSPECT), ("verdict", VERDICT)):
            t = lowest(p, spun, band & is_dev, band & is_clean, band & nih, rule)
            if name == "verdict":
                t = max(t, chosen["suspect"])
            chosen[name] = t
            entry[name] = {"threshold": round(t, 4), **figures(p >= t, band)}
        # Each fold's tiers chosen on the other folds' texts alone, applied to the fold.
        for name, rule in (("suspect, tiers chosen inside the folds", SUSPECT),):
            flagged = np.zeros(len(p), dtype=bool)
            cuts_of = []
            for k in range(FOLDS):
                rest = tfold != k
                t = lowest(p, spun, band & is_dev & rest, band & is_clean & rest, band & nih & rest, rule)
                cuts_of.append(round(t, 3))
                flagged |= (tfold == k) & (p >= t)
            entry[name] = {"thresholds": cuts_of, **figures(flagged, band)}
        report[f"texts of {low}-{LONG - 1} words"] = entry
        if low == args.min_words:
            shipped = chosen
    print(json.dumps(report, indent=2))

    if args.write:
        stacked = (DATA / STACKED_FILE).read_bytes()
        tiers = {
            "min_words": args.min_words,
            "suspect": round(shipped["suspect"], 4),
            "verdict": round(shipped["verdict"], 4),
            "stacked_model_sha256": hashlib.sha256(stacked).hexdigest(),
            "chosen_on": (
                f"the stacked model's out-of-fold scores of {int(real.sum())} short dev pages, {len(dy)} dev pages cut"
                " to their first 36-90 words, clean openings of MedQuAD dev and the health corpora cut the same way"
                f" and the whole clean documents of that length, {args.min_words}-{LONG - 1} words; suspect:"
                f" precision {SUSPECT[0]}, clean {SUSPECT[1]:.1%}; verdict: precision {VERDICT[0]}, clean"
                f" {VERDICT[1]:.1%}; no NIH text"
            ),
            "out_of_fold": report[f"texts of {args.min_words}-{LONG - 1} words"],
        }
        OUT.write_text(json.dumps(tiers, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
