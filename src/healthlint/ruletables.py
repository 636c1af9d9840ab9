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

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from healthlint.rules import Rule

TABLE_RE = re.compile(
    r"(<!-- rules-table (?P<prefix>[A-Z]{0,4}[0-9]{0,3}) -->\n)(?P<body>.*?)(<!-- /rules-table -->)", re.DOTALL
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

    :raises ValueError: when a marker's prefix matches no rule (a typo would otherwise keep an empty table).
    """

    def table(match: re.Match[str]) -> str:
        prefix = match["prefix"]
        if not any(code.startswith(prefix) for code in rules):
            raise ValueError(f"no rule code starts with {prefix!r} (in <!-- rules-table {prefix} -->)")
        return match[1] + markdown_table(rules.values(), prefix) + match[4]

    return TABLE_RE.sub(table, text)


def stale_files(paths: Iterable[Path], rules: Mapping[str, Rule]) -> list[Path]:
    """The files among ``paths`` whose generated tables differ from ``rules``."""
    return [p for p in paths if (text := p.read_text(encoding="utf-8")) != refresh_tables(text, rules)]


def write_tables(paths: Iterable[Path], rules: Mapping[str, Rule]) -> list[Path]:
    """Rewrite the generated tables of ``paths`` in place; returns the files that changed."""
    changed = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        fresh = refresh_tables(text, rules)
        if fresh != text:
            path.write_text(fresh, encoding="utf-8")
            changed.append(path)
    return changed
