"""The data of publishing: immutable published and withheld articles, the publication, and outcomes.

Only the host makes :class:`PublishedArticle` objects, from articles whose check passed;
publishers only read them. Import these names from :mod:`healthlint.publish`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from healthlint.config import Config
    from healthlint.model import Finding
    from healthlint.text.domains import DomainSet

#: Metric keys read as the article's reading grade (readability plugins put one of these in metrics).
GRADE_METRICS = ("reading_grade", "grade", "flesch_kincaid_grade", "fk_grade")


@dataclass(frozen=True)
class ArticleDate:
    """A date from front matter: ``value`` when it is an ISO date (YYYY-MM-DD), else only ``text``."""

    text: str
    value: datetime.date | None = None

    @property
    def iso(self) -> str | None:
        """``YYYY-MM-DD`` for a readable date, else None."""
        return self.value.isoformat() if self.value else None

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Source:
    """One entry of an article's ``sources`` front matter: the citation text, and its URL if any."""

    text: str
    url: str | None = None


@dataclass(frozen=True)
class PublishedArticle:
    """An article that passed the gate, ready to publish. Immutable: publishers only read it.

    Only the host makes these, from articles whose check result passed.
    """

    #: The article's path as it was checked (as given on the command line).
    source: str
    #: The page name: front matter ``slug``, else derived from the file name (see README).
    slug: str
    #: ``markdown`` or ``text``.
    kind: str
    title: str
    #: Front matter ``summary``/``description``, else the start of the first paragraph.
    summary: str
    #: The body as sanitized HTML (a ``markupsafe.Markup``, so templates do not escape it again).
    body_html: str
    #: The text that was checked (front matter included, ``\n`` newlines).
    text: str
    #: ``sha256:`` + hex digest of ``text`` encoded as UTF-8.
    content_hash: str
    authors: tuple[str, ...] = ()
    reviewers: tuple[str, ...] = ()
    published: ArticleDate | None = None
    updated: ArticleDate | None = None
    reviewed: ArticleDate | None = None
    sources: tuple[Source, ...] = ()
    #: The front matter, read-only (mappings are ``MappingProxyType``, lists are tuples).
    meta: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    #: The check's metrics for this article (words, reading grade, ...), read-only.
    metrics: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    word_count: int = 0

    @property
    def reading_grade(self) -> float | None:
        """The reading grade from the metrics, when a readability plugin reported one."""
        return reading_grade(self.metrics)

    @property
    def last_modified(self) -> ArticleDate | None:
        """The latest readable date of updated, reviewed and published."""
        dated = [d for d in (self.updated, self.reviewed, self.published) if d is not None and d.value is not None]
        return max(dated, key=lambda d: d.value or datetime.date.min) if dated else None


@dataclass(frozen=True)
class WithheldArticle:
    """An article that did not pass: where it is and what blocked it. Its content is not here."""

    source: str
    #: The codes of the blocking findings, sorted, each once.
    codes: tuple[str, ...]
    #: The blocking findings (those at or above ``fail-on``, and unsafe slugs).
    findings: tuple[Finding, ...] = ()

    def reasons(self) -> list[str]:
        """``HL301 uncited-journal-claim`` for each blocking code, in order."""
        names: dict[str, str] = {}
        for f in self.findings:
            names.setdefault(f.code, f.name)
        return [f"{code} {names[code]}" if names.get(code) else code for code in self.codes]


@dataclass(frozen=True)
class SiteInfo:
    """Site-wide settings from ``[tool.healthlint.publish]``, read-only."""

    title: str
    base_url: str | None = None
    disclaimer: str | None = None
    language: str = "en"
    #: The one trusted-domain list (``Config.trusted()``): links there get no ``rel="nofollow noopener"``.
    allowed_domains: DomainSet | tuple[str, ...] = ()


@dataclass(frozen=True)
class Publication:
    """What every publisher receives: the passing articles and the withheld ones' paths and codes."""

    articles: tuple[PublishedArticle, ...]
    withheld: tuple[WithheldArticle, ...]
    site: SiteInfo


@dataclass(frozen=True)
class PublishOutcome:
    """What a publisher did, for the command's output."""

    #: Where the articles went (a folder, a bucket, a URL), as shown to the user.
    location: str
    #: Where each published article can be found (by slug), as shown to the user.
    pages: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    #: Files or objects written.
    written: tuple[str, ...] = ()
    #: Files or objects of the previous publication that are gone now (withheld or deleted articles).
    removed: tuple[str, ...] = ()
    #: Things at the destination that healthlint did not make and kept.
    kept: tuple[str, ...] = ()
    #: Anything else worth a line in the output.
    notes: tuple[str, ...] = ()


@dataclass
class PublishContext:
    """What the host tells a publisher about the run."""

    config: Config
    #: ``--out`` (or ``publish.out-dir``), absolute. Folder publishers write here; others may ignore it.
    out: Path
    #: The paths being checked (files and folders), absolute.
    sources: tuple[Path, ...] = ()
    #: ``--dry-run``: do everything except writing; report what would be written.
    dry_run: bool = False
    #: Call with the number of articles just handled, to advance the progress bar.
    progress: Callable[[int], None] = lambda n: None
    #: Call with a message worth a line in the output (a warning, say).
    notice: Callable[[str], None] = lambda message: None


# -- Helpers -------------------------------------------------------------------------------


def freeze(value: Any) -> Any:
    """A read-only deep copy: mappings become ``MappingProxyType``, lists and sets tuples."""
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): freeze(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return tuple(sorted((freeze(v) for v in value), key=repr))
    return value


def thaw(value: Any) -> Any:
    """The inverse of :func:`freeze`, for JSON: mappings to dicts, tuples to lists."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [thaw(v) for v in value]
    return value


def reading_grade(metrics: Mapping[str, Any]) -> float | None:
    """The first number found under :data:`GRADE_METRICS`, directly or in a ``readability`` table."""
    for table in (metrics, metrics.get("readability")):
        if not isinstance(table, Mapping):
            continue
        for key in GRADE_METRICS:
            value = table.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return round(float(value), 1)
    return None


def codes_of(findings: Sequence[Finding]) -> tuple[str, ...]:
    return tuple(sorted({f.code for f in findings}))
