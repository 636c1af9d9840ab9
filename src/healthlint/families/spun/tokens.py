"""The words of a block as parallel lists, with their offsets: what the HL1 analysis reads."""

from __future__ import annotations

from itertools import accumulate

from healthlint import regexcache

#: A word: letters, possibly joined by apostrophes ("don't"). Split around (a capturing group):
#: the gaps and the tokens in one list, made in C.
_TOKEN_SPLIT = regexcache.compile(r"([^\W\d_]+(?:['’][^\W\d_]+)*)")
#: The same for ASCII text (most blocks), where letters are [A-Za-z] and there is no curly
#: apostrophe: letter ranges match faster than Unicode categories.
_ASCII_TOKEN_SPLIT = regexcache.compile(r"([A-Za-z]+(?:'[A-Za-z]+)*)")
_SENTENCE_END = frozenset(".!?:;")
_OPENERS = "\"'“‘([«"


class BlockTokens:
    """The words of one block, as parallel lists (no object per token: a bulk run has 300,000 tokens).

    ``parts`` is the block split around its tokens: gap, token, gap, ..., token, gap. Token
    ``i`` is ``parts[2 * i + 1]``, the text before it ``parts[2 * i]``; its offsets in the block
    are ``ends[2 * i]`` and ``ends[2 * i + 1]`` (``ends`` accumulates the parts' lengths).
    """

    __slots__ = ("ends", "parts", "raws", "words")

    def __init__(self, text: str) -> None:
        parts = (_ASCII_TOKEN_SPLIT if text.isascii() else _TOKEN_SPLIT).split(text)
        raws = parts[1::2]
        self.parts = parts
        self.raws = raws
        #: Lowercase, straight apostrophes. Lowercasing is letter by letter except for a capital
        #: sigma (it depends on what follows), so the tokens are lowered in one go when there is none.
        self.words: list[str]
        if not raws:
            self.words = []
        else:
            joined = " ".join(raws)
            if "Σ" in joined:
                self.words = [r.lower().replace("’", "'") for r in raws]
            else:
                self.words = joined.lower().replace("’", "'").split(" ")
        self.ends = list(accumulate(map(len, parts)))

    def __len__(self) -> int:
        return len(self.raws)

    def start(self, i: int) -> int:
        return self.ends[2 * i]

    def end(self, i: int) -> int:
        return self.ends[2 * i + 1]

    def adjacent(self, i: int) -> bool:
        """Only white space, on one line, between token ``i`` and the one before (never for the first)."""
        if i <= 0:
            return False
        gap = self.parts[2 * i]
        return gap == " " or (gap.isspace() and "\n" not in gap)


def opens_sentence(text: str, start: int) -> bool:
    """Whether the token at ``start`` opens a sentence (asked only of capitalised tokens)."""
    head = text[max(0, start - 12) : start].rstrip().rstrip(_OPENERS).rstrip()
    return (not head and start < 12) or (bool(head) and head[-1] in _SENTENCE_END)
