"""One pass over an article that collects every piece of spin evidence the HL1 rules report.

The verdict (HL101) weighs the evidence per 100 words. Garbled words and thesaurus swaps
need no list; spinner phrases from the list add precision where they match. Weights and
the default threshold were calibrated on clean health prose (see bench/bench_spun.py):
the densest clean article of 200+ words scores well under the threshold.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from healthlint import regexcache
from healthlint.spun.lexicon import ZIPF_SWAP, Lexicon, get_lexicon
from healthlint.spun.phrases import Phrase, PhraseBook
from healthlint.spun.swaps import MIN_ZIPF100, SwapFinder
from healthlint.spun.words import PREFIXES, correct_nonword, restore_garbled, tripled

if TYPE_CHECKING:
    from healthlint.article import Article, Block

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
#: Odd-pair share of clean prose (pooled over the clean corpora) ...
ODD_RATE = 0.117
#: ... and how much more the share varies between clean articles than a binomial would
#: (mean squared z over the 870 clean articles with 40+ pairs).
ODD_DISPERSION = 1.93
#: The odd-pair part of the score is capped: alone it must never decide (a clean article of
#: unusual wording can have many odd pairs; heavy rewrites are caught by the odd-pair verdict).
ODD_CAP = 2.5
#: Default threshold of the list-free score (-log10 of the chance of so much evidence in clean
#: prose). Clean health prose peaks at 3.55 and the unspun seeds at 2.1.
DEFAULT_LIST_FREE_THRESHOLD = 5.0
#: Scores are capped here (beyond, the chance is below any meaningful precision).
MAX_SURPRISE = 30.0
#: An unknown word is reported as a typo only of a word this common (Zipf: once per 300,000 words) ...
TYPO_ZIPF = 3.5
#: ... and a word only web text knows (a name, a brand, slang, a typo) only of a word this common.
WEB_TYPO_ZIPF = 4.0
#: Endings of Latin and Greek terms ("lichen planus", "situs inversus"), never taken for typos.
LATIN_ENDINGS = ("us", "um", "ae", "is", "ii", "ia", "ium", "ata", "oma", "osa")
#: At most this many unknown words are examined per article (each costs up to a millisecond).
MAX_UNKNOWN = 2000
#: Longer tokens are not words (a URL slug, a chemical name, junk): not checked as words.
MAX_WORD = 30
#: Words remembered as plain or not (see :meth:`Analyzer.is_plain`) before the memo starts over.
PLAIN_MEMO_LIMIT = 200_000
#: English prose is a quarter to a half function words (clean health prose: at least 10%); other
#: languages (and word lists) have next to none of these, and are not checked.
_ENGLISH_MARKERS_TEXT = """
    the of and to a in is that for it as with was on be by are this or from at an not have has can may which
    their they you your if but more when these other also its than such
"""
ENGLISH_MARKERS = frozenset(_ENGLISH_MARKERS_TEXT.split())
MIN_ENGLISH_SHARE = 0.06

#: A word: letters, possibly joined by apostrophes ("don't"). Split around (a capturing group):
#: the gaps and the tokens in one list, made in C.
_TOKEN_SPLIT = regexcache.compile(r"([^\W\d_]+(?:['’][^\W\d_]+)*)")
#: The same for ASCII text (most blocks), where letters are [A-Za-z] and there is no curly
#: apostrophe: letter ranges match faster than Unicode categories.
_ASCII_TOKEN_SPLIT = regexcache.compile(r"([A-Za-z]+(?:'[A-Za-z]+)*)")
_SENTENCE_END = frozenset(".!?:;")
_OPENERS = "\"'“‘([«"


@dataclass(frozen=True)
class Evidence:
    """One located piece of evidence, with what the text probably said."""

    kind: str  # garbled | phrase | swap | nonword
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
class Settings:
    """What the analysis needs from the options, compiled once per run."""

    book: PhraseBook
    allow: frozenset[str] = frozenset()
    threshold: float = DEFAULT_THRESHOLD
    min_words: int = 80
    odd_threshold: float = DEFAULT_ODD_THRESHOLD
    list_free_threshold: float = DEFAULT_LIST_FREE_THRESHOLD


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
    density: float = 0.0
    list_free_density: float = 0.0
    #: Adjacent pairs of common words, and how many of them are odd pairs (see healthlint.spun.swaps).
    pairs: int = 0
    odd_pairs: int = 0
    #: Unknown words looked at (for garbled words and non-words), at most MAX_UNKNOWN per article.
    unknown_checked: int = 0
    #: Distinct thesaurus swaps, counted whether or not a listed spinner phrase covers them
    #: (so the list-free score does not depend on the list).
    swap_keys: set[str] = field(default_factory=set)
    odd_threshold: float = DEFAULT_ODD_THRESHOLD
    threshold: float = DEFAULT_THRESHOLD
    min_words: int = 80
    list_free_threshold: float = DEFAULT_LIST_FREE_THRESHOLD

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
    def garbled_surprise(self) -> float:
        """-log10 of the chance of this many distinct garbled words at clean prose's ceiling rate."""
        return poisson_surprise(len({e.key for e in self.garbled}), GARBLED_RATE * self.words)

    @property
    def odd_surprise(self) -> float:
        """-log10 of the chance of this odd-pair share in clean prose (overdispersed normal), capped."""
        n = self.pairs
        if n < MIN_PAIRS:
            return 0.0
        z = (self.odd_pairs - n * ODD_RATE) / math.sqrt(ODD_DISPERSION * n * ODD_RATE * (1 - ODD_RATE))
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
    def verdict(self) -> bool:
        return self.verdict_by_density or self.verdict_by_odd_pairs or self.verdict_by_list_free_score

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
            "garbled_words": len(self.garbled),
            "spinner_phrases": len(self.phrases),
            "thesaurus_swaps": len(self.swaps),
            "non_words": len(self.nonwords),
            **({} if self.english else {"skipped": "not English prose", "english_share": round(self.known_share, 3)}),
        }


class _Tokens:
    """The words of one block, as parallel lists (no object per token: a bulk run has 300,000 tokens).

    ``parts`` is the block split around its tokens: gap, token, gap, ..., token, gap. Token
    ``i`` is ``parts[2 * i + 1]``, the text before it ``parts[2 * i]``; its offsets in the block
    are ``ends[2 * i]`` and ``ends[2 * i + 1]`` (``ends`` accumulates the parts' lengths).
    """

    __slots__ = ("ends", "parts", "raws", "words")

    def __init__(self, text: str) -> None:
        parts = (_ASCII_TOKEN_SPLIT if text.isascii() else _TOKEN_SPLIT).split(text)
        raws = parts[1::2]
        self.parts = parts
        self.raws = raws
        #: Lowercase, straight apostrophes. Lowercasing is letter by letter except for a capital
        #: sigma (it depends on what follows), so the tokens are lowered in one go when there is none.
        self.words: list[str]
        if not raws:
            self.words = []
        else:
            joined = " ".join(raws)
            if "Σ" in joined:
                self.words = [r.lower().replace("’", "'") for r in raws]
            else:
                self.words = joined.lower().replace("’", "'").split(" ")
        self.ends = list(accumulate(map(len, parts)))

    def __len__(self) -> int:
        return len(self.raws)

    def start(self, i: int) -> int:
        return self.ends[2 * i]

    def end(self, i: int) -> int:
        return self.ends[2 * i + 1]

    def adjacent(self, i: int) -> bool:
        """Only white space, on one line, between token ``i`` and the one before (never for the first)."""
        if i <= 0:
            return False
        gap = self.parts[2 * i]
        return gap == " " or (gap.isspace() and "\n" not in gap)


def _sentence_start(text: str, start: int) -> bool:
    """Whether the token at ``start`` opens a sentence (asked only of capitalised tokens)."""
    head = text[max(0, start - 12) : start].rstrip().rstrip(_OPENERS).rstrip()
    return (not head and start < 12) or (bool(head) and head[-1] in _SENTENCE_END)


class Analyzer:
    """Runs the checks over articles; one per process (it memoizes word-pair and per-word answers)."""

    def __init__(self, lex: Lexicon | None = None) -> None:
        self.lex = lex or get_lexicon()
        self.swaps = SwapFinder(self.lex)
        #: word -> whether it is plain: nothing about the word alone could make it a garbled word
        #: or a non-word (too short or long, not ASCII, a contraction, or a known word). Most
        #: tokens are, and each is then looked at no further. Bounded (see :data:`PLAIN_MEMO_LIMIT`).
        self._plain: dict[str, bool] = {}

    def is_plain(self, word: str) -> bool:
        """Whether a lowercase word needs no single-word check (see :attr:`_plain`), memoized."""
        found = self._plain.get(word)
        if found is None:
            self._remember_plain((word,))
            found = self._plain[word]
        return found

    def _remember_plain(self, words: Iterable[str]) -> None:
        """Make sure :attr:`_plain` answers for every word of ``words`` (asked of an article's new words)."""
        plain = self._plain
        missing = [w for w in words if w not in plain]
        if not missing:
            return
        if len(plain) + len(missing) > PLAIN_MEMO_LIMIT:
            plain.clear()  # junk input: do not grow without bound
        lex = self.lex
        for w in missing:
            plain[w] = (
                not 4 <= len(w) <= MAX_WORD
                or not w.isascii()
                or "'" in w
                or lex.is_common(w)
                or lex.is_dictionary_word(w)
            )

    def analyze(self, article: Article, settings: Settings) -> Analysis:
        result = Analysis(
            threshold=settings.threshold,
            min_words=settings.min_words,
            odd_threshold=settings.odd_threshold,
            list_free_threshold=settings.list_free_threshold,
        )
        blocks = [b for b in article.blocks if b.text.strip()]
        tokenized = [(b, _Tokens(b.text)) for b in blocks]
        counts: Counter[str] = Counter()
        for _, toks in tokenized:
            counts.update(toks.words)
        words = counts.total()
        result.words = words
        if words == 0:
            return result
        ascii_words = words if "".join(counts).isascii() else sum(c for w, c in counts.items() if w.isascii())
        english = sum(counts[w] for w in ENGLISH_MARKERS if w in counts)
        result.known_share = english / words
        if ascii_words * 2 < words or (words >= 40 and result.known_share < MIN_ENGLISH_SHARE):
            result.english = False
            return result

        # The article's words that are not plain: the only ones the single-word checks look at.
        self._remember_plain(counts)
        plain = self._plain
        unusual = {w for w in counts if not plain[w]}
        lowered = article.text.lower()
        phrase_candidates = settings.book.candidates(lowered)
        for block, toks in tokenized:
            taken = self._phrases(block, settings.book, phrase_candidates, result)
            if unusual and not unusual.isdisjoint(toks.words):
                self._words(block, toks, settings, taken, result, counts, unusual)
            self._pairs(block, toks, taken, result)
        self._score(result)
        return result

    # -- Phrases ------------------------------------------------------------------------

    def _phrases(
        self, block: Block, book: PhraseBook, candidates: list[Phrase], result: Analysis
    ) -> list[tuple[int, int]]:
        taken: list[tuple[int, int]] = []
        if not candidates:
            return taken
        lowered = block.text.lower()
        wanted = [p for p in candidates if p.trigger is None or p.trigger in lowered]
        if not wanted:
            return taken
        for m in book.find(block.text, wanted):
            phrase = m.phrase
            result.phrases.append(
                Evidence(
                    kind="phrase",
                    block=block,
                    start=m.start,
                    end=m.end,
                    text=m.text,
                    suggestion=m.replacement or phrase.expected,
                    detail=phrase.id,
                    weight=WEIGHT_PHRASE[phrase.strength],
                    fix=m.replacement,
                    phrase=phrase,
                )
            )
            taken.append((m.start, m.end))
        return taken

    # -- Single words ---------------------------------------------------------------------

    def _words(
        self,
        block: Block,
        toks: _Tokens,
        settings: Settings,
        taken: list[tuple[int, int]],
        result: Analysis,
        counts: dict[str, int],
        unusual: set[str],
    ) -> None:
        lex = self.lex
        words, raws = toks.words, toks.raws
        for i in [i for i, w in enumerate(words) if w in unusual]:
            w = words[i]
            raw = raws[i]
            if not (raw.islower() or (raw[0].isupper() and raw[1:].islower())):
                continue  # acronyms, CamelCase brands
            start, end = toks.start(i), toks.end(i)
            capital = raw[0].isupper()
            if capital and not _sentence_start(block.text, start) and not tripled(w):
                continue  # a name
            if w in settings.allow or _inside(start, end, taken):
                continue
            if _in_address(block.text, start, end):
                continue  # part of an e-mail address or a domain name
            result.unknown_checked += 1
            if result.unknown_checked > MAX_UNKNOWN:
                continue  # junk or a word list, not prose: stop spending time on it
            web_only = lex.is_web_only(w)
            previous = words[i - 1] if toks.adjacent(i) else None
            following = words[i + 1] if i + 1 < len(words) and toks.adjacent(i + 1) else None
            restored = None if tripled(w) or web_only else restore_garbled(lex, w, previous, following)
            if restored is not None:
                result.garbled.append(
                    Evidence(
                        kind="garbled",
                        block=block,
                        start=start,
                        end=end,
                        text=raw,
                        suggestion=_case_like(raw, restored.original),
                        detail=restored.swap,
                        weight=WEIGHT_GARBLED,
                    )
                )
                continue
            if not tripled(w) and (capital or counts.get(w, 0) > 1):
                continue  # a capitalised unknown word is a name; a repeated one is a term, not a slip
            correction = correct_nonword(lex, w)
            if correction is None or not _plausible_correction(lex, w, correction, web_only):
                continue
            fixed, why = correction
            result.nonwords.append(
                Evidence(
                    kind="nonword",
                    block=block,
                    start=start,
                    end=end,
                    text=raw,
                    suggestion=_case_like(raw, fixed),
                    detail=why,
                    weight=0.0,
                )
            )

    # -- Word pairs -------------------------------------------------------------------------

    def _pairs(self, block: Block, toks: _Tokens, taken: list[tuple[int, int]], result: Analysis) -> None:
        words, raws, parts = toks.words, toks.raws, toks.parts
        if len(words) < 2:
            return
        # Common enough (Zipf x 100 >= MIN_ZIPF100) and written in lowercase: only such pairs are
        # judged. The table of frequent words holds exactly the words of Zipf 3 or more.
        frequent = self.lex.frequent_words
        if MIN_ZIPF100 == ZIPF_SWAP:
            usable = [w in frequent and r.islower() for w, r in zip(words, raws, strict=True)]
        else:  # (values: Zipf x 200, plus a flag bit)
            floor = 2 * MIN_ZIPF100
            usable = [frequent.get(w, 0) >= floor and r.islower() for w, r in zip(words, raws, strict=True)]
        memo_get = self.swaps.memo.get
        judge = self.swaps.judge
        pairs = odd_pairs = 0
        for i in [i for i in range(1, len(words)) if usable[i] and usable[i - 1]]:
            gap = parts[2 * i]
            if gap != " " and (not gap.isspace() or "\n" in gap):
                continue  # not adjacent: only white space on one line joins a pair
            x, y = words[i - 1], words[i]
            key = x + " " + y
            found = memo_get(key)
            swap, odd = judge(x, y, key) if found is None else found
            pairs += 1
            odd_pairs += odd
            if swap is None:
                continue
            result.swap_keys.add(f"{x} {y}")
            start, end = toks.start(i - 1), toks.end(i)
            if _inside(start, end, taken):
                continue
            result.swaps.append(
                Evidence(
                    kind="swap",
                    block=block,
                    start=start,
                    end=end,
                    text=block.text[start:end],
                    suggestion=swap.original,
                    detail=(raws[i - 1], raws[i])[swap.swapped],
                    weight=WEIGHT_SWAP,
                )
            )
        result.pairs += pairs
        result.odd_pairs += odd_pairs

    # -- Verdict ------------------------------------------------------------------------------

    def _score(self, result: Analysis) -> None:
        seen: set[str] = set()
        total = list_free = 0.0
        for ev in (*result.garbled, *result.swaps, *result.phrases):
            if ev.key in seen:
                continue  # repeated boilerplate counts once
            seen.add(ev.key)
            total += ev.weight
            if ev.kind in ("garbled", "swap"):
                list_free += ev.weight
        scale = 100.0 / max(result.words, NORMALISE_WORDS)
        result.density = total * scale
        result.list_free_density = list_free * scale


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


def _plausible_correction(lex: Lexicon, word: str, correction: tuple[str, str], web_only: bool) -> bool:
    """Whether a correction is convincing enough to report (medical Latin and terms are not typos)."""
    fixed, why = correction
    if why == "a letter typed three times":
        return True
    if why == "two words missing a space":
        first = fixed.split(" ", 1)[0]
        # "overactivation" is a derivation and "inversus" Latin; web spellings are left alone.
        return not web_only and len(word) >= 6 and first not in PREFIXES
    if len(word) < 6 or word.endswith(LATIN_ENDINGS):
        return False  # short tokens are abbreviations; "planus", "physis" are Latin and Greek terms
    if any(word.startswith(p) and lex.is_word(word[len(p) :]) for p in PREFIXES if len(word) - len(p) >= 3):
        return False  # "nondense", "cotest": prefix + word, a derivation
    return lex.zipf(fixed) >= (WEB_TYPO_ZIPF if web_only else TYPO_ZIPF)


def _in_address(text: str, start: int, end: int) -> bool:
    before = text[start - 1 : start]
    after = text[end : end + 2]
    if before in ("@", "/", "_") or (before == "." and text[start - 2 : start - 1].isalnum()):
        return True
    return after[:1] in ("@", "_", "/") or (after[:1] == "." and after[1:2].isalpha())


def _inside(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _case_like(original: str, word: str) -> str:
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
