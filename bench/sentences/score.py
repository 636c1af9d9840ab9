"""Score the sentence splitters on the hand-labelled sentence starts, and time them on the whole corpus.

Usage (from the repository root; pySBD is scored when installed, ``pip install pysbd``):

    .venv/bin/python bench/sentences/score.py

Each labelled line is split as healthlint splits a block; a splitter's sentence starts (other
than the line's first) are compared with the labelled ones: precision is the share of its starts
that are labelled, recall the share of labelled starts it finds. Speed is the time to split every
non-empty line of the 690 corpus records (about 4.5 MB), best of three.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import LABELS, read_labels, records
from label_sentences import lines_of, starts
from splitters import splitters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--errors", metavar="NAME", help="list the misses and false starts of one splitter")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--labels", type=Path, default=LABELS, help="labels.tsv (default) or heldout.tsv")
    args = parser.parse_args()
    corpus = records()
    labels = read_labels(args.labels)
    lines = [text[a:b] for text in corpus.values() for a, b in lines_of(text)]
    size = sum(map(len, lines))
    print(
        f"{len(labels)} lines, {sum(len(x.boundaries) for x in labels)} labelled sentence starts; "
        f"speed over {len(lines)} lines ({size / 1e6:.1f} M characters)\n"
    )
    print("| splitter | precision | recall | F1 | false starts | misses | ms per 100k chars |")
    print("|---|---|---|---|---|---|---|")
    for name, split in splitters().items():
        tp = fp = fn = 0
        wrong: Counter[str] = Counter()
        for item in labels:
            line = corpus[item.source, item.record][item.start : item.end]
            found = {item.start + s for s in starts(split(line), line)}
            tp += len(found & item.boundaries)
            fp += len(found - item.boundaries)
            fn += len(item.boundaries - found)
            for offset, kind in [(o, "false start") for o in found - item.boundaries] + [
                (o, "miss") for o in item.boundaries - found
            ]:
                wrong[item.category] += 1
                if args.errors == name:
                    s = offset - item.start
                    print(f"  {kind:11} {item.category:12} {line[max(0, s - 40) : s]!r} | {line[s : s + 25]!r}")
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        best = float("inf")
        for _ in range(args.repeat if name != "pysbd" else 1):
            t0 = time.perf_counter()
            for line in lines:
                split(line)
            best = min(best, time.perf_counter() - t0)
        cached = getattr(split, "cache_clear", None)
        if cached is not None:
            cached()
        print(f"| {name} | {precision:.3f} | {recall:.3f} | {f1:.3f} | {fp} | {fn} | {best * 1e3 / size * 1e5:.1f} |")


if __name__ == "__main__":
    main()
