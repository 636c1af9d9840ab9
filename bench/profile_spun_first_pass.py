"""Where HL1's first pass over new text spends its time: the trigram signal's parts, timed in a fresh process.

Usage (from the repository root): ``.venv/bin/python bench/profile_spun_first_pass.py [--limit N]``

A fresh process opens the analyzer (index and trigram store cached on disk), analyses one short text, then:

- the first 600-word news story (as ``bench/bench_spun.py``'s cold start), then every clean corpus document
  (``bench/clean_corpora.py``, at most N) once: text the process has not seen;
- for each, the time of the whole analysis, of :meth:`SynonymGain.add` (the trigram signal), and inside it of
  :meth:`TrigramStore.best_of` (the model's terms for a word and its rivals) and :meth:`SynonymGain.rivals` (the
  near-synonym lists), each timed around its calls, with the number of calls and of candidates (a word and its
  rivals) scored, and the process's minor page faults.

The timers cost about a microsecond per call: compare runs of this script, not its totals with ``bench_spun.py``'s.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

from clean_corpora import SHARED, clean_documents  # noqa: E402

from healthlint.article import parse_article  # noqa: E402
from healthlint.families.spun import lmstore, trigram  # noqa: E402
from healthlint.families.spun.options import SpunOptions  # noqa: E402
from healthlint.families.spun.settings import compile_settings  # noqa: E402
from healthlint.families.spun.shared import analyzer  # noqa: E402

TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
TIMES: dict[str, float] = {}
COUNTS: dict[str, int] = {}
FAULTS = [0]  # minor page faults when the last report was made


def timed(owner: Any, name: str, key: str, count: Callable[..., int] = lambda *a: 1) -> None:
    """Wrap ``owner.name`` so that its calls add their time to ``TIMES[key]`` and ``count(args)`` to ``COUNTS``."""
    inner = getattr(owner, name)

    def wrapper(*args: Any) -> Any:
        start = time.perf_counter()
        try:
            return inner(*args)
        finally:
            TIMES[key] = TIMES.get(key, 0.0) + time.perf_counter() - start
            COUNTS[key] = COUNTS.get(key, 0) + count(*args)

    setattr(owner, name, wrapper)


def report(title: str, total: float, words: int) -> None:
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - FAULTS[0]
    FAULTS[0] += faults
    print(f"{title}: {words:,} words, analysis {total * 1000:,.1f} ms ({words / total:,.0f} words/s)")
    for key in ("add", "best_of", "rivals"):
        spent = TIMES.get(key, 0.0)
        print(f"  {key:8} {spent * 1000:9,.1f} ms {spent / total:6.1%}  calls {COUNTS.get(key, 0):,}")
    print(f"  candidates scored by best_of: {COUNTS.get('candidates', 0):,}; minor page faults: {faults:,}")
    TIMES.clear()
    COUNTS.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--limit", type=int, default=0, help="at most this many clean documents (0: all)")
    args = parser.parse_args()
    with (SHARED / "health" / "fakehealth_healthstory_rated200.jsonl").open(encoding="utf-8") as handle:
        stories = [json.loads(line)["text"] for line in handle]
    first = min(stories, key=lambda t: abs(len(TOKEN.findall(t)) - 600))
    texts = [t for group in clean_documents().values() for t in group]
    articles = [parse_article(f"a{i}.txt", t) for i, t in enumerate(texts[: args.limit or None])]
    settings = compile_settings(SpunOptions())
    found = analyzer()
    found.analyze(parse_article("w.txt", "Rest helps."), settings)
    timed(trigram.SynonymGain, "add", "add")
    timed(trigram.SynonymGain, "rivals", "rivals")
    timed(lmstore.TrigramStore, "best_of", "best_of")
    timed(lmstore.TrigramStore, "best_of", "candidates", lambda self, w, rivals, *rest: 1 + len(rivals))
    FAULTS[0] = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    start = time.perf_counter()
    words = found.analyze(parse_article("first.txt", first), settings).words
    report("the first 600-word story", time.perf_counter() - start, words)
    start = time.perf_counter()
    words = sum(found.analyze(a, settings).words for a in articles)
    report(f"then {len(articles):,} clean documents, once each", time.perf_counter() - start, words)


if __name__ == "__main__":
    main()
