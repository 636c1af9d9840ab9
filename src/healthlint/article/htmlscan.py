"""Finding comments and tags in raw HTML in one pass, whatever the input.

The regular expressions this replaces (``<!--(.*?)-->`` and
``<!--.*?-->|<(script|style)\\b.*?</\\1\\s*>|<[^>]*>``) find the same matches, but rescan to the
end of the text from every ``<`` that is never closed: quadratic on hostile input such as
``<!-- c`` repeated. Here each search for a closing mark remembers its answer: a search from
a point at or before that answer finds the same place, and a mark missing after one point is
missing after every later one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from healthlint import regexcache

_RAW_TEXT_OPEN_RE = regexcache.compile(r"<(script|style)\b", re.IGNORECASE)


class _Next:
    """The first match at or after a position, for positions that only grow: each search remembers its answer."""

    def __init__(self, search: Callable[[int], tuple[int, int] | None]) -> None:
        self._search = search
        self._searched_from = -1
        self._found: tuple[int, int] | None = None

    def __call__(self, pos: int) -> tuple[int, int] | None:
        if 0 <= self._searched_from <= pos and (self._found is None or self._found[0] >= pos):
            return self._found
        self._searched_from, self._found = pos, self._search(pos)
        return self._found


def _literal(source: str, mark: str) -> _Next:
    def search(pos: int) -> tuple[int, int] | None:
        at = source.find(mark, pos)
        return (at, at + len(mark)) if at >= 0 else None

    return _Next(search)


def _closing_tag(source: str, name: str) -> _Next:
    pattern = re.compile(rf"</{name}\s*>", re.IGNORECASE)

    def search(pos: int) -> tuple[int, int] | None:
        m = pattern.search(source, pos)
        return m.span() if m else None

    return _Next(search)


def comments(source: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each ``<!-- ... -->`` in ``source`` (its text is ``source[start + 4 : end - 3]``)."""
    pos = 0
    while True:
        start = source.find("<!--", pos)
        if start < 0:
            return
        close = source.find("-->", start + 4)
        if close < 0:
            return  # no comment opened later closes either
        yield start, close + 3
        pos = close + 3


def markup(source: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each comment, script or style element, and tag in ``source``, in order."""
    comment_close = _literal(source, "-->")
    tag_close = _literal(source, ">")
    raw_close: dict[str, _Next] = {}
    pos = source.find("<")
    while pos >= 0:
        end = -1
        if source.startswith("<!--", pos):
            found = comment_close(pos + 4)
            end = found[1] if found else -1
        if end < 0:
            opener = _RAW_TEXT_OPEN_RE.match(source, pos)
            if opener:
                name = opener.group(1).lower()
                closer = raw_close.setdefault(name, _closing_tag(source, name))
                found = closer(opener.end())
                end = found[1] if found else -1
        if end < 0:
            found = tag_close(pos + 1)
            end = found[1] if found else -1
        if end >= 0:
            yield pos, end
            pos = source.find("<", end)
        else:
            pos = source.find("<", pos + 1)
