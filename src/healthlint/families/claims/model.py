"""What the claim finder reports: claims, their citations, overclaims and the article's references."""

from __future__ import annotations

from dataclasses import dataclass, field

from healthlint import Hit
from healthlint.article import Block, Span

from .vocabulary import OverclaimSpec


@dataclass
class Citation:
    """Something in or next to a claim that lets a reader find its source."""

    #: ``link``, ``html-link``, ``doi``, ``pmid``, ``footnote``, ``reference``, ``author-year``, ``sources``.
    kind: str
    text: str
    url: str | None = None
    scholarly: bool = True
    span: Span | None = None


@dataclass
class Claim:
    """A sentence that leans on research."""

    block: Block
    start: int
    end: int
    #: ``journal``, ``institution``, ``study`` (one unnamed study: "a 2019 trial") or ``vague``.
    kind: str
    #: The journal or institution named, or the words that appeal to research.
    source: str
    citations: list[Citation] = field(default_factory=list)
    #: Citation markers that point nowhere ("[3]" with no reference 3): they cite the claim all the same.
    unresolved: list[str] = field(default_factory=list)
    #: Position of the sentence among all the article's sentences.
    seq: int = 0

    @property
    def sentence(self) -> str:
        return self.block.text[self.start : self.end]

    def hit(self, message: str, suggestion: str) -> Hit:
        """A finding on the claim's sentence."""
        return self.block.hit(self.start, self.end, message, suggestion=suggestion)


@dataclass
class Overclaim:
    """Words that promise more than the evidence gives, in a sentence of a block."""

    block: Block
    start: int
    end: int
    sentence: tuple[int, int]
    spec: OverclaimSpec


@dataclass
class References:
    """The article's reference list and footnotes, and the blocks that belong to them."""

    has_section: bool = False
    #: Whether a section headed as the page's sources ("References", "Sources", "Bibliography", or a configured
    #: heading) is empty (its list cut off) or holds an entry that looks like a source.
    lists_sources: bool = False
    numbers: set[int] = field(default_factory=set)
    footnotes: set[str] = field(default_factory=set)
    #: Lower-cased text of each entry in a References section and in front matter ``sources``.
    entries: list[str] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    skip_blocks: set[int] = field(default_factory=set)
    #: How many entries are full references (authors, year, title), with a heading above them or not.
    full_entries: int = 0
    #: The journal names the entries hold (lower case), read once for every claim that may name one.
    journal_names: list[str] | None = None


@dataclass
class Analysis:
    """Everything the claims family found in one article."""

    claims: list[Claim]
    overclaims: list[Overclaim]
    references: References
