"""Lines of a web page that are not the article: stray title blocks and page-furniture lines.

Sites paste navigation menus, "related posts" teasers and repeated titles into article bodies.
A line is *title-like* when it is short, starts with a capital or digit and does not end a
sentence. A run of such lines is *flow* when each line does a job in the article: the title,
a heading whose words come back in the paragraph after it, an item of a list that a sentence
introduces ("…include:"), or a name in a contact block. What is left (orphan titles, duplicated
titles, teaser titles with a cut-off excerpt under them) is one :class:`StrayBlock`, with the
line range of the whole block; whole lines of page furniture ("Advertisement", "Share this")
outside such blocks are returned on their own.

Two families read the result (:func:`page_lines`, found once per article): the link family reports
the blocks that are spam (teasers of other posts), the chrome family the navigation and furniture.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from healthlint import regexcache
from healthlint.article import Article, Block
from healthlint.resources import data_lines
from healthlint.text.stems import WORD_RE, block_words, content_stems, content_stems_of

#: Title-like lines have at most this many words (questions and Title Case teasers may have more).
MAX_TITLE_WORDS = 14
MAX_TEASER_WORDS = 24
#: Longer units are paragraphs: never titles, contact lines or clutter.
MAX_SHORT_WORDS = 40
_SENTENCE_END_RE = regexcache.compile(r"""[.:;,]["'”’)\]]*$""")
_LABEL_RE = regexcache.compile(r"^[^\s:][^:]{0,40}:\s+\S")
_LIST_MARKER_RE = regexcache.compile(r"^\s*(?:[-*•·–—▪►✓✔]\s+|\(?\d{1,2}[.)]\s+|\(?[a-z][.)]\s+)")
_CONTACT_RE = regexcache.compile(
    r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.]+|https?://|\bwww\.|\+?\d[\d\s().-]{6,}\d|(?<!\w)@\w{2,}|"
    r"\b(?:tel|fax|phone|mobile|office|e-?mail)\b\s*[:.]|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\b|"
    r"\b\d{1,2}:\d{2}\s*(?:a\.?m\.?|p\.?m\.?)",
    re.IGNORECASE,
)
#: Every match of :data:`_CONTACT_RE` has an @ or a digit, or a : or . after one of these words.
_DIGIT_RE = regexcache.compile(r"\d")
_CONTACT_WORDS = ("http", "www", "tel", "fax", "phone", "mobile", "office", "mail")
#: Letters that match i ignoring case but do not lower-case to it.
_ODD_I = frozenset("\u0130\u0131")
#: The alternatives of :data:`_CONTACT_RE` by what every match of them holds: an @, a digit (a phone
#: number's "+" dropped: a number matches without it), or a contact word. Searched apart, each only where
#: it can match, they say what the whole pattern says of a line.
_AT_CONTACT_RE = regexcache.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.[\w.]+|(?<!\w)@\w{2,}", re.IGNORECASE)
_DIGIT_CONTACT_RE = regexcache.compile(
    r"\d[\d\s().-]{6,}\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\b|"
    r"\b\d{1,2}:\d{2}\s*(?:a\.?m\.?|p\.?m\.?)",
    re.IGNORECASE,
)
_WORD_CONTACT_RE = regexcache.compile(
    r"https?://|\bwww\.|\b(?:tel|fax|phone|mobile|office|e-?mail)\b\s*[:.]", re.IGNORECASE
)


def _has_contact(text: str) -> bool:
    """Whether ``_CONTACT_RE.search(text)`` finds anything, with each kind of contact looked for only
    where a cheap test shows it can be there (most lines hold none)."""
    if "@" in text and _AT_CONTACT_RE.search(text):
        return True
    if _DIGIT_RE.search(text) and _DIGIT_CONTACT_RE.search(text):
        return True
    if "." not in text and ":" not in text:
        return False
    if _ODD_I.isdisjoint(text):
        lowered = text.lower()
        if not any(word in lowered for word in _CONTACT_WORDS):
            return False
    return _WORD_CONTACT_RE.search(text) is not None


_BYLINE_RE = regexcache.compile(
    r"^(?:(?:by|written by|reviewed by|medically reviewed by|fact[- ]checked by|author|photo(?:graph)? by|credit)\b"
    r"|(?:--|—|–)\s*[A-Z]|(?-i:SOURCE\s+[A-Z]))",
    re.IGNORECASE,
)
_LEAD_IN_RE = regexcache.compile(
    r"(?::|\b(?:include|includes|including|included|following|follows|such as|are|were|below|these|list|like|e\.g\.)"
    r"\W*)$",
    re.IGNORECASE,
)
#: A line that asks to be clicked or bought: the button of a promo box, not a menu entry.
_CALL_TO_ACTION_RE = regexcache.compile(
    r"^\W*(?:(?:click|tap) here\b|(?:download|buy|order|shop)\s+(?:it\s+|yours\s+)?(?:now|today|here)\b"
    r"|(?:get|claim|grab) (?:your|a|my) free\b|free (?:download|trial)\b)",
    re.IGNORECASE,
)
#: A line that ends as a sentence or a caption does, not cut off like an excerpt.
_CLOSED_RE = regexcache.compile(r"""[.!?)\]"'”’]\s*$""")
#: The gap between two cells of a plain-text table: a tab, or two spaces or more.
_CELL_GAP_RE = regexcache.compile(r"\t+\s*|[ ]{2,}")
#: A sentence that ends inside the line and another that starts: a line of wrapped prose ("… right for you. The"),
#: not a title (a word of three or more small letters before the stop: "Dr. Lee" and "U.S. Diet" are titles; a
#: question or an exclamation and its answer are a headline: "Planning a trip? Cheap flights to the sun").
_SENTENCE_INSIDE_RE = regexcache.compile(r"\b[a-z]{3,}\.\s+[A-Z]")
#: After a heading's words, the same sentence going on: a comma, semicolon or colon, or a word in lower case.
_GOES_ON_RE = regexcache.compile(r"[,;:]?\s+[a-z]")
#: A sentence's end (a closing quote or bracket after it), then the line's end or another sentence.
_SENTENCE_CLOSED_RE = regexcache.compile(r"""[.!?]["'”’)\]]*(?:\s|$)""")
#: Opens with a set, not a repeat: a search skips to the characters a pattern opens with only then.
_NORMALIZE_RE = regexcache.compile(r"[^\w\s][^\w\s]*")
_ABOUT_RE = regexcache.compile(r"^about\s+(?:the\s+)?[A-Z]\S*(?:\s+\S+){0,8}$", re.IGNORECASE)


@dataclass(frozen=True)
class Clutter:
    """Whole lines of page furniture; ``header`` ones head a list of other posts."""

    exact: frozenset[str]
    regex: re.Pattern[str] | None
    header_exact: frozenset[str]
    header_regex: re.Pattern[str] | None

    def kind(self, words: str, line: str) -> str | None:
        """``"header"``, ``"furniture"`` or None, for a line as bare words and as lightly trimmed text."""
        if words in self.header_exact or (self.header_regex and self.header_regex.fullmatch(line)):
            return "header"
        if words in self.exact or (self.regex and self.regex.fullmatch(line)):
            return "furniture"
        return None


@functools.cache
def clutter() -> Clutter:
    sets: dict[bool, set[str]] = {True: set(), False: set()}
    patterns: dict[bool, list[str]] = {True: [], False: []}
    for line in data_lines("page_furniture.txt"):
        header = line.startswith("+")
        line = line.removeprefix("+")
        if line.startswith("re:"):
            patterns[header].append(line[3:])
        else:
            sets[header].add(" ".join(line.lower().split()))

    def compiled(items: list[str]) -> re.Pattern[str] | None:
        return regexcache.compile("|".join(f"(?:{p})" for p in items), re.IGNORECASE) if items else None

    return Clutter(frozenset(sets[False]), compiled(patterns[False]), frozenset(sets[True]), compiled(patterns[True]))


def normalized(text: str) -> str:
    return " ".join(_NORMALIZE_RE.sub(" ", text.lower()).split())


def clutter_kind(text: str) -> str | None:
    """``"header"`` ("Related posts"), ``"furniture"`` ("Advertisement") or None for a whole line."""
    words = normalized(text)
    if not words or len(words) > 120:
        return None
    return clutter().kind(words, " ".join(text.lower().strip(" .:;!|-–—•*").split()))


@dataclass(eq=False)
class Unit:
    """One line (plain text) or block (Markdown) with what the stray-block check needs to know."""

    block: Block
    index: int
    text: str
    words: int
    #: The words of ``text`` (:data:`WORD_RE`), found once and reused for its stems.
    tokens: list[str] = field(default_factory=list, repr=False)
    separator: bool = False
    #: ``"header"``, ``"furniture"`` or None (see :func:`clutter_kind`).
    clutter: str | None = None
    contact: bool = False
    title_like: bool = False
    #: The line repeats the line before it and goes on: a teaser title with its cut-off excerpt.
    excerpt: bool = False
    #: A Markdown heading, an ALL-CAPS line or an "About ..." line: a section heading by its form.
    heading: bool = False
    stems: list[str] = field(default_factory=list)

    @property
    def member(self) -> bool:
        return self.title_like or self.separator or self.clutter is not None


@dataclass(frozen=True)
class StrayBlock:
    first: Unit
    last: Unit
    #: Title-like lines of the block that are not part of the article's flow.
    orphans: tuple[Unit, ...]
    off_topic: tuple[Unit, ...]
    duplicates: tuple[Unit, ...]
    teaser: bool
    #: Headed by "Related posts", "More in Science" and the like.
    related: bool

    @property
    def error(self) -> bool:
        """Off-topic teasers: (nearly) every title in the block has nothing in common with the article.

        At least two off-topic titles, two thirds of the block, and a sign that they are teasers:
        a cut-off excerpt under a title, a "Related posts" header, or three headline-length titles.
        """
        with_words = [u for u in self.orphans if u.stems]
        if not with_words or len(self.off_topic) < 2:
            return False
        mostly = len(self.off_topic) * 3 >= len(with_words) * 2
        # Teasers are headlines; two- or three-word lines are a menu (HL703), however unrelated.
        headlines = sum(u.words for u in self.off_topic) >= 5 * len(self.off_topic)
        return mostly and (self.teaser or self.related or (headlines and len(self.off_topic) >= 3))

    @property
    def kind(self) -> str:
        """What the block is, for the family that reports it.

        ``"off-topic-teaser"``: :attr:`error`. ``"promo"``: titles of other posts or products set out
        to be clicked: a title with its excerpt cut off mid-sentence under it (not a caption that
        repeats it and closes), two titles cut off with an ellipsis ("Unusual method to lose
        weight…"), or a call to action among the lines ("Click here to download").
        ``"navigation"``: the rest (menus, a repeated title, related-links lists,
        table-of-contents widgets), which is page chrome, not spam.
        """
        if self.error:
            return "off-topic-teaser"
        cut_off = sum(u.text.endswith(("…", "...")) for u in self.orphans)
        excerpt = any(u.excerpt and u.words >= 6 and not _CLOSED_RE.search(u.text) for u in self.orphans)
        if excerpt or cut_off >= 2 or any(_CALL_TO_ACTION_RE.search(u.text) for u in self.orphans):
            return "promo"
        return "navigation"


def _line_blocks(article: Article) -> list[Block]:
    """The article's blocks, with a Markdown paragraph of pasted one-line titles cut into its lines.

    Lines pasted without blank lines between them ("Best casino bonuses / Cheap replica
    watches") make one Markdown paragraph; each of its lines is a unit when none ends a sentence.
    """
    out: list[Block] = []
    for block in article.blocks:
        if article.kind == "markdown" and block.kind == "paragraph" and block.end_line > block.line:
            lines = block.source_lines()
            if len(lines) > 1 and all(
                len(WORD_RE.findall(b.text)) <= MAX_TITLE_WORDS and not _SENTENCE_END_RE.search(b.text.strip())
                for b in lines
            ):
                out.extend(lines)
                continue
        out.append(block)
    return out


def _units(article: Article, link_texts: dict[int, set[str]]) -> list[Unit]:
    units: list[Unit] = []
    for block in _line_blocks(article):
        if block.kind in ("table_cell", "blockquote", "html"):
            continue
        text = block.text.strip()
        tokens = block_words(block)  # the words of text: white space around them changes none
        n = len(tokens)
        unit = Unit(block, len(units), text, n, tokens)
        units.append(unit)
        unit.separator = n == 0
        if n > MAX_SHORT_WORDS:
            continue  # a paragraph: none of the line tests below can apply
        unit.clutter = None if unit.separator else clutter_kind(text)
        if unit.clutter == "furniture" and block.kind == "heading":
            unit.clutter = None  # a Markdown heading is deliberate ("## Video"), a related-posts header is not
        unit.contact = _has_contact(text) or bool(_BYLINE_RE.match(text))
        unit.heading = (
            block.kind == "heading"
            or (text.isupper() and sum(c.isalpha() for c in text) >= 4 and block.kind != "list_item")
            or bool(_ABOUT_RE.match(text))
        )
        if block.kind == "list_item":
            # In Markdown only a list of bare links can be a menu or a related-posts list.
            candidate = normalized(text) in link_texts.get(block.line, set())
        elif block.kind == "heading":
            candidate = True
        else:
            candidate = not _LIST_MARKER_RE.match(text) and not _LABEL_RE.match(text)
        if candidate and not unit.separator and unit.clutter is None and not unit.contact:
            first_letter = next((c for c in text if c.isalnum()), "")
            limit = MAX_TEASER_WORDS if text.endswith(("?", "!")) or _title_case_words(tokens) else MAX_TITLE_WORDS
            unit.title_like = (
                1 <= n <= limit
                and (first_letter.isupper() or first_letter.isdigit() or not first_letter.isalpha())
                and not _SENTENCE_END_RE.search(text)
                and not _SENTENCE_INSIDE_RE.search(text)
            )
    if article.kind == "text":
        _untitle_table_rows(article, units)
    # A line that repeats the title-like line before it and runs on is a teaser's excerpt, glued to its
    # title and cut off ("How Tides Shape Wetlands / How Tides Shape Wetlands Coastal wetlands are among the
    # most prod"); not a paragraph whose first sentence goes on from the heading's words and closes ("If you
    # feel sick / If you feel sick, tell a grown-up at school."): that is the section's own text.
    # Teasers come in runs of titles in title case: such a title restated as a sentence next to another one is a
    # teaser whose excerpt happens to end a sentence ("Best Laptops for Students" / "Best Laptops for Students,
    # with our top picks."); headings in sentence case that their sections restate stay flow ("If you cut your
    # finger" / "If you cut your finger, press on it.").
    glued = [
        unit.index
        for prev, unit in itertools.pairwise(units)
        if prev.title_like
        and prev.words >= 3
        and len(unit.text) > len(prev.text) + 1
        and unit.text.startswith(prev.text)
        and unit.words <= MAX_TEASER_WORDS * 2
    ]
    restated = {index for index in glued if _restated_heading(units[index].text, len(units[index - 1].text))}
    for index in glued:
        teasers = (index - 2 in restated or index + 2 in restated) and _title_case_words(units[index - 1].tokens)
        if index not in restated or teasers:
            units[index].excerpt = units[index].title_like = True
    for unit in units:
        if unit.title_like:
            unit.stems = content_stems_of(unit.tokens)
    return units


def _cells(article: Article, unit: Unit) -> int:
    """How many cells a plain-text line sets out, apart by tabs or runs of spaces (1: none; 0: not one line)."""
    block = unit.block
    if unit.separator or block.end_line != block.line:
        return 0
    return len(_CELL_GAP_RE.split(article.lines[block.line - 1].strip()))


def _untitle_table_rows(article: Article, units: list[Unit]) -> None:
    """A plain-text table's rows are no titles: lines of two or more cells set apart by tabs or runs of spaces,
    next to a line of as many ("Cold  Flu" / "Fever  Rare  Common"), as a table copied from a page keeps them."""
    cells = [_cells(article, unit) for unit in units]
    for i, unit in enumerate(units):
        if cells[i] < 2:
            continue
        before = cells[i - 1] if i else 0
        after = cells[i + 1] if i + 1 < len(units) else 0
        if cells[i] in (before, after):
            unit.title_like = False


def _restated_heading(text: str, heading_end: int) -> bool:
    """Whether ``text``, which opens with a heading's words, goes on with them as one sentence (a comma or a
    word in lower case next) that ends (a plain-text line may wrap after it): prose that restates its heading,
    not a glued excerpt cut off mid-sentence."""
    return bool(_GOES_ON_RE.match(text, heading_end)) and bool(_SENTENCE_CLOSED_RE.search(text, heading_end))


def _title_case_words(tokens: list[str]) -> bool:
    words = [w for w in tokens if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _case_style(text: str) -> str | None:
    """``"title"`` when the longer words after the first are capitalised, ``"sentence"`` when none is."""
    words = [w for w in WORD_RE.findall(text)[1:] if len(w) > 3 and w[0].isalpha()]
    if not words:
        return None
    capitals = sum(w[0].isupper() for w in words)
    if capitals == len(words):
        return "title"
    return "sentence" if capitals == 0 else None


def _statement(unit: Unit) -> bool:
    """A sentence that lost its full stop ("about one adult in three has high blood pressure")."""
    return unit.words >= 8 and not _title_case_words(unit.tokens) and not unit.text.endswith("?")


def find_stray_blocks(article: Article) -> tuple[list[StrayBlock], list[Unit]]:
    """Stray blocks, and lone clutter lines ("Advertisement") outside them."""
    link_texts: dict[int, set[str]] = {}
    for link in article.links:
        if link.kind != "image" and link.text:
            link_texts.setdefault(link.span.line, set()).add(normalized(link.text))
    units = _units(article, link_texts)
    if not units:
        return [], []
    judge = _Judge(article, units)
    blocks: list[StrayBlock] = []
    lone_clutter: list[Unit] = []
    i = 0
    while i < len(units):
        if not units[i].member:
            i += 1
            continue
        j = i
        while j < len(units) and units[j].member:
            j += 1
        block = judge.run(i, j)
        if block is not None:
            blocks.append(block)
            lone_clutter.extend(
                u for u in units[i:j] if u.clutter and not block.first.index <= u.index <= block.last.index
            )
        else:
            lone_clutter.extend(u for u in units[i:j] if u.clutter)
        i = j
    return blocks, lone_clutter


class _Judge:
    """Decides which title-like lines of a run are part of the article's flow."""

    def __init__(self, article: Article, units: list[Unit]) -> None:
        self.units = units
        self.article = article
        self._topic: tuple[Counter[str], set[str]] | None = None
        self._counts: Counter[str] | None = None
        self.seen: Counter[str] = Counter()
        self._style: str | None = None

    @property
    def counts(self) -> Counter[str]:
        """How often each line occurs in the article (normalized), counted on first use."""
        if self._counts is None:
            self._counts = Counter(normalized(u.text) for u in self.units)
        return self._counts

    def _vocabulary(self) -> tuple[Counter[str], set[str]]:
        """The article's vocabulary: its prose and its title, not the candidate lines themselves.

        Counted on first use only: most articles have no run of title-like lines that needs it.
        """
        if self._topic is None:
            topic: Counter[str] = Counter()
            for unit in self.units:
                if not unit.member:
                    topic.update(content_stems_of(unit.tokens))
            title = self.article.meta.get("title")
            title_stems = set(content_stems(title)) if isinstance(title, str) else set()
            if self.units[0].title_like:
                title_stems.update(self.units[0].stems)
            self._topic = topic, title_stems
        return self._topic

    def on_topic(self, unit: Unit) -> bool:
        if not unit.stems:
            return False
        topic, title_stems = self._vocabulary()
        return any(topic[s] >= 2 or s in title_stems for s in unit.stems)

    def introduces_prose(self, unit: Unit) -> bool:
        nxt = self.units[unit.index + 1] if unit.index + 1 < len(self.units) else None
        return nxt is not None and not nxt.member

    def shares_with_next(self, unit: Unit) -> bool:
        """Whether the heading's words come back in the text under it (up to the next title-like line)."""
        wanted = set(unit.stems)
        for other in self.units[unit.index + 1 : unit.index + 5]:
            if other.member:
                break
            if wanted.intersection(content_stems_of(other.tokens)):
                return True
        return False

    def lead_in(self, start: int) -> bool:
        """Whether a sentence introduces the run as a list ("…may include:"), maybe a few long items before."""
        for unit in reversed(self.units[max(0, start - 4) : start]):
            if unit.member or unit.clutter:
                return False
            if _LEAD_IN_RE.search(unit.text):
                return True
            if _SENTENCE_END_RE.search(unit.text) or unit.text.endswith(("?", "!")):
                return False  # a paragraph, not a long list item
        return False

    def house_style(self) -> str | None:
        """How the article writes its real headings: ``"title"`` Case or ``"sentence"`` case."""
        if self._style is None:
            votes: Counter[str] = Counter()
            for unit in self.units:
                if unit.title_like and (unit.block.kind == "heading" or self.introduces_prose(unit)):
                    style = _case_style(unit.text)
                    if style and (unit.block.kind == "heading" or self.shares_with_next(unit)):
                        votes[style] += 1
            self._style = votes.most_common(1)[0][0] if votes else ""
        return self._style or None

    def section_heading(self, unit: Unit) -> bool:
        """A heading right above a sub-heading that has its own text, written like the article's headings."""
        nxt = self.units[unit.index + 1] if unit.index + 1 < len(self.units) else None
        if nxt is None or not nxt.title_like or not self.introduces_prose(nxt) or not self.on_topic(unit):
            return False
        style, house = _case_style(unit.text), self.house_style()
        return style is not None and (style == house or (house is None and style == "title"))

    def run(self, start: int, stop: int) -> StrayBlock | None:
        units = self.units
        run = units[start:stop]
        titles = [u for u in run if u.title_like]
        for unit in run:
            self.seen[normalized(unit.text)] += 1
        if not titles:
            return None
        lead_in = self.lead_in(start)
        near_contact = any(u.contact for u in units[max(0, start - 2) : start] + units[stop : stop + 2])
        related = False
        listed = False  # under a section heading ("OVERVIEW", "Key facts"): the lines are its list
        orphans: list[Unit] = []
        duplicates: list[Unit] = []
        copies: Counter[str] = Counter()
        for unit in run:
            if unit.clutter == "header":
                related, listed = True, False
                continue
            if not unit.title_like:
                continue
            key = normalized(unit.text)
            copies[key] += 1
            if unit.excerpt:
                orphans.append(unit)
                continue
            if related:
                orphans.append(unit)
                continue
            if near_contact or lead_in or listed:
                continue
            repeated = self.counts[key] > 1 and (unit.words >= 3 or len(key) >= 15)
            prose_next = self.introduces_prose(unit)
            if repeated and not prose_next:
                orphans.append(unit)
                duplicates.append(unit)
                continue
            if unit.heading:
                listed = not prose_next  # a heading over short lines: they are its list
                continue
            if unit.index == 0:
                continue  # the title of a plain-text article
            if prose_next and (not unit.stems or self.shares_with_next(unit)):
                continue  # a heading with its own text under it
            if not unit.stems and not prose_next:
                listed = True  # "Key points", "Fast facts": a generic heading over a list
                continue
            if _statement(unit) and self.on_topic(unit):
                continue
            if self.section_heading(unit):
                continue
            orphans.append(unit)
        if not orphans:
            return None
        off_topic = tuple(u for u in orphans if u.stems and not self.on_topic(u))
        teaser = any(u.excerpt for u in orphans)
        if not (len(orphans) >= 2 or duplicates or teaser or related):
            return None
        orphan_at = {u.index for u in orphans}
        members = [u for u in run if u.index in orphan_at or u.clutter == "header"]
        lo = min(u.index for u in members)
        hi = max(u.index for u in members)
        # Separators right around the block belong to it.
        while lo > start and units[lo - 1].separator:
            lo -= 1
        while hi + 1 < stop and (units[hi + 1].separator or units[hi + 1].clutter == "furniture"):
            hi += 1
        return StrayBlock(
            first=units[lo],
            last=units[hi],
            orphans=tuple(orphans),
            off_topic=off_topic,
            duplicates=tuple(duplicates),
            teaser=teaser,
            related=related,
        )


def page_lines(article: Article) -> tuple[list[StrayBlock], list[Unit]]:
    """:func:`find_stray_blocks` of ``article``, found once per article for every family that asks."""
    found: tuple[list[StrayBlock], list[Unit]] | None = article.cache.get("text.pagelines")
    if found is None:
        found = article.cache["text.pagelines"] = find_stray_blocks(article)
    return found
