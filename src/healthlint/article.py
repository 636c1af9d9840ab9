"""Articles: Markdown with YAML front matter, or plain text, as prose blocks mapped back to the file."""

from __future__ import annotations

import bisect
import codecs
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from healthlint import regexcache
from healthlint.findings import Fix, Hit

if TYPE_CHECKING:
    import yaml
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
TEXT_SUFFIXES = frozenset({".txt", ".text"})
ARTICLE_SUFFIXES = MARKDOWN_SUFFIXES | TEXT_SUFFIXES

_WORD_RE = regexcache.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_SPACE_RE = regexcache.compile(r"\s+")
# White space that folding changes: anything but a lone plain space.
_FOLD_RE = regexcache.compile(r"[^\S ]\s*| \s+")
# Good enough to keep URLs out of prose statistics and to find bare links; not a URL validator.
BARE_URL_RE = regexcache.compile(
    r"""(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>"'`\]\[)(]+[^\s<>"'`\]\[)(.,;:!?]""",
    re.IGNORECASE,
)


class ArticleError(Exception):
    """An article that cannot be read or parsed; reported as HL001 on that article."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


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


class Block:
    """One unit of prose: a heading, paragraph, list item, quote, table cell or HTML block.

    ``text`` is the prose only: markup, code, URLs of links and comments are gone, and
    runs of white space (line breaks included) are folded to one space. Every character
    still maps back to the file, so checks can match on clean text and report exact
    positions with :meth:`span` and :meth:`hit`.
    """

    __slots__ = ("_exact", "_offsets", "_starts", "article", "end_line", "kind", "level", "line", "text")

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

    def words(self) -> list[str]:
        return _WORD_RE.findall(self.text)

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


class _TextBuilder:
    """Collects prose pieces with their file offsets, then folds white space."""

    def __init__(self) -> None:
        self.pieces: list[tuple[str, int, bool]] = []

    def add(self, text: str, offset: int, exact: bool = True) -> None:
        if text:
            self.pieces.append((text, offset, exact))

    def build(self) -> tuple[str, list[int], list[int], list[bool]]:
        """The folded text and its map back to the file (anchors where the mapping jumps).

        Single spaces inside a piece map one to one, so ordinary prose needs one anchor per
        piece rather than one per word.
        """
        chars: list[str] = []
        starts: list[int] = []
        offsets: list[int] = []
        exact: list[bool] = []
        length = 0
        pending: int | None = None  # file offset of a run of white space not yet written

        def emit(chunk: str, offset: int, is_exact: bool) -> None:
            nonlocal length, pending
            if pending is not None and length:
                _anchor(starts, offsets, exact, length, pending, False)
                chars.append(" ")
                length += 1
            pending = None
            _anchor(starts, offsets, exact, length, offset, is_exact)
            chars.append(chunk)
            length += len(chunk)

        for text, base, is_exact in self.pieces:
            lead = len(text) - len(text.lstrip())
            stop = len(text.rstrip())
            if lead and pending is None:
                pending = base
            if stop <= lead:
                continue
            pos = lead
            for m in (_FOLD_RE if is_exact else _SPACE_RE).finditer(text, lead, stop):
                emit(text[pos : m.start()], base + pos if is_exact else base, is_exact)
                pending = base + m.start() if is_exact else base
                pos = m.end()
            emit(text[pos:stop], base + pos if is_exact else base, is_exact)
            if stop < len(text):
                pending = base + stop if is_exact else base
        return "".join(chars), starts, offsets, exact


def _anchor(starts: list[int], offsets: list[int], exact: list[bool], at: int, offset: int, is_exact: bool) -> None:
    """Record that text from index ``at`` on maps to file ``offset``."""
    if starts and starts[-1] == at:
        offsets[-1], exact[-1] = offset, is_exact
    else:
        starts.append(at)
        offsets.append(offset)
        exact.append(is_exact)


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
        if not self.meta_lines:
            return 1
        first, last = self.meta_lines
        # Built from the article's own keys: plain re.compile, so article text never fills the regex store.
        pattern = re.compile(rf"^([\"']?){re.escape(key)}\1\s*:")
        lines = self.lines
        for number in range(first + 1, min(last, len(lines) + 1)):
            if pattern.match(lines[number - 1]):
                return number
        return first

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


# -- Reading -----------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, list[ArticleError]]:
    """Decode file bytes: UTF-8 (BOM optional) or UTF-16/32 with a BOM.

    Undecodable bytes become U+FFFD and are reported with their line, so the rest of
    the article is still checked.

    :raises ArticleError: for binary content, which is not checked at all.
    """
    problems: list[ArticleError] = []
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), problems
            except UnicodeDecodeError as exc:
                raise ArticleError(f"not valid {encoding.upper()} despite its byte-order mark: {exc.reason}") from None
    if b"\x00" in data[:8192]:
        raise ArticleError("binary file (it contains NUL bytes); not an article")
    try:
        return data.decode("utf-8"), problems
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(
            ArticleError(
                f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); undecodable bytes replaced",
                line,
                column,
            )
        )
        return data.decode("utf-8", errors="replace"), problems


def kind_for(path: str | Path) -> str:
    return "markdown" if Path(path).suffix.lower() in MARKDOWN_SUFFIXES else "text"


def parse_article(path: str, text: str, kind: str | None = None) -> Article:
    """Parse text as an article of the given kind (guessed from the file name when None)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    article = Article(path=path, text=text, kind=kind or kind_for(path), newline=newline)
    _read_front_matter(article)
    if article.kind == "markdown":
        _parse_markdown(article)
    else:
        _parse_plain_text(article)
    _find_bare_urls(article)
    return article


@functools.cache
def _front_matter_loader() -> type[yaml.SafeLoader]:
    """YAML's safe loader, except that an impossible date (``2024-02-30``) stays text for the date checks to report.

    Built on first use: articles without front matter never import PyYAML.
    """
    import yaml

    class FrontMatterLoader(yaml.SafeLoader):
        pass

    def timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
        try:
            return loader.construct_yaml_timestamp(node)
        except ValueError:
            return loader.construct_scalar(node)

    FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", timestamp_or_text)
    return FrontMatterLoader


def _read_front_matter(article: Article) -> None:
    lines = article.lines
    if not lines or lines[0].rstrip() != "---":
        return
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            break
    else:
        if article.kind == "markdown":
            article.problems.append(ArticleError("front matter starts with '---' but is never closed", 1, 1))
        return
    article.meta_lines = (1, index + 1)
    source = "\n".join(lines[1:index])
    import yaml

    try:
        data = yaml.load(source, Loader=_front_matter_loader()) if source.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        column = mark.column + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        article.problems.append(ArticleError(f"front matter is not valid YAML: {problem}", line, column))
        return
    if not isinstance(data, dict):
        article.problems.append(
            ArticleError(f"front matter must be a mapping of keys to values, not {type(data).__name__}", 2, 1)
        )
        return
    article.meta = {str(k): v for k, v in data.items()}


def _parse_plain_text(article: Article) -> None:
    """Each non-empty line is a paragraph (as in articles saved from the web)."""
    first = article.body_start_line - 1
    for index, start in enumerate(article.line_starts):
        if index < first:
            continue
        line = (
            article.text[start : article.line_starts[index + 1] - 1]
            if index + 1 < len(article.line_starts)
            else article.text[start:]
        )
        if line.strip():
            builder = _TextBuilder()
            builder.add(line, start)
            _add_block(article, "paragraph", builder)


def _add_block(article: Article, kind: str, builder: _TextBuilder, level: int = 0) -> None:
    text, starts, offsets, exact = builder.build()
    text_stripped = text.rstrip()
    if text_stripped:
        article.blocks.append(Block(article, kind, text_stripped, starts, offsets, exact, level))


# -- Markdown ----------------------------------------------------------------------------

_MD: MarkdownIt | None = None


def _markdown() -> MarkdownIt:
    global _MD  # a parser is stateless between parses; building one costs a few ms
    if _MD is None:
        from markdown_it import MarkdownIt

        # Without text_join, escapes and entities stay separate tokens that keep their source form.
        _MD = MarkdownIt("commonmark").enable("table").disable("text_join")
    return _MD


_COMMENT_RE = regexcache.compile(r"<!--(.*?)-->", re.DOTALL)
_TAG_RE = regexcache.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|<[^>]*>", re.DOTALL | re.IGNORECASE)


def _parse_markdown(article: Article) -> None:
    text = article.text
    if article.meta_lines:
        # Blank out front matter so the parser's line numbers stay file line numbers.
        end = article.meta_lines[1]
        cut = article.line_starts[end] if end < len(article.line_starts) else len(text)
        text = "\n" * (end) + text[cut:]
    tokens = _markdown().parse(text)
    containers: list[str] = []
    heading_level = 0
    cell_cursor: dict[int, int] = {}
    for index, token in enumerate(tokens):
        ttype = token.type
        if ttype in ("bullet_list_open", "ordered_list_open"):
            containers.append("list_item")
        elif ttype == "blockquote_open":
            containers.append("blockquote")
        elif ttype in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            if containers:
                containers.pop()
        elif ttype == "heading_open":
            heading_level = int(token.tag[1:]) if token.tag[1:].isdigit() else 1
        elif ttype == "html_block" and token.map:
            _html_block(article, token)
        elif ttype == "inline" and token.map:
            previous = tokens[index - 1].type if index else ""
            if previous == "heading_open":
                kind, level = "heading", heading_level
            elif previous in ("th_open", "td_open"):
                kind, level = "table_cell", 0
            else:
                kind, level = (containers[-1] if containers else "paragraph"), 0
            _inline_block(article, token, kind, level, cell_cursor)


def _content_line_bases(article: Article, token: Token, cell_cursor: dict[int, int]) -> tuple[list[int], list[int]]:
    """For each line of an inline token's content: its offset in the content and in the file."""
    assert token.map is not None
    content_starts: list[int] = []
    file_starts: list[int] = []
    pos = 0
    first_line = token.map[0]
    for k, content_line in enumerate(token.content.split("\n")):
        line_no = min(first_line + k, len(article.line_starts) - 1)
        line_start = article.line_starts[line_no]
        line_end = article.line_starts[line_no + 1] - 1 if line_no + 1 < len(article.line_starts) else len(article.text)
        source_line = article.text[line_start:line_end]
        search_from = cell_cursor.get(line_no, 0) if k == 0 else 0
        column = source_line.find(content_line, search_from) if content_line else -1
        if column < 0:
            column = max(0, len(source_line.rstrip()) - len(content_line))
        if k == 0:
            cell_cursor[line_no] = column + len(content_line)
        content_starts.append(pos)
        file_starts.append(line_start + column)
        pos += len(content_line) + 1
    return content_starts, file_starts


def _inline_block(article: Article, token: Token, kind: str, level: int, cell_cursor: dict[int, int]) -> None:
    content = token.content
    content_starts, file_starts = _content_line_bases(article, token, cell_cursor)

    def file_offset(pos: int) -> int:
        k = bisect.bisect_right(content_starts, pos) - 1
        return file_starts[k] + (pos - content_starts[k])

    builder = _TextBuilder()
    cursor = 0
    link_stack: list[tuple[Token, int, list[str]]] = []
    for child in token.children or []:
        ctype = child.type
        if ctype == "text":
            found = content.find(child.content, cursor)
            if link_stack and link_stack[-1][0].markup == "autolink":
                if found >= 0:
                    cursor = found + len(child.content)
                link_stack[-1][2].append(child.content)
                continue
            if found >= 0:
                builder.add(child.content, file_offset(found))
                cursor = found + len(child.content)
            else:
                builder.add(child.content, file_offset(cursor), exact=False)
            if link_stack:
                link_stack[-1][2].append(child.content)
        elif ctype == "text_special":
            found = content.find(child.markup, cursor)
            at = found if found >= 0 else cursor
            builder.add(child.content, file_offset(at), exact=False)
            cursor = at + len(child.markup) if found >= 0 else cursor
            if link_stack:
                link_stack[-1][2].append(child.content)
        elif ctype in ("softbreak", "hardbreak"):
            found = content.find("\n", cursor)
            at = found if found >= 0 else cursor
            builder.add(" ", file_offset(at), exact=False)
            cursor = at + 1 if found >= 0 else cursor
            if link_stack:  # a link's text that wraps keeps its word break
                link_stack[-1][2].append(" ")
        elif ctype == "code_inline":
            found = content.find(child.markup, cursor)
            if found >= 0:
                close = content.find(child.markup, found + len(child.markup))
                builder.add(" ", file_offset(found), exact=False)
                cursor = close + len(child.markup) if close >= 0 else found + len(child.markup)
        elif ctype == "html_inline":
            found = content.find(child.content, cursor)
            at = found if found >= 0 else cursor
            article.html.append(HtmlFragment(file_offset(at), child.content, inline=True))
            if child.content.startswith("<!--"):
                line, column = article.position(file_offset(at))
                article.comments.append(Comment(line, column, child.content[4:-3]))
            if found >= 0:
                cursor = found + len(child.content)
        elif ctype == "link_open":
            found = content.find("<" if child.markup == "autolink" else "[", cursor)
            at = found if found >= 0 else cursor
            cursor = at + 1 if found >= 0 else cursor
            link_stack.append((child, at, []))
        elif ctype == "link_close" and link_stack:
            opener, start, parts = link_stack.pop()
            if opener.markup == "autolink":
                close = content.find(">", cursor)
                cursor = close + 1 if close >= 0 else cursor
                link_kind = "autolink"
            else:
                cursor, link_kind = _skip_link_destination(content, cursor)
            href = str(opener.attrs.get("href", ""))
            title = opener.attrs.get("title")
            _add_link(
                article, href, "".join(parts), link_kind, file_offset(start), file_offset(max(cursor - 1, start)), title
            )
        elif ctype == "image":
            found = content.find("![", cursor)
            at = found if found >= 0 else cursor
            if found >= 0:
                cursor, _ = _skip_link_destination(
                    content, content.find("]", at + 2) if content.find("]", at + 2) >= 0 else at + 2
                )
            src = str(child.attrs.get("src", ""))
            if link_stack:  # an image inside a link: its alt text is the link's text
                link_stack[-1][2].append(child.content)
            _add_link(
                article,
                src,
                child.content,
                "image",
                file_offset(at),
                file_offset(max(cursor - 1, at)),
                child.attrs.get("title"),
            )
    _add_block(article, kind, builder, level)


def _skip_link_destination(content: str, cursor: int) -> tuple[int, str]:
    """From the ``]`` that closes a link's text, move past ``(dest "title")`` or ``[ref]``."""
    if cursor < len(content) and content[cursor] == "]":
        cursor += 1
    if cursor < len(content) and content[cursor] == "(":
        depth = 0
        for i in range(cursor, len(content)):
            if content[i] == "(":
                depth += 1
            elif content[i] == ")":
                depth -= 1
                if depth == 0:
                    return i + 1, "inline"
        return len(content), "inline"
    if cursor < len(content) and content[cursor] == "[":
        close = content.find("]", cursor)
        return (close + 1 if close >= 0 else cursor), "reference"
    return cursor, "reference"


def _add_link(article: Article, url: str, text: str, kind: str, start: int, last: int, title: Any) -> None:
    line, column = article.position(start)
    end_line, end_column = article.position(last)
    article.links.append(
        Link(
            url=url,
            text=" ".join(text.split()),
            kind=kind,
            span=Span(line, column, end_line, end_column + 1),
            title=str(title) if title is not None else None,
        )
    )


def _html_block(article: Article, token: Token) -> None:
    """Record raw HTML and its comments; its visible text counts as prose."""
    assert token.map is not None
    start = article.line_starts[token.map[0]]
    source = token.content
    found = article.text.find(source.lstrip(), start)
    if found >= 0:
        start = found
        source = source.lstrip()
    article.html.append(HtmlFragment(start, source, inline=False))
    for m in _COMMENT_RE.finditer(source):
        line, column = article.position(start + m.start())
        article.comments.append(Comment(line, column, m.group(1)))
    builder = _TextBuilder()
    pos = 0
    for m in _TAG_RE.finditer(source):
        if m.start() > pos:
            _add_html_text(builder, source[pos : m.start()], start + pos)
        builder.add(" ", start + m.start(), exact=False)
        pos = m.end()
    if pos < len(source):
        _add_html_text(builder, source[pos:], start + pos)
    _add_block(article, "html", builder)


_ENTITY_RE = regexcache.compile(r"&(#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def _add_html_text(builder: _TextBuilder, text: str, offset: int) -> None:
    import html

    pos = 0
    for m in _ENTITY_RE.finditer(text):
        builder.add(text[pos : m.start()], offset + pos)
        builder.add(html.unescape(m.group(0)), offset + m.start(), exact=False)
        pos = m.end()
    builder.add(text[pos:], offset + pos)


def _find_bare_urls(article: Article) -> None:
    """URLs typed into prose (the only kind of link plain text has)."""
    # Markdown links already found, by line, so a URL inside one is not counted twice.
    by_line: dict[int, list[Span]] = {}
    for link in article.links:
        by_line.setdefault(link.span.line, []).append(link.span)
    for block in article.blocks:
        text = block.text
        # Every match holds "://" or "www." in some case (no other letter folds to w): most
        # blocks hold neither, and the search is skipped.
        if "://" not in text and "www." not in text.lower():
            continue
        for m in BARE_URL_RE.finditer(text):
            span = block.span(m.start(), m.end())
            if any(_inside(span, other) for other in by_line.get(span.line, ())):
                continue
            url = m.group(0)
            article.links.append(Link(url=url if "://" in url else "http://" + url, text=url, kind="bare", span=span))
    article.links.sort(key=lambda link: (link.span.line, link.span.column))


def _inside(span: Span, outer: Span) -> bool:
    return outer.line == span.line and outer.column <= span.column < outer.end_column


def read_article(path: Path, display_path: str | None = None) -> Article:
    """Read and parse an article file.

    Problems that still leave text to check (bad front matter, undecodable bytes) are kept
    in ``article.problems``.

    :raises ArticleError: when the file cannot be read or is binary.
    :raises OSError: never; I/O errors become :class:`ArticleError`.
    """
    shown = display_path or str(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ArticleError("is a directory, not an article") from None
    except PermissionError:
        raise ArticleError("cannot be read: permission denied") from None
    except OSError as exc:
        raise ArticleError(f"cannot be read: {exc.strerror or exc}") from None
    text, problems = decode(data)
    article = parse_article(shown, text)
    article.problems[:0] = problems
    return article
