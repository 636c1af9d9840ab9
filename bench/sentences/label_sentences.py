"""Choose lines of ``../shared/corpus`` to label, and show every candidate sentence start for review.

Labelling went in two steps; the corpus text stays in ``../shared`` and only offsets are kept:

1. ``label_sentences.py --draft`` (seed 14; the held-out set: ``--seed 15 --scale 0.5 --skip
   labels.tsv --labels heldout.tsv``) picks lines by the hard cases they hold (abbreviations, initials,
   decimals, "U.S.", full stops glued to the next word, quotes, headings glued to text, plus
   ordinary lines) with a fixed seed, and writes ``labels.tsv`` marking a start where most
   splitters cut.
2. ``label_sentences.py --show`` prints each line's candidates (every place some splitter cuts,
   and every stop followed by a capital) with their context, the draft's mark and the splitters
   that cut there; each was read and the marks corrected by hand in ``labels.tsv``.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import LABELS, read_labels, records
from splitters import splitters

#: What makes a line worth labelling; each line is filed under the first category it matches.
CATEGORIES: tuple[tuple[str, str], ...] = (
    ("us", r"\b[A-Z]\.[A-Z]\.(?:[A-Z]\.)?"),
    ("glued", r"[a-z)][.!?][A-Z]"),
    ("initials", r"(?<![\w.])[A-Z]\. [A-Z]"),
    (
        "abbreviation",
        r"\b(?:Dr|Mr|Mrs|Ms|Prof|St|vs|etc|al|Inc|Co|Corp|Jr|No|Fig|approx|e\.g|i\.e|Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\. ",
    ),
    ("decimal", r"\d\.\d.*[.!?] [A-Z]"),
    ("quote", r"[.!?][”\"’')\]]+ +\S"),
    ("heading", r"[a-z]{3}[A-Z][a-z]{2,}|[a-z]:[A-Z]|^[A-Z][\w ]{3,40}$"),
    ("plain", r"[.!?] [A-Z]"),
)
PER_CATEGORY = {
    "us": 16,
    "glued": 24,
    "initials": 16,
    "abbreviation": 24,
    "decimal": 14,
    "quote": 18,
    "heading": 14,
    "plain": 24,
}
MAX_LINE = 700
_STOP_BEFORE_CAPITAL = re.compile(r"[.!?…][”\"’')\]]*\s*(?=[“\"‘'(\[]?[A-Z0-9])")


def lines_of(text: str) -> list[tuple[int, int]]:
    """Non-empty lines of a record, as ``(start, end)``."""
    found = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            found.append((pos, pos + len(line)))
        pos += len(line) + 1
    return found


def starts(spans: list[tuple[int, int]], text: str) -> set[int]:
    """Sentence starts other than the first: where a span begins, at its first non-space character."""
    found = set()
    for a, _ in spans[1:]:
        while a < len(text) and text[a].isspace():
            a += 1
        found.add(a)
    return found


def choose(corpus: dict[tuple[str, str], str], seed: int, scale: float) -> list[tuple[str, str, int, int, str]]:
    rng = random.Random(seed)
    pools: dict[str, list[tuple[str, str, int, int]]] = {name: [] for name, _ in CATEGORIES}
    for (source, rid), text in sorted(corpus.items()):
        for a, b in lines_of(text):
            line = text[a:b]
            if len(line) > MAX_LINE or len(line) < 20:
                continue
            for name, pattern in CATEGORIES:
                if re.search(pattern, line):
                    pools[name].append((source, rid, a, b))
                    break
    chosen = []
    for name, pool in pools.items():
        for source, rid, a, b in rng.sample(pool, min(round(PER_CATEGORY[name] * scale), len(pool))):
            chosen.append((source, rid, a, b, name))
    return chosen


def candidates(line: str) -> dict[int, list[str]]:
    """Every place in ``line`` some splitter starts a sentence, or a stop is followed by a capital."""
    found: dict[int, list[str]] = {}
    for name, split in splitters().items():
        for s in starts(split(line), line):
            found.setdefault(s, []).append(name)
    for m in _STOP_BEFORE_CAPITAL.finditer(line):
        if m.end() < len(line):
            found.setdefault(m.end(), [])
    return found


def draft(corpus: dict[tuple[str, str], str], out: Path, seed: int, scale: float, skip: Path | None) -> None:
    taken = {(x.source, x.record, x.start) for x in read_labels(skip)} if skip else set()
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(["source", "record", "start", "end", "boundaries", "category"])
        for source, rid, a, b, category in choose(corpus, seed, scale):
            if (source, rid, a) in taken:
                continue
            line = corpus[source, rid][a:b]
            marked = sorted(a + s for s, names in candidates(line).items() if len(names) >= 3)
            writer.writerow([source, rid, a, b, ",".join(map(str, marked)), category])


def show(corpus: dict[tuple[str, str], str], path: Path) -> None:
    for n, item in enumerate(read_labels(path)):
        text = corpus[item.source, item.record]
        line = text[item.start : item.end]
        print(f"#{n} {item.category} {item.record} {item.start}")
        for s, names in sorted(candidates(line).items()):
            mark = "Y" if item.start + s in item.boundaries else "."
            context = line[max(0, s - 40) : s].replace("\n", " ") + "‖" + line[s : s + 25]
            print(f"  {mark} {item.start + s:>6} {','.join(n[:2] for n in names):14} {context}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--draft", action="store_true", help="write a draft labels file (overwrites it)")
    parser.add_argument("--show", action="store_true", help="print each labelled line's candidates")
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--scale", type=float, default=1.0, help="lines per category, as a share of PER_CATEGORY")
    parser.add_argument("--skip", type=Path, help="leave out the lines of this labels file (for a held-out set)")
    args = parser.parse_args()
    corpus = records()
    if args.draft:
        draft(corpus, args.labels, args.seed, args.scale, args.skip)
    if args.show:
        show(corpus, args.labels)


if __name__ == "__main__":
    main()
