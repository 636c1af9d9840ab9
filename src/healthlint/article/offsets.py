"""Offset maps: prose pieces folded into a block's text, with the map from each character back to the file."""

from __future__ import annotations

from healthlint import regexcache
from healthlint.article.model import Article, Block

_SPACE_RE = regexcache.compile(r"\s+")
# White space that folding changes: anything but a lone plain space.
_FOLD_RE = regexcache.compile(r"[^\S ]\s*| \s+")


class TextBuilder:
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


def add_block(article: Article, kind: str, builder: TextBuilder, level: int = 0) -> None:
    text, starts, offsets, exact = builder.build()
    text_stripped = text.rstrip()
    if text_stripped:
        article.blocks.append(Block(article, kind, text_stripped, starts, offsets, exact, level))
