"""Page chrome in an article: the navigation blocks and furniture lines the host's page-line finder sees.

The finder (:func:`healthlint.text.pagelines.page_lines`) runs once per article for this family and
the link family; the link family reports the blocks that are spam (teasers of other posts), this
family the rest: navigation (``kind == "navigation"``) and lone furniture lines.
"""

from __future__ import annotations

import functools
import re

from healthlint import Hit, Span, regexcache
from healthlint.article import Article, Block
from healthlint.resources import data_lines
from healthlint.text.pagelines import StrayBlock, Unit, page_lines

FURNITURE = "page-furniture"
NAVIGATION = "navigation-block"


@functools.cache
def _furniture_kinds() -> tuple[tuple[re.Pattern[str], str], ...]:
    kinds = []
    for line in data_lines("furniture_kinds.tsv", __package__):
        pattern, _, name = line.partition("\t")
        kinds.append((regexcache.compile(pattern, re.IGNORECASE), name.strip()))
    return tuple(kinds)


def furniture_kind(text: str) -> str:
    """What a furniture line is ("share or follow buttons"), for the message."""
    line = " ".join(text.lower().strip(" .:;!|-–—•*").split())
    return next((name for pattern, name in _furniture_kinds() if pattern.search(line)), "web-page furniture")


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _whole_lines(article: Article, first: Block, last: Block) -> Span:
    """From the start of ``first``'s line to the end of ``last``'s."""
    return Span(first.line, 1, last.end_line, len(article.lines[last.end_line - 1]) + 1)


def _hit(span: Span, message: str, match: str, suggestion: str) -> Hit:
    return Hit(span.line, span.column, message, span.end_line, span.end_column, match, suggestion)


def chrome_hits(article: Article) -> dict[str, list[Hit]]:
    """The article's HL702 and HL703 hits, by rule name."""
    blocks, lone = page_lines(article)
    hits: dict[str, list[Hit]] = {FURNITURE: [], NAVIGATION: []}
    hits[NAVIGATION] = [_navigation_hit(article, b) for b in blocks if b.kind == "navigation"]
    # Lone furniture lines, adjacent ones reported together.
    group: list[Unit] = []
    for unit in [*lone, None]:
        if unit is not None and group and unit.index == group[-1].index + 1:
            group.append(unit)
            continue
        if group:
            kinds = list(dict.fromkeys(furniture_kind(u.text) for u in group))
            shown = " / ".join(_short(u.text, 30) for u in group[:3])
            hits[FURNITURE].append(
                _hit(
                    _whole_lines(article, group[0].block, group[-1].block),
                    f"page furniture ({', '.join(kinds[:2])}) left in the text: {shown!r}",
                    " / ".join(u.text for u in group),
                    "Delete it: it was copied with the article from a web page.",
                )
            )
        group = [unit] if unit is not None else []
    return hits


def _navigation_hit(article: Article, block: StrayBlock) -> Hit:
    first, last = block.first.block, block.last.block
    lines = last.end_line - first.line + 1
    span = f"lines {first.line}-{last.end_line}" if lines > 1 else f"line {first.line}"
    sample = ", ".join(repr(_short(u.text, 40)) for u in block.orphans[:2])
    if block.duplicates and len(block.duplicates) == len(block.orphans):
        message = f"title repeated as a stray line ({span}): {sample}"
        suggestion = "Delete the repeated title."
    elif block.related:
        message = f"related-links list from the web page ({span}): {sample}"
        suggestion = "Delete the block: it is page navigation, not article text."
    else:
        message = f"navigation or stray title lines outside the article's flow ({span}): {sample}"
        suggestion = (
            "Delete the block if it is a menu, a table of contents or links to other pages; "
            "if these are headings, give each its own paragraph."
        )
    return _hit(_whole_lines(article, first, last), message, " / ".join(u.text for u in block.orphans), suggestion)
