"""One pass over an article that collects every piece of spin evidence the HL1 rules report.

Garbled words and thesaurus swaps need no list; spinner phrases from the list add precision
where they match. The verdict on what is found is :class:`~.result.Analysis`'s.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from healthlint.text.tokens import folded

from . import trigram
from .lexicon import units
from .lexicon.lookups import Lexicon
from .lexicon.store import get_lexicon
from .model import spin_model
from .phrases import Phrase, PhraseBook, match_case
from .result import WEIGHT_GARBLED, WEIGHT_PHRASE, WEIGHT_SWAP, Analysis, Evidence
from .swaps import CONTENT, FUNCTION_WORDS, KINDS, ODD, UNLISTED, Swap, SwapFinder
from .tokens import BlockTokens, opens_sentence
from .trigram import Context, SynonymGain, quantile90
from .wordlists import words_in
from .words import PREFIXES, correct_nonword, glued_split, health_pair, restore_garbled, tripled

if TYPE_CHECKING:
    from healthlint.article import Article, Block

    from .settings import Settings

#: An unknown word is reported as a typo only of a word this common (Zipf: once per 300,000 words) ...
TYPO_ZIPF = 3.5
#: ... and a word only web text knows (a name, a brand, slang, a typo) only of a word this common.
WEB_TYPO_ZIPF = 4.0
#: Endings of Latin and Greek terms ("lichen planus", "situs inversus"), never taken for typos.
LATIN_ENDINGS = tuple(sorted(words_in("latin_endings.txt")))
#: Endings of the Greek and Latin nouns whose adjectives end in "-ic" ("clonus", "clonic").
TERM_NOUN_ENDINGS = ("us", "um", "ia")
#: At most this many unknown words are examined per article (each costs up to a millisecond).
MAX_UNKNOWN = 2000
#: Longer tokens are not words (a URL slug, a chemical name, junk): not checked as words.
MAX_WORD = 30
#: Words remembered as plain or not (see :meth:`Analyzer.is_plain`) before the memo starts over.
PLAIN_MEMO_LIMIT = 200_000
#: Zipf x 100 range of the words counted as uncommon (once per 10M to once per 300,000 words).
UNCOMMON_ZIPF100 = (200, 350)
#: English prose is a quarter to a half function words (clean health prose: at least 10%); other
#: languages (and word lists) have next to none of these, and are not checked.
ENGLISH_MARKERS = words_in("english_markers.txt")
MIN_ENGLISH_SHARE = 0.06
#: A word's demotion counts at most this much (Zipf): the commonest near-synonym of a word.
MAX_DEMOTION = units.MAX_DEMOTION


def demotion(lex: Lexicon, word: str) -> float:
    """How much more common (Zipf, 0 to :data:`MAX_DEMOTION`) the commonest near-synonym of a common word is: what a
    word-for-word spinner does is replace a plain word by a rarer synonym ("individuals" for "people").

    The definition, from the word's near-synonym list; the analysis reads the same value computed into
    the index (:meth:`Lexicon.demotion`, one lookup a word).
    """
    return lex.near_synonym_demotion(word)


class Analyzer:
    """Runs the checks over articles; one per process (it memoizes word-pair and per-word answers)."""

    def __init__(self, lex: Lexicon | None = None, *, with_model: bool = True) -> None:
        self.lex = lex or get_lexicon()
        #: Whether the spin model scores each article (its training script counts without it).
        self.with_model = with_model
        self.swaps = SwapFinder(self.lex)
        #: word -> whether it is plain: nothing about the word alone could make it a garbled word
        #: or a non-word (too short or long, not ASCII, a contraction, or a known word). Most
        #: tokens are, and each is then looked at no further. Bounded (see :data:`PLAIN_MEMO_LIMIT`).
        self._plain: dict[str, bool] = {}
        #: word -> 0 (short or a function word), 1 (a content word) or 2 (an uncommon content word); bounded.
        self._kinds: dict[str, int] = {}
        #: common content word -> its demotion (:meth:`Lexicon.demotion`), -1 for other words; bounded.
        self._demotion: dict[str, float] = {}
        #: The synonym gain of the words, read from the trigram model (opened on the first article).
        self.synonym_gain = SynonymGain(self.lex)
        #: unknown word -> the two words it was glued from by a lost space, or None; bounded.
        self._glued: dict[str, tuple[str, str] | None] = {}
        #: unknown word -> its convincing correction as a non-word and why, or None; bounded.
        self._corrections: dict[str, tuple[str, str] | None] = {}

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

    def glued(self, word: str) -> tuple[str, str] | None:
        """:func:`~.words.glued_split` of an unknown word, memoized."""
        memo = self._glued
        if word in memo:
            return memo[word]
        if len(memo) >= PLAIN_MEMO_LIMIT:
            memo.clear()
        found = memo[word] = glued_split(self.lex, word)
        return found

    def correction(self, word: str, web_only: bool) -> tuple[str, str] | None:
        """A non-word's convincing correction (:func:`~.words.correct_nonword`), memoized (a typo search is slow)."""
        memo = self._corrections
        if word in memo:
            return memo[word]
        if len(memo) >= PLAIN_MEMO_LIMIT:
            memo.clear()
        found = correct_nonword(self.lex, word)
        if found is not None and not _plausible_correction(self.lex, word, found, web_only):
            found = None
        memo[word] = found
        return found

    def analyze(self, article: Article, settings: Settings) -> Analysis:
        result = Analysis(
            threshold=settings.threshold,
            min_words=settings.min_words,
            odd_threshold=settings.odd_threshold,
            list_free_threshold=settings.list_free_threshold,
        )
        blocks = [b for b in article.blocks if b.text.strip()]
        tokenized = [(b, BlockTokens(b.text)) for b in blocks]
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
        self._vocabulary(counts, unusual, result)
        phrase_candidates = settings.book.candidates(folded(article.text))
        tally = [0] * KINDS  # the article's word pairs by their flags (see swaps.ODD)
        gains: list[float] = []  # the synonym gain of each word the trigram model judged
        for block, toks in tokenized:
            taken = self._phrases(block, settings.book, phrase_candidates, result)
            if unusual and not unusual.isdisjoint(toks.words):
                self._words(block, toks, settings, taken, result, counts, unusual)
            self._pairs(block, toks, taken, result, tally)
            self.synonym_gain.add(toks, gains)
        result.trigram_words = len(gains)
        result.trigram_q90 = quantile90(gains)
        for kind, n in enumerate(tally):
            if n:
                result.pairs += n
                result.odd_pairs += n if kind & ODD else 0
                result.unlisted_pairs += n if kind & UNLISTED else 0
                result.content_pairs += n if kind & CONTENT else 0
                result.content_unlisted_pairs += n if kind & CONTENT and kind & UNLISTED else 0
        result.add_up()
        # The model has its own minimum; verdict-min-words governs the density and list-free verdicts.
        if self.with_model and words >= (model := spin_model()).min_words:
            result.spin_probability = model.probability(result)
            result.suspect_threshold = settings.suspect_threshold or model.suspect
            result.model_threshold = settings.model_threshold or model.verdict
        return result

    # -- Phrases ------------------------------------------------------------------------

    def _phrases(
        self, block: Block, book: PhraseBook, candidates: list[Phrase], result: Analysis
    ) -> list[tuple[int, int]]:
        taken: list[tuple[int, int]] = []
        if not candidates:
            return taken
        lowered = folded(block.text)
        wanted = [p for p in candidates if p.trigger is None or lowered is None or p.trigger in lowered]
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
        toks: BlockTokens,
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
            if capital and not opens_sentence(block.text, start) and not tripled(w):
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
                suggestion = match_case(raw, restored.original)
                result.garbled.append(
                    Evidence("garbled", block, start, end, raw, suggestion, restored.swap, WEIGHT_GARBLED)
                )
                continue
            if not tripled(w) and (capital or counts.get(w, 0) > 1):
                continue  # a capitalised unknown word is a name; a repeated one is a term, not a slip
            split = self.glued(w)
            if split is not None:
                # A lost space is damage from copying or extracting the text: its own finding (HL701), no spin.
                fixed = match_case(raw, f"{split[0]} {split[1]}")
                result.glued.append(Evidence("glued", block, start, end, raw, fixed, "two words missing a space", 0.0))
                continue
            if _broken_word(lex, previous, w, following):
                continue  # a word split by a stray space ("fl ushing"): damage from extracting the text, no typo
            correction = self.correction(w, web_only)
            if correction is None:
                continue
            fixed, why = correction
            result.nonwords.append(Evidence("nonword", block, start, end, raw, match_case(raw, fixed), why, 0.0))

    # -- Word pairs -------------------------------------------------------------------------

    def judged_pairs(self, toks: BlockTokens) -> Iterator[tuple[int, str, Swap | None, int]]:
        """The word pairs of a block that the analysis judges, in order: (the index of the pair's second word,
        ``"x y"``, the swap behind it or None, its flags (:data:`~.swaps.ODD`, :data:`~.swaps.UNLISTED`,
        :data:`~.swaps.CONTENT`)).

        Judged are two adjacent words (only white space on one line between them), both written in lowercase and
        common enough: the table of frequent words holds exactly the words of Zipf 3 or more, the floor of
        :data:`~.swaps.MIN_ZIPF100`. The page counts and the swaps come from this walk, and the measuring scripts
        read it too (scripts/train_spun_model.py), so that they count what the rules judge.
        """
        words, raws, parts = toks.words, toks.raws, toks.parts
        if len(words) < 2:
            return
        frequent = self.lex.frequent_words
        usable = [w in frequent and r.islower() for w, r in zip(words, raws, strict=True)]
        memo_get = self.swaps.memo.get
        judge = self.swaps.judge
        for i in [i for i in range(1, len(words)) if usable[i] and usable[i - 1]]:
            gap = parts[2 * i]
            if gap != " " and (not gap.isspace() or "\n" in gap):
                continue  # not adjacent (BlockTokens.adjacent, inlined: asked of every pair)
            key = words[i - 1] + " " + words[i]
            found = memo_get(key)
            swap, kind = judge(words[i - 1], words[i], key) if found is None else found
            yield i, key, swap, kind

    def _pairs(
        self, block: Block, toks: BlockTokens, taken: list[tuple[int, int]], result: Analysis, tally: list[int]
    ) -> None:
        words, raws = toks.words, toks.raws
        for i, key, swap, kind in self.judged_pairs(toks):
            tally[kind] += 1
            if swap is None:
                continue
            if health_pair(words[i - 1], words[i]):
                result.health_pair_swaps.add(key)  # health prose's own pair, which the web counts miss
                continue
            result.swap_keys.add(key)
            result.swap_pairs += 1
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

    def unlisted_pairs(self, blocks: Iterable[Block]) -> Iterator[tuple[Block, int, int, str, str, Context]]:
        """The unlisted pairs of analysed blocks: (block, start, end, first word, second word, and the words around
        the pair as the trigram model reads them: :func:`.trigram.context`).

        Asked only of articles an editor is shown them for (HL108), so the pass over pairs records nothing: the
        answers are read back from the swap finder's memo, not judged again by :meth:`judged_pairs`. That differs
        from the walk in one way: only the second word must be lowercase, so a pair that opens a sentence ("Again
        ache") is listed when the same pair was judged in lowercase, in this article or an earlier one of the run.
        """
        memo = self.swaps.memo
        for block in blocks:
            toks = BlockTokens(block.text)
            words = toks.words
            runs: list[list[int]] | None = None
            for i in range(1, len(words)):
                found = memo.get(words[i - 1] + " " + words[i])
                if found is not None and found[1] & UNLISTED and toks.adjacent(i) and toks.raws[i].islower():
                    runs = runs if runs is not None else trigram.runs(toks)
                    yield block, toks.start(i - 1), toks.end(i), words[i - 1], words[i], trigram.context(toks, runs, i)

    # -- Vocabulary -------------------------------------------------------------------------

    def _vocabulary(self, counts: Counter[str], unusual: set[str], result: Analysis) -> None:
        """Count content words, those a thesaurus spinner favours (real but uncommon ones: "indolence"), and how far
        the common ones are from their commonest near-synonyms (a word-for-word spinner's "individuals")."""
        kinds = self._kinds
        missing = [w for w in counts if w not in kinds]
        if missing:
            if len(kinds) + len(missing) > PLAIN_MEMO_LIMIT:
                kinds.clear()
            zipf100, function = self.lex.zipf100, FUNCTION_WORDS
            low, high = UNCOMMON_ZIPF100
            for w in missing:
                kinds[w] = 0 if len(w) < 4 or w in function else (2 if low <= zipf100(w) < high else 1)
        # The demotion of each distinct common content word (see :func:`demotion`), -1 for the others.
        memo = self._demotion
        if len(memo) + len(counts) > PLAIN_MEMO_LIMIT:
            memo.clear()
        lex, frequent = self.lex, self.lex.frequent_words
        content = uncommon = graded = 0
        demoted = 0.0
        for w, n in counts.items():
            kind = kinds[w]
            if kind:
                content += n
                if kind == 2:
                    uncommon += n
                d = memo.get(w)
                if d is None:
                    d = memo[w] = lex.demotion(w) if w in frequent else -1.0
                if d >= 0.0:
                    graded += 1
                    demoted += d
        result.content_words = content
        result.uncommon_words = uncommon
        result.graded_words = graded
        result.demotion = demoted
        # Glued words ("symptomsthe") are damage from text extraction, not a spinner's vocabulary.
        result.unknown_words = sum(counts[w] for w in unusual if self.glued(w) is None)


def _plausible_correction(lex: Lexicon, word: str, correction: tuple[str, str], web_only: bool) -> bool:
    """Whether a correction is convincing enough to report (medical Latin and terms are not typos)."""
    fixed, why = correction
    if why == "a letter typed three times":
        return True
    if why == "two words missing a space":
        return False  # a convincing split was reported as glued (HL701); this one is a derivation or a web spelling
    if len(word) < 6 or word.endswith(LATIN_ENDINGS):
        return False  # short tokens are abbreviations; "planus", "physis" are Latin and Greek terms
    if any(word.startswith(p) and lex.is_word(word[len(p) :]) for p in PREFIXES if len(word) - len(p) >= 3):
        return False  # "nondense", "cotest": prefix + word, a derivation
    if _term_adjective(lex, word):
        return False  # "clonic" from "clonus": a term's adjective, not a slip for "clinic"
    return lex.zipf(fixed) >= (WEB_TYPO_ZIPF if web_only else TYPO_ZIPF)


def _term_adjective(lex: Lexicon, word: str) -> bool:
    """Whether the word is the adjective of a rare Greek or Latin term, formed the regular way:
    "-sis" to "-tic", "-us", "-um", "-ia" to "-ic" ("clonus", "clonic").

    The term must be in a dictionary yet rarer than once in ten million words: the adjective of
    an everyday noun is listed itself, so an unknown one is a slip ("cronic" is no adjective of
    "Cronus"), while a rare term's adjective is as rare as the term. Not "-ical", whose slips
    ("medical", "clinical") are common, and only on a stem of four letters or more ending in a consonant."""
    if not word.endswith("ic") or word.endswith("ical"):
        return False
    if word.endswith("tic"):
        if len(word) < 7:  # "alkalo|tic"; not "ptic" (a slip for "optic")
            return False
        nouns = [word[:-3] + "sis"]
    elif len(word) >= 6 and word[-3] not in "aeiouy":  # "clon|ic"; not "stati|ic" (static), "automato|ic"
        nouns = [word[:-2] + ending for ending in TERM_NOUN_ENDINGS]
    else:
        return False
    return any(lex.is_dictionary_word(noun) and not lex.is_common(noun) for noun in nouns)


def _broken_word(lex: Lexicon, previous: str | None, word: str, following: str | None) -> bool:
    """Whether the token is half of a word that a stray space split ("fl ushing", "symp toms"), as
    extracting text from a page or a PDF does: joined to its neighbour, it is a common dictionary word
    (not merely a common spelling: "in tresting" joins to a misspelling)."""
    return bool(
        (previous and lex.is_restorable(previous + word)) or (following and lex.is_restorable(word + following))
    )


def _in_address(text: str, start: int, end: int) -> bool:
    before = text[start - 1 : start]
    after = text[end : end + 2]
    if before in ("@", "/", "_") or (before == "." and text[start - 2 : start - 1].isalnum()):
        return True
    return after[:1] in ("@", "_", "/") or (after[:1] == "." and after[1:2].isalpha())


def _inside(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)
