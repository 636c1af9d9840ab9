"""Rule tables in Markdown, generated from the registered rules, and kept fresh in the docs.

A document holds a generated table between two marker comments, the first naming the code
prefix it lists::

    <!-- rules-table HL3 -->
    | Code | Name | Severity | On by default | What it flags |
    ...
    <!-- /rules-table -->

:func:`refresh_tables` rewrites what lies between them, so README and ``docs/`` never carry a
hand-kept copy of a rule's name, severity or summary.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from healthlint.rules import Rule

TABLE_RE = re.compile(
    r"(?P<open><!-- rules-table (?P<prefix>[A-Z]{0,4}[0-9]{0,3}) -->(?P<newline>\r?\n))(?P<body>.*?)"
    r"(?P<close><!-- /rules-table -->)",
    re.DOTALL,
)
#: The command that rewrites every generated table of this repository (printed when one is stale).
REFRESH_COMMAND = "python -m healthlint rules --format markdown --write README.md docs/*.md"


def markdown_table(rules: Iterable[Rule], prefix: str = "") -> str:
    """The rules whose code starts with ``prefix``, as a Markdown table sorted by code (ends with a newline)."""
    rows = ["| Code | Name | Severity | On by default | What it flags |", "|---|---|---|---|---|"]
    for rule in sorted((r for r in rules if r.code.startswith(prefix)), key=lambda r: r.code):
        on = "yes" if rule.enabled_by_default else "no"
        rows.append(f"| {rule.code} | `{rule.name}` | {rule.severity} | {on} | {rule.summary} |")
    return "\n".join(rows) + "\n"


def refresh_tables(text: str, rules: Mapping[str, Rule]) -> str:
    """``text`` with every generated table rewritten from ``rules``.

    :raises TableError: when a marker's prefix matches no rule (a typo would otherwise keep an empty table).
    """

    def table(match: re.Match[str]) -> str:
        prefix = match["prefix"]
        if not any(code.startswith(prefix) for code in rules):
            line = text.count("\n", 0, match.start()) + 1
            raise TableError(line, f"no rule code starts with {prefix!r} (in <!-- rules-table {prefix} -->)")
        # The table's lines end as its marker's line does: a CRLF document stays CRLF (no whole-file diff).
        body = markdown_table(rules.values(), prefix).replace("\n", match["newline"])
        return match["open"] + body + match["close"]

    return TABLE_RE.sub(table, text)


class TableError(ValueError):
    """A generated table that cannot be refreshed; ``line`` is its opening marker's (1-based)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.reason = message


@dataclass(frozen=True)
class TableFile:
    """A document with generated tables: its text as read and as it should be."""

    path: Path
    text: str
    fresh: str
    tables: int

    @property
    def stale(self) -> bool:
        return self.fresh != self.text


def read_tables(paths: Iterable[Path], rules: Mapping[str, Rule]) -> list[TableFile]:
    """Every file of ``paths`` read and refreshed in memory (nothing is written).

    :raises ValueError: naming the file (and the marker's line), when one cannot be read as UTF-8 text or has a
        marker no rule matches; then no file has been written.
    """
    files: list[TableFile] = []
    seen: set[str] = set()
    for path in paths:
        real = os.path.realpath(path)
        if real in seen:  # named twice (a glob and its file, a link and its target): read and written once
            continue
        seen.add(real)
        try:
            # As bytes: read as text, CRLF would become LF and be written back so (every line of the file changed).
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValueError(f"{path}: not UTF-8 text (byte {exc.start}: {exc.reason})") from None
        except OSError as exc:
            raise ValueError(f"{path}: cannot be read: {(exc.strerror or str(exc)).lower()}") from None
        try:
            fresh = refresh_tables(text, rules)
        except TableError as exc:
            raise ValueError(f"{path}:{exc.line}: {exc.reason}") from None
        files.append(TableFile(path, text, fresh, len(TABLE_RE.findall(text))))
    return files


def stale_files(paths: Iterable[Path], rules: Mapping[str, Rule]) -> list[Path]:
    """The files among ``paths`` whose generated tables differ from ``rules``."""
    return [f.path for f in read_tables(paths, rules) if f.stale]


def write_tables(paths: Iterable[Path], rules: Mapping[str, Rule]) -> list[Path]:
    """Rewrite the generated tables of ``paths`` in place (each file replaced whole); returns the files that changed.

    Every file is read and checked before the first is written, so a typo in one leaves all of them as they were.
    """
    return write_fresh(read_tables(paths, rules))


def write_fresh(files: Iterable[TableFile]) -> list[Path]:
    """Write the stale files among ``files`` (as :func:`read_tables` read them) with their fresh tables; returns
    them.

    :raises UsageError: naming the first read-only file among the stale ones, before any is written: the write
        replaces a file through a temporary one renamed over it, which a read-only file in a writable folder would
        not stop (nor its owner's lack of write permission when run as root).
    """
    from healthlint.config import UsageError
    from healthlint.storage.atomic import write_output

    stale = [f for f in files if f.stale]
    for table_file in stale:
        if _read_only(table_file.path):
            raise UsageError(
                f"{table_file.path}: read-only, its rule tables were not rewritten (make it writable first)"
            )
    changed = []
    for table_file in stale:
        write_output(table_file.path, table_file.fresh.encode("utf-8"))
        changed.append(table_file.path)
    return changed


def _read_only(path: Path) -> bool:
    """Whether a file may not be written in place: no write permission for this user, or no write bit at all (what
    root's permission check ignores, and what ``chmod a-w`` says)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False  # gone meanwhile: the write says so
    return stat.S_ISREG(mode) and (not (mode & 0o222) or not os.access(path, os.W_OK))
