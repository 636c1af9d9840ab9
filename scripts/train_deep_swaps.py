"""Fit and measure the deeper stage's word-level swap model (``families/spun/data/deep_swap_model.json``).

The word features come from :func:`healthlint.families.spun.lmswaps.word_swaps` (the runtime's own code) over
whole texts scored by the runtime's numpy language model, cached per text (``--cache``; score in shards first):

- **dev pages**: the labelled pages of ``../shared/corpus/web/``, whole. A word of a labelled ``spun_evidence``
  phrase that its labelled original does not have (aligned word by word) is a swap; every word of a clean page is
  not; the other words of spun pages are left out of the fit (unlabelled: many are swaps too);
- **generated**: openings of the clean corpora (MedQuAD dev, news stories, press releases, NIH pages; an even
  share each, ``--clean``) and a thesaurus-spun copy of each (content words replaced by a Moby synonym at a rate
  of 10-30%, half of them with common synonyms only, as ``scripts/train_spun_model.py`` spins): the swapped words
  of the copies are swaps, every other word of both versions is not. They join every training fold.

The model is a logistic regression (standardized) over the word features. Out of fold (``scripts/devgroups.py``
folds, nested: each outer fold's thresholds come from inner out-of-fold scores of its training pages), it prints
the share of labelled evidence phrases with a reported word inside (*covered*), the share whose reported word's
synonym is a word of the labelled original that the phrase lacks (*restored*, ``bench/eval_web.py``'s "restores
part of the original"), and the words reported per 100,000 words of clean dev pages, for several threshold
rates, on every page and (``--page-flags``, the stacked page model's out-of-fold probabilities written by
``scripts/train_deep_spun.py --oof-out``) on the pages the stage judges or suspects spun. The shipped thresholds
``report`` (any page, ``swap-findings = "always"``) and ``report_spun`` (judged or suspected pages) hold
``--any-rate`` and ``--spun-rate`` words per 100,000 clean words on the out-of-fold scores.

Usage:
    for i in 0 1; do OPENBLAS_NUM_THREADS=1 nice -n 10 .venv/bin/python scripts/train_deep_swaps.py \\
        --cache DIR --shard $i/2 & done; wait
    .venv/bin/python scripts/train_deep_swaps.py --cache DIR [--page-flags FILE] [--write]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "bench"))

from devgroups import read_pages  # noqa: E402
from eval_web import locate, restores  # noqa: E402
from lm_spin_features import clean_openings  # noqa: E402
from train_spun_model import fit, predict, regression_fields  # noqa: E402

from healthlint.families.spun.deep import TOKENS, features_of, model_path, stacked_model  # noqa: E402
from healthlint.families.spun.lmswaps import FEATURES, SWAP_MODEL_FILE  # noqa: E402
from healthlint.families.spun.swaps import FUNCTION_WORDS  # noqa: E402

OUT = REPO / "src" / "healthlint" / "families" / "spun" / "data" / SWAP_MODEL_FILE
TOKEN = re.compile(r"[A-Za-z]+")


def spin(text: str, lex: Any, rate: float, common_only: bool, rng: random.Random) -> tuple[str, list[list[Any]]]:
    """``train_spun_model.spin``, keeping where each swap landed: (spun text, [start, end, original])."""
    out: list[str] = []
    swaps: list[list[Any]] = []
    at = length = 0
    for m in TOKEN.finditer(text):
        out.append(text[at : m.start()])
        length += m.start() - at
        word, new = m.group(0), m.group(0)
        if word.islower() and word not in FUNCTION_WORDS and lex.zipf(word) >= 3.0 and rng.random() <= rate:
            synonyms = sorted(lex.synonyms(word))
            if common_only:
                synonyms = [s for s in synonyms if " " not in s and lex.zipf(s) >= 3.5]
            if synonyms:
                new = rng.choice(synonyms)
                swaps.append([length, length + len(new), word])
        out.append(new)
        length += len(new)
        at = m.end()
    out.append(text[at:])
    return "".join(out), swaps


def texts(clean: int) -> list[dict[str, Any]]:
    from healthlint.families.spun.shared import analyzer

    lex = analyzer().lex
    rng = random.Random(16)
    items: list[dict[str, Any]] = []
    for i, record in enumerate(read_pages()):
        items.append({"kind": "dev", "index": i, "text": record["text"]})
    for doc, source, text in clean_openings(clean, seed=15):
        items.append({"kind": "clean", "doc": doc, "source": source, "text": text})
        spun, swaps = spin(text, lex, rng.choice((0.1, 0.2, 0.3)), rng.random() < 0.5, rng)
        items.append({"kind": "spun", "doc": doc, "source": source, "text": spun, "swaps": swaps})
    return items


def key_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def score_all(items: list[dict[str, Any]], cache: Path, shard: tuple[int, int]) -> None:
    from healthlint.families.spun.lm import LanguageModel
    from healthlint.families.spun.lmswaps import word_swaps
    from healthlint.families.spun.shared import analyzer

    lex = analyzer().lex
    lm = LanguageModel(model_path())
    cache.mkdir(parents=True, exist_ok=True)
    for n, item in enumerate(items):
        path = cache / f"{key_of(item['text'])}.json"
        if n % shard[1] != shard[0] or path.exists():
            continue
        started = time.process_time()
        scores = lm.score(item["text"])
        words = word_swaps(item["text"], scores, lm, lex)
        page = features_of(item["text"], scores.head(TOKENS), lm.word_of, lex)
        record = {
            "tokens": len(scores.spans) + 1,
            "seconds": time.process_time() - started,
            "page_features": page,
            "words": [
                [w.start, w.end, w.word, w.synonym, [w.features[f] for f in FEATURES], [list(c) for c in w.candidates]]
                for w in words
            ],
        }
        path.write_text(json.dumps(record), encoding="utf-8")
        print(f"{n}/{len(items)} {item['kind']} {record['tokens']} tokens {record['seconds']:.1f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--clean", type=int, default=120, help="clean openings (an even share per corpus)")
    parser.add_argument("--shard", help="i/n: score every n-th text from the i-th, into the cache")
    parser.add_argument("--any-rate", type=float, default=100.0, help="words reported per 100k clean words, any page")
    parser.add_argument("--spun-rate", type=float, default=1000.0, help="... on pages judged or suspected spun")
    parser.add_argument("--page-flags", type=Path, help="train_deep_spun.py --oof-out's JSON (p per page)")
    parser.add_argument("--write", action="store_true", help=f"write {OUT.name}")
    args = parser.parse_args()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    items = texts(args.clean)
    if args.shard:
        i, n = (int(v) for v in args.shard.split("/"))
        score_all(items, args.cache, (i, n))
        return
    fit_and_measure(items, args, read_pages())


def load(items: list[dict[str, Any]], cache: Path) -> list[dict[str, Any]]:
    done = []
    for item in items:
        path = cache / f"{key_of(item['text'])}.json"
        if path.exists():
            done.append(item | json.loads(path.read_text(encoding="utf-8")))
            if item["kind"] == "dev":
                WORDS[item["index"]] = done[-1]["words"]
    return done


FOLDS = 5


def word_rows(items: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray]:
    """Features and label (a generated swap) of every scored word of the generated texts."""
    x, y = [], []
    for item in items:
        if item["kind"] == "dev":
            continue
        swaps = item.get("swaps", [])
        for start, end, _, _, features, *_ in item["words"]:
            x.append(features)
            y.append(any(s < end and start < e for s, e, _ in swaps))
    return np.array(x), np.array(y)


def standardize(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    spread = x.std(axis=0)
    return x.mean(axis=0), np.where(spread > 1e-9, spread, 1.0)


def fitted(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    mean, scale = standardize(x)
    weights, bias = fit((x - mean) / scale, y.astype(float), np.ones(len(y)))
    return mean, scale, weights, bias


def probabilities(model: tuple[np.ndarray, np.ndarray, np.ndarray, float], x: np.ndarray) -> np.ndarray:
    mean, scale, weights, bias = model
    return np.asarray(predict((x - mean) / scale, (weights, bias)))


def threshold_for(p_clean: np.ndarray, clean_words: int, per_100k: float) -> float:
    """The lowest probability at which the clean words reported stay within ``per_100k`` per 100,000 words."""
    allowed = int(per_100k * clean_words / 100_000)
    ranked = np.sort(p_clean)[::-1]
    return float(ranked[allowed] + 1e-6) if allowed < len(ranked) else 0.0


def words_of(text: str) -> int:
    return len(TOKEN.findall(text))


def dev_rows(items: list[dict[str, Any]], pages: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    """Every scored word of the labelled dev pages: features, page, label (1: a word of a ``spun_evidence`` phrase
    that its labelled original does not have; 0: a word of a clean page; -1: any other word of a spun page)."""
    dev = {i["index"]: i for i in items if i["kind"] == "dev"}
    x, label, page, named = [], [], [], []
    for index, record in enumerate(pages):
        item, labels = dev.get(index), record["labels"]
        if item is None or labels["spun"] is None:
            continue
        changed = changed_words(record) if labels["spun"] else {}
        for start, _, _, synonym, features, *_ in item["words"]:
            x.append(features)
            label.append(1 if start in changed else (-1 if labels["spun"] else 0))
            page.append(index)
            named.append(changed.get(start) == synonym.lower())
    return {"x": np.array(x), "label": np.array(label), "page": np.array(page), "named": np.array(named)}


def changed_words(record: dict[str, Any]) -> dict[int, str | None]:
    """Start offset of each word of the page's evidence phrases that the labelled original replaced (and the
    original word, when the two align one for one)."""
    import difflib

    text, labels = record["text"], record["labels"]
    changed: dict[int, str | None] = {}
    for phrase in labels["spun_evidence"]:
        where = locate(text, phrase)
        if where is None:
            continue
        spun = [(where[0] + m.start(), m.group().lower()) for m in TOKEN.finditer(text[where[0] : where[1]])]
        original = [m.group().lower() for m in TOKEN.finditer(str(labels["spun_originals"].get(phrase) or ""))]
        matcher = difflib.SequenceMatcher(a=[w for _, w in spun], b=original, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            for n, (start, _) in enumerate(spun[i1:i2]):
                changed[start] = original[j1 + n] if op == "replace" and i2 - i1 == j2 - j1 else None
    return changed


RATES = (50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 3000.0, 5000.0)


def fit_and_measure(items: list[dict[str, Any]], args: argparse.Namespace, pages: list[dict[str, Any]]) -> None:
    from devgroups import folds as group_folds
    from train_spun_model import auc

    items = load(items, args.cache)
    gx, gy = word_rows(items)
    d = dev_rows(items, pages)
    labelled = [i for i, r in enumerate(pages) if r["labels"]["spun"] is not None]
    spun = [bool(pages[i]["labels"]["spun"]) for i in labelled]
    fold_of = dict(zip(labelled, group_folds([pages[i] for i in labelled], FOLDS, positive=spun), strict=True))
    dfold = np.array([fold_of[int(p)] for p in d["page"]])
    dx, dl = d["x"], d["label"]
    clean_words = {i: words_of(pages[i]["text"]) for i in labelled if not pages[i]["labels"]["spun"]}
    print(
        f"generated: {len(gy)} words ({int(gy.sum())} swaps) of {sum(i['kind'] != 'dev' for i in items)} texts;"
        f" dev pages: {int((dl == 1).sum())} labelled swapped words, {int((dl == 0).sum())} words of clean pages"
        f" ({sum(clean_words.values())} words), {int((dl == -1).sum())} other words of spun pages"
    )

    def train(dev_mask: np.ndarray, generated: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
        keep = dev_mask & (dl >= 0)
        x, y = dx[keep], dl[keep] == 1
        if generated:
            x, y = np.vstack([x, gx]), np.concatenate([y, gy])
        return fitted(x, y)

    known = dl >= 0
    for name, use_dev, generated in (("generated only", False, True), ("dev only", True, False), ("both", True, True)):
        oof = np.zeros(len(dl))
        for k in range(FOLDS):
            oof[dfold == k] = probabilities(train((dfold != k) & use_dev, generated), dx[dfold == k])
        print(f"  word AUC on dev words out of fold, {name}: {auc(oof[known], dl[known] == 1):.3f}")
    print(f"  gain alone: {auc(dx[known, 0], dl[known] == 1):.3f}")

    # Out of fold, nested: each outer fold's thresholds come from inner out-of-fold scores of its training pages.
    oof = np.zeros(len(dl))
    cuts = {rate: np.zeros(len(dl)) for rate in RATES}
    for k in range(FOLDS):
        test = dfold == k
        oof[test] = probabilities(train(~test, True), dx[test])
        inner = np.zeros(len(dl))
        for j in set(range(FOLDS)) - {k}:
            inner[dfold == j] = probabilities(train(~test & (dfold != j), True), dx[dfold == j])
        clean = ~test & (dl == 0)
        words = sum(n for i, n in clean_words.items() if fold_of[i] != k)
        for rate in RATES:
            cuts[rate][test] = threshold_for(inner[clean], words, rate)
    flags = dev_flags(args.page_flags)
    print("  out of fold (nested thresholds), evidence phrases covered / original restored / clean words per 100k:")
    for rate in RATES:
        line = f"    clean rate {rate:6g}: any page " + dev_figures(pages, d, oof, cuts[rate], None)
        if flags:
            line += "; flagged pages " + dev_figures(pages, d, oof, cuts[rate], flags)
        print(line)
    print("  phrase findings, out of fold: covered / original suggested (whole; or among the alternatives) /")
    print("  part restored (the whole suggestion; a word of it) / the labelled original of the finding's span /")
    print("  clean findings per 100k words (flagged clean pages)")
    for rate, flagged in ((args.spun_rate, flags), (args.any_rate, None)):
        for extent, right in VARIANTS:
            print(
                f"    rate {rate:g}, {'flagged pages' if flagged else 'any page'}, {extent}"
                f"{' + right context' if right else ''}: "
                + phrase_figures(pages, d, oof, cuts[rate], flagged, extent, right)
            )

    model = train(np.ones(len(dl), dtype=bool), True)
    final = np.zeros(len(dl))
    for k in range(FOLDS):
        final[dfold == k] = probabilities(train(dfold != k, True), dx[dfold == k])
    total = sum(clean_words.values())
    report = threshold_for(final[dl == 0], total, args.any_rate)
    report_spun = threshold_for(final[dl == 0], total, args.spun_rate)
    in_sample = probabilities(model, dx)
    print(f"  shipped: report p >= {report:.3f}, report_spun p >= {report_spun:.3f}; in sample:")
    print("    any page:", dev_figures(pages, d, in_sample, np.full(len(dl), report), None))
    if flags:
        print("    flagged pages:", dev_figures(pages, d, in_sample, np.full(len(dl), report_spun), flags))
    mean, scale, weights, bias = model
    out = {
        "features": list(FEATURES),
        **regression_fields(mean, scale, weights, bias),
        "report": round(report, 4),
        "report_spun": round(report_spun, 4),
        "trained_on": (
            f"{int((dl == 1).sum())} labelled swapped words and {int((dl == 0).sum())} words of clean pages of"
            " ../shared/corpus/web's dev pages, and thesaurus substitutions over"
            f" {sum(i['kind'] == 'clean' for i in items)} clean openings ({int(gy.sum())} swaps among {len(gy)} words);"
            f" thresholds: {args.any_rate:g} and {args.spun_rate:g} reported words per 100k words of clean dev pages,"
            " on out-of-fold scores"
        ),
    }
    for name, w in zip(FEATURES, out["weights"], strict=True):
        print(f"  {name:14s} {w:+.3f}")
    if args.write:
        OUT.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")


def dev_flags(path: Path | None) -> dict[int, bool] | None:
    """Pages the stage judges or suspects spun, by dev page index (a JSON object of probabilities), when given."""
    if path is None:
        return None
    # The shipped tier: the stage reports swaps on the pages it flags at it.
    suspect = stacked_model().suspect
    return {int(k): float(v) >= suspect for k, v in json.loads(path.read_text(encoding="utf-8")).items()}


def dev_figures(
    pages: list[dict[str, Any]],
    d: dict[str, np.ndarray],
    p: np.ndarray,
    cut: np.ndarray,
    flags: dict[int, bool] | None,
) -> str:
    """Evidence covered and restored by the words reported (``p >= cut``), on every page or the flagged ones."""
    reported = (p >= cut) & np.array([flags is None or flags.get(int(i), False) for i in d["page"]])
    phrases = covered = restored = clean_found = clean_words = 0
    for index in sorted(set(d["page"].tolist())):
        page, labels = pages[index], pages[index]["labels"]
        mine = np.flatnonzero((d["page"] == index) & reported)
        if not labels["spun"]:
            clean_found += len(mine)
            clean_words += words_of(page["text"])
            continue
        words = [WORDS[index][i] for i in mine - int(np.flatnonzero(d["page"] == index)[0])]
        for phrase in labels["spun_evidence"]:
            where = locate(page["text"], phrase)
            if where is None:
                continue
            phrases += 1
            near = [w for w in words if w[0] < where[1] and where[0] < w[1]]
            covered += bool(near)
            original = str(labels["spun_originals"].get(phrase) or "").lower()
            restored += bool(original) and any(restores(w[2], {"suggestion": w[3]}, original) for w in near)
    return (
        f"{covered}/{phrases} ({covered / max(phrases, 1):.1%}) / {restored} ({restored / max(phrases, 1):.1%})"
        f" / {clean_found * 1e5 / max(clean_words, 1):.0f}"
    )


#: Phrase extents measured (``word``: each flagged word alone, as before phrase findings), with or without the
#: right-hand context in choosing the original.
VARIANTS = (("word", False), ("word", True), ("run", False), ("run", True), ("pair", False), ("pair", True))


def phrase_figures(
    pages: list[dict[str, Any]],
    d: dict[str, np.ndarray],
    p: np.ndarray,
    cut: np.ndarray,
    flags: dict[int, bool] | None,
    extent: str,
    right_context: bool,
) -> str:
    """Evidence covered, original suggested and restored by the phrase findings (:func:`lmswaps.phrase_swaps`)
    the words reported (``p >= cut``) make, on every page or the flagged ones."""
    from healthlint.families.spun.lmswaps import WordSwap, phrase_swaps
    from healthlint.families.spun.shared import analyzer

    lex = analyzer().lex
    reported = (p >= cut) & np.array([flags is None or flags.get(int(i), False) for i in d["page"]])
    phrases = covered = suggested = among = restored = word_restored = span_right = 0
    clean_found = clean_words = clean_pages = 0
    for index in sorted(set(d["page"].tolist())):
        page, labels = pages[index], pages[index]["labels"]
        rows = np.flatnonzero(d["page"] == index)
        flagged = []
        for i in np.flatnonzero(reported[rows]):
            start, end, word, synonym, features, candidates = WORDS[index][i]
            swap = WordSwap(
                start,
                end,
                word,
                synonym,
                dict(zip(FEATURES, features, strict=True)),
                tuple((c, b) for c, b in candidates),
            )
            flagged.append((swap, float(p[rows[i]])))
        if extent == "word":
            found = [
                f
                for one in flagged
                for f in phrase_swaps(page["text"], [one], lex, extent="run", right_context=right_context)
            ]
        else:
            found = phrase_swaps(page["text"], flagged, lex, extent=extent, right_context=right_context)
        if not labels["spun"]:
            clean_found += len(found)
            clean_words += words_of(page["text"])
            clean_pages += bool(found)
            continue
        for phrase in labels["spun_evidence"]:
            where = locate(page["text"], phrase)
            if where is None:
                continue
            phrases += 1
            near = [f for f in found if f.start < where[1] and where[0] < f.end]
            covered += bool(near)
            original = str(labels["spun_originals"].get(phrase) or "").lower()
            if not original:
                continue
            suggested += any(original in f.suggestion.lower() for f in near)
            among += any(original in s.lower() for f in near for s in (f.suggestion, *f.alternatives))
            restored += any(restores(f.text, {"suggestion": f.suggestion}, original) for f in near)
            aligned = aligned_original(page["text"], where, original)
            span_right += any(span_original(f, aligned) == TOKEN.findall(f.suggestion.lower()) for f in near)
            word_restored += any(
                restores(w.word, {"suggestion": o}, original)
                for f in near
                for w, o in zip(f.words, f.originals, strict=True)
            )
    n = max(phrases, 1)
    return (
        f"{covered}/{phrases} ({covered / n:.1%}) / {suggested} ({suggested / n:.1%}; {among / n:.1%})"
        f" / {restored} ({restored / n:.1%}; a word: {word_restored / n:.1%})"
        f" / {span_right} ({span_right / n:.1%}) / {clean_found * 1e5 / max(clean_words, 1):.0f}"
        f" ({clean_found} on {clean_pages} clean pages)"
    )


def aligned_original(text: str, where: tuple[int, int], original: str) -> dict[int, str | None]:
    """Each word of the evidence phrase at ``where`` (by start offset): the labelled original's word aligned to it
    one for one (None where the original is rewritten otherwise)."""
    import difflib

    spun = [(where[0] + m.start(), m.group().lower()) for m in TOKEN.finditer(text[where[0] : where[1]])]
    words = [m.group().lower() for m in TOKEN.finditer(original)]
    matcher = difflib.SequenceMatcher(a=[w for _, w in spun], b=words, autojunk=False)
    aligned: dict[int, str | None] = {}
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        for n, (start, _) in enumerate(spun[i1:i2]):
            one_for_one = op == "equal" or (op == "replace" and i2 - i1 == j2 - j1)
            aligned[start] = words[j1 + n] if one_for_one else None
    return aligned


def span_original(found: Any, aligned: dict[int, str | None]) -> list[str | None]:
    """The labelled original of a finding's span, word by word (its own words outside the evidence phrase)."""
    return [
        aligned.get(found.start + m.start(), m.group().lower())
        if found.start + m.start() in aligned
        else m.group().lower()
        for m in TOKEN.finditer(found.text)
    ]


#: The scored words of each dev page (filled by :func:`load`), for :func:`dev_figures`.
WORDS: dict[int, list[list[Any]]] = {}


if __name__ == "__main__":
    main()
