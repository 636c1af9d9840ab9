"""Word classes learnt from the web pair counts, and how well each class follows each other class (wave 12: measured
for the spun page model, not kept; see bench/README.md, "Word classes that smooth the web pair counts (wave 12)").

The web pair counts (wordsegment's 250,000 commonest pairs, what the page model's unlisted shares read) are a
thin table: most pairs of plain prose are not in it ("the ankles"), nor are a spinner's swaps ("the again").
Classes of words that keep the same company (Brown et al. 1992) smooth it: "ankles" falls with "legs" and "arms",
and "the legs" is listed, so a determiner before that class is plausible; no adverb of "again"'s class follows
"the" in the table.

1. Words: the common words (wordfreq Zipf 3 or more, the words whose pairs the analysis judges) that have at
   least MIN_TYPES listed pairs. Each is represented by its listed left and right neighbours among the CONTEXT
   commonest words of the table (counts as log(1 + thousands), positive PMI weighting), reduced by a truncated
   SVD to DIMS dimensions and normalised; k-means (k-means++ start, fixed seed) deals them into CLASSES classes.
2. The other common words get a class from their form: a regular ending ("ankle" -> "ankles", "swell" ->
   "swelling") maps the class of the stem to the class that most words of the stem's class take with that ending
   in the table; failing that, the class most of their near-synonyms (the thesaurus) have. Words with neither
   stay unclassed: their pairs are not judged.
3. The class pair table: for classes *a*, *b*, the PMI (log2) of a listed pair of a class-*a* word followed by a
   class-*b* word, counting each listed pair once (``--weighting types``: which kinds of pair are attested, not how
   often the commonest ones are) or by its web count (``tokens``), with add-half smoothing; rounded to tenths; and
   log2 P(class b | class a) (``logp``).

numpy only (a dev dependency). The same arguments give the same file byte for byte. Usage (about 30 s):

    nice -n 10 .venv/bin/python scripts/build_word_classes.py --out /tmp/classes.json [--classes 400]
        [--singletons 250] [--weighting types|tokens] [--no-synonyms]

then ``scripts/measure_word_classes.py --classes /tmp/classes.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from healthlint.families.spun.lexicon.sources import read_web_bigrams, read_wordfreq  # noqa: E402
from healthlint.families.spun.lexicon.store import get_lexicon  # noqa: E402
from healthlint.families.spun.lexicon.units import ZIPF_SWAP  # noqa: E402

CLASSES = 400
#: The words with the most listed pairs (function words, mostly) are classes of their own.
SINGLETONS = 250
DIMS = 60
CONTEXT = 1500
MIN_TYPES = 6
SEED = 12
ITERATIONS = 40
#: Regular endings: (what the stem ends with removed, what is added).
ENDINGS = (
    ("", "s"),
    ("", "es"),
    ("y", "ies"),
    ("", "ed"),
    ("", "d"),
    ("e", "ing"),
    ("", "ing"),
    ("", "ly"),
    ("", "er"),
    ("", "ers"),
    ("", "ness"),
    ("", "al"),
)


def embed(bigrams: dict[str, int], words: list[str]) -> np.ndarray:
    """Each word's left and right neighbours among the CONTEXT commonest words, PPMI-weighted, reduced by SVD."""
    mass: Counter[str] = Counter()
    for key, count in bigrams.items():
        x, _, y = key.partition(" ")
        mass[x] += count
        mass[y] += count
    context = {w: i for i, (w, _) in enumerate(sorted(mass.items(), key=lambda kv: (-kv[1], kv[0]))[:CONTEXT])}
    row = {w: i for i, w in enumerate(words)}
    m = np.zeros((len(words), 2 * CONTEXT))
    for key, count in bigrams.items():
        x, _, y = key.partition(" ")
        value = np.log1p(count / 1000.0)
        if x in row and y in context:
            m[row[x], CONTEXT + context[y]] += value  # y follows x: x's right context
        if y in row and x in context:
            m[row[y], context[x]] += value  # x leads y: y's left context
    total = m.sum()
    expected = np.outer(m.sum(axis=1), m.sum(axis=0)) / total
    with np.errstate(divide="ignore", invalid="ignore"):
        ppmi = np.where(m > 0, np.maximum(np.log(m / expected), 0.0), 0.0)
    # The truncated SVD through the eigenvectors of the context Gram matrix (2 x CONTEXT square: fast).
    values, vectors = np.linalg.eigh(ppmi.T @ ppmi)
    top = np.argsort(-values)[:DIMS]
    v = ppmi @ vectors[:, top] / np.sqrt(np.sqrt(np.maximum(values[top], 1e-12)))  # U * sqrt(S)
    # The sign of each singular vector is arbitrary: fix it so that the build is the same everywhere.
    v *= np.where(v[np.abs(v).argmax(axis=0), np.arange(DIMS)] < 0, -1.0, 1.0)
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)


def kmeans(v: np.ndarray, k: int, seed: int) -> np.ndarray:
    """Spherical k-means (cosine) with a k-means++ start; the class of each row."""
    rng = np.random.default_rng(seed)
    centres = [v[rng.integers(len(v))]]
    dist = 1.0 - v @ centres[0]
    for _ in range(k - 1):
        p = np.maximum(dist, 0.0) ** 2
        centres.append(v[rng.choice(len(v), p=p / p.sum())])
        dist = np.minimum(dist, 1.0 - v @ centres[-1])
    c = np.array(centres)
    labels = np.zeros(len(v), dtype=int)
    for _ in range(ITERATIONS):
        labels = (v @ c.T).argmax(axis=1)
        for j in range(k):
            members = v[labels == j]
            if len(members):
                centre = members.sum(axis=0)
                c[j] = centre / max(float(np.linalg.norm(centre)), 1e-12)
    return labels


def build(
    classes: int = CLASSES, singletons: int = SINGLETONS, weighting: str = "types", by_synonyms: bool = True
) -> dict[str, Any]:
    bigrams = read_web_bigrams()
    zipf = read_wordfreq()
    common = {w for w, z in zipf.items() if z >= ZIPF_SWAP and w.isalpha()}
    types: Counter[str] = Counter()
    for key in bigrams:
        x, _, y = key.partition(" ")
        types[x] += 1
        types[y] += 1
    top = sorted(sorted(common, key=lambda w: (-types[w], w))[:singletons])
    words = sorted(w for w in common if types[w] >= MIN_TYPES and w not in top)
    labels = kmeans(embed(bigrams, words), classes - len(top), SEED)
    klass: dict[str, int] = {w: len(top) + int(c) for w, c in zip(words, labels, strict=True)}
    klass.update({w: i for i, w in enumerate(top)})

    # Classes by form: for each ending, the class the stems of each class take with it.
    taken: dict[tuple[str, str], dict[int, int]] = {}
    for cut, add in ENDINGS:
        votes: dict[int, Counter[int]] = defaultdict(Counter)
        for w, c in klass.items():
            if w.endswith(cut):
                derived = w[: len(w) - len(cut)] + add
                if derived in klass:
                    votes[c][klass[derived]] += 1
        taken[(cut, add)] = {c: v.most_common(1)[0][0] for c, v in votes.items() if v.most_common(1)[0][1] >= 3}
    lex = get_lexicon()
    by_form = 0
    by_synonym = 0
    for w in sorted(common - klass.keys()):
        found = None
        for cut, add in ENDINGS:
            if w.endswith(add) and len(w) > len(add) + 2:
                stem = w[: len(w) - len(add)] + cut
                if stem in klass and klass[stem] in taken[(cut, add)]:
                    found = taken[(cut, add)][klass[stem]]
                    break
        if found is not None:
            by_form += 1
        else:
            votes = Counter(klass[s] for s in sorted(lex.close_synonyms(w)) if s in klass and by_synonyms)
            if votes:
                found = votes.most_common(1)[0][0]
                by_synonym += 1
        if found is not None:
            klass[w] = found

    # The class pair table (types), PMI in log2 with add-half smoothing.
    pairs = np.full((classes, classes), 0.5)
    for key, count in bigrams.items():
        x, _, y = key.partition(" ")
        if x in klass and y in klass:
            pairs[klass[x], klass[y]] += 1.0 if weighting == "types" else count / 1000.0
    pmi = np.log2(pairs * pairs.sum() / np.outer(pairs.sum(axis=1), pairs.sum(axis=0)))
    members: dict[int, list[str]] = defaultdict(list)
    for w, c in klass.items():
        members[c].append(w)
    print(
        f"{len(words)} words by their neighbours, {by_form} by form, {by_synonym} by synonyms;"
        f" {len(common) - len(klass)} common words unclassed",
        file=sys.stderr,
    )
    return {
        "about": "word classes of the web pair counts and their PMI (log2) as pairs: scripts/build_word_classes.py",
        "classes": [" ".join(sorted(members[c])) for c in range(classes)],
        "pmi": [[round(float(v), 1) for v in r] for r in pmi],
        "logp": [[round(float(v), 1) for v in r] for r in np.log2(pairs / pairs.sum(axis=1, keepdims=True))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, required=True, help="the JSON file to write")
    parser.add_argument("--classes", type=int, default=CLASSES, help="number of classes, singletons included")
    parser.add_argument("--singletons", type=int, default=SINGLETONS, help="words with the most pairs, one class each")
    parser.add_argument("--weighting", choices=("types", "tokens"), default="types", help="how a listed pair counts")
    parser.add_argument("--no-synonyms", action="store_true", help="give no word a class from its near-synonyms")
    args = parser.parse_args()
    data = build(args.classes, args.singletons, args.weighting, not args.no_synonyms)
    text = json.dumps(data, separators=(",", ":")) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
