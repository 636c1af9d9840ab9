"""What the numbers in the word index mean: the scales and cut-offs shared by the builder and the lookups."""

from __future__ import annotations

from collections.abc import Iterable

#: Bump when the index changes shape or content (it is part of the cache file's key).
INDEX_VERSION = 19
#: Zipf value (x100) from which a word counts as common enough for thesaurus-swap checks.
ZIPF_SWAP = 300
#: Zipf value (x100) a word must reach to be offered as the restored form of a garbled word.
ZIPF_RESTORE = 200
#: Share of synonyms two words must have in common to be near-synonyms (see ``build.close_synonyms``).
CLOSE_SIMILARITY = 0.2
#: Bigram count from which a word pair counts as a strong, idiomatic pair.
STRONG_BIGRAM = 1_000_000
#: wordsegment lists only the bigrams seen at least this often; a missing pair was seen less.
BIGRAM_CUTOFF = 100_000
#: Roughly how many words the web counts behind wordsegment were taken from.
CORPUS_TOKENS = 1.0e12
#: Bigram counts are stored in thousands (small ints load much faster).
BIGRAM_UNIT = 1000
#: A word with more listed followers (or leaders) than this is *big* on that side (254 and 237
#: words, holding half the pairs): its list is kept out of the per-word ``pairs`` map and its
#: pairs are asked one by one in the pair-keyed ``pair_counts`` map (see ``build.pair_parts``).
BIG_PAIR_LIST = 100
#: A word's demotion counts at most this much (Zipf): the commonest near-synonym of a word.
MAX_DEMOTION = 3.0


def demotion(zipf: float, near_synonym_zipfs: Iterable[float]) -> float:
    """How much more common (Zipf, 0 to :data:`MAX_DEMOTION`) a word's commonest near-synonym is than the word.

    The builder stores it for every common word it is above 0 for (the index part ``demotion``); the
    page model reads it through ``Lexicon.demotion`` (see ``analysis.demotion``).
    """
    best = max(near_synonym_zipfs, default=zipf)
    return min(max(best - zipf, 0.0), MAX_DEMOTION)
