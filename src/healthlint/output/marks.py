"""An article's text as HTML with findings marked in place: one focusable <mark> per finding.

Findings may overlap without nesting (one ends inside another). HTML elements must nest, so
where a finding ends inside another that began earlier, the longer one is closed and reopened
as a continuation (``<mark class="hl-part">``, not focusable): every finding has exactly one
``<mark class="hl">``, at its start, and the page counts one highlight per finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape


@dataclass(frozen=True)
class Mark:
    """A span to mark: 1-based lines and columns as findings give them (end column exclusive)."""

    id: int
    line: int
    column: int
    end_line: int
    end_column: int
    #: Extra attributes of its elements (names are the caller's; values are escaped here).
    attributes: dict[str, str] = field(default_factory=dict)


def marked_text(text: str, marks: Sequence[Mark]) -> str:
    """``text`` escaped for a <pre>, with each mark's span wrapped; marks past the text end at its end."""
    starts = [0]
    starts += [i + 1 for i, char in enumerate(text) if char == "\n"]

    def offset(line: int, column: int) -> int:
        index = max(1, min(line, len(starts))) - 1
        line_end = starts[index + 1] - 1 if index + 1 < len(starts) else len(text)
        return min(starts[index] + max(column, 1) - 1, line_end)

    spans = []
    for mark in marks:
        start = offset(mark.line, mark.column)
        end = max(start, offset(mark.end_line, mark.end_column))
        spans.append((start, end, mark))
    # Opened in order of start; at one start, the longer span outside.
    spans.sort(key=lambda s: (s[0], -s[1], s[2].id))
    boundaries = sorted({0, len(text)} | {s for s, _, _ in spans} | {e for _, e, _ in spans})
    opening: dict[int, list[tuple[int, int, Mark]]] = {b: [] for b in boundaries}
    for span in spans:
        opening[span[0]].append(span)
    out: list[str] = []
    stack: list[tuple[int, int, Mark]] = []  # open spans, outermost first
    position = 0
    for point in boundaries:
        out.append(escape(text[position:point], quote=False))
        position = point
        # Close every span ending here, and whatever opened inside it (to be reopened below).
        ending = [i for i, (_, end, _) in enumerate(stack) if end <= point]
        reopen: list[tuple[int, int, Mark]] = []
        if ending:
            cut = ending[0]
            for span in reversed(stack[cut:]):
                out.append("</mark>")
                if span[1] > point:
                    reopen.append(span)
            del stack[cut:]
        for span in sorted(reopen, key=lambda s: -s[1]):
            out.append(_open(span[2], head=False))
            stack.append(span)
        for span in opening[point]:
            out.append(_open(span[2], head=True))
            if span[1] == point:  # an empty span: a marker the CSS draws
                out.append("</mark>")
            else:  # if it outlasts an open span, it is cut and reopened where that one ends
                stack.append(span)
    out.append(escape(text[position:], quote=False))
    out.extend("</mark>" for _ in stack)
    return "".join(out)


def _open(mark: Mark, *, head: bool) -> str:
    attrs = "".join(f' {name}="{escape(value, quote=True)}"' for name, value in mark.attributes.items())
    if head:
        return f'<mark class="hl" id="hl-{mark.id}" data-i="{mark.id}" tabindex="0" aria-describedby="tip"{attrs}>'
    return f'<mark class="hl-part" data-i="{mark.id}"{attrs}>'
