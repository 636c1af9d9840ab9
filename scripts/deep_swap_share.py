"""The swap share of the stacked page model: each text's opening scored as the stage scores it, and word models
that never saw the text's fold.

The stacked model (``scripts/train_deep_spun.py``) reads, besides the ten LM features of the opening, the share of
the opening's content words (the first :data:`~healthlint.families.spun.deep.TOKENS` tokens) that a word swap
model gives at least ``CUT``. At run time the stage takes the word features from the scores of the opening it has
already computed (``deep.opening_words``). Here:

- ``--score``: every labelled dev page and clean opening of ``scripts/lm_spin_features.py`` is scored as the stage
  scores it (``LanguageModel.score(text, TOKENS)``) and its LM features and opening word features are cached (one
  line a text, one file a shard: run ``--shard i/n`` in n processes);
- :class:`WordModels`: the word model (``scripts/train_deep_swaps.py``'s form: its generated words and the
  labelled words of the dev pages, scored whole, in that script's cache) fitted without some folds of the dev
  pages and without the generated texts of the same folds' clean documents, so that a text's share never comes from
  a word model that saw the text's fold (nor, for the training rows of an outer fold, the outer test fold).

Without ``--score`` it prints the share's AUC alone, out of fold.

    for i in 0 1; do OPENBLAS_NUM_THREADS=1 nice -n 10 .venv/bin/python scripts/deep_swap_share.py --score \\
        --cache /tmp/openings --shard $i/2 & done; wait
    .venv/bin/python scripts/deep_swap_share.py --cache /tmp/openings --swaps /tmp/swaps
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import train_deep_swaps as swaps  # noqa: E402
from devgroups import folds as group_folds  # noqa: E402
from devgroups import read_pages  # noqa: E402
from lm_spin_features import FOLDS, clean_openings  # noqa: E402
from train_spun_model import auc  # noqa: E402

from healthlint.families.spun.deep import TOKENS, features_of, model_path, opening_words  # noqa: E402
from healthlint.families.spun.lmswaps import FEATURES as WORD_FEATURES  # noqa: E402

#: A word counts in the share from this word-model probability (looked at among 0.2, 0.3 and 0.5, wave 7).
CUT = 0.2
CLEAN = 200


def texts() -> tuple[list[int], list[dict[str, Any]], list[tuple[int, str, str]]]:
    """The labelled dev pages (their indices in the file, the records) and the clean openings, as
    ``scripts/lm_spin_features.py`` draws them."""
    every = read_pages()
    indices = [i for i, r in enumerate(every) if r["labels"]["spun"] is not None]
    records = [every[i] for i in indices]
    return indices, records, clean_openings(CLEAN, [len(r["text"]) for r in records])


def key_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def score(all_texts: list[str], cache: Path, shard: int, shards: int) -> None:
    from healthlint.families.spun.lm import LanguageModel
    from healthlint.families.spun.shared import analyzer

    done = load(cache)
    todo = [t for n, t in enumerate(all_texts) if n % shards == shard and key_of(t) not in done]
    if not todo:
        return
    lex = analyzer().lex
    lm = LanguageModel(model_path())
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / f"opening-{shard}.jsonl").open("a", encoding="utf-8") as out:
        for n, text in enumerate(todo, 1):
            started = time.process_time()
            head = lm.score(text, TOKENS)
            row = {
                "key": key_of(text),
                "features": features_of(text, head, lm.word_of, lex),
                "words": [[w[f] for f in WORD_FEATURES] for w in opening_words(text, head, lm, lex)],
                "tokens": len(head.spans) + 1,
                "seconds": time.process_time() - started,
            }
            out.write(json.dumps(row) + "\n")
            out.flush()
            if n % 25 == 0:
                print(f"shard {shard}: {n}/{len(todo)}", file=sys.stderr, flush=True)


def load(cache: Path) -> dict[str, dict[str, Any]]:
    done: dict[str, dict[str, Any]] = {}
    for path in sorted(cache.glob("opening-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            done[row["key"]] = row
    return done


def opening_rows(cache: Path, all_texts: list[str]) -> list[dict[str, Any]]:
    done = load(cache)
    missing = sum(key_of(t) not in done for t in all_texts)
    if missing:
        raise SystemExit(f"{missing} texts not scored yet: run this script with --score (all shards) first")
    return [done[key_of(t)] for t in all_texts]


Model = tuple[np.ndarray, np.ndarray, np.ndarray, float]


class WordModels:
    """The word swap model fitted without some folds of the dev pages (``train_deep_swaps.py``'s data and fit)."""

    def __init__(self, swaps_cache: Path, indices: list[int], dfold: np.ndarray) -> None:
        items = swaps.load(swaps.texts(80), swaps_cache)
        self.gx, self.gy = swaps.word_rows(items)
        # A generated text goes with its clean document's fold (that of the clean openings), out of that fold's fits.
        self.gfold = np.array([i["doc"] % FOLDS for i in items if i["kind"] != "dev" for _ in i["words"]])
        self.d = swaps.dev_rows(items, read_pages())
        if not len(self.gy) or not len(self.d["label"]):
            raise SystemExit(f"no scored words in {swaps_cache}: run scripts/train_deep_swaps.py --shard first")
        fold_of = dict(zip(indices, dfold.tolist(), strict=True))
        self.wfold = np.array([fold_of[int(p)] for p in self.d["page"]])
        self.fitted: dict[frozenset[int], Model] = {}

    def without(self, folds: set[int]) -> Model:
        key = frozenset(folds)
        if key not in self.fitted:
            keep = ~np.isin(self.wfold, list(folds)) & (self.d["label"] >= 0)
            generated = ~np.isin(self.gfold, list(folds))
            x = np.vstack([self.d["x"][keep], self.gx[generated]])
            y = np.concatenate([self.d["label"][keep] == 1, self.gy[generated]])
            self.fitted[key] = swaps.fitted(x, y)
        return self.fitted[key]


def share(model: Model, words: list[list[float]], cut: float = CUT) -> float:
    """The share of an opening's words that ``model`` gives ``cut`` or more (what ``StackedModel.swap_share`` does)."""
    if not words:
        return 0.0
    return float((swaps.probabilities(model, np.array(words)) >= cut).mean())


def shares(model: Model, rows: list[dict[str, Any]], cut: float = CUT) -> np.ndarray:
    return np.array([share(model, row["words"], cut) for row in rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, required=True, help="the openings' scores (written by --score)")
    parser.add_argument("--swaps", type=Path, help="train_deep_swaps.py's cache (dev pages scored whole)")
    parser.add_argument("--score", action="store_true", help="score the openings into --cache")
    parser.add_argument("--shard", default="0/1", help="with --score: texts i mod n (i/n)")
    args = parser.parse_args()
    indices, records, openings = texts()
    all_texts = [r["text"] for r in records] + [t for _, _, t in openings]
    if args.score:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        shard, shards = (int(n) for n in args.shard.split("/"))
        score(all_texts, args.cache, shard, shards)
        return
    if args.swaps is None:
        raise SystemExit("--swaps is needed to fit the word models")
    rows = opening_rows(args.cache, all_texts)
    dy = np.array([bool(r["labels"]["spun"]) for r in records])
    dfold = np.array(group_folds(records, FOLDS, positive=list(dy)))
    fold = np.concatenate([dfold, np.array([i % FOLDS for i, _, _ in openings])])
    words = WordModels(args.swaps, indices, dfold)
    alone = sum(shares(words.without({k}), rows) * (fold == k) for k in range(FOLDS))
    dev = np.arange(len(rows)) < len(records)
    y = np.concatenate([dy, np.zeros(len(openings), dtype=bool)])
    print(f"swap share alone (word model out of fold): AUC on dev pages {auc(alone[dev], dy):.3f},")
    print(f"  spun dev pages against the clean openings {auc(alone[y | ~dev], y[y | ~dev]):.3f}")


if __name__ == "__main__":
    main()
