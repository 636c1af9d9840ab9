"""The article model: the file's text, its front matter, and prose blocks that map back to the file."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from healthlint.article.frontmatter import meta_line
from healthlint.article.problems import ArticleError
from healthlint.model import Fix, Hit
from healthlint.text.sentences import split_sentences
from healthlint.text.tokens import WORD_RE, word_spans


@dataclass(frozen=True)
class Span:
    """A range in the file: 1-based lines and columns, ``end_column`` exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Link:
    """A hyperlink, image or bare URL found in an article, located in the file."""

    url: str
    #: Visible anchor text (alt text for images, the URL itself for bare and auto links).
    text: str
    #: ``inline``, ``reference``, ``autolink``, ``image`` or ``bare``.
    kind: str
    span: Span
    title: str | None = None


@dataclass(frozen=True)
class HtmlFragment:
    """Raw HTML inside Markdown (a block or an inline tag), with its file offset."""

    offset: int
    html: str
    inline: bool


@dataclass(frozen=True)
class Comment:
    """An HTML comment outside code, where inline directives live."""

    line: int
    column: int
    text: str


#: The kinds of block read as prose (code, tables and front matter are not).
PROSE_KINDS = frozenset({"heading", "paragraph", "list_item", "blockquote", "html"})


class Block:
    """One unit of prose: a heading, paragraph, list item, quote, table cell or HTML block.

    ``text`` is the prose only: markup, code, URLs of links and comments are gone, and
    runs of white space (line breaks included) are folded to one space. Every character
    still maps back to the file, so checks can match on clean text and report exact
    positions with :meth:`span` and :meth:`hit`.

    The text layer is read from the block, computed on first use and then kept, so every
    family sees the same split: :attr:`sentences` and :attr:`word_spans` are ``(start, end)``
    offsets into ``text``, and :meth:`words` the words themselves.
    """

    __slots__ = (
        "_exact",
        "_offsets",
        "_sentences",
        "_starts",
        "_word_spans",
        "_words",
        "article",
        "end_line",
        "kind",
        "level",
        "line",
        "text",
    )

    def __init__(
        self,
        article: Article,
        kind: str,
        text: str,
        starts: list[int],
        offsets: list[int],
        exact: list[bool],
        level: int = 0,
    ) -> None:
        self.article = article
        #: ``heading``, ``paragraph``, ``list_item``, ``blockquote``, ``table_cell`` or ``html``.
        self.kind = kind
        #: Heading level (1–6) for headings, 0 otherwise.
        self.level = level
        self.text = text
        self._starts = starts
        self._offsets = offsets
        self._exact = exact
        self._sentences: tuple[tuple[int, int], ...] | None = None
        self._word_spans: tuple[tuple[int, int], ...] | None = None
        self._words: tuple[str, ...] | None = None
        self.line = article.position(self.offset(0))[0] if text else 1
        self.end_line = article.position(self.offset(max(len(text) - 1, 0)))[0] if text else 1

    def __repr__(self) -> str:
        return f"Block({self.kind!r}, line={self.line}, text={self.text[:40]!r})"

    def offset(self, index: int) -> int:
        """The file offset (in characters) of ``text[index]``."""
        if not self._starts:
            return 0
        index = max(0, min(index, len(self.text) - 1))
        k = bisect.bisect_right(self._starts, index) - 1
        if self._exact[k]:
            return self._offsets[k] + (index - self._starts[k])
        return self._offsets[k]

    def span(self, start: int, end: int) -> Span:
        """The file span of ``text[start:end]``."""
        end = max(end, start + 1)
        line, column = self.article.position(self.offset(start))
        end_line, end_column = self.article.position(self.offset(end - 1))
        return Span(line, column, end_line, end_column + 1)

    def hit(
        self,
        start: int,
        end: int,
        message: str,
        *,
        suggestion: str | None = None,
        fix: Fix | None = None,
    ) -> Hit:
        """A hit covering ``text[start:end]``, with the matched text recorded."""
        span = self.span(start, end)
        return Hit(
            line=span.line,
            column=span.column,
            end_line=span.end_line,
            end_column=span.end_column,
            message=message,
            match=self.text[start:end],
            suggestion=suggestion,
            fix=fix,
        )

    @property
    def sentences(self) -> tuple[tuple[int, int], ...]:
        """``(start, end)`` of each sentence of ``text``, by :func:`healthlint.text.sentences.split_sentences`."""
        if self._sentences is None:
            self._sentences = tuple(split_sentences(self.text))
        return self._sentences

    @property
    def word_spans(self) -> tuple[tuple[int, int], ...]:
        """``(start, end)`` of each word of ``text`` (see :data:`healthlint.text.tokens.WORD_RE`)."""
        if self._word_spans is None:
            self._word_spans = tuple(word_spans(self.text))
        return self._word_spans

    def words(self) -> tuple[str, ...]:
        """The words of ``text``, in order."""
        if self._words is None:
            self._words = tuple(WORD_RE.findall(self.text))
        return self._words

    def slice(self, start: int, end: int) -> Block:
        """A block of ``text[start:end]`` that still maps to the right places in the file."""
        k = max(bisect.bisect_right(self._starts, start) - 1, 0)
        starts, offsets, exact = [0], [self.offset(start)], [self._exact[k] if self._exact else True]
        for j in range(k + 1, len(self._starts)):
            if self._starts[j] >= end:
                break
            starts.append(self._starts[j] - start)
            offsets.append(self._offsets[j])
            exact.append(self._exact[j])
        return Block(self.article, self.kind, self.text[start:end], starts, offsets, exact, self.level)

    def source_lines(self) -> list[Block]:
        """The block cut where the file's lines break (a paragraph of pasted one-line titles, say)."""
        if self.line == self.end_line:
            return [self]
        source = self.article.text
        cuts = [i for i, char in enumerate(self.text) if char == " " and source[self.offset(i)] == "\n"]
        bounds = zip([0, *(c + 1 for c in cuts)], [*cuts, len(self.text)], strict=True)
        return [self.slice(a, b) for a, b in bounds if b > a]


@dataclass
class Article:
    """A parsed article: the file's text, its front matter, and its prose blocks.

    Checks read ``blocks`` (prose with a map back to the file), ``meta`` (front matter),
    ``links``, ``html`` and ``comments``. ``cache`` is scratch space that rules of one
    plugin may share per article (see :meth:`healthlint.rules.RuleContext.shared`).
    """

    path: str
    text: str
    #: ``markdown`` or ``text``.
    kind: str
    meta: dict[str, Any] = field(default_factory=dict)
    #: 1-based line range of the front matter block (delimiters included), or None.
    meta_lines: tuple[int, int] | None = None
    blocks: list[Block] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    html: list[HtmlFragment] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    #: Problems met while reading or parsing; the host reports each as HL001.
    problems: list[ArticleError] = field(default_factory=list)
    #: ``"\r\n"`` when the file used Windows line endings (``text`` always uses ``"\n"``).
    newline: str = "\n"
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def line_starts(self) -> list[int]:
        starts = [0]
        find = self.text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        return starts

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset in ``text``."""
        offset = max(0, min(offset, len(self.text)))
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def offset_of(self, line: int, column: int = 1) -> int:
        """Character offset of a 1-based (line, column)."""
        starts = self.line_starts
        line = max(1, min(line, len(starts)))
        return starts[line - 1] + column - 1

    @property
    def body_start_line(self) -> int:
        """First line after the front matter (1 without front matter)."""
        return self.meta_lines[1] + 1 if self.meta_lines else 1

    @property
    def last_line(self) -> int:
        return len(self.line_starts)

    @cached_property
    def title(self) -> str | None:
        """Front matter ``title``, else the first heading, else (plain text) a short first line."""
        title = self.meta.get("title")
        if isinstance(title, str) and title.strip():
            return title.strip()
        for block in self.blocks:
            if block.kind == "heading":
                return block.text
        if self.kind == "text" and self.blocks and len(self.blocks[0].text.split()) <= 15:
            return self.blocks[0].text
        return None

    @cached_property
    def word_count(self) -> int:
        return sum(len(b.words()) for b in self.blocks)

    def prose_blocks(self, *kinds: str) -> Iterator[Block]:
        """Blocks of the given kinds (all kinds when none are given)."""
        for block in self.blocks:
            if not kinds or block.kind in kinds:
                yield block

    def meta_line(self, key: str) -> int:
        """The file line of a top-level front matter key (the front matter's first line if not found)."""
        return meta_line(self, key)

    def line_hit(self, line: int, message: str, *, suggestion: str | None = None) -> Hit:
        """A hit covering one whole line of the file."""
        line = max(1, min(line, self.last_line))
        text = self.lines[line - 1]
        return Hit(
            line=line,
            column=1,
            end_line=line,
            end_column=len(text) + 1,
            message=message,
            match=text.strip() or None,
            suggestion=suggestion,
        )
