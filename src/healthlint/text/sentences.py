"""The one sentence splitter: every rule family reads sentences from here.

Chosen by measurement (``bench/sentences/``): of the three splitters the families had and pySBD,
the one that came from readability found the most hand-labelled sentence starts in the corpus
with few false ones; the fixes below removed most of the rest. It runs in linear time on any
text: each stop is judged by looking a bounded distance around it.
"""

from __future__ import annotations

from functools import lru_cache

from healthlint.regexcache import lazy
from healthlint.text.tokens import word_set as _words

#: Words that end with a full stop without ending the sentence (lower case, without the final dot).
ABBREVIATIONS = _words(
    """
    dr mr mrs ms mx prof st sr jr rev gen col capt lt sgt gov sen rep mt ft vs v e.g i.e eg ie cf ca c approx
    viz incl esp dept univ assn est etc al inc ltd co corp no nos fig figs vol vols p pp ch sec eq ref refs
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun
    drs profs hr hrs wk wks yr yrs avg resp eqs ed eds chap suppl
    """
)
#: Abbreviations that end a sentence only before a word that commonly starts one.
_AMBIGUOUS = _words("etc al inc ltd co corp est")
#: Abbreviations that never end a sentence before a number ("No. 5", "Fig. 2", "p. 14").
_BEFORE_NUMBER = _words("no nos fig figs vol vols p pp ch sec eq ref refs")
#: Words that often start a sentence (to tell "in the U.S. The ..." from "U.S. Food ...").
_STARTERS = _words(
    """
    the this that these those it its in a an he she they we i you there however for and but so if as at on
    many most some one our their his her when while after before what how why who
    """
)
#: A stop (with the quotes and brackets that close it). Written to open with one stop character, not a
#: repeat: a search skips to the characters a pattern can open with only when it opens with a set (a repeat
#: first, the pattern was tried at every position of the text).
_TERMINATOR_RE = lazy(r"[.!?…][.!?…]*[\"'”’»)\]]*")
#: The same in a text whose only stop character is the full stop (most texts): a search skips to a literal
#: first character faster still.
_FULL_STOP_RE = lazy(r"\.[.!?…]*[\"'”’»)\]]*")
_PREVIOUS_WORD_RE = lazy(r"([^\W_]+(?:\.[^\W_]+)*)\W*$")
_NEXT_WORD_RE = lazy(r"[\s\"'“‘«(\[]*([^\W_]*)")
#: A numbered reference after a stop ("... products." [1]) belongs to the sentence before it.
_REFERENCE_RE = lazy(r"\s*\[\d{1,3}\]")
#: How far around a stop the splitter looks; a bound keeps it linear on any text.
_WINDOW = 24


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split prose into sentences; returns ``(start, end)`` offsets into ``text``.

    Knows abbreviations ("e.g.", "et al.", "Dr.", "U.S."), initials ("J. Smith"), decimals
    and numbered items ("No. 5"), sentences that end in quotes or brackets, and the full
    stop glued to the next sentence that text extraction leaves ("back.What"). Spans hold
    no surrounding white space; the text's end ends the last sentence. Never raises.

    Rules read a block's sentences from :attr:`healthlint.article.Block.sentences`; the
    split of the last few hundred texts is remembered for callers that split other text.
    """
    return list(_split_sentences(text))


@lru_cache(maxsize=512)
def _split_sentences(text: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    start = 0
    length = len(text)
    while start < length and text[start].isspace():
        start += 1
    # Where the sentence being built has its first letter or digit: a stop before it ends nothing.
    worded = _first_word_char(text, start, length)
    terminators = _TERMINATOR_RE if "?" in text or "!" in text or "…" in text else _FULL_STOP_RE
    for m in terminators.finditer(text, start):
        stop, end = m.span()
        if end >= length:
            break
        if worded > stop:
            worded = _first_word_char(text, end, length)
            continue
        following = text[end]
        if following == " " and end - stop == 1 and text[stop] == "." and "A" <= text[end + 1 : end + 2] <= "Z":
            # the common case, "word. Next": judged without the patterns where the word allows
            ends = _after_plain_word(text, stop)
            if not (_ends_sentence(text, stop, end, ".") if ends is None else ends):
                continue
            spans.append((start, end))  # a stop holds no white space: nothing to strip
            start = worded = end + 1  # the capital letter after the space
            continue
        if following.isspace():
            if not _ends_sentence(text, stop, end, m.group()):
                continue
        elif not _glued_end(text, stop, end):
            continue  # "3.5", "e.g.,", "example.com": not an end (but "back.What" is one)
        spans.append((start, end))
        start = end
        while start < length and text[start].isspace():
            start += 1
        worded = _first_word_char(text, start, length)
    if start < length:
        spans.append((start, _rstrip(text, start, length)))
    return tuple(span for span in spans if span[1] > span[0])


def _first_word_char(text: str, start: int, length: int) -> int:
    """Index of the first letter or digit at or after ``start`` before the next stop (``length`` if none)."""
    for i in range(start, length):
        char = text[i]
        if char.isalnum():
            return i
        if char in ".!?…":
            return length
    return length


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _glued_end(text: str, stop: int, end: int) -> bool:
    """A single stop glued between a lower-case word and a capitalised one ("back.What"), not in a web address."""
    if not (
        end - stop == 1
        and stop >= 2
        and text[stop - 2 : stop].isalpha()
        and text[stop - 1].islower()
        and text[end].isupper()
        and text[end + 1 : end + 2].islower()
    ):
        return False
    window = max(0, stop - _WINDOW)
    word_start = max(text.rfind(" ", window, stop), text.rfind("/", window, stop), window - 1) + 1
    return text[word_start:stop].lower() != "www"


def _after_plain_word(text: str, stop: int) -> bool | None:
    """What :func:`_ends_sentence` says of a full stop after a word of two or more ASCII letters or digits (with
    a space before it) and before a space and a capital ASCII letter, or None when the word is not of that kind
    or is an abbreviation that needs the next word."""
    space = text.rfind(" ", max(0, stop - _WINDOW), stop)
    word = text[space + 1 : stop]
    if space < 0 or len(word) < 2 or not word.isascii() or not word.isalnum():
        return None
    lower = word.lower()
    if lower in _BEFORE_NUMBER:
        return True  # the next word is no number
    if lower in _AMBIGUOUS:
        return None
    return lower not in ABBREVIATIONS


def _ends_sentence(text: str, term_start: int, term_end: int, terminator: str) -> bool:
    """Whether the stop ``text[term_start:term_end]``, followed by white space, ends a sentence."""
    nxt = _NEXT_WORD_RE.match(text, term_end, term_end + _WINDOW)
    next_word = nxt.group(1) if nxt else ""
    if next_word[:1].islower():
        return False  # "approx. five", "... and then"
    if _REFERENCE_RE.match(text, term_end, term_end + 8):
        return False
    if not terminator.startswith(".") or terminator.startswith(".."):
        return True
    window = max(0, term_start - _WINDOW)
    if term_start > window and text[term_start - 1].isalnum():
        # The word ends at the stop, and a word (dotted or not) holds no space: start after the last one.
        window = text.rfind(" ", window, term_start) + 1 or window
    prev = _PREVIOUS_WORD_RE.search(text, window, term_start)
    if prev is None:
        return True
    word = prev.group(1)
    lower = word.lower()
    starter = next_word.lower() in _STARTERS
    if lower in _BEFORE_NUMBER and next_word[:1].isdigit():
        return False
    if lower in _BEFORE_NUMBER and len(word) > 1:
        return True
    if lower in _AMBIGUOUS:
        return starter
    if lower in ABBREVIATIONS and len(word) > 1:
        return False
    if "." in word and all(part.isalpha() and len(part) <= 2 for part in word.split(".")):
        return starter  # "U.S. Food", "8 a.m. CT", but "the U.S. The"
    if len(word) == 1 and word.isupper():  # an initial: "John F. Kennedy", but "vitamin D. It"
        before = text[max(0, prev.start() - 3) : prev.start()].rstrip()
        if before.rstrip("\"'”’").endswith(","):  # '..., he said," H. Gilbert Welch': the name goes on
            return False
        if starter:
            return True
        if before.endswith("."):  # "J. R. Smith", "Dr. J. Smith"
            previous = _PREVIOUS_WORD_RE.search(text, max(0, prev.start() - _WINDOW), prev.start())
            name = previous.group(1) if previous else ""
            return not ((len(name) == 1 and name.isupper()) or name.lower() in ABBREVIATIONS)
        return not before[-1:].isalpha() or not _word_before_is_capitalized(text, prev.start())
    return lower not in ABBREVIATIONS


def _word_before_is_capitalized(text: str, index: int) -> bool:
    m = _PREVIOUS_WORD_RE.search(text, max(0, index - _WINDOW), index)
    return bool(m and m.group(1)[:1].isupper())
