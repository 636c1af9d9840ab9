"""Which language each block of an article is in, by Google's Compact Language Detector 2 (``pycld2``).

CLD2 ships its tables in the package (nothing is downloaded) and reads a page's worth of text in
well under a millisecond, which is still a tenth of what all the other HL5 rules cost. So a
block that plainly reads as English (several of English's commonest function words, making up a
good share of its words) is not asked about, and an article with no other block costs no call.
The other blocks are asked one by one (short texts, a few microseconds each); when most of the
article does not read as English, CLD2 names the article's language and every block is asked.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pycld2

from healthlint import regexcache
from healthlint.article import PROSE_KINDS, Block

#: Not a foreign language in a health article: CLD2's "unknown", and Latin (binomial names such
#: as "Lactobacillus acidophilus", medical Latin).
NOT_FOREIGN = frozenset({"un", "la"})
#: A block is judged only with this many letters and words: CLD2 guesses on a few words.
MIN_LETTERS = 40
MIN_WORDS = 10
#: How sure CLD2 must be that a block is in the other language (percent of its text).
MIN_PERCENT = 90
#: English's commonest function words, and those of them that are not also common words of the
#: languages spam is injected in ("in", "is", "of", "a", "an", "on", "to" are): a block reads as
#: English only with one of the latter.
ENGLISH_ONLY = frozenset(
    "the and that with this your you are have has was were which who they their said".split()  # noqa: SIM905
)
ENGLISH_MARKERS = ENGLISH_ONLY | frozenset(
    "to of a in is for from can will be or by it on as not at if may more an its been also than".split()  # noqa: SIM905
)
#: A block reads as English with this many distinct markers making up this share of its words.
ENGLISH_MIN_MARKERS = 3
ENGLISH_MIN_SHARE = 0.12


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
    try:
        reliable, _, details = pycld2.detect(text.encode("utf-8", "replace"), isPlainText=True)
    except pycld2.error:
        try:
            reliable, _, details = pycld2.detect(_REFUSED.sub(" ", text).encode("utf-8", "replace"), isPlainText=True)
        except pycld2.error:  # input CLD2 rejects even so: no answer
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


def reads_as_english(words: Sequence[str]) -> bool:
    """Whether a block's words are plainly English, by its function words alone."""
    lowered = list(map(str.lower, words))  # C loops: this runs on every prose block of every article
    distinct = ENGLISH_MARKERS.intersection(lowered)
    return (
        len(distinct) >= ENGLISH_MIN_MARKERS
        and not distinct.isdisjoint(ENGLISH_ONLY)
        and sum(map(ENGLISH_MARKERS.__contains__, lowered)) >= ENGLISH_MIN_SHARE * len(words)
    )


def foreign_blocks(blocks: Sequence[Block]) -> Iterator[ForeignBlock]:
    """The prose blocks written in another language than most of the article."""
    english: list[Block] = []
    others: list[Block] = []
    for b in blocks:
        if b.kind in PROSE_KINDS and len(b.words()) >= MIN_WORDS:
            (english if reads_as_english(b.words()) else others).append(b)
    doubtful = [b for b in others if _letters(b.text) >= MIN_LETTERS]
    if not doubtful:
        return
    if 2 * sum(len(b.words()) for b in english) >= sum(len(b.words()) for b in (*english, *doubtful)):
        article_language, article_name = "en", "English"
    else:  # not an English article: CLD2 names its language, and every block is read
        whole = detect("\n\n".join(b.text for b in (*english, *doubtful)))
        if not whole.reliable or not whole.languages:
            return
        article_language, article_name, _ = whole.languages[0]
        judged = {id(b) for b in (*english, *doubtful)}
        doubtful = [b for b in blocks if id(b) in judged]  # in file order
    for block in doubtful:
        found = detect(block.text)
        if not found.reliable or not found.languages:
            continue
        code, name, percent = found.languages[0]
        if code in NOT_FOREIGN or code == article_language or percent < MIN_PERCENT:
            continue
        yield ForeignBlock(block, name, article_name)
