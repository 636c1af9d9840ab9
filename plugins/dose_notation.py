"""A local plugin: dose notations on the Joint Commission's "Do Not Use" list (house style code HS101).

healthlint loads every ``*.py`` in this folder as a plugin, exactly like an installed one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from healthlint import Article, Hit, Rule, RuleContext, Severity, hookimpl

_NUMBER = r"\d+(?:[.,]\d+)?"
# Each pattern: what it matches, why it is dangerous, and what to write instead.
PATTERNS = [
    (re.compile(rf"\b{_NUMBER}\s?(?P<bad>[Uu])\b(?!\.S\.)"), "'U' for units is misread as 0 or 4", "write 'units'"),
    (re.compile(rf"\b{_NUMBER}\s?(?P<bad>IU)\b"), "'IU' is misread as IV or 10", "write 'international units'"),
    (
        re.compile(r"\b(?P<bad>[Qq]\.?[Dd]\.?|QD)(?=[\s,.;)]|$)"),
        "'QD' is misread as QID (four times a day)",
        "write 'daily'",
    ),
    (
        re.compile(r"\b(?P<bad>[Qq]\.?[Oo]\.?[Dd]\.?)(?=[\s,.;)]|$)"),
        "'QOD' is misread as QD or QID",
        "write 'every other day'",
    ),
    (
        re.compile(r"(?<![\d.])(?P<bad>\d+\.0)\s?(?:mg|mcg|g|ml|mL|units?)\b"),
        "a trailing zero is misread as ten times the dose",
        None,
    ),
    (
        re.compile(r"(?<![\d\w])(?P<bad>\.\d+)\s?(?:mg|mcg|g|ml|mL|units?)\b"),
        "a dose without a leading zero is misread",
        None,
    ),
    (
        re.compile(r"\b(?P<bad>MSO4|MgSO4)\b"),
        "abbreviations for morphine and magnesium sulfate are confused",
        "write the drug name",
    ),
]


@dataclass
class Options:
    #: Abbreviations your site allows anyway (e.g. ["IU"] for a lab-results glossary).
    allow: list[str] = field(default_factory=list)


def _instead(bad: str, advice: str | None) -> str:
    if advice:
        return advice
    if bad.endswith(".0"):
        return f"write {bad[:-2]}"
    return f"write 0{bad}"


def check_dose_notation(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    allowed = set(ctx.options().allow)
    for block in article.blocks:
        for pattern, why, advice in PATTERNS:
            for m in pattern.finditer(block.text):
                bad = m.group("bad")
                if bad in allowed:
                    continue
                start, end = m.span("bad")
                yield block.hit(start, end, f"unsafe dose notation {bad!r}: {why}", suggestion=_instead(bad, advice))


UNSAFE_DOSE_NOTATION = Rule(
    code="HS101",
    name="unsafe-dose-notation",
    summary="Dose notation on the Joint Commission's Do Not Use list",
    severity=Severity.WARNING,
    check=check_dose_notation,
    doc="""
## What it flags
Abbreviations and number formats that hospitals ban because they cause dosing errors:
`U` and `IU` for units, `QD` and `QOD`, trailing zeros (`5.0 mg`), doses without a
leading zero (`.5 mg`), and `MSO4`/`MgSO4`.

## Why it matters
Readers copy doses from health articles. A misread notation can mean ten times the dose.

## Example
Take 10 U of insulin QD, or .5 mg at night.

## Instead
Take 10 units of insulin daily, or 0.5 mg at night.

## Options
`allow` (list of strings, default `[]`): notations to accept, in `[tool.healthlint.plugins.dose-notation]`.
""",
)


@hookimpl
def healthlint_register_options(register: Callable[[str, type], None]) -> None:
    register("dose-notation", Options)


@hookimpl
def healthlint_register_rules(register: Callable[[Rule], None]) -> None:
    register(UNSAFE_DOSE_NOTATION)
