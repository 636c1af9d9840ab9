"""Check the trigram store (spun/lmstore.py) against pocketsphinx's own reading of the model, query by query.

Usage (from the repository root):

    .venv/bin/python scripts/check_trigram_store.py [--random N] [--pages PATH ...]

The spun analysis runs over the given pages (default: the dev pages and the clean MedQuAD answers under
../shared, when present) with the store; every judged word's scores (:meth:`TrigramStore.best_of`) are compared
with the analysis's reading before the store (one ``pocketsphinx.NGramModel.prob`` per term), and every other query
(:meth:`TrigramStore.prob`) with ``NGramModel.prob``. Then N/4 random judged words (contexts from stored trigrams,
random rivals) and N random word triples, pairs and single words (stored n-grams, the same with a word changed,
random words) are compared the same way. The script prints how many differ (and the first few) and exits 1 if any
does.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from healthlint.families.spun import lmstore, trigram  # noqa: E402

SHARED = REPO.parent / "shared"


#: A word the model does not know (any other reads the same).
UNKNOWN_WORD = "\x00unknown"


def reference_best_of(
    model: Any, words: list[str], w: int, rivals: tuple[int, ...], a1: int, a2: int, c1: int, c2: int, right: int
) -> tuple[tuple[int, int], int]:
    """:meth:`TrigramStore.best_of` as the analysis computed it with pocketsphinx before the store: one
    ``model.prob`` per term (the result, and how many queries that took)."""

    def word(i: int) -> str:
        return words[i] if i >= 0 else UNKNOWN_WORD

    prob = model.prob
    asked = 0
    history = [word(a2)] if a1 < 0 else [word(a2), word(a1)]
    sa2, sc1, sc2 = word(a2), word(c1), word(c2)
    base = best = 0
    for n, x in enumerate((w, *rivals)):
        sx = word(x)
        found = prob([sx, *history])
        asked += 1
        if n and found <= best:
            continue
        if right:
            found += prob([sc1, sx, sa2])
            asked += 1
            if right == 2 and (not n or found > best):
                found += prob([sc2, sc1, sx])
                asked += 1
        if not n:
            base = best = found
        elif found > best:
            best = found
    return (base, best), asked


class Checking:
    """The store in the analysis's place, each answer compared with pocketsphinx's."""

    def __init__(self, store: lmstore.TrigramStore, model: Any, words: list[str]) -> None:
        self.store, self.model, self.words = store, model, words
        self.word_id = store.word_id
        self.queries = 0
        self.positions = 0
        self.differ: list[str] = []

    def prob(self, q: list[str]) -> int:
        want, got = int(self.model.prob(q)), self.store.prob(q)
        self.queries += 1
        if want != got:
            self.differ.append(f"prob {q}: pocketsphinx {want}, store {got}")
        return got

    def best_of(self, *args: Any) -> tuple[int, int]:
        want, asked = reference_best_of(self.model, self.words, *args)
        got = self.store.best_of(*args)
        self.queries += asked
        self.positions += 1
        if want != got:
            self.differ.append(f"best_of {args}: pocketsphinx {want}, store {got}")
        return got


def analysis_check(checking: Checking, paths: list[Path], limit: int) -> None:
    """Run the spun analysis over the texts of ``paths`` (JSON lines with a text) with ``checking`` as its model."""
    from healthlint.article import parse_article
    from healthlint.families.spun.analysis import Analyzer
    from healthlint.families.spun.options import SpunOptions
    from healthlint.families.spun.settings import compile_settings

    trigram._opened[:] = [checking]  # type: ignore[list-item]
    analyzer = Analyzer()
    settings = compile_settings(SpunOptions())
    n = 0
    for path in paths:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                if n >= limit:
                    break
                record = json.loads(line)
                text = record.get("text") or record.get("answer") or ""
                analyzer.analyze(parse_article(f"p{n}.md", text), settings)
                n += 1
    trigram.forget()


def random_positions(store: lmstore.TrigramStore, n_words: int, count: int, seed: int) -> list[tuple[int, ...]]:
    """Random arguments of :meth:`TrigramStore.best_of`: contexts taken from stored trigrams, random rivals."""
    rng = random.Random(seed)
    u_start, bi_ctx, bi_child, tri_ctx = store._u_start, store._bi_ctx, store._bi_child, store._tri_ctx
    out: list[tuple[int, ...]] = []
    for _ in range(count):
        w = rng.randrange(n_words)
        lo, hi = u_start[w], u_start[w + 1]
        a2 = bi_ctx[rng.randrange(lo, hi)] if hi > lo and rng.random() < 0.8 else rng.randrange(-1, n_words)
        a1 = rng.randrange(-1, n_words)
        c1 = rng.randrange(-1, n_words)
        c2 = rng.randrange(-1, n_words)
        if hi > lo:
            j = rng.randrange(lo, hi)
            if bi_child[j + 1] > bi_child[j] and rng.random() < 0.5:
                a2, a1 = bi_ctx[j], tri_ctx[rng.randrange(bi_child[j], bi_child[j + 1])]
        rivals = tuple(rng.randrange(n_words) for _ in range(rng.randrange(1, 9)))
        out.append((w, rivals, a1, a2, c1, c2, rng.randrange(3)))
    return out


def random_queries(store: lmstore.TrigramStore, words: list[str], count: int, seed: int) -> list[list[str]]:
    """Random queries: stored trigrams and bigrams (and the same with one word changed), random words."""
    rng = random.Random(seed)
    out: list[list[str]] = []
    u_start, bi_ctx, bi_child, tri_ctx = store._u_start, store._bi_ctx, store._bi_child, store._tri_ctx
    n = len(words)
    for _ in range(count):
        w = rng.randrange(n)
        lo, hi = u_start[w], u_start[w + 1]
        kind = rng.randrange(4)
        if kind == 0 or lo == hi:
            out.append([words[rng.randrange(n)] for _ in range(rng.choice((1, 2, 3)))])
            continue
        j = rng.randrange(lo, hi)
        h1 = words[bi_ctx[j]]
        tlo, thi = bi_child[j], bi_child[j + 1]
        h2 = words[tri_ctx[rng.randrange(tlo, thi)]] if thi > tlo and kind != 3 else words[rng.randrange(n)]
        out.append([words[w], h1, h2])
        out.append([words[w], h1])
        out.append([words[rng.randrange(n)], h1, h2])
        out.append([words[w], words[rng.randrange(n)], h2])
    # the two ranges of the wheel's model that are not sorted (see lmstore._sorted_ranges)
    out += [
        ["bullhorns", "and", "whips"],
        ["bullhorns", "and", "teased"],
        ["jerri", "and", "coach"],
        ["jerri", "and", "<s>"],
    ]
    out += [["The"], ["<s>"], ["the", "<s>"], ["the", "<s>", "<s>"], ["of", "Zzq", "the"], ["", "the"], ["the", ""]]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--random", type=int, default=200_000, help="random queries (default 200,000)")
    parser.add_argument("--pages", type=Path, nargs="*", help="JSON-lines files of texts to take queries from")
    parser.add_argument("--limit", type=int, default=1000, help="at most this many texts (default 1,000)")
    args = parser.parse_args()
    import pocketsphinx

    path = trigram.model_path()
    if path is None:
        raise SystemExit("pocketsphinx is not installed")
    model = pocketsphinx.NGramModel.readfile(path)
    start = time.perf_counter()
    store = lmstore.TrigramStore(lmstore.build_store(path, {}), {})
    print(f"built the store in memory in {time.perf_counter() - start:.1f} s")
    vocabulary = lmstore.read_trie(path)["words"]
    pages = args.pages
    if pages is None:
        pages = [
            p
            for p in (SHARED / "corpus/web/dev_pages.jsonl", SHARED / "corpus/clean/medquad_dev.jsonl.gz")
            if p.exists()
        ]
    checking = Checking(store, model, vocabulary)
    if pages:
        analysis_check(checking, pages, args.limit)
    print(
        f"the analysis over {', '.join(p.name for p in pages) or 'no pages'}: {checking.positions:,} judged words, "
        f"{checking.queries:,} pocketsphinx queries, {len(checking.differ)} differ"
    )
    for position in random_positions(store, len(vocabulary), args.random // 4, seed=2):
        checking.best_of(*position)
    for q in random_queries(store, vocabulary, args.random, seed=1):
        checking.prob(q)
    bad = len(checking.differ)
    for line in checking.differ[:10]:
        print("differs:", line)
    print(f"with random ones: {checking.positions:,} judged words, {checking.queries:,} queries, {bad} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
