"""``healthlint check --fix``: apply the safe fixes findings carry, in place, and say what changed.

A :class:`~healthlint.model.Fix` replaces the whole span of its finding. Only fixes
marked ``safe`` are applied, never inside front matter, and only where the file still
holds exactly the text the rule matched (rules match prose, so code blocks, URLs and
markup are never touched; a span whose file text differs from the match, say because
markup sits inside it, is skipped). Edits that overlap an earlier one are skipped; the
rest are applied from the end of the file backwards so offsets stay valid.

The file is rewritten through a temporary file in the same folder and :func:`os.replace`,
keeping its encoding (and byte-order mark), its line endings and its permission bits.
A file that changed on disk since it was read is left alone, and so is one whose bytes
could not be decoded exactly (rewriting it would corrupt them).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from healthlint.article import ArticleError, decode, sniff_bom
from healthlint.model import Finding
from healthlint.storage.atomic import replace_file

if TYPE_CHECKING:
    from healthlint.engine.runner import ArticleChecker

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Edit:
    """One fix, located in the file's text as read (original line endings)."""

    start: int
    end: int
    replacement: str
    finding: Finding

    @property
    def original(self) -> str:
        return self.finding.match or ""


@dataclass
class FixOutcome:
    """What ``--fix`` did to one file."""

    path: str
    applied: list[Edit] = field(default_factory=list)
    #: Safe fixes not applied, with the reason.
    skipped: list[tuple[Finding, str]] = field(default_factory=list)
    #: Why the file was left alone as a whole (changed on disk, undecodable, not writable).
    error: str | None = None


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in _LINE_BREAK.finditer(text))
    return starts


def _offset(starts: list[int], text: str, line: int, column: int) -> int | None:
    if line < 1 or line > len(starts):
        return None
    offset = starts[line - 1] + column - 1
    return offset if 0 <= offset <= len(text) else None


def _squash(text: str) -> str:
    return " ".join(text.split())


def plan_edits(
    text: str, findings: Iterable[Finding], front_matter: tuple[int, int] | None = None
) -> tuple[list[Edit], list[tuple[Finding, str]]]:
    """The safe fixes that can be applied to ``text``, sorted and non-overlapping, and those that cannot."""
    starts = _line_starts(text)
    candidates: list[Edit] = []
    skipped: list[tuple[Finding, str]] = []
    for f in findings:
        if f.fix is None or not f.fix.safe:
            continue
        if front_matter is not None and f.line <= front_matter[1]:
            skipped.append((f, "inside the front matter"))
            continue
        start = _offset(starts, text, f.line, f.column)
        end = _offset(starts, text, f.end_line, f.end_column)
        if start is None or end is None or end <= start:
            skipped.append((f, "its place is not in the file"))
            continue
        if f.match is not None and _squash(text[start:end]) != _squash(f.match):
            skipped.append((f, "the text there is not what the rule matched"))
            continue
        candidates.append(Edit(start, end, f.fix.replacement, f))
    candidates.sort(key=lambda e: (e.start, e.end))
    edits: list[Edit] = []
    for edit in candidates:
        if edits and edit.start < edits[-1].end:
            if (edit.start, edit.end, edit.replacement) != (edits[-1].start, edits[-1].end, edits[-1].replacement):
                skipped.append((edit.finding, "it overlaps another fix"))
            continue
        edits.append(edit)
    return edits, skipped


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits, from the end of the text backwards."""
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    return text


def write_in_place(path: Path, original: bytes, payload: bytes) -> None:
    """Replace ``path``'s content atomically, unless it no longer holds ``original``.

    :raises ChangedOnDisk: when the file changed since it was read.
    :raises OSError: when it cannot be written.
    """
    target = Path(os.path.realpath(path))  # write through a symbolic link, keep the link
    if target.read_bytes() != original:
        raise ChangedOnDisk("it changed on disk since it was read; not fixed")

    def unchanged() -> None:  # a last look, just before the swap
        if target.read_bytes() != original:
            raise ChangedOnDisk("it changed on disk while being fixed; not fixed")

    replace_file(target, payload, durable=True, keep_mode=True, before_replace=unchanged)


class ChangedOnDisk(Exception):
    """The file is not what was checked any more."""


def fix_file(checker: ArticleChecker, display: str, path: Path) -> FixOutcome:
    """Check one file and apply its safe fixes in place."""
    outcome = FixOutcome(display)
    data = checker.read_bytes(path, display)
    if not isinstance(data, bytes):
        return outcome  # the normal run reports what cannot be read
    try:
        text, problems = decode(data)
    except ArticleError:
        return outcome
    article = checker.parse(display, text)
    article.problems[:0] = problems
    result = checker.lint_article(article)
    if not any(f.fix is not None and f.fix.safe for f in result.findings):
        return outcome
    if problems:
        outcome.error = "it has bytes that are not valid text; not fixed (rewriting would change them)"
        return outcome
    bom, encoding = sniff_bom(data)
    # ``text`` is the file as decoded, line endings untouched (the article converted its own copy).
    edits, outcome.skipped = plan_edits(text, result.findings, article.meta_lines)
    if not edits:
        return outcome
    fixed = apply_edits(text, edits)
    try:
        write_in_place(path, data, bom + fixed.encode(encoding))
    except ChangedOnDisk as exc:
        outcome.error = str(exc)
        return outcome
    except OSError as exc:
        outcome.error = f"cannot be written: {exc.strerror or exc}"
        return outcome
    outcome.applied = edits
    return outcome


def fix_files(
    checker: ArticleChecker, files: Iterable[tuple[str, Path]], echo: Callable[[str], None]
) -> list[FixOutcome]:
    """Apply safe fixes to every file, printing each change (``path:line:col: CODE 'old' -> 'new'``)."""
    outcomes = []
    for display, path in files:
        outcome = fix_file(checker, display, path)
        for edit in outcome.applied:
            f = edit.finding
            echo(f"fixed {display}:{f.line}:{f.column}: {f.code} {edit.original!r} -> {edit.replacement!r}")
        if outcome.error:
            echo(f"healthlint: warning: {display}: {outcome.error}")
        outcomes.append(outcome)
    applied = sum(len(o.applied) for o in outcomes)
    changed = sum(1 for o in outcomes if o.applied)
    if applied:
        fixes = f"{applied} fix{'es' if applied != 1 else ''}"
        echo(f"healthlint: applied {fixes} in {changed} file{'s' if changed != 1 else ''}")
    return outcomes
