"""Thesaurus swaps: word pairs that are rare on the web while a one-synonym change is idiomatic.

A spinner replaces words one at a time, so it breaks fixed pairs: "rather than" becomes
"slightly than", "such as" becomes "such because". This needs no list. For two adjacent
common words *x y* that the web bigram counts do not list (seen fewer than 100,000 times
in about a trillion words), the detector looks for a close thesaurus synonym *a* of *x*
such that *a y* is a strong pair (a million times or more), or a synonym *b* of *y* with
*x b* strong. It then bounds how much likelier the idiomatic pair makes the text:

    LR >= P(y | a) / P(y | x)max,   where P(y | x)max = cutoff / count(x)

and the same backwards (pair counts of words typical of web pages, such as "download" or
"price", are first scaled down by how much more common those words are on the web than in
English at large), and reports the pair when the smaller bound is at least
:data:`MIN_RATIO` (the absence of *x y* is then real evidence, not a gap in the counts)
and *a* and *x* share enough synonyms to be near-synonyms
(:data:`~.lexicon.units.CLOSE_SIMILARITY`).

The analysis reports no swap on a pair that consumer-health prose uses while the web counts miss it
("help slow", "symptoms like": the table of :func:`~.words.health_pair`, counted in NIH
consumer-health answers): its absence from the web counts says nothing about health writing. It
still counts as an odd pair, and the page model, fitted before the table served here, still counts
it as a swap.

Weaker evidence still counts at the article level: an *odd pair* is an unlisted pair that a
near-synonym swap turns into a listed one. Clean health prose has about 12% odd pairs
among its common-word pairs (at most 26% in 872 articles); text rewritten with a thesaurus
has far more, since every swapped word breaks the pairs on both its sides.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .lexicon.lookups import Lexicon
from .lexicon.units import BIGRAM_CUTOFF, ZIPF_SWAP
from .wordlists import words_in

#: Both words must be at least this common (Zipf x 100) for their pair's absence to mean anything
#: (the words of the lexicon's table of frequent words).
MIN_ZIPF100 = ZIPF_SWAP
#: Minimum likelihood-ratio bound for a swap to count.
MIN_RATIO = 10.0
#: ... when the swapped word is itself a function word ("inherited in" / "inherited from"):
#: prepositions trade places in plain English all the time.
MIN_RATIO_FUNCTION = 100.0
#: When the word kept is a function word ("to", "that"), it pairs with almost anything, so the
#: idiomatic pair must be a real collocation: at least this PMI (log10 of observed/chance).
MIN_PMI_FUNCTION = 1.5
#: Function words (closed-class): see MIN_PMI_FUNCTION.
FUNCTION_WORDS = words_in("function_words.txt")


@dataclass(frozen=True)
class Swap:
    """A word pair one thesaurus swap away from a strong pair."""

    first: str
    second: str
    #: The idiomatic pair, e.g. "rather than".
    original: str
    #: Which of the two words was probably swapped (0 or 1).
    swapped: int
    #: log10 of the likelihood-ratio bound.
    strength: float


#: The second item of :meth:`SwapFinder.judge`'s answer is a set of flags: an odd pair; a pair the web pair
#: counts do not list; a pair of two content words. The unlisted shares are page-level signals of the spin
#: model, counted per pair with one increment in a histogram indexed by the flags.
ODD, UNLISTED, CONTENT = 1, 2, 4
KINDS = 8
#: What :meth:`SwapFinder.judge` answers for a listed pair (the content flag is added to it).
NOT_ODD: tuple[None, int] = (None, 0)


#: Word pairs whose answers are remembered before the memo starts over (junk input must not grow memory).
MEMO_LIMIT = 200_000


class SwapFinder:
    """Checks word pairs; remembers answers, as the same pairs recur across articles."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        #: ``"first second"`` -> the answer of :meth:`check` (bounded by :data:`MEMO_LIMIT`).
        self.memo: dict[str, tuple[Swap | None, int]] = {}

    def check(self, first: str, second: str) -> tuple[Swap | None, bool]:
        """Judge two adjacent lowercase words, of any frequency (the analysis asks :meth:`judge` of the pairs it
        judges, :meth:`~.analysis.Analyzer.judged_pairs`; this is for one pair).

        :returns: the swap behind them when the evidence is strong enough to report, and
            whether they are an *odd pair*: not a listed web pair, while a near-synonym of one
            of them makes a listed pair (the article-level rate of odd pairs is a list-free
            spin signal of its own).
        """
        key = first + " " + second
        found = self.memo.get(key)
        if found is None:
            lex = self.lex
            if lex.zipf100(first) < MIN_ZIPF100 or lex.zipf100(second) < MIN_ZIPF100:
                found = self._remember(key, NOT_ODD)
            else:
                found = self.judge(first, second, key)
        return found[0], bool(found[1] & ODD)

    def _remember(self, key: str, found: tuple[Swap | None, int]) -> tuple[Swap | None, int]:
        memo = self.memo
        if len(memo) >= MEMO_LIMIT:
            memo.clear()  # junk input: do not grow without bound
        memo[key] = found
        return found

    def judge(self, x: str, y: str, key: str) -> tuple[Swap | None, int]:
        """Judge (and remember under ``key``, ``"x y"``) a pair of common words not in the memo."""
        return self._remember(key, self._judge(x, y))

    def _judge(self, x: str, y: str) -> tuple[Swap | None, int]:
        lex = self.lex
        content = 0 if x in FUNCTION_WORDS or y in FUNCTION_WORDS else CONTENT
        if lex.has_pair(x, y):
            return None, content
        flags = UNLISTED | content
        close_x, close_y = lex.close_synonyms(x), lex.close_synonyms(y)
        # Odd: some near-synonym a of x makes a listed pair "a y", or some b of y a listed "x b"
        # (set operations in C over the listed neighbours, or a few pair lookups for "the").
        if not (close_x and lex.any_leader_in(y, close_x)) and not (close_y and lex.any_follower_in(x, close_y)):
            return None, flags
        best: Swap | None = None
        # x replaced an idiomatic a (a y is strong), or y an idiomatic b (x b is strong).
        for swapped, candidates in ((0, close_x & lex.strong_left(y)), (1, close_y & lex.strong_right(x))):
            best = self._strongest(x, y, swapped, candidates, best)
        return best, flags | ODD

    def restore_broken(self, x: str, y: str) -> str | None:
        """The probable original of an unlisted pair: the swap for a synonym (in any sense) making the likeliest
        strong pair ("again ache": "back ache"), or None (the first of :meth:`restore_candidates`)."""
        found = self.restore_candidates(x, y)
        return found[0] if found else None

    def restore_candidates(self, x: str, y: str) -> list[str]:
        """The strong pairs one synonym (in any sense) of either word makes, likeliest first.

        For a synonym *a* of *x* with *a y* strong, the pair's likelihood is P(y | a); for a synonym
        *b* of *y* with *x b* strong, P(x | b). Asked only of pairs an editor is shown.
        """
        lex = self.lex
        scored: list[tuple[float, str]] = []
        # Candidates by side: a synonym of x before y, or of y after x (web-page words scaled down).
        for kept, candidates in ((y, lex.synonyms(x) & lex.strong_left(y)), (x, lex.synonyms(y) & lex.strong_right(x))):
            for c in candidates:
                first, second = (c, y) if kept == y else (x, c)
                count = lex.count(c)
                if not count:
                    continue
                p = lex.bigram(first, second) / count / 10.0 ** lex.web_bias(c)
                if p > 0.0:
                    scored.append((p, f"{first} {second}"))
        # Likeliest first; ties by the pair itself, so no run depends on the order of a set of strings.
        return [pair for _, pair in sorted(scored, key=lambda item: (-item[0], item[1]))]

    def _strongest(self, x: str, y: str, swapped: int, candidates: frozenset[str], best: Swap | None) -> Swap | None:
        """The strongest swap: ``best`` or one restoring a candidate for word ``swapped`` (0 or 1) of *x y*.

        For "a" replaced by x, P(y | a) is compared with the most P(y | x) could be (the pair's
        absence bounds it); likewise for "b" replaced by y.
        """
        if not candidates:
            return best
        lex = self.lex
        replaced, kept = (x, y) if swapped == 0 else (y, x)
        count_replaced = lex.count(replaced)
        replaced_function, kept_function = replaced in FUNCTION_WORDS, kept in FUNCTION_WORDS
        for c in candidates:
            first, second = (c, y) if swapped == 0 else (x, c)
            pair = lex.bigram(first, second) / 10.0 ** lex.web_bias(c)
            bound = min(pair / BIGRAM_CUTOFF, (pair / lex.count(c)) / (BIGRAM_CUTOFF / count_replaced))
            if bound < (MIN_RATIO_FUNCTION if replaced_function else MIN_RATIO):
                continue
            if kept_function and (lex.pmi(first, second) or 0.0) < MIN_PMI_FUNCTION:
                continue
            if best is None or math.log10(bound) > best.strength:
                best = Swap(x, y, f"{first} {second}", swapped, math.log10(bound))
        return best
