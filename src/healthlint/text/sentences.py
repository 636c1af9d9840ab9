"""The one sentence splitter: every rule family reads sentences from here."""

from __future__ import annotations

from functools import lru_cache

from healthlint.regexcache import lazy
from healthlint.text.tokens import word_set as _words

#: Words that end with a full stop without ending the sentence (lower case, without the final dot).
ABBREVIATIONS = _words(
    """
    al e.g i.e cf vs viz etc dr drs mr mrs ms mx prof profs st jr sr no nos fig figs approx ca
    inc ltd co corp vol vols pp ph.d m.d d.o r.n b.sc m.sc mph u.s u.k u.n a.m p.m dept univ est
    jan feb mar apr jun jul aug sep sept oct nov dec rev gen col lt sgt capt mt ft hr hrs wk wks yr
    yrs avg incl resp eq eqs ref refs ed eds chap sec suppl
    """
)
_END_RE = lazy(r"(?:[.!?…]+|\.\.\.)[\"'”’)\]»]*(?=\s|$)")
_NON_SPACE_RE = lazy(r"\S")
_GLUED_END_RE = lazy(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z]{2})")
#: What every ``_GLUED_END_RE`` match sits in the middle of; found much faster (most texts have none).
_GLUED_HINT_RE = lazy(r"[.!?][A-Z]")
_TOKEN_BEFORE_RE = lazy(r"([\w.’'\-]+)$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split prose into sentences; returns ``(start, end)`` offsets into ``text``.

    The claims and disclaimer rules split the same blocks; the split is remembered for the
    last few hundred texts (see :func:`_split_sentences`), and each caller gets its own list.
    """
    return list(_split_sentences(text))


@lru_cache(maxsize=512)
def _split_sentences(text: str) -> tuple[tuple[int, int], ...]:
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
