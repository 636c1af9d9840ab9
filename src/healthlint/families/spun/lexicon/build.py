"""Compiling the word index from the installed word data, in bounded memory.

The sources are read one at a time and each part of the index is serialised as soon as it is
complete (:class:`~.format.IndexWriter`), so that the builder never holds every source and every
part at once: the build peaks at about a third of the memory it took when the whole index was
first built as one dict.

The 250,000 listed web word pairs (:func:`pair_parts`) are stored by word (each word's
followers with their counts and its leaders) for the words with at most
:data:`~.units.BIG_PAIR_LIST` on a side, and by pair (``"first second"``) for the pairs of the
few hundred bigger words, whose whole lists ("the" has 10,018 followers, "and" 9,478 leaders)
are stored once more, one list per item, and read only once a run has asked about the word
often (see :mod:`.lookups`).
"""

from __future__ import annotations

import math
from array import array
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from .format import IndexWriter, SortedWords
from .sources import (
    WORD,
    meta,
    read_moby,
    read_spellchecker,
    read_web_bigrams,
    read_web_unigrams,
    read_wordfreq,
    synonyms,
)
from .units import (
    BIG_PAIR_LIST,
    BIGRAM_UNIT,
    CLOSE_SIMILARITY,
    STRONG_BIGRAM,
    ZIPF_RESTORE,
    ZIPF_SWAP,
    demotion,
)


def build_index() -> bytes:
    """Read every source package and compile the index file's bytes (takes a few seconds)."""
    writer = IndexWriter()
    zipf = read_wordfreq()
    moby = read_moby()
    raw_words: set[str] = set(moby)
    for line in moby.values():
        raw_words.update(synonyms(line))
    alpha = {w for w in raw_words if WORD.match(w)}  # one lowercase word (no phrases, no names)
    moby_words = alpha | {lw for lw in (w.lower() for w in raw_words - alpha) if WORD.match(lw)}
    del raw_words
    spelling = read_spellchecker()
    restorable = frozenset(
        w for w, z in zipf.items() if z >= ZIPF_RESTORE and WORD.match(w) and (w in spelling or w in moby_words)
    )
    frequent = {w: z * 2 + (1 if w in restorable else 0) for w, z in zipf.items() if z >= ZIPF_RESTORE}
    # Dictionary words: the spelling dictionary, the thesaurus, and words wordfreq sees at least once
    # in ten million. Rarer wordfreq words and web-only words are often typos ("symtoms").
    dictionary = spelling | moby_words | frequent.keys()
    del spelling, moby_words
    _add_words(writer, frequent, dictionary)
    unigrams = read_web_unigrams()
    web_blob, web_offsets = SortedWords.pack((unigrams.keys() | zipf.keys()) - dictionary)
    writer.add("web", web_blob)
    writer.add("web_offsets", web_offsets)
    del dictionary, web_blob
    writer.add("web_bias", web_bias(zipf, unigrams))
    del unigrams

    sources, fanout = garbled_sources(moby, restorable)
    writer.add("sources", {s: " ".join(sorted(heads)) for s, heads in sources.items()})
    writer.add("fanout", fanout)
    del sources, fanout, restorable, frequent
    syn = thesaurus_synonyms(moby, alpha, zipf)
    del moby, alpha
    writer.add("syn", {w: " ".join(sorted(ss)) for w, ss in syn.items()})
    close = close_synonyms(syn)
    del syn
    writer.add("close", {w: " ".join(sorted(ss)) for w, ss in close.items()})
    writer.add("demotion", demotions(close, zipf))
    del close, zipf

    bigrams = read_web_bigrams()
    for name, part in pair_parts(bigrams).items():
        writer.add(name, part)
    left, right = strong_pairs(bigrams)
    del bigrams
    writer.add("left", left)
    writer.add("right", right)
    return writer.finish(meta())


def _add_words(writer: IndexWriter, frequent: dict[str, int], dictionary: set[str]) -> None:
    """The word tables: Zipf 3 and more as a dict (stored as its words and its values: a third faster to read
    than a marshalled dict), rarer ones as sorted lists searched on demand."""
    common = {w: v for w, v in frequent.items() if v >> 1 >= ZIPF_SWAP}
    writer.add("zipf_words", "\n".join(common))
    writer.add("zipf_values", array("H", common.values()).tobytes())
    rest_words = sorted(w for w, v in frequent.items() if v >> 1 < ZIPF_SWAP)
    rest_blob, rest_offsets = SortedWords.pack(rest_words)
    writer.add("zipf_rest", rest_blob)
    writer.add("zipf_rest_offsets", rest_offsets)
    writer.add("zipf_rest_values", array("H", [frequent[w] for w in rest_words]).tobytes())
    rare_blob, rare_offsets = SortedWords.pack(dictionary - frequent.keys())
    writer.add("rare", rare_blob)
    writer.add("rare_offsets", rare_offsets)


def web_bias(zipf: dict[str, int], unigrams: dict[str, int]) -> dict[str, int]:
    """How much more often a common word shows up on the web (whose counts give the bigrams) than in
    English at large (wordfreq), as log10 x 100: web-page words (download, price, posts) inflate pairs."""
    web_total = float(sum(unigrams.values())) or 1.0
    out = {}
    for w, z in zipf.items():
        if z >= ZIPF_SWAP and w in unigrams:
            bias = math.log10(unigrams[w] / web_total) + 9.0 - z / 100.0
            if bias >= 0.1:
                out[w] = round(bias * 100)
    return out


def garbled_sources(moby: dict[str, str], restorable: frozenset[str]) -> tuple[dict[str, set[str]], dict[str, int]]:
    """Garbled words: synonym -> the headwords it stands for, when the headword is a piece of a
    common word; and each such headword's number of synonyms (its fan-out)."""
    # A spinner matches and writes pieces in lower case: the headword "Tory" is the end of
    # "inflammatory", and "Freon" is written "freon".
    pieces = _pieces(restorable)
    entries: dict[str, set[str]] = defaultdict(set)
    for head, line in moby.items():
        key = head.lower()
        if len(key) >= 3 and key in pieces and WORD.match(key):
            entries[key].update(s.lower() for s in synonyms(line))
    sources: dict[str, set[str]] = defaultdict(set)
    fanout: dict[str, int] = {}
    for head, found in entries.items():
        fanout[head] = len(found)
        for s in found:
            if len(s) >= 3 and s != head and WORD.match(s):
                sources[s].add(head)
    return sources, fanout


def thesaurus_synonyms(moby: dict[str, str], alpha: set[str], zipf: dict[str, int]) -> dict[str, set[str]]:
    """Thesaurus swaps: symmetric one-word synonyms among common words, with regular inflections."""
    common = {w for w, z in zipf.items() if z >= ZIPF_SWAP}
    swappable = alpha & common
    forms: dict[str, dict[str, str]] = {}

    def inflected(word: str) -> dict[str, str]:
        got = forms.get(word)
        if got is None:
            got = forms[word] = {tag: f for tag, f in inflections(word).items() if f in common}
        return got

    syn: dict[str, set[str]] = defaultdict(set)
    for head, line in moby.items():
        if head not in swappable:
            continue
        found = swappable.intersection(synonyms(line))
        found.discard(head)
        if not found:
            continue
        syn[head].update(found)
        head_forms = inflected(head)
        for other_word in found:
            syn[other_word].add(head)
            if not head_forms:
                continue
            other_forms = inflected(other_word)
            for tag, form in head_forms.items():
                other = other_forms.get(tag) or other_forms.get(tag.rstrip("2"))
                if other and other != form:
                    syn[form].add(other)
                    syn[other].add(form)
    return syn


def strong_pairs(bigrams: dict[str, int]) -> tuple[dict[str, str], dict[str, str]]:
    """The words that very often come right before each word, and right after it (space-joined)."""
    left: dict[str, list[str]] = defaultdict(list)
    right: dict[str, list[str]] = defaultdict(list)
    for pair, count in bigrams.items():
        if count < STRONG_BIGRAM:
            continue
        first, _, second = pair.partition(" ")
        if WORD.match(first) and WORD.match(second):
            left[second].append(first)
            right[first].append(second)
    return {w: " ".join(sorted(v)) for w, v in left.items()}, {w: " ".join(sorted(v)) for w, v in right.items()}


def inflections(word: str) -> dict[str, str]:
    """Regular inflections of an English word by tag (``s``, ``ed``, ``ing``); spelling rules only."""
    out: dict[str, str] = {}
    vowels = "aeiou"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        out["s"] = word + "es"
    elif word.endswith("y") and len(word) > 1 and word[-2] not in vowels:
        out["s"] = word[:-1] + "ies"
    else:
        out["s"] = word + "s"
    if word.endswith("e"):
        out["ed"] = word + "d"
        out["ing"] = (
            word[:-2] + "ying" if word.endswith("ie") else (word + "ing" if word.endswith("ee") else word[:-1] + "ing")
        )
    elif word.endswith("y") and len(word) > 1 and word[-2] not in vowels:
        out["ed"] = word[:-1] + "ied"
        out["ing"] = word + "ing"
    else:
        out["ed"] = word + "ed"
        out["ing"] = word + "ing"
        if (
            len(word) >= 3
            and word[-1] not in vowels + "wxy"
            and word[-2] in vowels
            and word[-3] not in vowels
            and len(word) <= 4
        ):
            out["ed2"] = word + word[-1] + "ed"
            out["ing2"] = word + word[-1] + "ing"
    return out


def _pieces(words: Iterable[str]) -> set[str]:
    """Every start and end of a word that leaves at least two letters of it."""
    out: set[str] = set()
    for w in words:
        n = len(w)
        for i in range(2, n - 2):
            out.add(w[i:])
        for i in range(3, n - 1):
            out.add(w[:i])
    return out


def close_synonyms(syn: dict[str, set[str]], threshold: float = CLOSE_SIMILARITY) -> dict[str, set[str]]:
    """Synonym pairs that share at least ``threshold`` of their synonyms: near-interchangeable words.

    Moby lists loose associations too ("bones" and "refuse"); words that share many synonyms
    are the ones a spinner swaps and a reader would not.
    """
    out: dict[str, set[str]] = defaultdict(set)
    for word, others in syn.items():
        for other in others:
            if other <= word:
                continue
            theirs = syn.get(other)
            if not theirs:
                continue
            if len(others & theirs) >= threshold * min(len(others), len(theirs)):
                out[word].add(other)
                out[other].add(word)
    return out


def demotions(close: dict[str, set[str]], zipf: dict[str, int]) -> dict[str, float]:
    """Each common word's demotion (:func:`~.units.demotion` over its near-synonyms), for the words it is above 0
    for: what the page model reads of every distinct common content word (0 for the words left out).

    Computed here once, so that an article's analysis asks one lookup per new word instead of reading
    the word's near-synonym list and the frequency of each near-synonym (about 40 µs a word).
    """
    out: dict[str, float] = {}
    for word, others in close.items():
        value = demotion(zipf[word] / 100.0, (zipf[s] / 100.0 for s in others))
        if value > 0.0:
            out[word] = value
    return out


def _pair_table(bigrams: dict[str, int]) -> dict[str, tuple[dict[str, int], str]]:
    """word -> (the words listed after it, with their counts in thousands; the words listed before it)."""
    after: dict[str, dict[str, int]] = defaultdict(dict)
    before: dict[str, list[str]] = defaultdict(list)
    for pair, count in bigrams.items():
        first, _, second = pair.partition(" ")
        after[first][second] = max(count // BIGRAM_UNIT, 1)
        before[second].append(first)
    return {w: (after.get(w, {}), " ".join(sorted(before.get(w, ())))) for w in after.keys() | before.keys()}


def pair_parts(bigrams: dict[str, int], big: int = BIG_PAIR_LIST) -> dict[str, Any]:
    """The index parts of the web word pairs (``"first second"`` -> count).

    - ``pairs``: word -> (its followers with their counts in thousands, its leaders joined by
      spaces), a side left empty when the word has more than ``big`` words on it;
    - ``pair_counts``: ``"first second"`` -> count in thousands, for the pairs whose first word
      has more than ``big`` followers or whose second word has more than ``big`` leaders;
    - ``big_followers`` / ``big_leaders``: those words -> (slot, list length), read eagerly;
    - ``big_follower_lists`` / ``big_leader_lists``: their whole lists by slot, read on demand.
    """
    table = _pair_table(bigrams)
    big_after = sorted(w for w, (after, _) in table.items() if len(after) > big)
    big_before = sorted(w for w, (_, before) in table.items() if before.count(" ") + 1 > big and before)
    slot_after = {w: (i, len(table[w][0])) for i, w in enumerate(big_after)}
    slot_before = {w: (i, table[w][1].count(" ") + 1) for i, w in enumerate(big_before)}
    pairs: dict[str, tuple[dict[str, int], str]] = {}
    for w, (after, before) in table.items():
        entry = ({} if w in slot_after else after, "" if w in slot_before else before)
        if entry[0] or entry[1]:
            pairs[w] = entry
    counts = {
        f"{first} {second}": count
        for first, (followers, _) in table.items()
        for second, count in followers.items()
        if first in slot_after or second in slot_before
    }
    return {
        "pairs": pairs,
        "pair_counts": counts,
        "big_followers": slot_after,
        "big_leaders": slot_before,
        "big_follower_lists": [table[w][0] for w in big_after],
        "big_leader_lists": [table[w][1] for w in big_before],
    }
