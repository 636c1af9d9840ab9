"""Reading and parsing an article file (Markdown or plain text) into an :class:`Article`."""

from __future__ import annotations

import re
from pathlib import Path

from healthlint import regexcache
from healthlint.article.decode import decode
from healthlint.article.frontmatter import read_front_matter
from healthlint.article.markdown import parse_markdown
from healthlint.article.model import Article, Link, Span
from healthlint.article.offsets import TextBuilder, add_block
from healthlint.article.problems import ArticleError

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd"})
TEXT_SUFFIXES = frozenset({".txt", ".text"})
ARTICLE_SUFFIXES = MARKDOWN_SUFFIXES | TEXT_SUFFIXES

# Good enough to keep URLs out of prose statistics and to find bare links; not a URL validator.
BARE_URL_RE = regexcache.compile(
    r"""(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>"'`\]\[)(]+[^\s<>"'`\]\[)(.,;:!?]""",
    re.IGNORECASE,
)


def kind_for(path: str | Path) -> str:
    return "markdown" if Path(path).suffix.lower() in MARKDOWN_SUFFIXES else "text"


def parse_article(path: str, text: str, kind: str | None = None) -> Article:
    """Parse text as an article of the given kind (guessed from the file name when None)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    article = Article(path=path, text=text, kind=kind or kind_for(path), newline=newline)
    read_front_matter(article)
    if article.kind == "markdown":
        parse_markdown(article)
    else:
        _parse_plain_text(article)
    _find_bare_urls(article)
    return article


def _parse_plain_text(article: Article) -> None:
    """Each non-empty line is a paragraph (as in articles saved from the web), but a hard-wrapped sentence is
    one: a long line that ends no sentence, followed by a line that goes on in lower case (text wrapped at a
    fixed width, as in e-mails and leaflets saved as text), joins the line before it."""
    first = article.body_start_line - 1
    starts = article.line_starts
    lines = [
        article.text[start : starts[index + 1] - 1] if index + 1 < len(starts) else article.text[start:]
        for index, start in enumerate(starts)
    ]
    index = first
    title_line = next((i for i in range(first, len(lines)) if lines[i].strip()), len(lines))
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        last = index
        # a paragraph of wrapped text starts after a blank line; a line right under another that ends no paragraph
        # (a list of titles, a teaser under its lead-in) goes on only as its own lines do
        apart = index == first or not lines[index - 1].strip()
        while last + 1 < len(lines) and _wraps_into(lines[last], lines[last + 1], continued=apart or last > index):
            if last == title_line and _BYLINE_RE.match(lines[last + 1]):
                break  # the title, then its byline or date: "… night shifts" / "by Jane Porter, updated 3 March"
            last += 1
        end = starts[last] + len(lines[last])
        builder = TextBuilder()
        builder.add(article.text[starts[index] : end], starts[index])
        add_block(article, "paragraph", builder)
        index = last + 1


#: A line shorter than this is a title or a list item, not a line of wrapped prose.
WRAPPED_LINE_MIN_CHARS = 40
_ENDS_SENTENCE_RE = regexcache.compile(r"""[.!?:;]["'”’)\]]*\s*$""")


#: A byline or a date line, as under a page's title: "by Jane Porter", "reviewed by …", "updated 3 March 2026".
_BYLINE_RE = regexcache.compile(
    r"^\s*(?:by\s|(?:written|medically\s+reviewed|reviewed|edited|fact[- ]checked)\s+by\s|"
    r"(?:last\s+)?(?:updated|reviewed|posted|published)\b)"
)
#: A line's last word is one that leaves its sentence open: an article, a preposition, a conjunction, a possessive.
_OPEN_END_RE = regexcache.compile(
    r"\s(?:the|a|an|of|on|in|into|to|for|with|without|and|or|but|at|by|from|as|than|that|your|their|its|our|"
    r"his|her|whose|which|who|is|are|was|were|be|been)\s*$"
)
#: A list item's marker at the start of a line: a bullet, or a number or letter with a full stop or bracket.
_ITEM_RE = regexcache.compile(r"^(\s*)(?:[-*•]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s+")


def _title_cased(line: str) -> bool:
    """Whether a line's longer words are capitalised as a title's are: a heading or a list of teaser titles, each
    a line of its own even when cut off after an open word ("How Glaciers Carved the Valleys of the"), not prose."""
    words = [word for word in line.split() if len(word) > 3]
    return len(words) >= 3 and sum(word[0].isupper() for word in words) >= 0.8 * len(words)


def _wraps_into(line: str, following: str, *, continued: bool = False) -> bool:
    """Whether ``following`` goes on with what ``line`` leaves open: a list item's text indented under it (a
    wrapped reference: "- Lee H, et al. Title. N Engl J" / "  Med. 2019;380:33"), or, after a long line that ends
    no sentence, a line in lower case, a bracket, or (when ``line`` starts a paragraph after a blank line or goes
    on from the line before it, ``continued``) any word after a word no sentence ends on. A line right under
    another line that ends on such a word is a title or an excerpt cut off there ("Related posts" / "How glaciers
    carved the valleys of the" / "Ten budget laptops")."""
    rest = following.lstrip()
    item = _ITEM_RE.match(line)
    if item is not None and len(following) - len(rest) > len(item.group(1)) and not _ITEM_RE.match(following):
        return bool(rest)
    if len(line.strip()) < WRAPPED_LINE_MIN_CHARS or _ENDS_SENTENCE_RE.search(line) or _title_cased(line):
        return False
    if rest[:1].islower() or (rest[:1] == "(" and rest[1:2].isalnum()):
        return True  # the sentence goes on, or its citation follows in brackets: "… found" / "(Lee et al., 2015)."
    if _title_cased(following) and not _ENDS_SENTENCE_RE.search(following):
        return False  # a title under a lead-in ("Related articles from the team at" / "Ten Quick Breakfasts …")
    return continued and rest[:1].isalnum() and bool(_OPEN_END_RE.search(line))  # "… Centre on" / "Station Road"


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
