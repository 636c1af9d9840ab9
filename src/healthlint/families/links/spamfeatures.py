"""The units HL517 scores and their features: cheap tests first, so ordinary prose costs next to nothing.

A *unit* is one sentence of one block. Most sentences of an article are ordinary prose, and the model
never sees them: a sentence is scored only when a test that costs a few string operations finds
something the model weighs (a cue word, a line that does not end like a sentence, a separator or a web
address, a capitalised name the rest of the article never uses next to an offer or a second name). The
model is fitted on exactly these units (``scripts/train_spam_blocks.py`` calls :func:`units`), so the
gate is part of the classifier, not an approximation of it.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from healthlint import regexcache
from healthlint.article import Article, Block
from healthlint.config import Config
from healthlint.families.links.spamsigns import (
    NAME_NUMBER_RE,
    PUNCT,
    fold,
    glued,
    headline_teaser,
    list_of_pages,
    new_name_after,
    promo_headline,
    title_case_keyword,
    trusted_name_words,
    trusted_sources,
    unseen_name_run,
    unseen_name_with_number,
    wedged_keyword,
)
from healthlint.resources import data_lines
from healthlint.text.domains import DomainSet, normalize_domain
from healthlint.text.stems import stopwords

FEATURES = (
    "log_words",
    "short_block",
    "unterminated",
    "command_start",
    "offer_words",
    "second_person",
    "teaser_start",
    "hype_words",
    "chrome_words",
    "separators",
    "unseen_words",
    "caps_share",
    "position",
    "exclaim_or_ellipsis",
    "web_words",
    "title_case_line",
    "institution_name",
    # Kinds of junk, each the union of several signs: a sign seen on two or three labelled pages gets its weight
    # from its kind, so a page whose sign is rare in the training pages is still scored by what it is.
    "anchor_residue",
    "navigation_residue",
    "new_name",
)

#: What a reader is told about the features that pushed a unit over the threshold.
CUE_NAMES = {
    "log_words": "a long sentence",
    "short_block": "a short block",
    "unterminated": "no closing punctuation",
    "command_start": "a command to click or buy",
    "offer_words": "selling words",
    "second_person": "an offer to the reader",
    "teaser_start": "a teaser lead-in",
    "hype_words": "sales superlatives",
    "chrome_words": "page-furniture words",
    "separators": "separators",
    "unseen_words": "words the article never uses elsewhere",
    "caps_share": "capitals",
    "position": "its place on the page",
    "exclaim_or_ellipsis": "exclamation or trailing dots",
    "web_words": "words that point at another site",
    "title_case_line": "a Title Case line",
    "institution_name": "an institution's name",
    "anchor_residue": "what a stripped link leaves (a product's name, a keyword, a web address)",
    "navigation_residue": "a teaser label or a lead-in to other pages",
    "new_name": "a name the article never uses elsewhere, recommended or on offer",
}
#: A block this short is a heading or a label unless it carries a cue word.
MAX_LABEL_WORDS = 3
#: Characters that separators, promo widgets and teasers use and prose hardly does.
_SPECIAL_RE = regexcache.compile("[|»«×•›‹!…]")
#: The characters of :data:`_SPECIAL_RE`: a block is searched for each (``in`` runs faster than the class).
_SPECIAL_CHARACTERS = tuple("|»«×•›‹!…")
_ASCII_DIGITS = tuple("0123456789")
_DIGIT_RE = regexcache.compile(r"\d")
#: A command at the start of a unit this short is a call to action, not advice ("See your doctor if …").
_SHORT_UNIT = 15
#: A line of fewer words with a new name in it is a heading or a byline ("Foot Exams", "Joseph J. Wolk").
_MIN_NAME_LINE = 4
_SEPARATOR_RE = regexcache.compile(r"[|»«×•›‹]|(?<!\S)[-–—](?!\S)")
_EXCLAIM_RE = regexcache.compile(r"!|…|\.\.\.|:\(|:\)")
_TERMINAL = tuple(".!?:;")
#: Punctuation a whitespace token carries before and after its word in prose.
_BEFORE = ("", "(", '"', "“")
_AFTER = ("", ",", ".", ":", ";", "!", "?", ")", "'s")
_SECOND_PERSON = frozenset(("you", "your", "you're", "yours"))
#: What the words of a stripped anchor leave in a sentence (the names of :func:`_residue_re`'s groups).
_RESIDUE_KINDS = ("product", "gap", "name")


@dataclass(frozen=True)
class Cues:
    command: frozenset[str]
    offer: frozenset[str]
    teaser: tuple[tuple[str, ...], ...]
    hype: frozenset[str]
    chrome: frozenset[str]
    web: frozenset[str]
    numbered: frozenset[str]
    product: frozenset[str]
    niche: frozenset[str]
    lead: frozenset[str]
    institution: frozenset[str]
    #: Teaser labels, each as its folded words ("read more" -> ("read", "more")).
    label: tuple[tuple[str, ...], ...] = ()

    @functools.cached_property
    def opening(self) -> frozenset[str]:
        """First words that make a unit worth scoring: commands and the first word of each teaser."""
        return self.command | frozenset(t[0] for t in self.teaser)

    @functools.cached_property
    def teasers_from(self) -> dict[str, tuple[tuple[str, ...], ...]]:
        """The teaser lead-ins by their first word."""
        found: dict[str, list[tuple[str, ...]]] = {}
        for teaser in self.teaser:
            found.setdefault(teaser[0], []).append(teaser)
        return {first: tuple(teasers) for first, teasers in found.items()}

    @functools.cached_property
    def anywhere(self) -> frozenset[str]:
        """Single cue words that count wherever they stand in a unit."""
        return frozenset(w for w in self.offer | self.hype | self.chrome | self.web | self.niche if " " not in w)


@functools.cache
def cues() -> Cues:
    groups: dict[str, list[str]] = {}
    for line in data_lines("spam_cues.tsv", __package__):
        group, _, listed = line.partition("\t")
        groups.setdefault(group.strip(), []).extend(listed.split())

    def words(group: str) -> frozenset[str]:
        return frozenset(w.replace("_", " ") for w in groups.get(group, ()))

    return Cues(
        command=words("command"),
        offer=words("offer"),
        teaser=tuple(tuple(w.split("_")) for w in groups.get("teaser", ())),
        hype=words("hype"),
        chrome=words("chrome"),
        web=words("web"),
        numbered=words("numbered"),
        product=words("product"),
        niche=words("niche"),
        lead=words("lead"),
        institution=words("institution"),
        label=tuple(tuple(w.split("_")) for w in groups.get("label", ())),
    )


@functools.cache
def _residue_re() -> re.Pattern[str]:
    """What a stripped anchor leaves: a capitalised product name ("… and Calm Night Support Gummies"), a gap where
    the anchor stood ("look at a page like and learn more"), or a capitalised name after the word an anchor follows
    ("a local Brandex chiropractor", "therapies like Brandex modalities": a keyword anchor reads as a name before a
    common noun; after "at" or "from" that is an institution); the last only counts when the article never uses the
    name elsewhere."""
    products = "|".join(sorted((w.capitalize() for w in cues().product), key=len, reverse=True))
    return regexcache.compile(
        rf"(?P<product>(?<!of )\b[A-Z][\w'’-]*\s+(?:(?:and|&|of)\s+)?(?:{products})\b)"
        r"|(?P<gap>\b(?:like|visit|via|called|named)\s+(?:and|or|but)\b"
        r"(?!\s+(?:after|before|above|below|over|under|near|around|during|between)\b))"
        r"|\b(?:like|local)\s+(?P<name>[A-Z][a-z][\w'’-]*)\s+(?!(?:and|or|to|of|in|is|are|was|were|the|a|an)\b)[a-z]"
    )


#: The words a gap follows in :func:`_residue_re` ("a page like and …"), and the leads of its keyword names.
_GAP_LEADS = ("like", "visit", "via", "called", "named")
_NAME_LEADS = ("like", "local")


@functools.cache
def _residue_probes() -> tuple[tuple[str, str], ...]:
    """(word, substring) pairs: every match of :func:`_residue_re` holds one of the substrings, and an article holds
    the substring only when it holds the word as a token. The article's tokens decide which substrings to look for
    (one set intersection), and a block is searched only when it holds one of them (a gap split by two spaces, or
    a lead before a line break, is missed)."""
    products = tuple((w, w.capitalize()) for w in cues().product)
    gaps = tuple((lead, f"{lead} {conj}") for lead in _GAP_LEADS for conj in ("and", "or", "but"))
    return (*products, *gaps, *((lead, f"{lead} ") for lead in _NAME_LEADS))


@functools.cache
def _probe_tokens() -> dict[str, str]:
    """Each whitespace token that shows a word of :func:`_residue_probes`, with the word."""
    words = frozenset(word for word, _ in _residue_probes())
    return {f"{before}{w}{after}": w for w in words for before in _BEFORE for after in _AFTER}


def _residue_kinds(text: str) -> set[str]:
    return {kind for match in _residue_re().finditer(text) for kind in _RESIDUE_KINDS if match.group(kind)}


@functools.cache
def _shipped_trusted() -> DomainSet:
    return Config().trusted()


@dataclass(frozen=True)
class Unit:
    """One sentence of one block: where it is (offsets into the block's text) and its features."""

    block: Block
    start: int
    end: int
    features: list[float]
    #: It puts other pages' headlines into the article as a teaser: a labelled headline ("READ MORE: <headline>") or
    #: a lead-in to a list of them (:func:`spamsigns.headline_teaser`, :func:`spamsigns.list_of_pages`). Not a
    #: feature of the model: a sign that confirms spam with it (:func:`spamblocks.confirmed`).
    teaser: bool = False


class _Article:
    """What every unit of one article is measured against, computed once and only when a unit needs it."""

    def __init__(
        self, blocks: list[Block], trusted: DomainSet, own: Callable[[], DomainSet], sources: frozenset[str]
    ) -> None:
        self.blocks = blocks
        self.trusted = trusted
        self.sources = sources
        self._own = own
        self.folded = fold("\n".join(b.text for b in blocks))
        self.words = self.folded.split()
        self.cue = cues()
        self.stop = stopwords()
        self._tokens: Counter[str] | None = None
        self._niche: int | None = None
        # The cue words and "you"s of the whole article (as tokens): a block holding none of them is quiet.
        # One pass over the words for both: the article's cue words and "you"s, and the anchor-residue probes' words.
        found = _gate_tokens().intersection(self.words)
        self.present = tuple(found & _offer_tokens())
        probes = _probe_tokens()
        self.probe_words = {probes[t] for t in found if t in probes}

    def count(self, word: str) -> int:
        """How often folded ``word`` occurs in the article, bare or before a comma or a full stop."""
        if self._tokens is None:
            self._tokens = Counter(self.words)
        get = self._tokens.get
        return get(word, 0) + get(word + ",", 0) + get(word + ".", 0)

    def rare_names(self, text: str) -> int:
        """The longest run of capitalised words inside ``text`` that the article uses at most twice each."""
        count = self.count
        longest = run = 0
        for token in text.split()[1:]:
            if (token[:1].isupper() or token[1:2].isupper()) and count(fold(token.strip(PUNCT))) <= 2:
                run += 1
                longest = max(longest, run)
            else:
                run = 0
        return longest

    def new_name_with_number(self, text: str) -> bool:
        """A name the article uses at most twice, with a number after it ("Brandex 100"), not a date or a section."""
        for match in NAME_NUMBER_RE.finditer(text):
            name = match.group(1).lower()
            if self.count(name) <= 2 and name not in self.cue.numbered:
                return True
        return False

    @functools.cached_property
    def own(self) -> DomainSet:
        """The publisher's domains: computed only for an article with a web address in a scored unit."""
        return self._own()

    def names_domain(self, domain: str) -> bool:
        """The article names the organisation a domain belongs to: the site of the company or institution a
        release or a report is about ("visit www.brandexlabs.com" in an article about Brandex), not a stripped
        anchor's. A label of the domain is a word of the article, starts with one, or is two of them run together
        ("mountsinai")."""
        has = self.has_word
        for label in domain.split(".")[:-1]:
            if len(label) > 2 and (has(label) or (len(label) <= _MAX_INITIALS and label in self.initials)):
                return True
            if len(label) < _MIN_NAME_PREFIX:
                continue
            if any(has(label[:k]) for k in range(_MIN_NAME_PREFIX, len(label))):
                return True
            if any(has(label[:k]) and has(label[k:]) for k in range(3, len(label) - 2)):
                return True
        return False

    def has_word(self, word: str) -> bool:
        """Whether the folded article holds ``word`` as a word of its own, not inside a web address (a few
        substring searches: most articles are never asked)."""
        text = self.folded
        at = text.find(word)
        while at >= 0:
            end = at + len(word)
            if not text[at - 1 : at].isalnum() and not text[end : end + 1].isalnum():
                token_start = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1
                if not any(mark in text[token_start:at] for mark in ("www.", "/", "@")):
                    return True
            at = text.find(word, at + 1)
        return False

    @functools.cached_property
    def initials(self) -> frozenset[str]:
        """The initials of the article's runs of capitalised words, small words and a leading "The" skipped ("The
        American Academy of Ophthalmology" -> "aao"): an organisation's domain is often its initials."""
        text = "\n".join(b.text for b in self.blocks)
        return frozenset(
            "".join(word[0] for word in run.split() if word[0].isupper() and word != "The").lower()
            for run in _NAME_RUN_RE.findall(text)
        )

    def niche_out_of_place(self, lowered: list[str]) -> bool:
        """A passing mention of a spam trade (one or two of its words) that the rest of the article never uses.

        An article about the trade uses its words elsewhere, or lists several of them at once (a drug's names).
        """
        niche = self.cue.niche
        own = sum(map(niche.__contains__, lowered))
        if not own or len(niche.intersection(lowered)) > 2:
            return False
        if self._niche is None:
            self._niche = sum(self.count(w) for w in niche)
        return self._niche <= own

    def anchor_residue(self, text: str) -> bool:
        """A product's name, a gap where an anchor stood, or a name the article never uses after an anchor's lead."""
        for match in _residue_re().finditer(text):
            name = match.group("name")
            if name is None or self.count(fold(name)) <= 1:
                return True
        return False

    def worth_scoring(self, text: str, folded: str, heading: bool, marks: tuple[bool, bool, bool, bool]) -> bool:
        """The tests that decide whether a sentence is scored at all: one strong cue, or an offer out of place.

        ``marks`` say whether the sentence's block has a separator or an exclamation, a web address, a digit,
        something a stripped anchor leaves (:func:`_residue_re`).
        """
        tokens = folded.split()
        unterminated = not heading and not text.rstrip("\"'”’)]").endswith(_TERMINAL)
        opening = tokens[0].strip(PUNCT) in self.cue.opening
        if opening and (unterminated or len(tokens) <= _SHORT_UNIT):
            return True
        reader = not _second_person_tokens().isdisjoint(tokens)
        offer = len(_cue_tokens().intersection(tokens)) + reader + opening
        if offer >= 2 or (offer and unterminated):
            return True
        special, web, digits, residue = marks
        if (
            (special and _SPECIAL_RE.search(text))
            or (web and ("http" in folded or "www." in folded))
            or (digits and self.new_name_with_number(text))
            or (residue and self.anchor_residue(text))
        ):
            return True
        # A new name told to the reader, or a new multi-word name in a line that does not end like a sentence.
        if reader:
            return self.rare_names(text) >= 1
        return unterminated and len(tokens) >= _MIN_NAME_LINE and self.rare_names(text) >= 2


def _variants(words: frozenset[str]) -> frozenset[str]:
    """Each word as a whitespace token may show it: bare, or with the punctuation prose puts around it."""
    return frozenset(f"{before}{w}{after}" for w in words for before in _BEFORE for after in _AFTER)


@functools.cache
def _cue_tokens() -> frozenset[str]:
    return _variants(cues().anywhere)


@functools.cache
def _second_person_tokens() -> frozenset[str]:
    return _variants(_SECOND_PERSON)


@functools.cache
def _gate_tokens() -> frozenset[str]:
    return _offer_tokens() | _probe_tokens().keys()


@functools.cache
def _offer_tokens() -> frozenset[str]:
    """The tokens :func:`_cue_tokens` and :func:`_second_person_tokens` together: one look-up per word."""
    return _cue_tokens() | _second_person_tokens()


def units(article: Article, trusted: DomainSet | None = None, site: tuple[str, ...] = ()) -> list[Unit]:
    """The sentences of ``article`` that carry something the model weighs, with their features.

    A web address on a ``trusted`` domain (the shipped list by default) is a reference, and one on the ``site``'s
    own domains or on a domain the article links to elsewhere is the publisher's: neither is an anchor's residue.
    A name of a ``trusted`` source (:func:`trusted_sources`: "MedlinePlus" of medlineplus.gov) is a reference
    too, not a new name.
    """
    blocks = [b for b in article.blocks if b.text.strip()]
    if not blocks:
        return []
    trusted = _shipped_trusted() if trusted is None else trusted
    page = _Article(
        blocks,
        trusted,
        lambda: DomainSet.of(site, [link.url for link in article.links if link.kind != "bare"]),
        trusted_sources(trusted),
    )
    joined = "\n".join(b.text for b in blocks)
    # The probes the whole text holds, looked for once: in most articles none, so no block is searched.
    probes = tuple(probe for word, probe in _residue_probes() if word in page.probe_words)
    found: list[Unit] = []
    last = max(1, len(blocks) - 1)
    title = (article.title or "").strip()
    # A unit with a link left in it is the link rules' business, and the title is not a stray line.
    # (A bare web address is scored with its sentence: left in the text, it is the residue of an anchor.)
    linked = [
        (link.span.line, link.span.column, link.span.end_line, link.span.end_column)
        for link in article.links
        if link.kind != "bare"
    ]
    # Folding keeps the length of almost every text: then a block's folded text is a slice of the article's.
    aligned = len(page.folded) == len(joined)
    offset = 0
    for index, block in enumerate(blocks):
        heading = block.kind == "heading"
        raw = block.text
        folded_block = page.folded[offset : offset + len(raw)] if aligned else fold(raw)
        offset += len(raw) + 1
        marks = (
            any(char in raw for char in _SPECIAL_CHARACTERS),
            "http" in folded_block or "www." in folded_block,
            any(digit in raw for digit in _ASCII_DIGITS) if raw.isascii() else _DIGIT_RE.search(raw) is not None,
            any(probe in raw for probe in probes) and _residue_re().search(raw) is not None,
        )
        # A block with no cue word, no "you", no separator and no web address: only a sentence that opens with a
        # command, does not end like one, or names something with a number can be worth scoring (the same answer
        # as worth_scoring's, for a fraction of the work).
        quiet = not (marks[0] or marks[1] or any(token in folded_block for token in page.present))
        block_words = 0
        for start, end in block.sentences:
            text = raw[start:end].strip()
            if not text:
                continue
            folded = folded_block[start:end].strip()
            if quiet and not (
                (not heading and not text.rstrip("\"'”’)]").endswith(_TERMINAL))
                or folded.split(None, 1)[0].strip(PUNCT) in page.cue.opening
                or (marks[2] and NAME_NUMBER_RE.search(text))
                or (marks[3] and _residue_re().search(text))
            ):
                continue
            if not page.worth_scoring(text, folded, heading, marks):
                continue
            if text == title or (linked and _has_link(block, start, end, linked)):
                continue
            tokens = [t for t in (t.strip(PUNCT) for t in text.split()) if t]
            if not tokens:
                continue
            lowered = [fold(t) for t in tokens]
            block_words = block_words or len(block.text.split())
            if block_words <= MAX_LABEL_WORDS and not _has_cue(lowered, page.cue):
                continue  # a heading or a label ("OVERVIEW", "Symptoms"): structure, not a stray block
            features = _features(text, tokens, lowered, page, block_words, index / last, marks[3])
            teaser = (not raw[:start].strip() and headline_teaser(text, page.cue.label)) or (
                text.endswith(":")
                and not raw[end:].strip()
                and list_of_pages(text, lowered, (b.text for b in blocks[index + 1 :]))
            )
            found.append(Unit(block, start, end, features, teaser))
    return found


def _has_cue(lowered: list[str], cue: Cues) -> bool:
    vocabulary = cue.command | cue.offer | cue.hype
    return any(w in vocabulary for w in lowered) or any(tuple(lowered[: len(t)]) == t for t in cue.teaser)


def _has_link(block: Block, start: int, end: int, linked: list[tuple[int, int, int, int]]) -> bool:
    span = block.span(start, end)
    first, after = (span.line, span.column), (span.end_line, span.end_column)
    return any(first < (b_line, b_col) and (a_line, a_col) < after for a_line, a_col, b_line, b_col in linked)


def _features(
    text: str,
    tokens: list[str],
    lowered: list[str],
    page: _Article,
    block_words: int,
    position: float,
    residue_mark: bool,
) -> list[float]:
    """The unit's features, in the order of :data:`FEATURES` (``residue_mark``: its block may hold anchor residue)."""
    stop, cue = page.stop, page.cue
    n = len(lowered)
    root = math.sqrt(n)
    own = Counter(lowered)
    # A word is unseen when the rest of the article never uses it.
    count = page.count
    # Only words that can be a name or carry the topic are looked up (a function word is never "new").
    unseen = {w for w, k in own.items() if len(w) > 2 and w not in stop and count(w) <= k}
    capitalised = sum(1 for t in tokens if t[0].isupper())
    # A reference named ("the MedlinePlus Medical Dictionary"): its link is gone, but its words are no new name.
    sourced = trusted_name_words(tokens, lowered, page.sources, stop) if capitalised else set()
    unseen -= sourced
    unseen_words = sum(1 for w in lowered if w in unseen and len(w) > 3 and w not in stop and w.isalpha())
    letters = sum(map(str.isalpha, text))
    content = len(lowered) - sum(map(stop.__contains__, lowered)) or len(lowered)
    unterminated = not text.rstrip("\"'”’)]").endswith(_TERMINAL)
    teaser = any(tuple(lowered[: len(t)]) == t for t in cue.teasers_from.get(lowered[0], ()))
    offers = sum(map(cue.offer.__contains__, lowered))
    reader = sum(map(_SECOND_PERSON.__contains__, lowered))
    new_capital = any(w in unseen and t[0].isupper() for t, w in zip(tokens[1:], lowered[1:], strict=True))
    name_run = unseen_name_run(tokens, lowered, unseen, stop)
    residue = _residue_kinds(text) if residue_mark else set()
    # "Visit our web site, www…": the publisher names its own address.
    address = ("http" in text or "www." in text) and "our" not in own and _untrusted_address(text, page)
    anchor_residue = (
        not residue.isdisjoint(("product", "gap"))
        or address
        or unseen_name_with_number(text, unseen, cue.numbered)
        or new_name_after(tokens, lowered, unseen)
        or page.niche_out_of_place(lowered)
        or title_case_keyword(text, capitalised, page.count, cue.institution)
        or wedged_keyword(text, page.count, stop, cue.product)
    )
    # A teaser's lead-in labels a line ("Related: …", "READ MORE …" with no full stop), a lead-in announces a list of
    # other pages ("Here are some links to read:"), a widget's label is glued to its text.
    navigation_residue = (
        (teaser and (unterminated or ":" in text[:30]))
        or (text.endswith(":") and any(w in cue.lead or w in cue.web for w in lowered))
        or text.endswith(("…", "..."))
        or glued(text, sourced)
        or promo_headline(text, lowered, letters, unterminated, cue.offer, cue.numbered)
    )
    new_name = name_run or (reader and new_capital)
    return [
        math.log1p(n),
        1.0 if block_words <= 12 else 0.0,
        1.0 if unterminated else 0.0,
        1.0 if lowered[0] in cue.command else 0.0,
        offers / root,
        reader / root,
        1.0 if teaser else 0.0,
        sum(map(cue.hype.__contains__, lowered)) / root,
        sum(map(cue.chrome.__contains__, lowered)) / root,
        float(min(3, len(_SEPARATOR_RE.findall(text)))),
        unseen_words / content,
        sum(map(str.isupper, text)) / letters if letters else 0.0,
        position,
        float(min(2, len(_EXCLAIM_RE.findall(text)))),
        sum(map(cue.web.__contains__, lowered)) / root,
        1.0 if unterminated and n >= 3 and 3 * capitalised >= 2 * n else 0.0,
        # An institution is named in a source line or a press release, an anchor names a product or a keyword.
        1.0
        if not cue.institution.isdisjoint(lowered)
        and any(t[0].isupper() and w in cue.institution for t, w in zip(tokens, lowered, strict=True))
        else 0.0,
        1.0 if anchor_residue else 0.0,
        1.0 if navigation_residue else 0.0,
        1.0 if new_name else 0.0,
    ]


_ADDRESS_RE = regexcache.compile(r"(?:https?://|www\.)[^\s/()<>\[\]\"']+", re.IGNORECASE)


#: An address the extractor split after its dots ("http://www. example. org/"), closed up again.
_SPLIT_ADDRESS_RE = regexcache.compile(r"(?<=www\.)\s+|(?<=\w\.)\s+(?=(?:com|org|edu|gov|net|co|ac)\b)", re.IGNORECASE)
#: Two or more capitalised words in a row, with the small words of an organisation's name between them.
_NAME_RUN_RE = regexcache.compile(r"\b[A-Z][\w'’-]*(?:(?:\s+(?:of|for|and|the|&))*\s+[A-Z][\w'’-]*)+")
#: Longer labels are words, not an organisation's initials.
_MAX_INITIALS = 6
#: A name this long at the start of a domain's label is the article's own word, not a chance prefix.
_MIN_NAME_PREFIX = 5


def _untrusted_address(text: str, page: _Article) -> bool:
    """A web address in ``text`` on a domain neither trusted, nor the publisher's own, nor named by the article."""
    for match in _ADDRESS_RE.finditer(_SPLIT_ADDRESS_RE.sub("", text)):
        domain = normalize_domain(match.group())
        if domain not in page.trusted and domain not in page.own and not page.names_domain(domain):
            return True
    return False
