"""An article's prose as LanguageTool request text, and LanguageTool's offsets back to blocks."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass

from healthlint.article import BARE_URL_RE, Block
from healthlint.families.grammar.match import LtMatch

#: Longest text sent in one request; longer articles go in several, split between blocks.
MAX_REQUEST_CHARS = 40_000
#: Punctuation that follows a word without a space.
CLOSING = frozenset(").,;:!?]}»”’")


@dataclass
class Segment:
    """``length`` characters at ``start`` of the request text are ``block.text[block_start:]``."""

    start: int
    block: Block
    block_start: int
    length: int


@dataclass
class Located:
    """A match mapped back to a block: ``block.text[start:end]``."""

    block: Block
    start: int
    end: int
    match: LtMatch


def request_text(blocks: list[Block]) -> tuple[str, list[Segment]]:
    """The prose of the blocks as one text (blocks separated by blank lines), URLs removed."""
    parts: list[str] = []
    segments: list[Segment] = []
    pos = 0
    for block in blocks:
        text = block.text
        ranges: list[tuple[int, int]] = []
        last = 0
        for m in BARE_URL_RE.finditer(text):
            ranges.append((last, m.start()))
            last = m.end()
        ranges.append((last, len(text)))
        wrote = False
        for start, end in ranges:
            if wrote and parts[-1][-1:].isspace():
                while start < end and text[start].isspace():  # "see <url> now": one space, not two
                    start += 1
            if start >= end:
                continue
            if wrote and text[start] in CLOSING and parts[-1][-1:].isspace():
                # "(see <url>)": no space before the ")", or LanguageTool flags one healthlint made
                kept = parts[-1].rstrip()
                if kept:
                    pos -= len(parts[-1]) - len(kept)
                    segments[-1].length = len(kept)
                    parts[-1] = kept
            if wrote and not parts[-1][-1:].isspace() and not text[start].isspace() and text[start] not in CLOSING:
                parts.append(" ")
                pos += 1
            elif not wrote and segments:
                parts.append("\n\n")
                pos += 2
            segments.append(Segment(pos, block, start, end - start))
            parts.append(text[start:end])
            pos += end - start
            wrote = True
    return "".join(parts), segments


def locate(matches: list[LtMatch], segments: list[Segment], base: int = 0) -> list[Located]:
    """Map matches (offsets in the request text, plus ``base``) back to blocks."""
    starts = [s.start for s in segments]
    out: list[Located] = []
    for match in matches:
        offset = match.offset + base
        k = bisect.bisect_right(starts, offset) - 1
        if k < 0:
            continue
        segment = segments[k]
        inside = offset - segment.start
        if inside >= segment.length:  # in the blank line between blocks: take the next block's start
            if k + 1 >= len(segments):
                continue
            segment, inside = segments[k + 1], 0
        start = segment.block_start + inside
        end_offset = offset + max(match.length, 1)
        j = bisect.bisect_right(starts, end_offset - 1) - 1
        if j >= 0 and segments[j].block is segment.block:
            last = segments[j]
            end = last.block_start + min(end_offset - last.start, last.length)
        else:  # runs into the next block: stop at the end of this one
            end = len(segment.block.text)
        out.append(Located(segment.block, start, max(end, start + 1), match))
    return out


def chunks(text: str, segments: list[Segment], limit: int = MAX_REQUEST_CHARS) -> Iterator[tuple[int, str]]:
    """``(offset, text)`` pieces of at most ``limit`` characters, cut between blocks where possible."""
    if len(text) <= limit:
        yield 0, text
        return
    cut_points = sorted({s.start for s in segments if s.start > 0})
    start = 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            k = bisect.bisect_right(cut_points, end) - 1
            if k >= 0 and cut_points[k] > start:
                end = cut_points[k]
        yield start, text[start:end]
        start = end
