"""Finding the author, the reviewer and the review date in an article's front matter."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import cache
from typing import Any

from healthlint import Article, Hit, RuleContext
from healthlint.resources import data_lines

from .dates import parse_date
from .options import MetadataOptions


def options_if_applies(ctx: RuleContext) -> MetadataOptions | None:
    """The plugin's options, or None when HL311-HL315 do not check this article."""
    options: MetadataOptions = ctx.options()
    article = ctx.article
    if options.check_metadata == "off":
        return None
    if article.kind == "text" and not options.metadata_in_plain_text:
        return None
    if options.check_metadata == "front-matter" and article.meta_lines is None:
        return None
    return options


def norm_key(key: str) -> str:
    """Keys match whatever their case and separators (``Last-Reviewed`` is ``last_reviewed``)."""
    return re.sub(r"[\s_-]+", "_", key.strip().lower())


def meta_lookup(article: Article, keys: Sequence[str]) -> tuple[str, Any] | None:
    """The first front matter key (by the order of ``keys``) present, with its value."""
    by_norm = {norm_key(k): k for k in article.meta}
    for key in keys:
        real = by_norm.get(norm_key(key))
        if real is not None:
            return real, article.meta[real]
    return None


def person_names(value: Any) -> list[str]:
    """The non-empty names a front matter value holds (a string, a list, or ``{name: …}`` tables)."""
    return [n for n in (name.strip() for name in _names(value)) if n]


def _names(value: Any) -> list[str]:
    if isinstance(value, dict):
        for k in ("name", "full_name", "display_name", "title"):
            if isinstance(value.get(k), str):
                return [value[k]]
        return []
    if isinstance(value, (list, tuple)):
        return [n for v in value for n in _names(v)]
    if isinstance(value, str):
        return [value]
    return []


@cache
def _generic_bylines() -> frozenset[str]:
    return frozenset(data_lines("generic_bylines.txt", __package__))


def is_generic_byline(name: str) -> bool:
    low = " ".join(name.lower().replace(".", " ").split())
    return low in _generic_bylines() or not any(ch.isalpha() for ch in low)


def missing_hit(article: Article, message: str, suggestion: str) -> Hit:
    """A finding about a key that is not there: on the front matter's first line."""
    line = article.meta_lines[0] if article.meta_lines else 1
    # Its identity is the message, not the line it sits on (the title, when there is no front matter).
    return replace(article.line_hit(line, message, suggestion=suggestion), key=message)


def review_date(article: Article, options: MetadataOptions) -> tuple[str, Any] | None:
    """The review/update key with the most recent readable date (or the first key when none reads)."""
    by_norm = {norm_key(k): k for k in article.meta}
    present = [by_norm[norm_key(k)] for k in options.review_date_keys if norm_key(k) in by_norm]
    if not present:
        return None
    best: tuple[str, Any] | None = None
    best_date: dt.date | None = None
    for key in dict.fromkeys(present):
        parsed, _ = parse_date(article.meta[key])
        if parsed is not None and (best_date is None or parsed > best_date):
            best, best_date = (key, article.meta[key]), parsed
    return best or (present[0], article.meta[present[0]])


def check_person(
    article: Article,
    found: tuple[str, Any] | None,
    absent: tuple[str, str],
    empty: tuple[str, str],
    generic: tuple[str, str],
) -> Iterator[Hit]:
    """HL311 and HL312: a (message, suggestion) pair for a missing key, an empty one, or one naming nobody.

    Messages are formatted with ``key`` (the key found) and ``name`` (its first name).
    """
    if found is None:
        yield missing_hit(article, *absent)
        return
    names = person_names(found[1])
    if names and not all(is_generic_byline(n) for n in names):
        return
    message, suggestion = generic if names else empty
    line = article.meta_line(found[0])
    yield article.line_hit(line, message.format(key=found[0], name=names[0] if names else ""), suggestion=suggestion)
