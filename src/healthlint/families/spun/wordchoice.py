"""Word choice in context: content words whose common synonym would sit far more naturally between their neighbours.

A spinner swaps a word for a thesaurus synonym one at a time ("physical inactivity" becomes
"physical indolence"), so the synonym it chose fits its neighbours worse than the word it
replaced. For a content word *w* between neighbours *p* and *n*, and each synonym *a* of *w*
that the web pair counts list next to *p* or *n*, the chance of *p a n* against *p w n* is
estimated from the pair counts as

    ratio(a) = [c(p a) / c(p w)] * [(c(a n) / c(a)) / (c(w n) / c(w))]

(one factor when only one neighbour is a common word; an unlisted pair counts as seen just
under the listing cut-off, which favours the written word; only content words count as neighbours,
and *a* must fit no worse on either side). The word is *displaced* when the best
ratio reaches :data:`DISPLACED_LOG_RATIO`: the page-level rate of displaced words is a list-free
signal of the spin model (:mod:`.model`), and each displaced word, with *a* as the probable
original, is a finding in pages the model suspects.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .lexicon.lookups import Lexicon
from .lexicon.units import BIGRAM_CUTOFF, BIGRAM_UNIT
from .result import ChoiceTally
from .swaps import FUNCTION_WORDS
from .tokens import BlockTokens

#: A word is displaced when a synonym is this much likelier in its place (log10: 30 times).
DISPLACED_LOG_RATIO = 1.5
#: ... and strongly displaced from this (log10: 1,000 times); a second feature of the model.
STRONGLY_DISPLACED_LOG_RATIO = 3.0
#: Scores are capped here: a single word must not dominate a page's mean score.
MAX_LOG_RATIO = 5.0
#: Triples remembered before the memo starts over (junk input must not grow memory).
MEMO_LIMIT = 200_000
#: Shorter words are not judged (abbreviations, and "ill"/"sick" style pairs trade freely).
MIN_LENGTH = 4


@dataclass(frozen=True)
class Displaced:
    """A content word (token ``index`` of its block) with a likelier synonym in its place."""

    index: int
    #: The likelier synonym, and the neighbours it was judged with ("" where there is none).
    synonym: str
    previous: str
    following: str
    #: log10 of the ratio (see the module docstring), capped at :data:`MAX_LOG_RATIO`.
    log_ratio: float

    @property
    def original(self) -> str:
        """The probable original wording: the synonym between the same neighbours."""
        return " ".join(w for w in (self.previous, self.synonym, self.following) if w)


NOT_DISPLACED = (0.0, "")


class WordChoice:
    """Judges the content words of blocks; remembers answers per (previous, word, following)."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.memo: dict[tuple[str, str, str], tuple[float, str]] = {}

    def scan(self, toks: BlockTokens, tally: ChoiceTally) -> list[Displaced]:
        """Judge every content word of a block, count into ``tally``, and return the displaced ones."""
        words, raws = toks.words, toks.raws
        frequent = self.lex.frequent_words
        usable = [w in frequent and r.islower() for w, r in zip(words, raws, strict=True)]
        # Function words go with almost anything ("can easily" beats "can slow"): only content words are context.
        context = [u and w not in FUNCTION_WORDS for u, w in zip(usable, words, strict=True)]
        found: list[Displaced] = []
        last = len(words) - 1
        memo = self.memo
        is_common = self.lex.is_common
        for i, w in enumerate(words):
            # Spinners often pick rarer synonyms ("indolence"): any word the frequency list knows is judged.
            if len(w) < MIN_LENGTH or w in FUNCTION_WORDS or not raws[i].islower() or not (usable[i] or is_common(w)):
                continue
            p = words[i - 1] if i > 0 and context[i - 1] and toks.adjacent(i) else ""
            n = words[i + 1] if i < last and context[i + 1] and toks.adjacent(i + 1) else ""
            if not p and not n:
                continue
            key = (p, w, n)
            answer = memo.get(key)
            if answer is None:
                answer = self._judge(p, w, n)
                if len(memo) >= MEMO_LIMIT:
                    memo.clear()
                memo[key] = answer
            tally.judged += 1
            score, synonym = answer
            if score <= 0.0:
                continue
            tally.total_log_ratio += score
            if score >= DISPLACED_LOG_RATIO:
                if (w, synonym) not in tally.seen:
                    tally.seen.add((w, synonym))
                    tally.displaced += 1
                    tally.strongly_displaced += score >= STRONGLY_DISPLACED_LOG_RATIO
                found.append(Displaced(i, synonym, p, n, score))
        return found

    def _judge(self, p: str, w: str, n: str) -> tuple[float, str]:
        lex = self.lex
        # The thesaurus lists rare words as synonyms of common ones without listing theirs: its
        # headwords that list the word are what a spinner may have replaced.
        synonyms = lex.synonyms(w).union(lex.sources_of(w))
        if not synonyms:
            return NOT_DISPLACED
        candidates: set[str] = set()
        if p:
            candidates.update(synonyms.intersection(lex.followers(p)))
        if n:
            candidates.update(synonyms & lex.leader_set(n))
        if not candidates:
            return NOT_DISPLACED
        count_w = lex.count(w)
        if not count_w:
            return NOT_DISPLACED
        own_left = _pair(lex, p, w) if p else 0.0
        own_right = _pair(lex, w, n) / count_w if n else 0.0
        best, best_word = 0.0, ""
        for a in sorted(candidates):
            count_a = lex.count(a)
            if not count_a:
                continue
            bias = 10.0 ** lex.web_bias(a)  # "download", "price": web-page words, not prose
            left = math.log10(_pair(lex, p, a) / bias / own_left) if p else 0.0
            right = math.log10(_pair(lex, a, n) / bias / count_a / own_right) if n else 0.0
            if left < 0.0 or right < 0.0:
                continue  # the synonym must fit no worse on either side
            score = left + right
            if score > best:
                best, best_word = score, a
        return (min(best, MAX_LOG_RATIO), best_word) if best_word else NOT_DISPLACED


def _pair(lex: Lexicon, first: str, second: str) -> float:
    """The web count of a pair; an unlisted pair counts as seen just under the cut-off."""
    return float(lex.pair_count(first, second) * BIGRAM_UNIT or BIGRAM_CUTOFF)
