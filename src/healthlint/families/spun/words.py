"""Single words: garbled words (a spinner's substring swaps) and non-words (misspellings).

A substring-replacing spinner looks for thesaurus words *inside* other words and swaps
them: "under|lying" becomes "under|mendacity". :func:`restore_garbled` undoes that: it
splits a non-word into a kept piece and a synonym, looks up which headwords list that
synonym, and keeps the splits that rebuild a common word. A logistic score then weighs
the evidence (how common the restored word is, whether it fits the neighbouring words,
how many rival restorations there are, whether the join breaks English spelling rules
the way naive concatenation does, and whether the token is more simply a typo, two words
missing a space, a function word glued to a word, or a regular derivation such as
"non" + "meat").

The weights were fitted on 600 synthetic garbled words (../shared/corpus/spun) against
rare real English words, and the threshold was then checked on 400,000 words of clean
health prose and the clean pages of the web development set (the closest clean token
scores -1.07); see bench/bench_spun.py for the measured recall and false-positive rate.
The weights of the two rival readings (a glued function word, a prefix derivation), once
gates that ruled a restoration out, are fitted by scripts/fit_garbled.py with held-out figures.
Candidates are ranked by how common the rebuilt word is, how well it pairs with *both*
neighbours (a pair too rare to be listed counts against it), and how many synonyms its
replaced piece had to choose from. The web pair counts miss the pairs of health prose
("genetic counseling"), so a table of the pairs NIH consumer-health answers use and the web
counts miss (data/health_pairs.txt, scripts/build_health_pairs.py) counts for a candidate
too, in the ranking and in the score.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from healthlint import regexcache
from healthlint.resources import read_data

from .lexicon.format import SortedLines
from .lexicon.lookups import Lexicon
from .wordlists import words_in

#: Words a one-letter slip away from these are typos, not garbled words.
ZIPF_TYPO_TARGET = 3.0
#: Words that, glued to a common word, show a lost space rather than a garbled word (data/glue_words.txt; not
#: swaps.FUNCTION_WORDS, the closed-class words of the pair tests).
GLUE_WORDS = words_in("glue_words.txt")
#: Productive English prefixes: prefix + real word is usually a real (if rare) word.
PREFIXES = words_in("prefixes.txt")
#: Standard English suffixes.
SUFFIXES = words_in("suffixes.txt")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_TRIPLE = regexcache.compile(r"([a-z])\1\1")

#: Weight of the health pairs (:func:`health_fit`) in :data:`WEIGHTS`; fitted by ``scripts/fit_garbled.py``.
HEALTH_FIT_WEIGHT = 5.0
#: Logistic weights over the features of :func:`_features` (intercept first).
WEIGHTS = (
    -6.282,
    1.560,
    -0.738,
    0.276,
    1.212,
    2.261,
    4.806,
    -1.112,
    0.361,
    0.246,
    -0.073,
    -0.742,
    -0.785,
    -3.057,
    -0.250,
    -0.282,
    HEALTH_FIT_WEIGHT,
    0.0,
    -3.0,
)
#: Writers derive new words from common ones ("re" + "exposure"); a productive prefix on a word rarer
#: than this ("dis" + "fettle", not "under" + "mendacity"), where a common word rebuilds, is a swap.
RARE_BASE_ZIPF = 2.0
#: The shortest garbled word: a kept piece of two letters and a synonym of three ("ac|sum" for "ac|count").
MIN_GARBLED = 5
#: Score from which a restoration is reported (log-odds).
THRESHOLD = -0.75


@dataclass(frozen=True)
class Restoration:
    """A garbled word and the common word it most probably was."""

    garbled: str
    original: str
    #: The synonym found inside the garbled word, and the piece of the original it replaced.
    synonym: str
    replaced: str
    score: float

    @property
    def swap(self) -> str:
        return f"{self.replaced!r} was swapped for its synonym {self.synonym!r}"


@dataclass(frozen=True)
class _Candidate:
    original: str
    kind: str  # "tail": the end of the word was replaced; "head": the start
    kept: str
    replaced: str
    synonym: str


def _candidates(lex: Lexicon, token: str) -> list[_Candidate]:
    n = len(token)
    # (kind, kept, synonym): kept start, replaced end (under|mendacity), then replaced start, kept end (yokel|ren)
    splits = [("tail", token[:i], token[i:]) for i in range(2, n - 2)]
    splits += [("head", token[i:], token[:i]) for i in range(3, n - 1)]
    out = []
    for kind, kept, synonym in splits:
        for head in lex.sources_of(synonym):
            word = kept + head if kind == "tail" else head + kept
            if lex.is_restorable(word):
                out.append(_Candidate(word, kind, kept, head, synonym))
    return out


def morphology(kind: str, kept: str, synonym: str) -> int:
    """+1 when the join breaks a spelling rule as naive concatenation does ("assuage"+"ed"),
    -1 when it is a regular derivation ("non"+"meat", "brush"+"ings"), 0 otherwise."""
    if kind == "tail":
        return -1 if kept in PREFIXES else 0
    stem, suffix = synonym, kept
    if suffix not in SUFFIXES:
        return 0
    if (
        stem.endswith("e")
        and not stem.endswith(("ee", "oe", "ye"))
        and suffix[0] in "aeiouy"
        and suffix not in ("able", "ably")
    ):
        return 1
    if (
        stem.endswith("y")
        and len(stem) > 1
        and stem[-2] not in "aeiou"
        and suffix[0] in "eaoi"
        and suffix != "ing"
        and not suffix.startswith("ish")
    ):
        return 1
    if suffix[0] == "i" and suffix != "ing" and (stem[-1] in "aeiouy" or stem.endswith("ing")):
        return 1
    return -1


def typo_of(lex: Lexicon, token: str, min_zipf: float = ZIPF_TYPO_TARGET, *, internal: bool = False) -> str | None:
    """The most common word one edit (insert, delete, replace, swap) away, if common enough.

    Of equally common words, the first in the order the edits are listed (position by
    position; at each, insertions and replacements letter by letter, then the deletion and
    the swap).

    :param internal: only edits that keep the first and last letters, as slips of the finger
        do; an extra or missing letter at an end is more often another word ("urate", "livedo").
    """
    if min_zipf < 3.0:
        return _typo_of_in_order(lex, token, min_zipf, internal)
    # Only words of Zipf 3 or more count: the table of frequent words (a dict) has them all, so
    # every edit is made in list comprehensions and looked up at once, in C (a dict view's "&").
    n = len(token)
    lo, hi = (1, n - 1) if internal else (0, n)
    edits: list[str] = []
    for i in range(lo, hi + 1):
        head, tail = token[:i], token[i:]
        edits += [head + c + tail for c in _LETTERS]
        if i < hi:
            rest = token[i + 1 :]
            edits += [head + c + rest for c in _LETTERS]
            edits.append(head + rest)
            if i < hi - 1:
                edits.append(head + token[i + 1] + token[i] + token[i + 2 :])
    frequent = lex.frequent_words
    found = frequent.keys() & edits
    found.discard(token)  # replacing a letter by itself, swapping two equal letters: not edits
    best: str | None = None
    best_value, tie = -1, False
    for word in found:
        value = frequent[word] >> 1
        if value / 100.0 < min_zipf:
            continue
        if value > best_value:
            best, best_value, tie = word, value, False
        elif value == best_value:
            tie = True
    if tie:  # rare: settle it by the order of the edits
        return _typo_of_in_order(lex, token, min_zipf, internal)
    return best


def _typo_of_in_order(lex: Lexicon, token: str, min_zipf: float, internal: bool) -> str | None:
    """:func:`typo_of`, one edit at a time in the documented order (any ``min_zipf``)."""
    best: tuple[float, str] | None = None
    n = len(token)
    seen: set[str] = set()
    # From Zipf 3 on, the cheap table of frequent words will do.
    zipf = lex.zipf_from_3 if min_zipf >= 3.0 else lex.zipf

    def consider(word: str) -> None:
        nonlocal best
        if word in seen:
            return
        seen.add(word)
        z = zipf(word)
        if z >= min_zipf and (best is None or z > best[0]):
            best = (z, word)

    lo, hi = (1, n - 1) if internal else (0, n)
    for i in range(lo, hi + 1):
        for c in _LETTERS:
            consider(token[:i] + c + token[i:])
            if i < hi and c != token[i]:
                consider(token[:i] + c + token[i + 1 :])
        if i < hi:
            consider(token[:i] + token[i + 1 :])
        if i < hi - 1 and token[i] != token[i + 1]:
            consider(token[:i] + token[i + 1] + token[i] + token[i + 2 :])
    return best[1] if best else None


def split_words(lex: Lexicon, token: str, min_zipf: float = 3.0) -> tuple[str, str] | None:
    """Two words glued together ("symptomsthe"): the most plausible split, if any."""
    best: tuple[float, tuple[str, str]] | None = None
    zipf = lex.zipf_from_3 if min_zipf >= 3.0 else lex.zipf
    for i in range(1, len(token)):
        first, second = token[:i], token[i:]
        if len(first) == 1 and first not in ("a", "i"):
            continue
        if len(second) == 1 and second != "a":
            continue
        z1, z2 = zipf(first), zipf(second)
        if z1 < min_zipf or z2 < min_zipf:
            continue
        glued = first in GLUE_WORDS or second in GLUE_WORDS or lex.bigram(first, second) > 0
        if not glued:
            continue
        score = min(z1, z2) + (1.0 if lex.bigram(first, second) else 0.0)
        if best is None or score > best[0]:
            best = (score, (first, second))
    return best[1] if best else None


def glued_split(lex: Lexicon, token: str) -> tuple[str, str] | None:
    """The two words an unknown token was glued from by a lost space ("symptomsthe"), if convincing.

    Lost spaces are damage from copying or extracting text, not misspellings and not spin.
    Tokens under six letters are abbreviations more often, "overactivation" is a derivation
    (prefix + word), and web spellings ("instagood") are left alone.
    """
    if len(token) < 6 or tripled(token) or lex.is_web_only(token):
        return None
    split = split_words(lex, token)
    if split is None or split[0] in PREFIXES:
        return None
    return split


def _glued_to_function_word(lex: Lexicon, token: str) -> bool:
    for i in range(1, len(token)):
        first, second = token[:i], token[i:]
        if (first in GLUE_WORDS and lex.zipf_from_3(second) >= 3.0 and lex.is_restorable(second)) or (
            second in GLUE_WORDS and lex.zipf_from_3(first) >= 3.0 and lex.is_restorable(first)
        ):
            return True
    return False


def restore_garbled(
    lex: Lexicon, token: str, previous: str | None = None, following: str | None = None
) -> Restoration | None:
    """The probable original of a garbled non-word, or None when it is not convincingly one.

    :param token: a lowercase token that no dictionary knows.
    :param previous: the word before it (lowercase), for context.
    :param following: the word after it (lowercase), for context.
    """
    found = garbled_score(lex, token, previous, following)
    if found is None or found[1] < THRESHOLD:
        return None
    best, score = found
    return Restoration(token, best.original, best.synonym, best.replaced, round(score, 2))


def garbled_score(
    lex: Lexicon, token: str, previous: str | None = None, following: str | None = None
) -> tuple[_Candidate, float] | None:
    """The best-ranked restoration of a token and its score (log-odds that it is a garbled word),
    or None when no split rebuilds a word; :func:`restore_garbled` applies the threshold."""
    found = garbled_features(lex, token, previous, following)
    if found is None:
        return None
    best, features = found
    return best, sum(w * f for w, f in zip(WEIGHTS, features, strict=True))


def garbled_features(
    lex: Lexicon, token: str, previous: str | None = None, following: str | None = None
) -> tuple[_Candidate, tuple[float, ...]] | None:
    """The best-ranked restoration of a token and the evidence for it (see :data:`WEIGHTS`)."""
    if len(token) < MIN_GARBLED or not token.isascii() or not token.isalpha():
        return None
    candidates = _candidates(lex, token)
    if not candidates:
        return None
    ranked: dict[str, tuple[float, float | None, _Candidate]] = {}
    for cand in candidates:
        rank, fit = _rank(lex, cand, previous, following)
        old = ranked.get(cand.original)
        if old is None or rank > old[0]:
            ranked[cand.original] = (rank, fit, cand)
    order = sorted(ranked.values(), key=lambda r: r[0], reverse=True)
    best = order[0][2]
    return best, _features(
        lex, token, best, lex.zipf(best.original), order, health_fit(previous, best.original, following)
    )


_PRODUCTIVE = words_in("derivation_prefixes.txt")


#: Weights of :func:`rank_features`. ``scripts/fit_garbled.py --rank`` refits them (a conditional logit
#: over each garbled word's candidates: which original the spinner most probably started from); the
#: refit restores no more cases held out (487 of 600) than these, so these stay. The last, the health
#: pairs' weight, is chosen with :data:`HEALTH_FIT_WEIGHT` by ``scripts/fit_garbled.py``.
RANK_WEIGHTS = (1.0, 1.5, 0.5, -1.0, 0.5, 1.5)


@functools.cache
def _health_pairs() -> SortedLines:
    """The pairs of data/health_pairs.txt (sorted, one a line), searched in the file's text: about 1 ms to read
    at the first swap of a process, where a set of them took 12 ms to build."""
    return SortedLines(read_data("health_pairs.txt", __package__))


def health_pair(first: str, second: str) -> bool:
    """Whether NIH consumer-health answers use the pair while the web pair counts miss it (data/health_pairs.txt)."""
    return f"{first} {second}" in _health_pairs()


def health_fit(previous: str | None, original: str, following: str | None) -> float:
    """How many of a candidate's two neighbour pairs health prose uses while the web counts miss them (0 to 2).

    The web counts list the pairs of everyday English; "genetic counseling" or "heart valve" are
    too rare there, so without this a commoner word that fits nothing ("genetic reporting") wins.
    """
    pairs = _health_pairs()
    fit = 0.0
    if previous and f"{previous} {original}" in pairs:
        fit += 1.0
    if following and (
        f"{original} {following}" in pairs or (following[-1] == "s" and f"{original} {following[:-1]}" in pairs)
    ):
        fit += 1.0
    return fit


def rank_features(
    lex: Lexicon, cand: _Candidate, previous: str | None, following: str | None
) -> tuple[tuple[float, ...], float | None]:
    """What says a candidate is the original (see :data:`RANK_WEIGHTS`), and how well it fits its neighbours.

    The word's frequency, its fit with both neighbours ("trouble feeding" and "feeding tube"; a pair
    too rare to be listed counts against it), the spelling of the join, and the spinner's odds of
    picking this synonym among the piece's many.
    """
    fits = [
        v
        for v in (
            lex.pmi(previous, cand.original) if previous else None,
            lex.pmi(cand.original, following) if following else None,
        )
        if v is not None
    ]
    fit = max(fits) if fits else None
    # A pair the web counts do not list was seen fewer than BIGRAM_CUTOFF times: for two common
    # words that is less than chance, evidence against the candidate ("the limited enzyme").
    unlisted = 0.0
    if previous and lex.pair_count(previous, cand.original) == 0:
        unlisted += lex.pmi_bound(previous, cand.original)
    if following and lex.pair_count(cand.original, following) == 0:
        unlisted += lex.pmi_bound(cand.original, following)
    features = (
        lex.zipf(cand.original),
        sum(min(v, 3.0) for v in fits if v > 0.0),
        float(morphology(cand.kind, cand.kept, cand.synonym)),
        math.log10(lex.fanout(cand.replaced)),
        unlisted,
        health_fit(previous, cand.original, following),
    )
    return features, fit


def _rank(lex: Lexicon, cand: _Candidate, previous: str | None, following: str | None) -> tuple[float, float | None]:
    """How likely a candidate is the original (higher: likelier), and how well it fits its neighbours."""
    features, fit = rank_features(lex, cand, previous, following)
    return sum(w * f for w, f in zip(RANK_WEIGHTS, features, strict=True)), fit


def _features(
    lex: Lexicon,
    token: str,
    best: _Candidate,
    zipf_best: float,
    order: list[tuple[float, float | None, _Candidate]],
    health: float,
) -> tuple[float, ...]:
    """The evidence that a token is a garbled word restored by ``best`` (see :data:`WEIGHTS`).

    Two readings compete with a swap: a function word glued to a word ("an" + "strange"), and a
    productive prefix on a real word ("re" + "exposure"); they count against it, weighed with the
    rest, rather than ruling it out ("anstrange" is "another").
    """
    second = lex.zipf(order[1][2].original) if len(order) > 1 else 0.0
    n = len(order)
    m = morphology(best.kind, best.kept, best.synonym)
    fit = order[0][1]
    derivation = (
        best.kind == "tail"
        and best.kept in _PRODUCTIVE
        and (fit is None or fit < 1.5 or n > 3)
        and not (lex.zipf(best.synonym) < RARE_BASE_ZIPF and zipf_best >= 3.0)
    )
    typo = typo_of(lex, token) is not None
    return (
        1.0,
        zipf_best,
        math.log2(n),
        min(2.0, zipf_best - second) if n > 1 else 2.0,
        1.0 if fit is not None else 0.0,
        max(-1.0, min(fit, 4.0)) if fit is not None else 0.0,
        1.0 if m == 1 else 0.0,
        1.0 if m == -1 else 0.0,
        float(min(len(best.kept), 6)),
        float(min(len(best.synonym), 10)),
        lex.zipf(best.synonym),
        1.0 if lex.zipf(best.kept) >= 3.0 and len(best.kept) >= 3 else 0.0,
        1.0 if typo else 0.0,
        1.0 if split_words(lex, token) else 0.0,
        1.0 if best.kind == "head" else 0.0,
        lex.zipf(best.replaced),
        health,
        1.0 if _glued_to_function_word(lex, token) else 0.0,
        1.0 if derivation else 0.0,
    )


# -- Non-words --------------------------------------------------------------------------------


def tripled(token: str) -> bool:
    return _TRIPLE.search(token) is not None


def correct_nonword(lex: Lexicon, token: str) -> tuple[str, str] | None:
    """A non-word's probable correction and why: ``("preferred", "a letter typed three times")``.

        Returns None when nothing convincing is found (a rare real word, a name, a term). Two words
        missing a space are found by :func:`glued_split`, asked first; a split it declines is no
    correction either ("over activation" for "overactivation").
    """
    if tripled(token):
        doubled = _TRIPLE.sub(r"\1\1", token)
        if lex.is_word(doubled):
            return doubled, "a letter typed three times"
        single = _TRIPLE.sub(r"\1", token)
        if lex.is_word(single):
            return single, "a letter typed three times"
        fixed = typo_of(lex, doubled)
        if fixed:
            return fixed, "a letter typed three times"
        return None
    split = split_words(lex, token)
    if split:
        return f"{split[0]} {split[1]}", "two words missing a space"
    fixed = typo_of(lex, token, internal=True)
    if fixed:
        return fixed, "misspelling"
    return None
