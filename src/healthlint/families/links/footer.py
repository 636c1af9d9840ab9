"""Spun spam footers (a small grammar of slots) and the call-to-action residue of stripped links."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from healthlint import regexcache
from healthlint.resources import data_lines
from healthlint.text.tokens import folded

#: Most words the spammer's anchor (<X>) may have.
MAX_ANCHOR_WORDS = 12
THRESHOLD = 3


@dataclass(frozen=True)
class Phrase:
    family: str
    name: str
    #: "before" or "after" the anchor.
    place: str
    weight: int
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Grammar:
    phrases: tuple[Phrase, ...]
    markers: re.Pattern[str]


#: Cheap test before the grammar is even compiled: every footer has a site word (its last
#: phrase), or "where … how to use", or "liked this article".
_PREFILTER_RE = regexcache.compile(
    r"site|page|web|blog|where.{0,40}(?:how|way|method|tips|techniques)|"
    r"\b(?:liked|loved|enjoyed|beloved|cherished|treasured|adored|appreciated)\b",
    re.IGNORECASE,
)
#: The alternatives of :data:`_PREFILTER_RE` that are plain words; every other match contains one of
#: the words after them, in lower case...
_SITE_WORDS = ("site", "page", "web", "blog")
_PREFILTER_WORDS = ("where", "liked", "loved", "enjoyed", "cherished", "treasured", "adored", "appreciated")
#: ...unless the text has a letter that matches an ASCII letter ignoring case but does not
#: lower-case to it (dotted and dotless i, long s; the Kelvin sign lower-cases to k).
_FOLDS_ODDLY = frozenset("\u0130\u0131\u017f")


def _alternation(options: str) -> str:
    alts = sorted({a.strip() for a in options.split("|") if a.strip()}, key=lambda a: (-len(a), a))
    out = []
    for alt in alts:
        words = [re.escape(w).replace("'", "['’]") for w in re.split(r"[\s-]+", alt)]
        out.append(r"[\s-]+".join(words))
    return "(?:" + "|".join(out) + ")"


@functools.cache
def grammar() -> Grammar:
    """Compile ``data/footer_grammar.txt``: slots, then phrases as sequences of slots."""
    slots: dict[str, str] = {}
    phrases: list[Phrase] = []
    markers: list[str] = []
    for line in data_lines("footer_grammar.txt", __package__):
        if line.startswith("@"):
            name, _, options = line[1:].partition("\t")
            slots[name.strip()] = _alternation(options)
        elif line.startswith("!"):
            markers.append(_alternation(line[1:])[3:-1])
        elif line.startswith("="):
            head, place, weight, sequence = (part.strip() for part in line[1:].split("\t"))
            family, _, name = head.partition(".")
            parts = []
            for item in sequence.split():
                optional = item.endswith("?")
                item = item.rstrip("?")
                if item.startswith("'"):
                    body = re.escape(item.strip("'"))
                else:
                    body = slots[item] if item in slots else re.escape(item)
                parts.append((body, optional))
            regex = ""
            for i, (body, optional) in enumerate(parts):
                sep = r"[\s,]+" if i < len(parts) - 1 else ""
                regex += f"(?:{body}{sep})?" if optional and sep else f"(?:{body}){'?' if optional else ''}{sep}"
            pattern = regexcache.compile(rf"(?<![^\W_])(?:{regex})(?![^\W_])", re.IGNORECASE)
            phrases.append(Phrase(family, name, place, int(weight), pattern))
    marker_re = regexcache.compile(rf"(?<![^\W_])(?:{'|'.join(markers)})(?![^\W_])", re.IGNORECASE)
    return Grammar(tuple(phrases), marker_re)


@dataclass(frozen=True)
class FooterMatch:
    start: int
    end: int
    #: The spammer's anchor text (what sits in the <X> slot), "" when none was found.
    anchor: str
    anchor_start: int
    score: int
    family: str


def may_hold_footer(text: str) -> bool:
    """Whether any sentence of ``text`` can be a footer (the cheap test of :func:`find_footer`, once per block).

    A sentence is a substring of its block that starts and ends at a word boundary, so a block
    the test rejects has no sentence the test would accept.
    """
    return _prefilter(text)


def _prefilter(text: str) -> bool:
    """``_PREFILTER_RE.search(text)``, answered by substring tests where they can answer it."""
    if _FOLDS_ODDLY.isdisjoint(text):
        lowered = text.lower()
        if any(word in lowered for word in _SITE_WORDS):
            return True  # the pattern's plain alternatives
        if not any(word in lowered for word in _PREFILTER_WORDS):
            return False  # no word the test needs, so no need to run it
    return _PREFILTER_RE.search(text) is not None


def find_footer(sentence: str, anchor_bonus: Callable[[str, int, int], int] | None = None) -> FooterMatch | None:
    """The best-scoring spam footer in one sentence (None when the sentence is not one)."""
    if not _prefilter(sentence):
        return None
    g = grammar()
    best: FooterMatch | None = None
    families = {p.family for p in g.phrases}
    for family in sorted(families):
        phrases = [p for p in g.phrases if p.family == family]
        before_found = []
        cursor = 0
        for phrase in (p for p in phrases if p.place == "before"):
            m = phrase.pattern.search(sentence, cursor)
            if m:
                before_found.append((phrase, m))
                cursor = m.end()
        if not before_found:
            continue
        after = next((p for p in phrases if p.place == "after"), None)
        tail = after.pattern.search(sentence, cursor) if after else None
        anchor_start = cursor
        if tail is not None:
            anchor = sentence[cursor : tail.start()]
            if not 1 <= len(anchor.split()) <= MAX_ANCHOR_WORDS:
                tail = None
        if tail is None:
            rest = sentence[cursor:]
            anchor = " ".join(rest.split()[:MAX_ANCHOR_WORDS])
        anchor = anchor.strip(" ,;:.!?\"'“”‘’()[]")
        weight = sum(p.weight for p, _ in before_found) + (after.weight if tail is not None and after else 0)
        if weight < THRESHOLD - 1 or len(before_found) + (tail is not None) < 2:
            continue
        start = before_found[0][1].start()
        end = tail.end() if tail is not None else len(sentence.rstrip())
        markers = len(g.markers.findall(sentence, start, end))
        score = weight + min(markers, 2)
        if anchor and anchor_bonus is not None:
            score += anchor_bonus(anchor, anchor_start, tail.start() if tail is not None else end)
        if score >= THRESHOLD and (best is None or score > best.score):
            best = FooterMatch(start, end, anchor, anchor_start, score, family)
    return best


# -- Call-to-action residue -----------------------------------------------------------------


@dataclass(frozen=True)
class Residue:
    """A call to action at the end of a sentence: its place in the sentence and its words, spaces folded."""

    start: int
    end: int
    cta: str


_CTA_RE = regexcache.compile(
    r"(?P<cta>get\s+in\s+touch|click\s+here|click\s+(?:on\s+)?(?:this|the)\s+link|tap\s+here|"
    r"visit\s+(?:our|my|the)\s+(?:own\s+)?(?:web\s*-?\s*site|site|web\s*-?\s*page|page|homepage|home\s+page|blog)|"
    r"visit\s+us|contact\s+us|read\s+more|learn\s+more|see\s+more|find\s+out\s+more|more\s+info|go\s+here)"
    r"\s*[.!]?[\"'”’)]*\s*$",
    re.IGNORECASE,
)
#: Words that make a call to action belong to its sentence: the sentence is about contacting or reading on.
_CONTEXT_RE = regexcache.compile(
    r"\b(?:contact\w*|call\w*|phone|e-?mail\w*|questions?|inquir\w*|enquir\w*|reach\w*|appointments?|"
    r"information|info|details|website|site|page|blog|visit\w*|team|us|we|our|please|hesitate|free|want\w*|"
    r"interested|book\w*|schedule\w*|learn\w*|read\w*|more|welcome|link\w*|order\w*|subscrib\w*|download\w*|"
    r"sign|newsletter|register\w*|help|support|service\w*|offer\w*|click\w*|here|touch|write|writing|ask\w*|"
    r"feedback|comments?|story|stories|tips?|share\w*|join\w*)\b",
    re.IGNORECASE,
)
#: Openers of a sentence that is an instruction to the reader anyway.
_INSTRUCTION_START_RE = regexcache.compile(
    r"^\W*(?:if|when|whenever|to|for|please|feel|should|whether|you|readers?|anyone|those|do|don't|why|how)\b",
    re.IGNORECASE,
)
#: Words right before a call to action that make it grammatical ("please get in touch", "can click here").
_GLUE = frozenset(
    {"to", "please", "can", "could", "will", "would", "should", "may", "might", "must", "then", "simply", "just"}
    | {"free", "you", "we", "i", "they", "kindly", "also", "do", "don't", "let's", "lets", "or"}
)
_MIN_WORDS_BEFORE = 6
#: A call to action at the end of a sentence lies within its last this many characters.
_CTA_TAIL = 60
#: What :data:`_CTA_RE` allows after a call to action, and the letters every call to action ends
#: with ("touch", "here", "link", "blog", "us", "info"), with what they match ignoring case (ſ, K).
_CTA_TRAILING = frozenset(".!\"'”’)")
_CTA_LAST_LETTERS = frozenset("hekgsoHEKGSO\u017f\u212a")
#: The last word of every call to action of :data:`_CTA_RE`, in lower case.
_CTA_LAST_WORDS = ("touch", "here", "link", "site", "page", "blog", "us", "more", "info")


def find_residue(sentence: str) -> Residue | None:
    """A call to action stuck on the end of a sentence about something else."""
    end = len(sentence)
    while end and (sentence[end - 1] in _CTA_TRAILING or sentence[end - 1].isspace()):
        end -= 1
    if not end or sentence[end - 1] not in _CTA_LAST_LETTERS:
        return None  # the sentence does not end with a call to action (no regex needed)
    tail = folded(sentence[max(0, end - 5) : end])
    if tail is not None and not tail.endswith(_CTA_LAST_WORDS):
        return None  # nor with the last word of one (most sentences that end in these letters)
    m = _CTA_RE.search(sentence, max(0, len(sentence) - _CTA_TAIL))
    if not m:
        return None
    before = sentence[: m.start("cta")].rstrip()
    words = before.split()
    if len(words) < _MIN_WORDS_BEFORE:
        return None
    last = words[-1].lower().strip(",;:—–-")
    if last in _GLUE or (not last and len(words) > 1 and words[-2].lower() in _GLUE):
        return None
    if _INSTRUCTION_START_RE.match(before) or _CONTEXT_RE.search(before):
        return None
    return Residue(m.start("cta"), m.end("cta"), " ".join(m.group("cta").split()))
