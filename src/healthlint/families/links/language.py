"""Which language each block of an article is in, by Google's Compact Language Detector 2 (``pycld2``).

CLD2 ships its tables in the package (nothing is downloaded) and reads a page's worth of text in
well under a millisecond. The article is read once as a whole; only when CLD2 finds a second
language in it are its blocks read one by one, so the cost on a one-language article is one call.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pycld2

from healthlint import regexcache
from healthlint.article import Block

#: The kinds of block read as prose (code, tables and front matter are not).
PROSE_KINDS = frozenset({"heading", "paragraph", "list_item", "blockquote", "html"})
#: Not a foreign language in a health article: CLD2's "unknown", and Latin (binomial names such
#: as "Lactobacillus acidophilus", medical Latin).
NOT_FOREIGN = frozenset({"un", "la"})
#: A block is judged only with this many letters and words: CLD2 guesses on a few words.
MIN_LETTERS = 40
MIN_WORDS = 6
#: How sure CLD2 must be that a block is in the other language (percent of its text).
MIN_PERCENT = 90
#: The whole article's second language must be at least this share (percent) to look closer.
MIN_SECOND_SHARE = 1


@dataclass(frozen=True)
class Detected:
    """CLD2's answer for one text: whether it is reliable, and (code, name, percent) by share."""

    reliable: bool
    languages: tuple[tuple[str, str, int], ...]

    @property
    def main(self) -> str | None:
        return self.languages[0][0] if self.languages else None


#: Characters CLD2 refuses the whole text for (control characters, C1 controls, noncharacters): one
#: of them must not hide a passage from the check, so they are read as spaces.
_REFUSED = regexcache.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(1, 17))
    + "]"
)


def detect(text: str) -> Detected:
    """The languages of ``text`` (plain text; characters CLD2 refuses read as spaces)."""
    data = _REFUSED.sub(" ", text).encode("utf-8", "replace")
    try:
        reliable, _, details = pycld2.detect(data, isPlainText=True)
    except pycld2.error:  # input CLD2 rejects (e.g. bytes it takes for invalid UTF-8): no answer
        return Detected(False, ())
    found = tuple((code, name.title(), int(percent)) for name, code, percent, _ in details if code != "un")
    return Detected(bool(reliable), found)


@dataclass(frozen=True)
class ForeignBlock:
    block: Block
    language: str
    article_language: str


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def foreign_blocks(blocks: Sequence[Block]) -> Iterator[ForeignBlock]:
    """The prose blocks written in another language than most of the article."""
    prose = [b for b in blocks if b.kind in PROSE_KINDS and b.text.strip()]
    whole = detect("\n\n".join(b.text for b in prose))
    article_language = whole.main
    if not whole.reliable or article_language is None:
        return
    names = {code: name for code, name, _ in whole.languages}
    others = [code for code, _, share in whole.languages[1:] if code not in NOT_FOREIGN and share >= MIN_SECOND_SHARE]
    if not others:
        return
    for block in prose:
        text = block.text
        if _letters(text) < MIN_LETTERS or len(text.split()) < MIN_WORDS:
            continue
        found = detect(text)
        if not found.reliable or not found.languages:
            continue
        code, name, percent = found.languages[0]
        if code in NOT_FOREIGN or code == article_language or percent < MIN_PERCENT:
            continue
        yield ForeignBlock(block, name, names.get(article_language, article_language))
