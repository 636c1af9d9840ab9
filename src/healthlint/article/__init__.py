"""Articles: Markdown with YAML front matter, or plain text, as prose blocks mapped back to the file.

``decode`` reads the bytes (the one byte-order-mark table), ``frontmatter`` the YAML block,
``markdown`` the Markdown structure, ``offsets`` folds prose and keeps its map to the file,
``model`` holds what checks read, and ``parse`` puts them together.
"""

from __future__ import annotations

from healthlint.article.decode import BOMS, decode, sniff_bom
from healthlint.article.model import PROSE_KINDS, Article, Block, Comment, HtmlFragment, Link, Span
from healthlint.article.parse import (
    ARTICLE_SUFFIXES,
    BARE_URL_RE,
    MARKDOWN_SUFFIXES,
    TEXT_SUFFIXES,
    kind_for,
    parse_article,
    read_article,
)
from healthlint.article.problems import ArticleError

__all__ = [
    "ARTICLE_SUFFIXES",
    "BARE_URL_RE",
    "BOMS",
    "MARKDOWN_SUFFIXES",
    "PROSE_KINDS",
    "TEXT_SUFFIXES",
    "Article",
    "ArticleError",
    "Block",
    "Comment",
    "HtmlFragment",
    "Link",
    "Span",
    "decode",
    "kind_for",
    "parse_article",
    "read_article",
    "sniff_bom",
]
