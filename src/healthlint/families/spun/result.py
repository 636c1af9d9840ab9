"""What one pass over an article found: the located evidence, and the verdict (HL101) it adds up to.

The verdict weighs the evidence per 100 words, the share of odd word pairs, and a list-free score.
Weights and the default thresholds were calibrated on clean health prose (see bench/bench_spun.py):
the densest clean article of 200+ words scores well under the threshold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from healthlint.article import Block

    from .phrases import Phrase

#: Evidence weights for the verdict.
WEIGHT_GARBLED = 3.0
WEIGHT_SWAP = 1.0
WEIGHT_PHRASE = {"strong": 2.0, "medium": 1.0, "weak": 0.5}
#: Density is evidence per 100 words, counting at least this many words (short texts are noisy).
NORMALISE_WORDS = 250
#: Default threshold of the verdict (evidence points per 100 words).
DEFAULT_THRESHOLD = 1.8
#: Default threshold of the odd-pair rate's lower confidence bound (clean health prose: the rate's
#: median is 0.115; the highest bound among the 872 clean articles with 40+ pairs is 0.184, the next 0.161).
DEFAULT_ODD_THRESHOLD = 0.2
#: The odd-pair rate is judged only over at least this many pairs of common words.
MIN_PAIRS = 40
#: z of the Wilson interval (about 95%).
WILSON_Z = 2.0

# -- The list-free score (see Analysis.list_free_score) ----------------------------------------
#: Distinct thesaurus swaps per word in clean health prose (937 articles, 412,695 words, phrase
#: list off: 0.068 per 100 words).
SWAP_RATE = 0.00068
#: Garbled words per word that clean prose is allowed (the issue's ceiling, 1 per 100,000 words;
#: measured: none in 412,695 words).
GARBLED_RATE = 0.00001
#: Odd-pair share of clean prose (pooled over the clean corpora, the pairs that are thesaurus swaps left
#: out as in :attr:`Analysis.odd_surprise`: 0.1157 over 937 articles) ...
ODD_RATE = 0.116
#: ... and how much more the share varies between clean articles than a binomial would
#: (mean squared z over the 872 clean articles with 40+ pairs: 1.946).
ODD_DISPERSION = 1.95
#: The odd-pair part of the score is capped: alone it must never decide (a clean article of
#: unusual wording can have many odd pairs; heavy rewrites are caught by the odd-pair verdict).
ODD_CAP = 2.5
#: Default threshold of the list-free score (-log10 of the chance of so much evidence in clean
#: prose). Clean health prose peaks at 3.55 and the unspun seeds at 2.1.
DEFAULT_LIST_FREE_THRESHOLD = 5.0
#: Scores are capped here (beyond, the chance is below any meaningful precision).
MAX_SURPRISE = 30.0


#: What became of the deeper stage on a text (``deep = true``): it judged it with the stacked model's tiers, or with
#: the tiers for texts too short for the page model; it did not (too short, not English prose, no prose); or it
#: could not run (the extra or the model is missing or damaged: a notice says which).
DEEP_STAGES = ("judged", "judged-short", "not-judged", "unavailable")


@dataclass(frozen=True)
class Evidence:
    """One located piece of evidence, with what the text probably said."""

    kind: str  # garbled | phrase | swap | nonword | glued | lmswap
    block: Block
    start: int
    end: int
    text: str
    #: The probable original wording.
    suggestion: str
    #: Why it is suspicious, for the message.
    detail: str
    weight: float
    #: A safe, exact rewrite (strong spinner phrases only).
    fix: str | None = None
    phrase: Phrase | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.text.lower()}"


@dataclass
class Analysis:
    words: int = 0
    english: bool = True
    #: Share of English function words (a language check).
    known_share: float = 1.0
    garbled: list[Evidence] = field(default_factory=list)
    phrases: list[Evidence] = field(default_factory=list)
    swaps: list[Evidence] = field(default_factory=list)
    nonwords: list[Evidence] = field(default_factory=list)
    #: Two words glued by a lost space (HL701): extraction damage, no evidence of spin.
    glued: list[Evidence] = field(default_factory=list)
    density: float = 0.0
    list_free_density: float = 0.0
    #: Adjacent pairs of common words, and how many of them are odd pairs (see :mod:`.swaps`).
    pairs: int = 0
    odd_pairs: int = 0
    #: ... how many of them the web pair counts do not list, and the same for pairs of two content words.
    unlisted_pairs: int = 0
    #: ... and how many of them are thesaurus swaps (each swap is an odd pair too; see :attr:`odd_surprise`).
    swap_pairs: int = 0
    content_pairs: int = 0
    content_unlisted_pairs: int = 0
    #: Words of four letters or more that are not function words, how many of them are uncommon
    #: (see ``analysis.UNCOMMON_ZIPF100``), and all words no dictionary passes as plain.
    content_words: int = 0
    uncommon_words: int = 0
    unknown_words: int = 0
    #: The distinct common content words (Zipf 3 or more), and their summed demotion (``analysis.demotion``: how
    #: much more common each one's commonest near-synonym is).
    graded_words: int = 0
    demotion: float = 0.0
    #: The words the trigram model judged, and the 90th percentile of their synonym gains in bits (:mod:`.trigram`;
    #: 0 when no word is judged).
    trigram_words: int = 0
    trigram_q90: float = 0.0
    #: Unknown words looked at (for garbled words and non-words), at most ``analysis.MAX_UNKNOWN`` per article.
    unknown_checked: int = 0
    #: Distinct thesaurus swaps, counted whether or not a listed spinner phrase covers them
    #: (so the list-free score does not depend on the list).
    swap_keys: set[str] = field(default_factory=set)
    #: Distinct pairs the swap test takes for swaps that consumer-health prose uses while the web pair counts miss
    #: them (``data/health_pairs.txt``: "help slow", "symptoms like"): no swap evidence (HL105, the list-free score),
    #: but the page model still counts them (:attr:`model_swap_surprise`).
    health_pair_swaps: set[str] = field(default_factory=set)
    #: The spin model's probability that the text is spun (see :mod:`.model`; None when too short),
    #: and its two thresholds: suspected spun (HL107) and spun (HL101).
    spin_probability: float | None = None
    #: ``deep = true``: the page model's own probability, which the stacked model's replaced (other models
    #: fitted on the page model's output, such as the verdict family's, read this one).
    page_probability: float | None = None
    #: ... and whether it reached the page model's suspected tier (HL107 as the light path decides it).
    page_suspected: bool | None = None
    suspect_threshold: float = 1.0
    model_threshold: float = 1.0
    odd_threshold: float = DEFAULT_ODD_THRESHOLD
    threshold: float = DEFAULT_THRESHOLD
    min_words: int = 80
    list_free_threshold: float = DEFAULT_LIST_FREE_THRESHOLD
    #: ``deep = true``: words the language model finds far less likely than a synonym (HL109), and whether
    #: the deeper stage decided the model's tiers.
    lm_swaps: list[Evidence] = field(default_factory=list)
    deep: bool = False
    #: ``deep = true``: what became of the stage on this text (:data:`DEEP_STAGES`; None when it was not asked for).
    deep_stage: str | None = None

    @property
    def odd_rate(self) -> float:
        return self.odd_pairs / self.pairs if self.pairs else 0.0

    @property
    def verdict_by_density(self) -> bool:
        return self.english and self.words >= self.min_words and self.density >= self.threshold

    @property
    def odd_lower_bound(self) -> float:
        """A cautious odd-pair rate: the lower end of its 95% (Wilson) confidence interval.

        Short texts have few pairs and a noisy rate; the bound only passes the threshold when
        there are enough pairs to be sure.
        """
        n = self.pairs
        if not n:
            return 0.0
        p, z2 = self.odd_pairs / n, WILSON_Z * WILSON_Z
        centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        margin = WILSON_Z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
        return max(centre - margin, 0.0)

    @property
    def verdict_by_odd_pairs(self) -> bool:
        return self.english and self.pairs >= MIN_PAIRS and self.odd_lower_bound >= self.odd_threshold

    @property
    def swap_surprise(self) -> float:
        """-log10 of the chance that clean prose of this length has this many distinct swaps."""
        return poisson_surprise(len(self.swap_keys), SWAP_RATE * self.words)

    @property
    def model_swap_surprise(self) -> float:
        """:attr:`swap_surprise` with the health prose pairs counted as swaps: the page model's input, as it was
        fitted. The table of those pairs is counted in the NIH answers the model takes as clean prose, where
        they would leave almost no swap; fitted on that, the model would learn that clean prose has none."""
        return poisson_surprise(len(self.swap_keys) + len(self.health_pair_swaps), SWAP_RATE * self.words)

    @property
    def garbled_surprise(self) -> float:
        """-log10 of the chance of this many distinct garbled words at clean prose's ceiling rate."""
        return poisson_surprise(len({e.key for e in self.garbled}), GARBLED_RATE * self.words)

    @property
    def odd_surprise(self) -> float:
        """-log10 of the chance of this odd-pair share in clean prose (overdispersed normal), capped.

        The pairs that are thesaurus swaps are left out: every swap is an odd pair too, and
        :attr:`swap_surprise` has already weighed it (counted twice, three ordinary swaps in a short
        clean text added up to a verdict)."""
        n = self.pairs - self.swap_pairs
        if n < MIN_PAIRS:
            return 0.0
        odd = self.odd_pairs - self.swap_pairs
        z = (odd - n * ODD_RATE) / math.sqrt(ODD_DISPERSION * n * ODD_RATE * (1 - ODD_RATE))
        tail = 0.5 * math.erfc(z / math.sqrt(2.0))
        return min(-math.log10(max(tail, 1e-300)), ODD_CAP)

    @property
    def list_free_score(self) -> float:
        """How surprising the list-free evidence is for clean prose of this length.

        The sum of three independent -log10 chances under clean health prose: of this many
        distinct thesaurus swaps (Poisson, at clean prose's rate), of this many garbled words
        (Poisson, at 1 per 100,000 words), and of this odd-pair share (capped at
        :data:`ODD_CAP`). Unlike a density, it grows with the length of the evidence: five
        swaps in 900 words (0.6 expected) are telling, one swap in 120 words is not. No
        spinner phrase list is involved.
        """
        return self.swap_surprise + self.garbled_surprise + self.odd_surprise

    @property
    def verdict_by_list_free_score(self) -> bool:
        return self.english and self.words >= self.min_words and self.list_free_score >= self.list_free_threshold

    @property
    def verdict_by_model(self) -> bool:
        p = self.spin_probability
        return self.english and p is not None and p >= self.model_threshold

    @property
    def verdict(self) -> bool:
        return (
            self.verdict_by_density
            or self.verdict_by_odd_pairs
            or self.verdict_by_list_free_score
            or self.verdict_by_model
        )

    @property
    def suspected(self) -> bool:
        """Moderate evidence (HL107): the model's suspicion, short of any verdict."""
        p = self.spin_probability
        return self.english and p is not None and p >= self.suspect_threshold and not self.verdict

    def model_evidence(self) -> str:
        """What the spin model weighed, in words (for the HL101 and HL107 messages)."""
        parts = [
            f"{self.unlisted_pairs} of {self.pairs} word pairs rare on the web",
            f"{self.odd_rate:.0%} odd word pairs",
        ]
        if self.swap_keys:
            parts.append(f"{len(self.swap_keys)} thesaurus swap{'' if len(self.swap_keys) == 1 else 's'}")
        if self.phrases:
            parts.append(f"{len(self.phrases)} spinner phrase{'' if len(self.phrases) == 1 else 's'}")
        p = self.spin_probability or 0.0
        if self.deep:
            page = f"; page model alone: {self.page_probability:.0%}" if self.page_probability else ""
            return f"{', '.join(parts)} in {self.words} words (deeper stage: {p:.0%} likely spun{page})"
        return f"{', '.join(parts)} in {self.words} words (spin model: {p:.0%} likely spun)"

    def deep_metrics(self) -> dict[str, Any]:
        """``deep = true``: whether the stage judged the text, and when it did, its tiers and what it decided (so a CI
        log shows why a page was withheld)."""
        if self.deep_stage is None:
            return {}
        found: dict[str, Any] = {"deep_stage": self.deep_stage}
        if self.deep:
            p = self.spin_probability or 0.0
            decision = "spun" if p >= self.model_threshold else "suspected" if p >= self.suspect_threshold else "clean"
            found |= {
                "deep_decision": decision,
                "spin_suspect_threshold": round(self.suspect_threshold, 3),
                "spin_verdict_threshold": round(self.model_threshold, 3),
            }
        return found

    def metrics(self) -> dict[str, Any]:
        return {
            "density": round(self.density, 3),
            "list_free_density": round(self.list_free_density, 3),
            "threshold": self.threshold,
            "odd_pair_rate": round(self.odd_rate, 3),
            "odd_pair_lower_bound": round(self.odd_lower_bound, 3),
            "odd_pair_threshold": self.odd_threshold,
            "word_pairs": self.pairs,
            "list_free_score": round(self.list_free_score, 2),
            "list_free_threshold": self.list_free_threshold,
            "verdict": self.verdict,
            "spin_probability": None if self.spin_probability is None else round(self.spin_probability, 3),
            **({"page_spin_probability": round(self.page_probability, 3)} if self.page_probability is not None else {}),
            **({"page_suspected": self.page_suspected} if self.page_suspected is not None else {}),
            "unlisted_pair_rate": round(self.unlisted_pairs / self.pairs, 3) if self.pairs else 0.0,
            "garbled_words": len(self.garbled),
            "spinner_phrases": len(self.phrases),
            "thesaurus_swaps": len(self.swaps),
            "non_words": len(self.nonwords),
            "glued_words": len(self.glued),
            **({"language_model_swaps": len(self.lm_swaps)} if self.deep else {}),
            **self.deep_metrics(),
            **({} if self.english else {"skipped": "not English prose", "english_share": round(self.known_share, 3)}),
        }

    def shows(self, block: Block, start: int, end: int) -> bool:
        """Whether a thesaurus swap (HL105) or a listed spinner phrase covers part of ``block.text[start:end]``: the
        word findings that come after them (HL108, HL109) leave such spans to them."""
        return any(e.block is block and e.start < end and start < e.end for e in (*self.swaps, *self.phrases))

    def add_up(self) -> None:
        """Weigh the evidence found into :attr:`density` and :attr:`list_free_density`."""
        seen: set[str] = set()
        total = list_free = 0.0
        for ev in (*self.garbled, *self.swaps, *self.phrases):
            if ev.key in seen:
                continue  # repeated boilerplate counts once
            seen.add(ev.key)
            total += ev.weight
            if ev.kind in ("garbled", "swap"):
                list_free += ev.weight
        scale = 100.0 / max(self.words, NORMALISE_WORDS)
        self.density = total * scale
        self.list_free_density = list_free * scale


def poisson_surprise(k: int, mu: float) -> float:
    """-log10 P(X >= k) for X ~ Poisson(mu), capped at :data:`MAX_SURPRISE` (0 when k <= 0)."""
    if k <= 0:
        return 0.0
    if mu <= 0:
        return MAX_SURPRISE
    if k > mu:
        # Sum the tail directly, from its largest term: precise even when it is tiny.
        log_term = -mu + k * math.log(mu) - math.lgamma(k + 1)
        total, term, i = 0.0, 1.0, k
        while term > 1e-12 * total or total == 0.0:
            total += term
            i += 1
            term *= mu / i
            if i > k + 1000:
                break
        log10_tail = (log_term + math.log(total)) / math.log(10)
        return min(-log10_tail, MAX_SURPRISE)
    cdf, term = 0.0, math.exp(-mu)
    for i in range(k):
        cdf += term
        term *= mu / (i + 1)
    return min(-math.log10(max(1.0 - cdf, 1e-300)), MAX_SURPRISE)
