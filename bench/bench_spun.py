"""Spun-text detection (HL1xx): speed, cold start and every accuracy figure of issue 3, measured.

Usage (from the repository root):

    .venv/bin/python bench/bench_spun.py            # everything (about a minute)
    .venv/bin/python bench/bench_spun.py --quick    # speed and cold start only

What it reports:

- cold start: in a fresh process (index cached on disk), the time to open the compiled
  index and then to analyse a first article of 600 words (which loads the index shards it
  needs), and the time of a first ``healthlint check --select HL1`` of one article;
- speed: words per second of the HL1 analysis over the clean corpora, warm (one process,
  index loaded), parsing excluded and included;
- synthetic garbled words (../shared/corpus/spun): recall of the original word;
- clean corpora (../shared/corpus): findings per 100,000 words for each rule family, and the
  densest article's verdict score; no article may get the verdict;
- seeds: the verdict score of each seed, and how many of seed 003's
  ``spun_phrases_for_recall`` are flagged;
- simulated thesaurus spinning of the clean articles (each content word swapped for a
  random common synonym with probability 0.3, a few long words garbled by substring
  swaps): how often the verdict fires with the phrase list switched off. The simulated
  spinner draws on the same thesaurus the detector knows, so read it as a sanity check
  of the list-free path, not as a measurement on unseen spinners.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("HEALTHLINT_SHARED", REPO.parent / "shared"))
sys.path.insert(0, str(REPO / "src"))
# Child processes run this checkout's code too, not whatever the venv has installed: run from another worktree
# with one venv, a side-by-side comparison would otherwise time the installed package in both columns.
CHILD_ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")])),
}
HEALTHLINT = [sys.executable, "-m", "healthlint"]

from healthlint.article import parse_article  # noqa: E402
from healthlint.families.spun.analysis import Analyzer  # noqa: E402
from healthlint.families.spun.lexicon.store import cache_path, get_lexicon  # noqa: E402
from healthlint.families.spun.options import SpunOptions  # noqa: E402
from healthlint.families.spun.phrases import builtin_phrases  # noqa: E402
from healthlint.families.spun.settings import compile_settings  # noqa: E402
from healthlint.families.spun.words import restore_garbled  # noqa: E402

TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")


def checked(done: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    """A ``healthlint check`` child that ran: exit 0 (passed) or 1 (findings fail the gate); anything else (a
    crash, a usage error) stops the benchmark instead of timing or reading it."""
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(map(str, done.args))} exited {done.returncode}:\n{done.stderr}")
    return done


def corpora() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    with gzip.open(SHARED / "corpus" / "clean" / "medquad_dev.jsonl.gz", "rt", encoding="utf-8") as handle:
        out["clean/medquad_dev"] = [json.loads(line)["text"] for line in handle]
    for name in ("fakehealth_healthrelease_hnr200", "fakehealth_healthstory_rated200", "medquad_nih_consumer100"):
        with (SHARED / "corpus" / "health" / f"{name}.jsonl").open(encoding="utf-8") as handle:
            out[f"health/{name}"] = [json.loads(line)["text"] for line in handle]
    return out


def cold_start() -> None:
    # A fresh process: import healthlint, open the index (what healthlint_configure does), then
    # analyse one article of about 600 words (the shards of the index it needs load on the way).
    with (SHARED / "corpus" / "health" / "fakehealth_healthstory_rated200.jsonl").open(encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in handle]
    sample = min(texts, key=lambda t: abs(len(TOKEN.findall(t)) - 600))  # a real article of about 600 words
    code = (
        "import sys, time; t0 = time.perf_counter(); import healthlint; t1 = time.perf_counter();"
        "from healthlint.families.spun.shared import analyzer; analyzer();"
        "from healthlint.families.spun.options import SpunOptions;"
        "from healthlint.families.spun.settings import compile_settings;"
        " t2 = time.perf_counter();"
        "from healthlint.article import parse_article; settings = compile_settings(SpunOptions());"
        " article = parse_article('a.txt', sys.stdin.read()); b3 = sys.getallocatedblocks(); t3 = time.perf_counter();"
        "analyzer().analyze(article, settings); t4 = time.perf_counter(); b4 = sys.getallocatedblocks();"
        "print(round((t1 - t0) * 1000), round((t2 - t1) * 1000), round((t4 - t3) * 1000), b4 - b3)"
    )
    get_lexicon()  # make sure the disk cache exists
    runs = []
    for _ in range(5):
        out = subprocess.run(
            [sys.executable, "-c", code], input=sample, capture_output=True, text=True, check=True, env=CHILD_ENV
        ).stdout.split()
        runs.append((int(out[0]), int(out[1]), int(out[2]), int(out[3])))
    host = statistics.median(r[0] for r in runs)
    load = statistics.median(r[1] for r in runs)
    first = statistics.median(r[2] for r in runs)
    blocks = statistics.median(r[3] for r in runs)
    print(f"index file: {cache_path()} ({cache_path().stat().st_size / 1e6:.1f} MB)")
    print(
        f"cold start in a fresh process: opening the cached HL1 index {load:.0f} ms, then the first"
        f" 600-word article {first:.0f} ms and {blocks:,.0f} memory blocks (loading the index shards it needs;"
        " median of 5; importing"
        f" healthlint itself, not HL1's cost, {host:.0f} ms)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        article = Path(tmp, "a.md")
        article.write_text("Massage may help. " * 50, encoding="utf-8")
        times = []
        for select in ("HL0", "HL1"):
            samples = []
            for _ in range(5):
                start = time.perf_counter()
                done = subprocess.run(
                    [*HEALTHLINT, "check", "--no-cache", "--select", select, str(article)],
                    capture_output=True,
                    text=True,
                    check=False,
                    env=CHILD_ENV,
                )
                samples.append((time.perf_counter() - start) * 1000)
                checked(done)
            times.append(statistics.median(samples))
        print(
            f"healthlint check of one article: --select HL0 {times[0]:.0f} ms, --select HL1 {times[1]:.0f} ms"
            f" (HL1 adds {times[1] - times[0]:.0f} ms)"
        )
    print(f"machine load while measuring: {os.getloadavg()[0]:.2f} (2 cores)")


def speed(docs: dict[str, list[str]]) -> None:
    analyzer = Analyzer()
    settings = compile_settings(SpunOptions())
    texts = [t for group in docs.values() for t in group]
    articles = [parse_article(f"a{i}.txt", t) for i, t in enumerate(texts)]
    for a in articles[:50]:
        analyzer.analyze(a, settings)  # warm the memo of word pairs a little, as a long run would
    best = 0.0
    for _ in range(3):
        start = time.perf_counter()
        words = sum(analyzer.analyze(a, settings).words for a in articles)
        best = max(best, words / (time.perf_counter() - start))
    start = time.perf_counter()
    for i, t in enumerate(texts):
        analyzer.analyze(parse_article(f"a{i}.txt", t), settings)
    with_parse = words / (time.perf_counter() - start)
    fresh = Analyzer(analyzer.lex)  # nothing memoized
    start = time.perf_counter()
    for a in articles:
        fresh.analyze(a, settings)
    first = words / (time.perf_counter() - start)
    print(
        f"HL1 analysis speed on {words:,} words: {best:,.0f} words/s warm, {first:,.0f} words/s on a first pass,"
        f" {with_parse:,.0f} words/s including parsing"
    )


def synthetic_recall() -> None:
    lex = get_lexicon()
    with (SHARED / "corpus" / "spun" / "synthetic_garbled_cases.tsv").open(encoding="utf-8") as handle:
        cases = list(csv.DictReader(handle, delimiter="\t"))
    correct = flagged = 0
    for case in cases:
        words = [w.lower() for w in TOKEN.findall(case["sentence"])]
        garbled = case["garbled"].lower()
        i = words.index(garbled) if garbled in words else -1
        before = words[i - 1] if i > 0 else None
        after = words[i + 1] if 0 <= i < len(words) - 1 else None
        restored = restore_garbled(lex, garbled, before, after)
        flagged += restored is not None
        correct += bool(restored and restored.original == case["original"])
    print(
        f"synthetic garbled words: original restored for {correct}/{len(cases)} = {correct / len(cases):.1%}"
        f" (flagged {flagged}, of which {flagged - correct} with another word)"
    )


def clean_rates(docs: dict[str, list[str]]) -> list[tuple[str, str]]:
    analyzer = Analyzer()
    settings = compile_settings(SpunOptions())
    long_docs: list[tuple[str, str]] = []
    overall_max = (0.0, "")
    odd_max = (0.0, "")
    score_max = (0.0, "")
    rates: list[float] = []
    print("clean corpora, findings per 100,000 words (HL102 garbled, HL103 strong, HL104 other phrases,")
    print("HL105 swaps, HL106 non-words), verdicts, densest article:")
    for name, texts in docs.items():
        words = garbled = strong = other = swaps = nonwords = verdicts = 0
        densest = (0.0, 0)
        oddest = (0.0, 0)
        for i, text in enumerate(texts):
            result = analyzer.analyze(parse_article(f"{name}-{i}.txt", text), settings)
            words += result.words
            garbled += len(result.garbled)
            strong += sum(1 for e in result.phrases if e.phrase and e.phrase.strength == "strong")
            other += sum(1 for e in result.phrases if e.phrase and e.phrase.strength != "strong")
            swaps += len(result.swaps)
            nonwords += len(result.nonwords)
            verdicts += result.verdict
            if result.words >= settings.min_words and result.list_free_score > score_max[0]:
                score_max = (result.list_free_score, f"{name} #{i}, {result.words} words")
            if result.words >= settings.min_words and result.density > densest[0]:
                densest = (result.density, result.words)
            if result.pairs >= 60 and result.odd_rate > oddest[0]:
                oddest = (result.odd_rate, result.pairs)
            if result.pairs >= 60:
                rates.append(result.odd_rate)
            if result.words >= 200:
                long_docs.append((name, text))
        per = 100_000 / words
        print(
            f"  {name:42} {words:>7,} words: HL102 {garbled * per:.1f}, HL103 {strong * per:.1f},"
            f" HL104 {other * per:.1f}, HL105 {swaps * per:.0f}, HL106 {nonwords * per:.0f}; verdicts {verdicts};"
            f" densest {densest[0]:.2f} ({densest[1]} words); most odd pairs {oddest[0]:.3f} ({oddest[1]} pairs)"
        )
        overall_max = max(overall_max, (densest[0], name))
        odd_max = max(odd_max, (oddest[0], name))
    print(f"  densest clean article overall: {overall_max[0]:.2f} points per 100 words ({overall_max[1]})")
    print(f"  highest list-free score of a clean article: {score_max[0]:.2f} ({score_max[1]})")
    rates.sort()
    print(
        f"  odd-pair rate over {len(rates)} clean articles with 60+ pairs: median {rates[len(rates) // 2]:.3f},"
        f" 99th percentile {rates[int(0.99 * len(rates))]:.3f}, highest {odd_max[0]:.3f} ({odd_max[1]})"
    )
    return long_docs


def seeds() -> None:
    analyzer = Analyzer()
    settings = compile_settings(SpunOptions())
    no_list = compile_settings(SpunOptions(disabled_phrases=[p.id for p in builtin_phrases()[1]]))
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        article = parse_article(path.name, path.read_text(encoding="utf-8"))
        result = analyzer.analyze(article, settings)
        bare = analyzer.analyze(article, no_list)
        print(
            f"  seed {path.name[:3]}: density {result.density:.2f} (list-free part {result.list_free_density:.2f};"
            f" without the phrase list {bare.density:.2f}), odd-pair rate {result.odd_rate:.3f}"
            f" ({result.pairs} pairs), list-free score {bare.list_free_score:.2f} (swaps"
            f" {bare.swap_surprise:.2f} + garbled {bare.garbled_surprise:.2f} + odd pairs {bare.odd_surprise:.2f}),"
            f" verdict {result.verdict}, verdict without the list {bare.verdict}"
        )
    expected = json.loads((SHARED / "seeds" / "expected.json").read_text(encoding="utf-8"))
    name = "003_cbd6a4dc455fdce0.txt"
    phrases = expected["articles"][name]["spun_phrases_for_recall"]
    out = checked(
        subprocess.run(
            [
                *HEALTHLINT,
                "check",
                "--no-cache",
                "--select",
                "HL1",
                "--format",
                "json",
                str(SHARED / "seeds" / name),
            ],
            capture_output=True,
            text=True,
            check=False,
            env=CHILD_ENV,
        )
    ).stdout
    findings = json.loads(out)["articles"][0]["findings"]
    text = (SHARED / "seeds" / name).read_text(encoding="utf-8")
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    spans = [
        (starts[f["line"] - 1] + f["column"] - 1, starts[f["end_line"] - 1] + f["end_column"] - 1)
        for f in findings
        if f["code"] != "HL101"
    ]
    missed = []
    for phrase in phrases:
        pattern = r"\s+".join(re.escape(w) for w in phrase.split()).replace("'", "['’]")
        if not any(s < m.end() and m.start() < e for m in re.finditer(pattern, text) for s, e in spans):
            missed.append(phrase)
    print(f"  seed 003 spun_phrases_for_recall flagged: {len(phrases) - len(missed)}/{len(phrases)}; missed: {missed}")


def simulate(long_docs: list[tuple[str, str]], rate: float = 0.3, seed: int = 7) -> None:
    lex = get_lexicon()
    rng = random.Random(seed)
    analyzer = Analyzer()
    no_list = compile_settings(SpunOptions(disabled_phrases=[p.id for p in builtin_phrases()[1]]))

    def spin(text: str) -> str:
        def swap(m: re.Match[str]) -> str:
            word = m.group(0)
            low = word.lower()
            if not word.islower() or lex.zipf(low) < 3.0 or rng.random() > rate:
                return word
            synonyms = sorted(lex.synonyms(low))
            if not synonyms:
                return word
            return rng.choice(synonyms)

        return TOKEN.sub(swap, text)

    sample = rng.sample(long_docs, min(300, len(long_docs)))
    fired = fired_clean = by_density = by_score = 0
    densities, rates = [], []
    for i, (_, text) in enumerate(sample):
        spun = analyzer.analyze(parse_article(f"s{i}.txt", spin(text)), no_list)
        clean = analyzer.analyze(parse_article(f"c{i}.txt", text), no_list)
        fired += spun.verdict
        by_density += spun.verdict_by_density
        by_score += spun.verdict_by_list_free_score
        fired_clean += clean.verdict
        densities.append(spun.density)
        rates.append(spun.odd_rate)
    print(
        f"simulated thesaurus spinning ({rate:.0%} of common words swapped), phrase list off, {len(sample)} articles"
        f" of 200+ words: verdict on {fired} spun ({fired / len(sample):.0%}; {by_density} by evidence density,"
        f" {by_score} by the list-free score),"
        f" on {fired_clean} originals; median spun density {statistics.median(densities):.2f},"
        f" median odd-pair rate {statistics.median(rates):.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="speed and cold start only")
    args = parser.parse_args()
    cold_start()
    if not (SHARED / "corpus").is_dir():
        print(f"{SHARED}/corpus not found: accuracy figures skipped")
        return
    docs = corpora()
    speed(docs)
    if args.quick:
        return
    synthetic_recall()
    long_docs = clean_rates(docs)
    print("seeds:")
    seeds()
    for rate in (0.15, 0.2, 0.3):
        simulate(long_docs, rate)


if __name__ == "__main__":
    main()
