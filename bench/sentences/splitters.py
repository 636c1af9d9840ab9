"""The sentence splitters compared in this benchmark, as they were before the one splitter was chosen.

``claims_split`` came from the claims family (it became ``healthlint.text.sentences``),
``readability_split`` from ``builtin/readability.py`` and ``links_split`` from
``builtin/_links/text.py``; they are copied here, unchanged but for plain ``re`` in place of
the host's regex store, so the comparison can be re-run after the families switch.
``pysbd_split`` wraps pySBD (``pip install pysbd``) when it is installed.
"""

from __future__ import annotations

import re
from collections.abc import Callable


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# -- claims (healthlint.text.sentences before this benchmark) -------------------------------
#: Words that end with a full stop without ending the sentence (lower case, without the final dot).
ABBREVIATIONS = _words(
    """
    al e.g i.e cf vs viz etc dr drs mr mrs ms mx prof profs st jr sr no nos fig figs approx ca
    inc ltd co corp vol vols pp ph.d m.d d.o r.n b.sc m.sc mph u.s u.k u.n a.m p.m dept univ est
    jan feb mar apr jun jul aug sep sept oct nov dec rev gen col lt sgt capt mt ft hr hrs wk wks yr
    yrs avg incl resp eq eqs ref refs ed eds chap sec suppl
    """
)
_END_RE = re.compile(r"(?:[.!?…]+|\.\.\.)[\"'”’)\]»]*(?=\s|$)")
_NON_SPACE_RE = re.compile(r"\S")
_GLUED_END_RE = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z]{2})")
#: What every ``_GLUED_END_RE`` match sits in the middle of; found much faster (most texts have none).
_GLUED_HINT_RE = re.compile(r"[.!?][A-Z]")
_TOKEN_BEFORE_RE = re.compile(r"([\w.’'\-]+)$")


def claims_split(text: str) -> list[tuple[int, int]]:
    """Split prose into sentences; returns ``(start, end)`` offsets into ``text``.

    The claims and disclaimer rules split the same blocks; the split is remembered for the
    last few hundred texts (see :func:`_claims_split`), and each caller gets its own list.
    """
    return list(_claims_split(text))


def _claims_split(text: str) -> tuple[tuple[int, int], ...]:
    """Split prose into sentences; returns ``(start, end)`` offsets into ``text``.

    Knows abbreviations ("e.g.", "et al.", "Dr.", "U.S."), initials ("J. Smith"),
    decimals and numbered items ("No. 5"), sentences that end in quotes or brackets, and
    the full stop glued to the next sentence that text extraction leaves ("back.What").
    Never raises; empty or odd text gives one span or none.
    """
    spans: list[tuple[int, int]] = []
    if not text or not text.strip():
        return ()
    cuts: list[int] = []
    length = len(text)
    for m in _END_RE.finditer(text):
        end = m.end()
        if end >= length:
            continue  # the text's last stop: nothing follows
        # The stop is followed by white space; usually one space, then the next word.
        nxt = text[end + 1 : end + 2]
        if not nxt or nxt.isspace():
            following = _NON_SPACE_RE.search(text, end)
            if following is None:
                continue
            nxt = following.group(0)
        if nxt.islower():
            continue
        stop = m.group(0)
        if stop[0] == "." and not stop.startswith(".."):
            before = _TOKEN_BEFORE_RE.search(text, max(0, m.start() - 40), m.start())
            token = before.group(1) if before else ""
            low = token.lower().lstrip("(['\"“‘")
            if low in ABBREVIATIONS and low not in ("etc", "no"):
                continue
            if low == "no" and nxt.isdigit():
                continue
            if "." in low.strip("."):  # dotted forms: U.S.A, Ph.D, e.g
                continue
            if len(low) == 1 and token.isupper() and _is_initial(text, m.start() - 1):
                continue
        cuts.append(end)
    if _GLUED_HINT_RE.search(text):
        cuts.extend(m.start() for m in _GLUED_END_RE.finditer(text))
    cuts.sort()
    start = 0
    for cut in cuts:
        if cut <= start:
            continue
        _add_span(text, start, cut, spans)
        start = cut
    _add_span(text, start, len(text), spans)
    return tuple(spans)


_LETTER_NAMES = _words(
    "vitamin vitamins hepatitis type group grade stage phase class plan part section appendix figure table "
    "option options level zone block wing unit ward lane exit"
)


def _is_initial(text: str, index: int) -> bool:
    """Whether the capital at ``text[index]`` is a name's initial ("J. Smith", "John F. Kennedy")."""
    before = text[max(0, index - 40) : index].rstrip()
    if not before:
        return index < 40
    prev = before.split()[-1]
    if prev.lower().strip("(\"'“‘") in _LETTER_NAMES:  # "vitamin D.", "type A."
        return False
    return prev[:1].isupper() or prev.endswith(".")


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


# -- readability (builtin/readability.py) ---------------------------------------------------

_TERMINATOR_RE = re.compile(r"[.!?…]+[\"'”’»)\]]*")
_PREVIOUS_WORD_RE = re.compile(r"([^\W_]+(?:\.[^\W_]+)*)\W*$")
_NEXT_WORD_RE = re.compile(r"[\s\"'“‘«(\[]*([^\W_]*)")
_R_ABBREVIATIONS = _words(
    "dr mr mrs ms mx prof st sr jr rev gen col capt lt sgt gov sen rep mt ft vs v e.g i.e eg ie cf ca c approx "
    "viz incl esp dept univ assn est etc al inc ltd co corp no nos fig figs vol vols p pp ch sec eq ref refs "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun"
)
_AMBIGUOUS = frozenset({"etc", "al", "inc", "ltd", "co", "corp", "est"})
_BEFORE_NUMBER = _words("no nos fig figs vol vols p pp ch sec eq ref refs")
_STARTERS = _words(
    "the this that these those it its in a an he she they we i you there however for and but so if as at on "
    "many most some one our their his her when while after before what how why who"
)


def readability_split(text: str) -> list[tuple[int, int]]:
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
            continue
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
        return False
    if not terminator.startswith(".") or terminator.startswith(".."):
        return True
    window = max(0, term_start - 24)
    if term_start > window and text[term_start - 1].isalnum():
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
    if lower in _R_ABBREVIATIONS:
        return False
    if "." in word and word.replace(".", "").isupper():
        return starter
    if len(word) == 1 and word.isupper():
        before = text[max(0, prev.start() - 2) : prev.start()].rstrip()
        return starter or not before[-1:].isalpha() or not _word_before_is_capitalized(text, prev.start())
    return True


def _word_before_is_capitalized(text: str, index: int) -> bool:
    m = _PREVIOUS_WORD_RE.search(text, max(0, index - 24), index)
    return bool(m and m.group(1)[:1].isupper())


# -- links (builtin/_links/text.py) ---------------------------------------------------------

_SENTENCE_END_RE = re.compile(r"""(?<=[.!?])["'”’)\]]*\s+(?=["'“‘(\[]?[^\W\d_a-z])""")


def links_split(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in _SENTENCE_END_RE.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text.rstrip())))
    return spans


# -- pySBD -----------------------------------------------------------------------------------


def pysbd_split(text: str) -> list[tuple[int, int]]:
    """pySBD's sentences, located in ``text`` in order (its own char_span mode is slower and mislocates repeats)."""
    spans = []
    cursor = 0
    for sentence in _segmenter().segment(text):
        piece = sentence.strip()
        if not piece:
            continue
        found = text.find(piece, cursor)
        if found < 0:
            continue
        spans.append((found, found + len(piece)))
        cursor = found + len(piece)
    return spans


_SEGMENTER: list[object] = []


def _segmenter():  # type: ignore[no-untyped-def]
    if not _SEGMENTER:
        import pysbd

        _SEGMENTER.append(pysbd.Segmenter(language="en", clean=False))
    return _SEGMENTER[0]


def have_pysbd() -> bool:
    try:
        import pysbd  # noqa: F401
    except ImportError:
        return False
    return True


def splitters() -> dict[str, Callable[[str], list[tuple[int, int]]]]:
    """Every splitter to compare, by name; ``healthlint`` is the one in the package now."""
    from healthlint.text import sentences

    def healthlint_split(text: str) -> list[tuple[int, int]]:
        return list(sentences._split_sentences.__wrapped__(text))  # timed without its memo

    found: dict[str, Callable[[str], list[tuple[int, int]]]] = {
        "healthlint": healthlint_split,
        "claims": claims_split,
        "readability": readability_split,
        "links": links_split,
    }
    if have_pysbd():
        found["pysbd"] = pysbd_split
    return found
