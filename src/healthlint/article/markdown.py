"""Markdown articles: prose blocks, links, HTML and comments, each located in the file."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, Any

from healthlint import regexcache
from healthlint.article import htmlscan
from healthlint.article.bounds import Allowance, bound, markdown_lines
from healthlint.article.model import Article, Comment, HtmlFragment, Link, Span
from healthlint.article.offsets import TextBuilder, add_block
from healthlint.article.problems import ArticleError

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_MD: MarkdownIt | None = None


def _markdown() -> MarkdownIt:
    global _MD  # a parser is stateless between parses; building one costs a few ms
    if _MD is None:
        from markdown_it import MarkdownIt

        # Without text_join, escapes and entities stay separate tokens that keep their source form.
        _MD = bound(MarkdownIt("commonmark").enable("table").disable("text_join"))
    return _MD


#: A line holding nothing but white space and the marks of quotes and list items.
_MARKERS_ONLY_RE = regexcache.compile(r"[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t>]*)?\s*")


def parse_markdown(article: Article) -> None:
    text = article.text
    if article.meta_lines:
        # Blank out front matter so the parser's line numbers stay file line numbers.
        end = article.meta_lines[1]
        cut = article.line_starts[end] if end < len(article.line_starts) else len(text)
        text = "\n" * (end) + text[cut:]
    allowance = Allowance.for_text(text)
    lines = markdown_lines(text)
    if lines < len(article.line_starts):
        text = text[: article.line_starts[lines] - len(article.text) + len(text)]
    tokens = _markdown().parse(text, allowance.env())
    _report_plain_text(article, allowance)
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
    if lines < len(article.line_starts):
        _plain_rest(article, lines)


def _plain_rest(article: Article, first: int) -> None:
    """The article from line ``first`` (0-based) on as one block of plain text, reported."""
    starts = article.line_starts
    builder = TextBuilder()
    for number in range(first, len(starts)):
        stop = starts[number + 1] - 1 if number + 1 < len(starts) else len(article.text)
        builder.add(article.text[starts[number] : stop] + " ", starts[number])
    add_block(article, "paragraph", builder)
    article.problems.append(
        ArticleError(
            "more lines than an article of this length may hold as Markdown: from here on it is checked as one "
            "block of plain text",
            first + 1,
        )
    )


def _report_plain_text(article: Article, allowance: Allowance) -> None:
    """One problem for each way the parser's allowance ran out (see :mod:`healthlint.article.bounds`)."""
    if allowance.plain_lines:
        count = len(allowance.plain_lines)
        article.problems.append(
            ArticleError(
                f"more link, emphasis and other inline markup than an article of this length may hold: "
                f"{count} paragraph{'s' if count != 1 else ''} from here on checked as plain text",
                allowance.plain_lines[0] + 1,
            )
        )
    if allowance.cut_tables:
        article.problems.append(
            ArticleError(
                "more table cells than an article of this length may hold: the rest of the table is checked as a "
                "paragraph",
                allowance.cut_tables[0] + 1,
            )
        )


def _content_line_bases(article: Article, token: Token, cell_cursor: dict[int, int]) -> tuple[list[int], list[int]]:
    """For each line of an inline token's content: its offset in the content and in the file."""
    assert token.map is not None
    content_starts: list[int] = []
    file_starts: list[int] = []
    pos = 0
    content_lines = token.content.split("\n")
    first_line = token.map[0] + _stripped_lead_lines(article, token.map, content_lines[0], len(content_lines))
    for k, content_line in enumerate(content_lines):
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


def _stripped_lead_lines(article: Article, span: list[int], first: str, count: int) -> int:
    """How many source lines before ``first`` the parser dropped from a block's content.

    The parser ends a paragraph only at a line blank to Markdown (spaces and tabs), but trims
    its content with ``str.strip()``, which also drops lines holding only other white space
    (U+00A0, U+2003, ...): then content line k is no longer source line ``map[0] + k``.
    """
    spare = span[1] - span[0] - count
    skipped = 0
    lines = article.line_starts
    while skipped < spare and span[0] + skipped + 1 < len(lines):
        line_no = span[0] + skipped
        source_line = article.text[lines[line_no] : lines[line_no + 1] - 1]
        if first in source_line or not _MARKERS_ONLY_RE.fullmatch(source_line):
            break
        skipped += 1
    return skipped


def _inline_block(article: Article, token: Token, kind: str, level: int, cell_cursor: dict[int, int]) -> None:
    content = token.content
    content_starts, file_starts = _content_line_bases(article, token, cell_cursor)

    def file_offset(pos: int) -> int:
        k = bisect.bisect_right(content_starts, pos) - 1
        return file_starts[k] + (pos - content_starts[k])

    builder = TextBuilder()
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
    add_block(article, kind, builder, level)


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
    for a, b in htmlscan.comments(source):
        line, column = article.position(start + a)
        article.comments.append(Comment(line, column, source[a + 4 : b - 3]))
    builder = TextBuilder()
    pos = 0
    for a, b in htmlscan.markup(source):
        if a > pos:
            _add_html_text(builder, source[pos:a], start + pos)
        builder.add(" ", start + a, exact=False)
        pos = b
    if pos < len(source):
        _add_html_text(builder, source[pos:], start + pos)
    add_block(article, "html", builder)


_ENTITY_RE = regexcache.compile(r"&(#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def _add_html_text(builder: TextBuilder, text: str, offset: int) -> None:
    import html

    pos = 0
    for m in _ENTITY_RE.finditer(text):
        builder.add(text[pos : m.start()], offset + pos)
        builder.add(html.unescape(m.group(0)), offset + m.start(), exact=False)
        pos = m.end()
    builder.add(text[pos:], offset + pos)
