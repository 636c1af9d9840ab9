"""Fit the ranking of garbled-word restorations (``RANK_WEIGHTS`` in families/spun/words.py); report held-out figures.

A substring spinner swaps a piece of a word for a thesaurus synonym of that piece ("under|lying" ->
"under|mendacity"). The restorer lists every original that some split of the token could come from;
this script fits which one the spinner most probably started from: a conditional logit over each
case's candidates (:func:`~healthlint.families.spun.words.rank_features`), trained on the synthetic
cases of ``../shared/corpus/spun/synthetic_garbled_cases.tsv`` (none of it is shipped; only the
weights are, pasted into words.py).

It also chooses the two weights of the health pairs (``families/spun/data/health_pairs.txt``, built by
``scripts/build_health_pairs.py``): how much a candidate's neighbour pair that health prose uses and the
web counts miss counts in the ranking and in the score.

Held out: 5 folds grouped by original word (each fold's weights rank the other fold's cases, and the
whole restorer, gates and threshold included, is run on them). The false-alarm check is the clean
text: every unknown word that reaches the restorer in the clean corpora (MedQuAD dev, the news
stories, press releases and NIH pages) and on the clean pages of the web development set, in its
context; none may be restored, and the closest score is printed.

Needs numpy (a dev dependency). Usage:

    nice -n 10 .venv/bin/python scripts/fit_garbled.py [--causes]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import re
import sys
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("HEALTHLINT_SHARED", REPO.parent / "shared"))
sys.path.insert(0, str(REPO / "src"))

from healthlint.article import parse_article  # noqa: E402
from healthlint.families.spun import analysis, words  # noqa: E402
from healthlint.families.spun.lexicon.store import get_lexicon  # noqa: E402
from healthlint.families.spun.options import SpunOptions  # noqa: E402
from healthlint.families.spun.settings import compile_settings  # noqa: E402

CASES = SHARED / "corpus" / "spun" / "synthetic_garbled_cases.tsv"
TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
FOLDS = 5
#: Penalty of the ranking fit (a conditional logit).
L2 = 0.05
#: The threshold sits this far above the highest-scoring clean unknown word.
MARGIN = 0.3


def read_cases() -> list[dict[str, Any]]:
    with CASES.open(encoding="utf-8") as handle:
        cases = list(csv.DictReader(handle, delimiter="\t"))
    for case in cases:
        tokens = [w.lower() for w in TOKEN.findall(case["sentence"])]
        garbled = case["garbled"].lower()
        i = tokens.index(garbled) if garbled in tokens else -1
        case["token"] = garbled
        case["previous"] = tokens[i - 1] if i > 0 else None
        case["following"] = tokens[i + 1] if 0 <= i < len(tokens) - 1 else None
        case["fold"] = zlib.crc32(case["original"].encode()) % FOLDS  # grouped by original word
    return cases


def clean_contexts() -> list[tuple[str, str | None, str | None]]:
    """Every distinct (unknown word, word before, word after) that reaches the restorer in clean text."""
    seen: set[tuple[str, str | None, str | None]] = set()
    real = analysis.restore_garbled

    def record(lex: Any, token: str, previous: str | None = None, following: str | None = None) -> Any:
        seen.add((token, previous, following))
        return real(lex, token, previous, following)

    analysis.restore_garbled = record  # type: ignore[assignment]
    try:
        analyzer = analysis.Analyzer(with_model=False)
        settings = compile_settings(SpunOptions())
        for i, text in enumerate(clean_texts()):
            analyzer.analyze(parse_article(f"c{i}.txt", text), settings)
    finally:
        analysis.restore_garbled = real
    return sorted(seen, key=lambda c: (c[0], c[1] or "", c[2] or ""))


def clean_texts() -> Iterator[str]:
    with gzip.open(SHARED / "corpus" / "clean" / "medquad_dev.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)["text"]
    for name in ("fakehealth_healthrelease_hnr200", "fakehealth_healthstory_rated200", "medquad_nih_consumer100"):
        with (SHARED / "corpus" / "health" / f"{name}.jsonl").open(encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)["text"]
    with (SHARED / "corpus" / "web" / "dev_pages.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            page = json.loads(line)
            if page["labels"]["spun"] is False:
                yield page["text"]


def candidate_table(lex: Any, case: dict[str, Any]) -> tuple[np.ndarray, np.ndarray] | None:
    """The features of every split of a case's token, and which of them rebuild the original."""
    token = case["token"]
    cands = words._candidates(lex, token) if len(token) >= words.MIN_GARBLED and token.isalpha() else []
    if not any(c.original == case["original"] for c in cands):
        return None
    rows = [words.rank_features(lex, c, case["previous"], case["following"])[0] for c in cands]
    return np.array(rows), np.array([c.original == case["original"] for c in cands])


def fit(tables: list[tuple[np.ndarray, np.ndarray]], start: np.ndarray, steps: int = 3000) -> np.ndarray:
    """Maximise the probability of the true original's splits among each case's splits (softmax), L2-penalised."""
    x = np.vstack([t[0] for t in tables])
    y = np.concatenate([t[1] for t in tables]).astype(float)
    sizes = [len(t[1]) for t in tables]
    starts = np.cumsum([0, *sizes[:-1]])
    group = np.repeat(np.arange(len(tables)), sizes)
    w = start.astype(float).copy()
    rate = 0.05
    for _ in range(steps):
        s = x @ w
        e = np.exp(s - np.maximum.reduceat(s, starts)[group])
        p = e / np.add.reduceat(e, starts)[group]
        q = e * y
        q /= np.add.reduceat(q, starts)[group]
        w += rate * (x.T @ (q - p) - L2 * w) / len(tables)
    return w


def recall(lex: Any, cases: list[dict[str, Any]], weights: np.ndarray) -> tuple[int, int]:
    """Restored correctly and flagged at all, with these ranking weights (the whole restorer)."""
    saved = words.RANK_WEIGHTS
    words.RANK_WEIGHTS = tuple(float(v) for v in weights)
    try:
        correct = flagged = 0
        for case in cases:
            got = words.restore_garbled(lex, case["token"], case["previous"], case["following"])
            flagged += got is not None
            correct += bool(got and got.original == case["original"])
        return correct, flagged
    finally:
        words.RANK_WEIGHTS = saved


def clean_closest(lex: Any, contexts: list[tuple[str, str | None, str | None]], weights: np.ndarray) -> Any:
    saved = words.RANK_WEIGHTS
    words.RANK_WEIGHTS = tuple(float(v) for v in weights)
    try:
        scored = [(found[1], c, found[0].original) for c in contexts if (found := words.garbled_score(lex, *c))]
    finally:
        words.RANK_WEIGHTS = saved
    scored.sort(key=lambda s: -s[0])
    return scored


def cause(lex: Any, case: dict[str, Any]) -> str:
    """Why a synthetic case is not restored (or "restored")."""
    token, original = case["token"], case["original"]
    got = words.restore_garbled(lex, token, case["previous"], case["following"])
    if got and got.original == original:
        return "restored"
    if len(token) < words.MIN_GARBLED or not token.isalpha():
        return "not looked at: too short or not letters only"
    cands = words._candidates(lex, token)
    if not any(c.original == original for c in cands):
        if not lex.is_restorable(original):
            return "no candidate: the original is not a restorable word"
        return "no candidate: the thesaurus does not list the synonym for the piece"
    found = words.garbled_features(lex, token, case["previous"], case["following"])
    assert found is not None
    best, features = found
    if best.original != original:
        return "ranked: another candidate first"
    if features[-1]:
        return "score under the threshold, also read as a prefix on a real word"
    if features[-2]:
        return "score under the threshold, also read as a function word glued to a word"
    return "score under the threshold"


def scored_features(lex: Any, cases: list[dict[str, Any]], contexts: list[Any]) -> tuple[list[Any], list[Any]]:
    """The score features of every case's best candidate, (fold, restored right, features), and of every clean
    word's, (fold by the word, features), under the weights set now."""
    pos = []
    for case in cases:
        found = words.garbled_features(lex, case["token"], case["previous"], case["following"])
        if found:
            pos.append((case["fold"], found[0].original == case["original"], np.array(found[1])))
    neg = []
    for token, previous, following in contexts:
        found = words.garbled_features(lex, token, previous, following)
        if found:
            neg.append((zlib.crc32(token.encode()) % FOLDS, np.array(found[1])))
    return pos, neg


Tried = list[tuple[tuple[float, float], list[Any], list[Any], np.ndarray]]


def best_weights(tried: Tried, train: Any) -> tuple[float, float]:
    """Of the (weights, cases, clean words, weight vector) tried, in order, the weights that restore the most
    training cases while every training clean word scores at least :data:`MARGIN` under the threshold (ties:
    the smaller weights)."""
    best: tuple[int, float, tuple[float, float]] | None = None
    for pair, pos, neg, w in tried:
        if any(x @ w > words.THRESHOLD - MARGIN for f, x in neg if train(f)):
            continue
        got = sum(ok and x @ w >= words.THRESHOLD for f, ok, x in pos if train(f))
        key = (got, -sum(pair), pair)
        if best is None or key[:2] > best[:2]:
            best = key
    assert best is not None
    return best[2]


#: The weights tried for the two rival readings (a glued function word, a prefix derivation).
RIVAL_GRID = (-3.0, -2.0, -1.5, -1.0, -0.5, 0.0)


def rivals(lex: Any, cases: list[dict[str, Any]], contexts: list[Any]) -> None:
    """Fit the weights of the two rival readings (the last two of :data:`~words.WEIGHTS`, the rest kept).

    Per fold: the pair of weights that restores most training cases while every training clean word
    scores at least :data:`MARGIN` under the threshold (ties: the more cautious pair), then run on
    the held-out cases and clean words.
    """
    pos, neg = scored_features(lex, cases, contexts)
    base = np.array(words.WEIGHTS, dtype=float)

    def weights(glued: float, derivation: float) -> np.ndarray:
        w = base.copy()
        w[-2], w[-1] = glued, derivation
        return w

    tried = [((g, d), pos, neg, weights(g, d)) for g in RIVAL_GRID for d in RIVAL_GRID]

    def choose(train: Any) -> tuple[float, float]:
        return best_weights(tried, train)

    held = clean_held = 0
    for fold in range(FOLDS):
        w = weights(*choose(lambda f, fold=fold: f != fold))
        held += sum(ok and x @ w >= words.THRESHOLD for f, ok, x in pos if f == fold)
        clean_held += sum(x @ w >= words.THRESHOLD for f, x in neg if f == fold)
    glued, derivation = choose(lambda f: True)
    w = weights(glued, derivation)
    got = sum(ok and x @ w >= words.THRESHOLD for _, ok, x in pos)
    n = len(cases)
    print(f"rival readings, held out ({FOLDS} folds): restored {held}/{n} = {held / n:.1%}, clean {clean_held}")
    print(f"rival readings, fitted on all: glued {glued}, derivation {derivation}; restored {got}/{n} = {got / n:.1%}")


#: The weights tried for the health pairs (:func:`~words.health_fit`): in the ranking, and in the score.
HEALTH_RANK_GRID = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)
HEALTH_FIT_GRID = (0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0)


def health(lex: Any, cases: list[dict[str, Any]], contexts: list[Any]) -> None:
    """Fit the two weights of the health pairs (the last of :data:`~words.RANK_WEIGHTS`, and
    :data:`~words.HEALTH_FIT_WEIGHT` in :data:`~words.WEIGHTS`); the rest kept.

    Per fold: the pair of weights that restores most training cases while every training clean word
    scores at least :data:`MARGIN` under the threshold (ties: the smaller weights), then run on the
    held-out cases and clean words. Also counted apart: the cases whose word and both neighbours occur
    together in the text the pairs were counted from (a sentence written from the same template), where
    the pairs could be the case's own.
    """
    slot = len(words.WEIGHTS) - 3  # before the two rival readings
    saved = words.RANK_WEIGHTS
    tables: dict[float, tuple[list[Any], list[Any]]] = {}
    try:
        for rank_weight in HEALTH_RANK_GRID:
            words.RANK_WEIGHTS = (*saved[:-1], rank_weight)
            tables[rank_weight] = scored_features(lex, cases, contexts)
    finally:
        words.RANK_WEIGHTS = saved
    base = np.array(words.WEIGHTS, dtype=float)

    def weights(fit_weight: float) -> np.ndarray:
        w = base.copy()
        w[slot] = fit_weight
        return w

    tried = [((r, f), pos, neg, weights(f)) for r, (pos, neg) in tables.items() for f in HEALTH_FIT_GRID]

    def choose(train: Any) -> tuple[float, float]:
        return best_weights(tried, train)

    held = clean_held = 0
    for fold in range(FOLDS):
        rank_weight, fit_weight = choose(lambda f, fold=fold: f != fold)
        pos, neg = tables[rank_weight]
        w = weights(fit_weight)
        held += sum(ok and x @ w >= words.THRESHOLD for f, ok, x in pos if f == fold)
        clean_held += sum(x @ w >= words.THRESHOLD for f, x in neg if f == fold)
    rank_weight, fit_weight = choose(lambda f: True)
    n = len(cases)
    print(f"health pairs, held out ({FOLDS} folds): restored {held}/{n} = {held / n:.1%}, clean restored {clean_held}")
    pos, _ = tables[rank_weight]
    got = sum(ok and x @ weights(fit_weight) >= words.THRESHOLD for _, ok, x in pos)
    print(f"health pairs, fitted on all: rank weight {rank_weight}, score weight {fit_weight}; restored {got}/{n}")
    # Cases written from a template the counted text also uses could find their own pairs in the table.
    runs = counted_runs()
    fresh = [(c["previous"], c["original"], c["following"]) not in runs for c in cases]
    # pos holds the cases that have a candidate at all, in order
    scored = [
        f
        for c, f in zip(cases, fresh, strict=True)
        if words.garbled_features(lex, c["token"], c["previous"], c["following"])
    ]
    plain, _ = tables[0.0]
    with_pairs = sum(
        ok and x @ weights(fit_weight) >= words.THRESHOLD for f, (_, ok, x) in zip(scored, pos, strict=True) if f
    )
    without = sum(ok and x @ weights(0.0) >= words.THRESHOLD for f, (_, ok, x) in zip(scored, plain, strict=True) if f)
    m = sum(fresh)
    print(
        f"health pairs, the {m} cases whose word and neighbours never occur together in the counted text:"
        f" restored {with_pairs} ({with_pairs / m:.1%}), {without} ({without / m:.1%}) without the pairs"
    )


def counted_runs() -> set[tuple[str, str, str]]:
    """Every run of three words in the text the health pairs are counted from (scripts/build_health_pairs.py)."""
    import build_health_pairs as build

    held_out = build.case_sentences()
    runs: set[tuple[str, str, str]] = set()
    for text in build.texts():
        for sentence in held_out:
            text = text.replace(sentence, "\n")
        for piece in build.BREAK.split(text):
            tokens = [t.lower() for t in build.TOKEN.findall(piece)]
            runs.update(zip(tokens, tokens[1:], tokens[2:], strict=False))
    return runs


def rare_word_rates(lex: Any, sample: int = 3000) -> None:
    """How often real words too rare for the word tables (wordfreq, Zipf 1 to 2) get a restoration, without
    context, by length: the five-letter tokens must not fare worse than the longer ones."""
    from wordfreq import iter_wordlist, zipf_frequency

    seen: Counter[str] = Counter()
    restored: Counter[str] = Counter()
    for word in iter_wordlist("en", wordlist="large"):
        if len(word) < words.MIN_GARBLED or not (word.isascii() and word.isalpha()) or lex.is_common(word):
            continue
        if zipf_frequency(word, "en", wordlist="large") < 1.0 or (len(seen) == 2 and min(seen.values()) >= sample):
            break
        size = "5 letters" if len(word) == 5 else "6 letters or more"
        seen[size] += 1
        restored[size] += words.restore_garbled(lex, word) is not None
    for size, n in sorted(seen.items()):
        print(f"rare real words of {size}: {restored[size]}/{n} = {restored[size] / n:.1%} restored")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--causes", action="store_true", help="only tabulate why cases miss, with the shipped weights")
    parser.add_argument("--rank", action="store_true", help="also refit the ranking (slow; it gains nothing today)")
    args = parser.parse_args()
    lex = get_lexicon()
    cases = read_cases()
    causes = Counter(cause(lex, c) for c in cases)
    for name, n in causes.most_common():
        print(f"  {n:4}  {name}")
    if args.causes:
        return
    contexts = clean_contexts()
    scored = clean_closest(lex, contexts, np.array(words.RANK_WEIGHTS))
    over = [s for s in scored if s[0] >= words.THRESHOLD]
    top = ", ".join(f"{s[1][0]}->{s[2]} {s[0]:.2f}" for s in scored[:4])
    print(f"clean, shipped weights: {len(contexts)} unknown words in context, {len(over)} restored; closest: {top}")
    rivals(lex, cases, contexts)
    health(lex, cases, contexts)
    rare_word_rates(lex)
    if args.rank:
        ranking(lex, cases)


def ranking(lex: Any, cases: list[dict[str, Any]]) -> None:
    shipped = np.array(words.RANK_WEIGHTS, dtype=float)
    tables = {id(c): candidate_table(lex, c) for c in cases}
    print(f"{sum(t is not None for t in tables.values())}/{len(cases)} cases have the original among the candidates")
    held_correct = held_flagged = 0
    for fold in range(FOLDS):
        train = [t for c in cases if c["fold"] != fold and (t := tables[id(c)]) is not None]
        w = fit(train, shipped)
        c, f = recall(lex, [c for c in cases if c["fold"] == fold], w)
        held_correct += c
        held_flagged += f
    print(
        f"ranking refitted, held out ({FOLDS} folds by original word): {held_correct}/{len(cases)}"
        f" = {held_correct / len(cases):.1%} (flagged {held_flagged})"
    )
    w = fit([t for t in tables.values() if t is not None], shipped)
    correct, flagged = recall(lex, cases, w)
    print(f"ranking refitted on all, in sample: {correct}/{len(cases)} = {correct / len(cases):.1%}, flagged {flagged}")
    print("RANK_WEIGHTS = (" + ", ".join(f"{v:.3f}" for v in w) + ")")


if __name__ == "__main__":
    main()
