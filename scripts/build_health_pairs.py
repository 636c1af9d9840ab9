"""Build ``families/spun/data/health_pairs.txt``: word pairs of consumer-health prose that the web counts miss.

The garbled-word restorer ranks the words a garbled token could have been by how well each fits its
neighbours, and the web pair counts it has (wordsegment's 250,000 commonest pairs; symspellpy's are the
same top of the web) miss most pairs of health prose ("genetic counseling", "heart valve"), so a
commoner word with no fitting neighbour beats the right one. This
table is that prior: every adjacent pair of two words seen in the NIH consumer-health answers of MedQuAD
(``../shared/corpus/clean/medquad_dev.jsonl.gz`` and ``../shared/corpus/health/medquad_nih_consumer100.jsonl``;
MedQuAD, CC BY 4.0, Ben Abacha & Demner-Fushman 2019, text from MedlinePlus, NIDDK, CDC and other NIH
sites) that the web counts do not list, where one of the two is a word the restorer can restore, and
not two function words. Only the pairs are kept, sorted, one a line: no sentence.

The sentences of ``../shared/corpus/spun/synthetic_garbled_cases.tsv`` (MedQuAD sentences too) are cut
out of the text before counting, so the restorer's figures on those cases do not read their own pairs.
The press releases and news stories of ``../shared/corpus/health`` are not used: their publishers did
not license them for redistribution, even as counts.

Usage (rebuilds the file; the word index must be built, any healthlint run does it):

    .venv/bin/python scripts/build_health_pairs.py [--min-count 1]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import itertools
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("HEALTHLINT_SHARED", REPO.parent / "shared"))
sys.path.insert(0, str(REPO / "src"))

from healthlint.families.spun import words  # noqa: E402
from healthlint.families.spun.lexicon.store import get_lexicon  # noqa: E402

OUT = REPO / "src" / "healthlint" / "families" / "spun" / "data" / "health_pairs.txt"
CASES = SHARED / "corpus" / "spun" / "synthetic_garbled_cases.tsv"
#: Words with apostrophes and digits break the run of pairs ("patient's", "type 2").
TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")
#: Sentences and list items: pairs never cross them.
BREAK = re.compile(r"[.!?;:()\[\]\n]+")
HEADER = """\
# Word pairs of consumer-health prose that the web pair counts do not list (see scripts/build_health_pairs.py).
# Counted in the NIH consumer-health answers of MedQuAD (CC BY 4.0; Ben Abacha & Demner-Fushman,
# BMC Bioinformatics 20:511, 2019; text from MedlinePlus, NIDDK, CDC and other NIH sites).
# One pair a line; at least one word of each is a word the garbled-word restorer can restore.
"""


def texts() -> Iterator[str]:
    with gzip.open(SHARED / "corpus" / "clean" / "medquad_dev.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)["text"]
    with (SHARED / "corpus" / "health" / "medquad_nih_consumer100.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)["text"]


def case_sentences() -> list[str]:
    """The synthetic cases' sentences with their original word back (as the source text has them)."""
    with CASES.open(encoding="utf-8") as handle:
        return [
            row["sentence"].replace(row["garbled"], row["original"]) for row in csv.DictReader(handle, delimiter="\t")
        ]


def pair_counts(min_count: int) -> Counter[tuple[str, str]]:
    held_out = case_sentences()
    counts: Counter[tuple[str, str]] = Counter()
    for text in texts():
        for sentence in held_out:
            if sentence in text:
                text = text.replace(sentence, "\n")
        for piece in BREAK.split(text):
            tokens = [t.lower() for t in TOKEN.findall(piece)]
            counts.update((a, b) for a, b in itertools.pairwise(tokens) if a.isalpha() and b.isalpha())
    return Counter({pair: n for pair, n in counts.items() if n >= min_count})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--min-count", type=int, default=1, help="keep pairs seen at least this often")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    lex = get_lexicon()
    function = words.GLUE_WORDS
    kept = sorted(
        f"{a} {b}"
        for a, b in pair_counts(args.min_count)
        if not (a in function and b in function)
        and (lex.is_restorable(a) or lex.is_restorable(b))
        and lex.pair_count(a, b) == 0
    )
    args.out.write_text(HEADER + "".join(pair + "\n" for pair in kept), encoding="utf-8")
    print(f"{len(kept)} pairs -> {args.out}")


if __name__ == "__main__":
    main()
