"""Places in a document: findings count lines and characters, LSP counts lines and UTF-16 code units.

A finding's ``line``/``column`` are 1-based and count code points in the file as the editor
holds it; an LSP ``Position`` is 0-based and counts the column in the code units of the
negotiated position encoding (UTF-16 unless the client offers another). The two differ for
every character outside the Basic Multilingual Plane (an emoji is one code point, two UTF-16
units), so every conversion goes through a document offset.
"""

from __future__ import annotations

import re
from bisect import bisect_right

#: LSP's line breaks (and those of ``healthlint check --fix``): CRLF, LF and a lone CR.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

#: Bytes per code unit of each position encoding LSP knows.
_UNIT = {"utf-8": ("utf-8", 1), "utf-16": ("utf-16-le", 2), "utf-32": ("utf-32-le", 4)}


class LineIndex:
    """Converts between offsets in a text, findings' (line, column) and LSP (line, character)."""

    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        self.text = text
        self.starts = [0, *(m.end() for m in _LINE_BREAK.finditer(text))]
        self._codec, self._width = _UNIT.get(encoding, _UNIT["utf-16"])

    def _line_end(self, line: int) -> int:
        """Offset of the end of 0-based ``line``, before its line break."""
        if line + 1 < len(self.starts):
            end = self.starts[line + 1]
            return end - 2 if self.text[end - 2 : end] == "\r\n" else end - 1
        return len(self.text)

    def _units(self, chunk: str) -> int:
        return len(chunk.encode(self._codec, "surrogatepass")) // self._width

    def offset_of_finding(self, line: int, column: int) -> int:
        """The offset of a finding's 1-based line and column (clamped into the line)."""
        row = min(max(line - 1, 0), len(self.starts) - 1)
        return min(self.starts[row] + max(column - 1, 0), self._line_end(row))

    def position(self, offset: int) -> tuple[int, int]:
        """The LSP (line, character) of an offset."""
        offset = min(max(offset, 0), len(self.text))
        row = bisect_right(self.starts, offset) - 1
        return row, self._units(self.text[self.starts[row] : offset])

    def offset(self, line: int, character: int) -> int:
        """The offset of an LSP (line, character); past the end of a line means its end."""
        if line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[max(line, 0)], self._line_end(max(line, 0))
        units = 0
        for i in range(start, end):
            if units >= character:
                return i
            units += self._units(self.text[i])
        return end

    def line_column(self, offset: int) -> tuple[int, int]:
        """A finding's 1-based (line, column) of an offset."""
        offset = min(max(offset, 0), len(self.text))
        row = bisect_right(self.starts, offset) - 1
        return row + 1, offset - self.starts[row] + 1
