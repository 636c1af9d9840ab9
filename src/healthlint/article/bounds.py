"""How much work the Markdown parser may do on one article: linear in its length, whatever the text.

markdown-it reads ordinary prose at a few nanoseconds a character, but every character that
may start inline markup sends it through its chain of inline rules (microseconds each), an
unclosed ``[`` or ``![`` costs tens of microseconds (it looks for the label's end at every
nesting level), and a table makes one block per cell: 1 MB of ``[`` took 46 s to parse and a
500-column table 28 s. So each article gets an allowance in proportion to its length:

- inline markup is priced per character that can start some (``[`` and ``![`` dearest, then
  ``*`` and ``_``); a paragraph (or heading, or cell) whose markup costs more than what is
  left is read as plain text, and later ones are still parsed while the allowance lasts;
- what cannot be priced beforehand is counted as it happens: every step the parser takes
  looking for the end of a link's text (``[`` then a long way to its ``]``) spends from the
  allowance, and a paragraph that runs out of it mid-way is read as plain text after all;
- an inline HTML comment ends at the first ``-->`` (CommonMark 0.31), found with one search:
  markdown-it's pattern for comments rescans the rest of the paragraph from every ``<!--``
  that it cannot end (``<!-- c`` repeated, then ``<!---->``);
- table cells are counted; a table that would take the article past its cells is read up to
  there, and the rest of its rows are a paragraph;
- lines are counted, since each can be a block every rule reads (a one-word paragraph, list
  item or heading): past its lines, the rest of the article is one block of plain text.

Ordinary articles, even dense Markdown documentation (a fifth of a unit per character), stay
far inside both allowances; what is read as plain text is reported (HL001), once per article.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from healthlint import regexcache

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

#: Inline markup units every article may spend, and how many more per character of text. A
#: unit is about 4 µs of parsing: 1 MB of the costliest markup stops after about 1.5 s.
INLINE_UNITS = 50_000
INLINE_UNITS_PER_CHARACTER = 0.3
#: Table cells (each one block for every rule to read) every article may have, and more per character.
TABLE_CELLS = 20_000
TABLE_CELLS_PER_CHARACTER = 0.01
#: Lines every article may have read as Markdown, and more per character (a 1 MB article: 20,000).
MARKDOWN_LINES = 10_000
MARKDOWN_LINES_PER_CHARACTER = 0.01

#: The characters that stop markdown-it's plain-text scan (its ``_DEFAULT_TERMINATORS``).
_MARKUP_RE = regexcache.compile(r"[\n!#$%&*+\-:<=>@\[\\\]^_`{}~]")
#: What a ``[`` costs beyond any markup character: a search for the end of a link label.
_LABEL_COST = 12
#: What ``*`` and ``_`` cost beyond any markup character: a delimiter run to pair.
_EMPHASIS_COST = 2
#: What one step of the parser's look-ahead costs (mostly a cached answer, sometimes the rule chain).
_STEP_COST = 0.25

_KEY = "healthlint.allowance"


@dataclass
class Allowance:
    """What is left of one article's parsing allowance, and where it ran out (0-based line numbers)."""

    inline_units: float
    table_cells: float
    plain_lines: list[int] = field(default_factory=list)
    cut_tables: list[int] = field(default_factory=list)

    @classmethod
    def for_text(cls, text: str) -> Allowance:
        return cls(
            INLINE_UNITS + INLINE_UNITS_PER_CHARACTER * len(text), TABLE_CELLS + TABLE_CELLS_PER_CHARACTER * len(text)
        )

    def env(self) -> dict[str, Allowance]:
        """The parser's environment carrying this allowance (``MarkdownIt.parse(text, env)``)."""
        return {_KEY: self}


def markdown_lines(text: str) -> int:
    """How many lines of ``text`` are read as Markdown: all of them, or as many as its length allows."""
    allowed = int(MARKDOWN_LINES + MARKDOWN_LINES_PER_CHARACTER * len(text))
    return min(text.count("\n") + 1, allowed)


def inline_cost(content: str) -> int:
    """The price of parsing ``content``'s inline markup, in units."""
    markup = len(_MARKUP_RE.findall(content))
    if not markup:
        return 0
    labels = content.count("[")
    emphasis = content.count("*") + content.count("_")
    return markup + _LABEL_COST * (labels + content.count("![")) + _EMPHASIS_COST * emphasis


class _Spent(Exception):
    """Raised out of the inline parser when a paragraph has spent the rest of the allowance."""


def bound(md: MarkdownIt) -> MarkdownIt:
    """``md`` with its inline and table rules held to the allowance in the parser's environment."""
    from markdown_it.rules_block import table
    from markdown_it.rules_inline import html_inline

    def inline_within_allowance(state: StateCore) -> None:
        allowance: Allowance | None = state.env.get(_KEY)
        for token in state.tokens:
            if token.type != "inline":
                continue
            if token.children is None:
                token.children = []
            if allowance is None:
                state.md.inline.parse(token.content, state.md, state.env, token.children)
                continue
            cost = inline_cost(token.content)
            if cost <= allowance.inline_units:
                allowance.inline_units -= cost
                try:
                    state.md.inline.parse(token.content, state.md, state.env, token.children)
                    continue
                except _Spent:
                    allowance.inline_units = 0
                    token.children.clear()
            token.children.extend(_plain_children(token.content))
            if token.map:
                allowance.plain_lines.append(token.map[0])

    skip_token = md.inline.skipToken

    def counted_skip_token(state: StateInline) -> None:
        allowance: Allowance | None = state.env.get(_KEY)
        if allowance is not None:
            allowance.inline_units -= _STEP_COST
            if allowance.inline_units < 0:
                raise _Spent
        skip_token(state)

    def html_inline_linear(state: StateInline, silent: bool) -> bool:
        src, pos = state.src, state.pos
        if not src.startswith("<!--", pos) or not state.md.options.get("html"):
            return html_inline(state, silent)
        close = src.find("-->", pos + 2, state.posMax)  # from pos + 2: ``<!-->`` and ``<!--->`` are comments too
        if close < 0:
            return False
        if not silent:
            state.push("html_inline", "", 0).content = src[pos : close + 3]
        state.pos = close + 3
        return True

    def table_within_allowance(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        allowance: Allowance | None = state.env.get(_KEY)
        if allowance is None or silent:
            return table(state, start, end, silent)
        header = state.src[state.bMarks[start] : state.eMarks[start]]
        columns = header.count("|") + 1
        rows = int(allowance.table_cells // columns)  # the header row and the rule line count as rows
        if rows < 2:
            allowance.cut_tables.append(start)
            return False
        if not table(state, start, min(end, start + rows), silent):
            return False
        if state.line == start + rows and state.line < end and not state.isEmpty(state.line):
            allowance.cut_tables.append(start)
        allowance.table_cells -= columns * (state.line - start)
        return True

    md.core.ruler.at("inline", inline_within_allowance)
    md.block.ruler.at("table", table_within_allowance, {"alt": ["paragraph", "reference"]})
    md.inline.ruler.at("html_inline", html_inline_linear)
    md.inline.skipToken = counted_skip_token  # type: ignore[method-assign]
    return md


def _plain_children(content: str) -> list[Token]:
    """The tokens of ``content`` read as plain text: its lines, with the line breaks between them."""
    from markdown_it.token import Token

    children: list[Token] = []
    for number, line in enumerate(content.split("\n")):
        if number:
            children.append(Token("softbreak", "br", 0))
        if line:
            piece = Token("text", "", 0)
            piece.content = line
            children.append(piece)
    return children
