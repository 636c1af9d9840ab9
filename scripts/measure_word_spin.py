"""Measure a learned per-word spin probability for the light path, out of fold (wave 14; measurement only).

The simulated spin of train_spun_model.py knows which word it replaced: every judged word of a spun copy is labelled
(put there by the spinner or not). A logistic regression (scripts/logistic.py) of that label on cheap features of the
word in its run is fitted on simulated spin of the clean openings, folded by document (``index % 5``, as
train_spun_model folds its openings); the dev pages are never in its fit.

A word is *judged* as trigram.py judges it (lowercase, four letters or more, not a function word, Zipf 3 or more,
known to the model, at least one near-synonym: ``SynonymGain.rivals``). For ``b`` at ``a1 a2 _ c1 c2`` its features
(:data:`FEATURES`) are read from the trigram model through trigram.py's public surface (``SynonymGain.model`` and
``SynonymGain.rivals``) and from the word index:

    gain           best near-synonym's score minus b's (bits, not floored; score as in trigram.py), cut to +-30
    gain_left      the same for the first term only, log P(x | a1 a2)
    own_left       log P(b | a1 a2) (bits)
    excess         own_left minus b's unigram log P (bits)
    margin         the best near-synonym's score minus the second's (bits; 0 for one)
    rivals         how many near-synonyms were compared
    zipf           Zipf of b
    zipf_gap       Zipf of the best near-synonym minus b's
    demotion       the index's demotion of b (Lexicon.demotion)
    pairs_gap      log1p web pair counts of (a2, s) and (s, c1) for the best near-synonym s, minus b's
    length         letters of b
    edge           1 when b starts or ends its run

Parts (default: all of them in order):

    --words        word level: AUC / precision-recall on held-out simulated texts (per spinner style), the gain
                   alone against the model; on the dev pages' labelled ``spun_evidence`` phrases, how many hold a
                   flagged word and how often the flagged word's best near-synonym restores the labelled original
                   (exact phrase, or the word within it) at cuts that flag 1%, 2% and 5% of the held-out clean words;
                   words flagged on the clean dev pages at the same cuts
    --signal N[,N] page level: the page signals of :data:`PAGE_SIGNALS` through train_spun_model.py ``--extra``
                   (``none`` for the shipped model on the same folds); the rest of the arguments go to
                   train_spun_model.py (``--drop trigram_q90``, ``--scores FILE``, ``--fold-seed S``)
    --speed        the added cost per judged word over SynonymGain.add

The counts cache is ``.healthlint_cache/wordspin.<fingerprint>.pickle``. Usage:

    nice -n 10 .venv/bin/python scripts/measure_word_spin.py --words
    nice -n 10 .venv/bin/python scripts/measure_word_spin.py --signal ws_mean --fold-seed 1 --scores /tmp/a.json
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import math
import os
import pickle
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO / "src"), str(HERE)]

import auc_gain  # noqa: E402
import devgroups  # noqa: E402
import logistic  # noqa: E402
import numpy as np  # noqa: E402
import train_spun_model as train  # noqa: E402
from logistic import auc  # noqa: E402
from measure_lm_pairs import forwarded, keep_fingerprint, measuring_only, sha256_of  # noqa: E402

from healthlint.article import parse_article  # noqa: E402
from healthlint.families.spun import analysis, model, trigram  # noqa: E402
from healthlint.families.spun.tokens import BlockTokens  # noqa: E402

FEATURES = (
    "gain",
    "gain_left",
    "own_left",
    "excess",
    "margin",
    "rivals",
    "zipf",
    "zipf_gap",
    "demotion",
    "pairs_gap",
    "length",
    "edge",
)
FOLDS = 5
L2 = 1.0
#: Shares of held-out clean words a cut flags (the word-level operating points).
CLEAN_SHARES = (0.01, 0.02, 0.05)
#: Page signals (hits key, total key) over the word probabilities, shrunk with model.PRIOR_WORDS.
PAGE_SIGNALS: dict[str, tuple[str, str]] = {
    "ws_mean": ("ws_logit_sum", "ws_words"),  # mean log-odds of the judged words
    "ws_share2": ("ws_over2", "ws_words"),  # share above the cut that flags 2% of held-out clean words
    "ws_share5": ("ws_over5", "ws_words"),  # ... 5%
    "ws_q90": ("ws_q90_hits", "ws_words"),  # 90th percentile of the log-odds (times the words, as trigram_q90)
    "ws_top5": ("ws_top5_hits", "ws_words"),  # mean of the 5 highest log-odds (times the words)
}
ROWS = "ws_rows"


class WordFeatures:
    """The features of every judged word of a block (see the module's docstring)."""

    def __init__(self, lex: Any) -> None:
        self.lex = lex
        self.gain = trigram.SynonymGain(lex)
        self._uni: dict[str, float] = {}

    def block(self, toks: BlockTokens) -> list[tuple[int, str, list[float]]]:
        """(token number, best near-synonym, features) of each judged word of a block."""
        lm = self.gain.model()
        prob = lm.prob
        bits = trigram.BITS
        lex = self.lex
        words, raws = toks.words, toks.raws
        out: list[tuple[int, str, list[float]]] = []
        for run in trigram.runs(toks):
            seq = ["<s>", "<s>", *(words[i] for i in run), "", ""]
            end = len(run) + 2
            for j, i in enumerate(run):
                w = words[i]
                rivals = self.gain.rivals(w)
                if not rivals or not raws[i].islower():
                    continue
                at = j + 2
                a2, a1, c1, c2 = seq[at - 1], seq[at - 2], seq[at + 1], seq[at + 2]
                history = [a2] if at == 2 else [a2, a1]
                right = (at + 1 < end) + (at + 2 < end)

                def score(
                    x: str, history: list[str] = history, right: int = right, a2: str = a2, c1: str = c1, c2: str = c2
                ) -> tuple[int, int]:
                    left = prob([x, *history])
                    total = left
                    if right:
                        total += prob([c1, x, a2])
                        if right == 2:
                            total += prob([c2, c1, x])
                    return left, total

                own_left, own = score(w)
                scored = sorted(((score(s), s) for s in rivals), key=lambda t: -t[0][1])
                (best_left, best), best_word = scored[0]
                second = scored[1][0][1] if len(scored) > 1 else best
                uni = self._uni.get(w)
                if uni is None:
                    uni = self._uni[w] = prob([w]) * bits
                zipf = lex.zipf(w)
                pair_own = math.log1p(lex.pair_count(a2, w)) + math.log1p(lex.pair_count(w, c1) if c1 else 0)
                pair_best = math.log1p(lex.pair_count(a2, best_word)) + math.log1p(
                    lex.pair_count(best_word, c1) if c1 else 0
                )
                out.append(
                    (
                        i,
                        best_word,
                        [
                            max(-30.0, min(30.0, (best - own) * bits)),
                            max(-30.0, min(30.0, (best_left - own_left) * bits)),
                            own_left * bits,
                            own_left * bits - uni,
                            (best - second) * bits,
                            float(len(rivals)),
                            zipf,
                            lex.zipf(best_word) - zipf,
                            lex.demotion(w),
                            pair_best - pair_own,
                            float(len(w)),
                            float(j == 0 or right < 2),
                        ],
                    )
                )
        return out


# -- simulated spin with word labels ---------------------------------------------------------------------------------


def spin_marked(
    text: str, lex: Any, rate: float, common_only: bool, rng: random.Random
) -> tuple[str, list[tuple[int, int]]]:
    """train_spun_model.spin, also returning the character spans of the replacements in the spun text."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    at = 0
    length = 0
    for m in train.TOKEN.finditer(text):
        out.append(text[at : m.start()])
        length += m.start() - at
        word = m.group(0)
        new = word
        if word.islower() and word not in train.FUNCTION_WORDS and lex.zipf(word) >= 3.0 and rng.random() <= rate:
            synonyms = sorted(lex.synonyms(word))
            if common_only:
                synonyms = [s for s in synonyms if " " not in s and lex.zipf(s) >= 3.5]
            if synonyms:
                new = rng.choice(synonyms)
                spans.append((length, length + len(new)))
        out.append(new)
        length += len(new)
        at = m.end()
    out.append(text[at:])
    return "".join(out), spans


def word_rows(feats: WordFeatures, text: str, spans: list[tuple[int, int]] | None = None) -> list[list[float]]:
    """Feature rows of every judged word of a one-block text, the label last (inside a span or not)."""
    toks = BlockTokens(text)
    rows = []
    for i, _, f in feats.block(toks):
        s, e = toks.start(i), toks.end(i)
        label = float(any(a <= s and e <= b for a, b in spans or ()))
        rows.append([*f, label])
    return rows


def simulated(feats: WordFeatures) -> list[dict[str, Any]]:
    """:func:`simulate`, kept in ``.healthlint_cache/wordspin_sim.<fingerprint>.pickle``."""
    folder = REPO / ".healthlint_cache"
    folder.mkdir(exist_ok=True)
    path = folder / f"wordspin_sim.{hashlib.sha256(fingerprint().encode()).hexdigest()[:16]}.pickle"
    if path.exists():
        found: list[dict[str, Any]] = pickle.loads(path.read_bytes())
        return found
    made = simulate(feats)
    path.write_bytes(pickle.dumps(made))
    return made


def simulate(feats: WordFeatures) -> list[dict[str, Any]]:
    """Every clean document's opening (own random stream) and two spun copies of it, each block spun on its own, as
    rows of word features with their labels."""
    rng = random.Random(41)
    lex = feats.lex
    texts = []
    for i, (source, text) in enumerate(train.clean_documents()):
        part = train.opening(text, rng)
        blocks = [b.text for b in parse_article(f"o{i}.txt", part).blocks if b.text.strip()]
        for style, rate, common in (
            ("clean", 0.0, False),
            ("thesaurus", rng.uniform(0.05, 0.4), False),
            ("word-for-word", rng.uniform(0.1, 0.5), True),
        ):
            rows: list[list[float]] = []
            for block in blocks:
                if style == "clean":
                    rows += word_rows(feats, block)
                else:
                    spun, spans = spin_marked(block, lex, rate, common, rng)
                    rows += word_rows(feats, spun, spans)
            texts.append(
                {"index": i, "source": source, "style": style, "rows": np.array(rows, dtype=float).reshape(-1, 13)}
            )
    return texts


def features_of(x: np.ndarray) -> np.ndarray:
    """The model's inputs from the raw feature columns (a floored gain beside the raw one)."""
    return np.hstack([x, np.maximum(x[:, :1], 0.0)])


class WordModel:
    """A fitted word model: standardisation and weights."""

    def __init__(self, x: np.ndarray, y: np.ndarray) -> None:
        z = features_of(x)
        self.mean, self.scale = logistic.standardise(z)
        self.fitted = logistic.fit((z - self.mean) / self.scale, y, L2)

    def logit(self, x: np.ndarray) -> np.ndarray:
        if not len(x):
            return np.zeros(0)
        z = (features_of(x) - self.mean) / self.scale
        return np.asarray(z @ self.fitted[0] + self.fitted[1])


def fit_folds(sim: list[dict[str, Any]]) -> tuple[list[WordModel], WordModel]:
    """One word model per fold (documents of the other folds) and one on every document."""
    models = []
    for k in range(FOLDS):
        rows = np.vstack([t["rows"] for t in sim if t["index"] % FOLDS != k])
        models.append(WordModel(rows[:, :-1], rows[:, -1]))
    rows = np.vstack([t["rows"] for t in sim])
    return models, WordModel(rows[:, :-1], rows[:, -1])


def held_out(sim: list[dict[str, Any]], models: list[WordModel]) -> list[np.ndarray]:
    """Each simulated text's out-of-fold word log-odds."""
    return [models[t["index"] % FOLDS].logit(t["rows"][:, :-1]) for t in sim]


def cut_for(scores: np.ndarray, share: float) -> float:
    """The score above which ``share`` of ``scores`` lie."""
    return float(np.quantile(scores, 1.0 - share))


# -- part 1: word level ---------------------------------------------------------------------------------------------


def dev_records() -> list[dict[str, Any]]:
    with train.DEV_PAGES.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9']+", text.lower().replace("’", "'")))


def dev_words(feats: WordFeatures, record: dict[str, Any]) -> list[dict[str, Any]]:
    """The judged words of a dev page: block text, span, word, best near-synonym, features."""
    found = []
    for b in parse_article("p.txt", record["text"]).blocks:
        if not b.text.strip():
            continue
        toks = BlockTokens(b.text)
        for i, best, f in feats.block(toks):
            word = toks.words[i]
            where = {"block": b.text, "start": toks.start(i), "end": toks.end(i)}
            found.append({**where, "word": word, "best": best, "f": f})
    return found


def evidence_figures(
    records: list[dict[str, Any]], judged: list[list[dict[str, Any]]], score: list[np.ndarray], cut: float
) -> dict[str, Any]:
    """Evidence phrases holding a flagged word; originals restored (exact phrase; the word within the original) by
    the flagged word's best near-synonym; words flagged on clean pages."""
    phrases = located = holding_judged = covered = exact = within = 0
    clean_words = clean_flagged = clean_pages_flagged = clean_pages = 0
    for record, words, s in zip(records, judged, score, strict=True):
        labels = record["labels"]
        if labels["spun"] is False:
            clean_pages += 1
            clean_words += len(words)
            n = int((s >= cut).sum())
            clean_flagged += n
            clean_pages_flagged += n > 0
        if labels["spun"] is not True:
            continue
        for phrase in labels.get("spun_evidence") or []:
            phrases += 1
            original = norm(str((labels.get("spun_originals") or {}).get(phrase) or ""))
            inside = []
            hit_block = False
            for w, v in zip(words, s, strict=True):
                at = w["block"].find(phrase)
                while at >= 0:
                    hit_block = True
                    if at <= w["start"] and w["end"] <= at + len(phrase):
                        inside.append((w, v, at))
                        break
                    at = w["block"].find(phrase, at + 1)
            if not hit_block:
                blocks = {w["block"] for w in words}
                hit_block = any(phrase in b for b in blocks)
            located += hit_block
            holding_judged += bool(inside)
            flagged = [(w, v, at) for w, v, at in inside if v >= cut]
            covered += bool(flagged)
            if flagged and original:
                restored_exact = restored_within = False
                for w, _, at in flagged:
                    block = w["block"]
                    fixed = block[at : w["start"]] + w["best"] + block[w["end"] : at + len(phrase)]
                    restored_exact |= norm(fixed) == original
                    restored_within |= w["best"] in original.split() and w["word"] not in original.split()
                exact += restored_exact
                within += restored_within
    return {
        "evidence phrases": phrases,
        "located in a block": located,
        "holding a judged word": holding_judged,
        "covered (a flagged word)": covered,
        "original restored exactly": exact,
        "best near-synonym within the original": within,
        "clean dev pages: words flagged / judged; pages with one": (
            f"{clean_flagged}/{clean_words}; {clean_pages_flagged}/{clean_pages}"
        ),
    }


def real_labels(record: dict[str, Any], words: list[dict[str, Any]]) -> list[float | None]:
    """Each judged word's real label: 1 for a word of a spun page's evidence phrase that differs from the labelled
    original of as many words; 0 for every judged word of a clean page; None otherwise (not known)."""
    labels = record["labels"]
    if labels["spun"] is False:
        return [0.0] * len(words)
    out: list[float | None] = [None] * len(words)
    originals = labels.get("spun_originals") or {}
    for phrase in labels.get("spun_evidence") or []:
        a, b = norm(phrase).split(), norm(str(originals.get(phrase) or "")).split()
        if len(a) != len(b):
            continue
        swapped = {x for x, y in zip(a, b, strict=True) if x != y}
        for n, w in enumerate(words):
            at = w["block"].find(phrase)
            while at >= 0:
                if at <= w["start"] and w["end"] <= at + len(phrase) and w["word"] in swapped:
                    out[n] = 1.0
                    break
                at = w["block"].find(phrase, at + 1)
    return out


def real_words(records: list[dict[str, Any]], judged: list[list[dict[str, Any]]], final: WordModel) -> dict[str, Any]:
    """Word AUC on the dev pages' real labels (:func:`real_labels`): the gain alone, the model fitted on simulated
    spin, and a model of the same features fitted on the real words of the other folds (devgroups.folds, seeds 1-3)."""
    x, y, page = [], [], []
    for p, (record, words) in enumerate(zip(records, judged, strict=True)):
        for w, label in zip(words, real_labels(record, words), strict=True):
            if label is not None:
                x.append(w["f"])
                y.append(label)
                page.append(p)
    xa, ya, pa = np.array(x), np.array(y), np.array(page)
    gold = ya == 1
    out = {
        "dev real words (swapped words of one-for-one evidence / clean pages' judged words)": (
            f"{int(gold.sum())} / {int((~gold).sum())}"
        ),
        "dev real word AUC, gain alone": round(auc(xa[:, 0], gold), 3),
        "dev real word AUC, model fitted on simulated spin": round(auc(final.logit(xa), gold), 3),
    }
    spun = [bool(r["labels"]["spun"]) for r in records]
    names = devgroups.groups(records)
    units = [names[p] for p in pa]
    sim = final.logit(xa)
    for seed in (1, 2, 3):
        fold = np.array(devgroups.folds(records, FOLDS, seed=seed, positive=spun))[pa]
        oof = np.zeros(len(ya))
        for k in range(FOLDS):
            fitted = WordModel(xa[fold != k], ya[fold != k])
            oof[fold == k] = fitted.logit(xa[fold == k])
        out[f"dev real word AUC, model fitted on real words of the other folds, seed {seed}"] = round(auc(oof, gold), 3)
        if seed == 1:
            out["gain of the real-word model (seed 1) over the gain alone, 95% by site groups"] = interval(
                gold, xa[:, 0], oof, units
            )
    out["gain of the simulated model over the gain alone, 95% by site groups"] = interval(gold, xa[:, 0], sim, units)
    return out


def interval(gold: np.ndarray, before: np.ndarray, after: np.ndarray, units: list[str]) -> str:
    """The word AUC gain and its 95% interval, resampling whole site groups (scripts/auc_gain.py's bootstrap)."""
    gains = auc_gain.bootstrap(gold, before, after, units, 1000)
    low, high = np.percentile(gains, [2.5, 97.5])
    return f"{auc(after, gold) - auc(before, gold):+.3f} ({low:+.3f} to {high:+.3f})"


def words_part(feats: WordFeatures) -> dict[str, Any]:
    started = time.perf_counter()
    sim = simulated(feats)
    print(f"simulated texts scored in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    models, final = fit_folds(sim)
    oof = held_out(sim, models)
    report: dict[str, Any] = {}
    y_all = np.concatenate([t["rows"][:, -1] for t in sim]).astype(bool)
    s_all = np.concatenate(oof)
    g_all = np.concatenate([t["rows"][:, 0] for t in sim])
    clean_scores = np.concatenate([o for t, o in zip(sim, oof, strict=True) if t["style"] == "clean"])
    clean_gains = np.concatenate([t["rows"][:, 0] for t in sim if t["style"] == "clean"])
    report["simulated words (judged), spun share"] = f"{int(y_all.sum())}/{len(y_all)}"
    for style in ("thesaurus", "word-for-word"):
        keep = np.concatenate([np.full(len(t["rows"]), t["style"] in ("clean", style)) for t in sim])
        report[f"word AUC, {style} spun words against every clean word: model / gain alone"] = (
            f"{auc(s_all[keep], y_all[keep]):.3f} / {auc(g_all[keep], y_all[keep]):.3f}"
        )
    report["word AUC, all: model / gain alone"] = f"{auc(s_all, y_all):.3f} / {auc(g_all, y_all):.3f}"
    for share in CLEAN_SHARES:
        for name, s, c in (("model", s_all, clean_scores), ("gain", g_all, clean_gains)):
            cut = cut_for(c, share)
            flag = s >= cut
            report[f"at {share:.0%} of clean openings' words flagged, {name}: spun words recalled, precision"] = (
                f"{int((flag & y_all).sum())}/{int(y_all.sum())}, {(flag & y_all).sum() / max(flag.sum(), 1):.3f}"
            )
    report["weights (standardised)"] = {
        n: round(float(w), 3) for n, w in zip((*FEATURES, "gain_floored"), final.fitted[0], strict=True)
    }
    records = [r for r in dev_records() if r["labels"]["spun"] is not None]
    judged = [dev_words(feats, r) for r in records]
    model_scores = [final.logit(np.array([w["f"] for w in ws]).reshape(-1, len(FEATURES))) for ws in judged]
    gain_scores = [np.array([w["f"][0] for w in ws]) for ws in judged]
    inside, outside = [], []  # words inside a spun page's evidence phrase; words of clean pages
    for record, words, ms, gs in zip(records, judged, model_scores, gain_scores, strict=True):
        if record["labels"]["spun"] is False:
            outside += list(zip(ms, gs, strict=True))
        elif record["labels"]["spun"]:
            for w, m, g in zip(words, ms, gs, strict=True):
                if any(
                    0 <= (at := w["block"].find(p)) <= w["start"] and w["end"] <= at + len(p)
                    for p in record["labels"].get("spun_evidence") or []
                ):
                    inside.append((m, g))
    both = np.array(inside + outside)
    gold = np.arange(len(both)) < len(inside)
    report["dev word AUC, judged words in evidence phrases against clean pages' judged words: model / gain"] = (
        f"{auc(both[:, 0], gold):.3f} / {auc(both[:, 1], gold):.3f} ({len(inside)} / {len(outside)} words)"
    )
    report.update(real_words(records, judged, final))
    for share in CLEAN_SHARES:
        report[f"dev evidence at {share:.0%}, model"] = evidence_figures(
            records, judged, model_scores, cut_for(clean_scores, share)
        )
        report[f"dev evidence at {share:.0%}, gain alone"] = evidence_figures(
            records, judged, gain_scores, cut_for(clean_gains, share)
        )
    report["dev evidence, any judged word, best near-synonym (no cut)"] = evidence_figures(
        records, judged, [np.full(len(s), 1e9) for s in model_scores], -1e9
    )
    return report


def originals_part(feats: WordFeatures) -> dict[str, Any]:
    """Which labelled originals a one-for-one word chooser could restore. For each evidence phrase of a spun dev page
    whose labelled original has as many words, the words that differ (spun word x, original y): whether y is among
    x's near-synonyms of trigram.py (``rivals``), its close synonyms, its thesaurus synonyms; and whether the trigram
    model, told which word is spun and reading the phrase's own words around it (``<s>`` before the phrase, nothing
    after it), picks y among (a) the rivals, (b) every single lowercase thesaurus synonym it knows, (c) those of (b)
    at most 0.5 Zipf rarer than x; the phrase restored exactly when every differing word is."""
    lex = feats.lex
    lm = feats.gain.model()
    prob = lm.prob
    tally: Counter[str] = Counter()

    def known(w: str) -> bool:
        return bool(prob([w]) > trigram.UNKNOWN)

    def choose(words: list[str], k: int, candidates: list[str]) -> str | None:
        seq = ["<s>", "<s>", *words, "", ""]
        at = k + 2
        a1, a2, c1, c2 = seq[at - 2], seq[at - 1], seq[at + 1], seq[at + 2]
        history = [a2] if at == 2 else [a2, a1]
        best, found = None, None
        for x in candidates:
            total = prob([x, *history])
            if c1:
                total += prob([c1, x, a2])
                if c2:
                    total += prob([c2, c1, x])
            if best is None or total > best:
                best, found = total, x
        return found

    for record in dev_records():
        labels = record["labels"]
        if labels["spun"] is not True:
            continue
        for phrase in labels.get("spun_evidence") or []:
            tally["evidence phrases"] += 1
            original = norm(str((labels.get("spun_originals") or {}).get(phrase) or ""))
            a, b = norm(phrase).split(), original.split()
            if not original:
                tally["no original"] += 1
                continue
            if len(a) != len(b):
                tally["original of another length"] += 1
                continue
            diffs = [(k, x, y) for k, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
            if not diffs:
                tally["original with the same words"] += 1
                continue
            tally["one for one"] += 1
            restored = Counter[str]()
            for k, x, y in diffs:
                tally["differing words"] += 1
                rivals = list(feats.gain.rivals(x))
                synonyms = sorted(s for s in lex.synonyms(x) if s.isalpha() and s.islower() and known(s))
                floor = lex.zipf(x) - 0.5
                tally["  x judged by trigram.py (has rivals)"] += bool(rivals)
                tally["  y among the rivals"] += y in rivals
                tally["  y among the close synonyms"] += y in lex.close_synonyms(x)
                tally["  y among the thesaurus synonyms"] += y in lex.synonyms(x)
                for name, pool in (
                    ("a rivals", rivals),
                    ("b all synonyms", synonyms),
                    ("c synonyms at most 0.5 Zipf rarer", [s for s in synonyms if lex.zipf(s) >= floor]),
                ):
                    chosen = choose(a, k, pool)
                    hit = chosen == y
                    tally[f"  model picks y, {name}"] += hit
                    restored[name] += hit
            for name, n in restored.items():
                tally[f"phrase restored exactly, {name}"] += n == len(diffs)
    return dict(tally)


# -- part 2: page level ----------------------------------------------------------------------------------------------


def install(feats: WordFeatures) -> None:
    analyze = analysis.Analyzer.analyze

    def analyze_with_words(self: analysis.Analyzer, article: Any, settings: Any) -> Any:
        result = analyze(self, article, settings)
        rows = []
        for b in article.blocks:
            if b.text.strip():
                rows += [f for _, _, f in feats.block(BlockTokens(b.text))]
        result.ws_rows = np.array(rows, dtype=np.float32).reshape(-1, len(FEATURES))
        return result

    page_counts = train.page_counts

    def counts_with_words(a: Any) -> dict[str, Any]:
        return {**page_counts(a), ROWS: getattr(a, "ws_rows", np.zeros((0, len(FEATURES)), dtype=np.float32))}

    analysis.Analyzer.analyze = analyze_with_words  # type: ignore[method-assign]
    train.page_counts = counts_with_words
    train.EXTRA_COUNTS = {ROWS}
    train.CANDIDATES.update({n: (h, t, model.PRIOR_WORDS) for n, (h, t) in PAGE_SIGNALS.items()})


def page_values(logits: np.ndarray, cuts: dict[str, float]) -> dict[str, float]:
    n = len(logits)
    ordered = np.sort(logits)
    q90 = float(ordered[min(n - 1, int(0.9 * n))]) if n else 0.0
    top5 = float(ordered[-5:].mean()) if n else 0.0
    return {
        "ws_words": float(n),
        "ws_logit_sum": float(logits.sum()),
        "ws_over2": float((logits >= cuts["2"]).sum()),
        "ws_over5": float((logits >= cuts["5"]).sum()),
        "ws_q90_hits": q90 * n,
        "ws_top5_hits": top5 * n,
    }


def keep_derived(sim: list[dict[str, Any]]) -> None:
    """After collect: every text's word log-odds from the word model of its fold (dev pages: the model on every
    simulated document, none of them a dev page), and the page counts of PAGE_SIGNALS."""
    collect = train.collect
    models, final = fit_folds(sim)
    oof = held_out(sim, models)
    clean = np.concatenate([o for t, o in zip(sim, oof, strict=True) if t["style"] == "clean"])
    cuts = {"2": cut_for(clean, 0.02), "5": cut_for(clean, 0.05)}

    def collect_and_derive(cache: Path | None) -> dict[str, Any]:
        data = collect(cache)
        for d in data["dev"]:
            d["counts"].update(page_values(final.logit(d["counts"][ROWS].astype(float)), cuts))
        for c in data["dev_cut"]:
            c.update(page_values(final.logit(c[ROWS].astype(float)), cuts))
        for part in ("whole", "openings", "short"):
            for t in data[part]:
                m = models[t["index"] % FOLDS]
                t["counts"].update(page_values(m.logit(t["counts"][ROWS].astype(float)), cuts))
        return data

    train.collect = collect_and_derive


def fingerprint() -> str:
    made = {
        "script": sha256_of(Path(__file__)),
        "trigram.py": sha256_of(Path(trigram.__file__)),
        "model": sha256_of(Path(str(trigram.model_path()))),
    }
    return json.dumps(made, sort_keys=True)


def speed(feats: WordFeatures) -> str:
    """Seconds per judged word: SynonymGain.add against the features, on the dev pages' blocks (memos cleared)."""
    blocks = [
        BlockTokens(b.text) for r in dev_records() for b in parse_article("p.txt", r["text"]).blocks if b.text.strip()
    ]
    lex = feats.lex
    gain = trigram.SynonymGain(lex)
    for toks in blocks:  # warm the near-synonym lists and the model
        gain.add(toks, [])
    gain._memo.clear()
    gains: list[float] = []
    t0 = time.perf_counter()
    for toks in blocks:
        gain.add(toks, gains)
    t1 = time.perf_counter()
    feats.block(blocks[0])
    t2 = time.perf_counter()
    n = sum(len(feats.block(toks)) for toks in blocks)
    t3 = time.perf_counter()
    del t2
    return (
        f"{len(gains)} judged words: SynonymGain.add {1e6 * (t1 - t0) / len(gains):.1f} us a word (no memo hits),"
        f" the word features {1e6 * (t3 - t1) / n:.1f} us a word (computed on their own, not from add's scores)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0], allow_abbrev=False)
    parser.add_argument("--words", action="store_true", help="word level figures")
    parser.add_argument("--originals", action="store_true", help="which originals a word chooser could restore")
    parser.add_argument("--speed", action="store_true", help="cost per judged word")
    parser.add_argument("--signal", default=None, help="page signals added, comma-separated, or none")
    parser.add_argument("--fold-seed", type=int, default=1)
    args, rest = parser.parse_known_args()
    analyzer = analysis.Analyzer(with_model=False)
    feats = WordFeatures(analyzer.lex)
    if args.words:
        print(json.dumps(words_part(feats), indent=2))
    if args.originals:
        print(json.dumps(originals_part(feats), indent=2))
    if args.speed:
        print(speed(feats))
    if args.signal is None:
        return
    trained = forwarded(parser, rest)
    names = [] if args.signal == "none" else args.signal.split(",")
    bad = [n for n in names if n not in PAGE_SIGNALS]
    if bad:
        parser.error(f"unknown signal(s) {bad}: choose from {sorted(PAGE_SIGNALS)} or none")
    made = fingerprint()
    rest = measuring_only(trained, rest, "wordspin", made)
    started = time.perf_counter()
    sim = simulated(feats)
    print(f"simulated texts scored in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    install(feats)
    keep_fingerprint(made)
    keep_derived(sim)
    train.group_folds = functools.partial(devgroups.folds, seed=args.fold_seed)
    sys.argv = [sys.argv[0], *rest, *(["--extra", ",".join(names)] if names else [])]
    train.main()


if __name__ == "__main__":
    main()
