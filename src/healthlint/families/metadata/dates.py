"""Reading front matter dates: YAML dates, ISO forms, "4 March 2025", "March 4, 2025" and unambiguous DD/MM/YYYY."""

from __future__ import annotations

import datetime as dt
from typing import Any

from healthlint.regexcache import lazy

_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        )
    )
    for name in names
}
_ISO_RE = lazy(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_YEAR_MONTH_RE = lazy(r"^(\d{4})-(\d{1,2})$")
_DMY_WORDS_RE = lazy(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_MDY_WORDS_RE = lazy(r"^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_NUMERIC_RE = lazy(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_date(value: Any) -> tuple[dt.date | None, str | None]:
    """Read a front matter date: ``(date, None)`` or ``(None, what is wrong)``."""
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, bool) or value is None:
        return None, "is empty" if value is None else "is not a date"
    if isinstance(value, (int, float)):
        return None, f"{value!r} is not a date; write it as YYYY-MM-DD"
    if not isinstance(value, str):
        return None, "is not a date; write it as YYYY-MM-DD"
    text = value.strip()
    if not text:
        return None, "is empty"
    try:
        m = _ISO_RE.match(text)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), None
        m = _YEAR_MONTH_RE.match(text)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), 1), None
        m = _DMY_WORDS_RE.match(text)
        if m and m.group(2).lower() in _MONTHS:
            return dt.date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1))), None
        m = _MDY_WORDS_RE.match(text)
        if m and m.group(1).lower() in _MONTHS:
            return dt.date(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2))), None
        m = _NUMERIC_RE.match(text)
        if m:
            a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if a > 12 >= b:
                return dt.date(year, b, a), None
            if b > 12 >= a:
                return dt.date(year, a, b), None
            return None, f"{text!r} is ambiguous (day/month or month/day?); write it as YYYY-MM-DD"
    except ValueError:
        return None, f"{text!r} is not a real date"
    return None, f"{text!r} is not a date healthlint can read; write it as YYYY-MM-DD"


def today_or(as_of: str) -> dt.date:
    """The day dates are checked against: ``as_of`` when it reads, else today."""
    if as_of:
        parsed, _ = parse_date(as_of)
        if parsed:
            return parsed
    return dt.date.today()
