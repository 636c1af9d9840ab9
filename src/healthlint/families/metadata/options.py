"""``[tool.healthlint.plugins.metadata]``: which articles HL311-HL315 check, and where they look."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from healthlint.config import Config, ConfigError

from .dates import parse_date

PLUGIN = "metadata"

DEFAULT_AUTHOR_KEYS = ("author", "authors", "byline", "written_by", "writer")
DEFAULT_REVIEWER_KEYS = (
    "reviewed_by",
    "medically_reviewed_by",
    "medical_reviewer",
    "reviewer",
    "fact_checked_by",
    "medical_review_by",
)
DEFAULT_REVIEW_DATE_KEYS = (
    "last_reviewed",
    "reviewed",
    "review_date",
    "reviewed_on",
    "date_reviewed",
    "medically_reviewed",
    "last_medically_reviewed",
    "updated",
    "last_updated",
    "date_updated",
    "updated_at",
    "modified",
    "last_modified",
    "date_modified",
)
#: Dates HL315 reads besides the review dates.
OTHER_DATE_KEYS = ("date", "published", "publish_date", "date_published", "published_at", "created", "pubdate")


@dataclass
class MetadataOptions:
    """``[tool.healthlint.plugins.metadata]``."""

    #: Which articles HL311-HL315 check: "front-matter" (those that have it), "always", or "off".
    check_metadata: Literal["front-matter", "always", "off"] = "front-matter"
    #: Also check plain-text articles' metadata (they rarely have front matter).
    metadata_in_plain_text: bool = False
    require_author: bool = True
    require_reviewer: bool = False
    require_review_date: bool = True
    #: A review or update date older than this many days is stale (HL314).
    max_review_age_days: int = 730
    author_keys: list[str] = field(default_factory=lambda: list(DEFAULT_AUTHOR_KEYS))
    reviewer_keys: list[str] = field(default_factory=lambda: list(DEFAULT_REVIEWER_KEYS))
    review_date_keys: list[str] = field(default_factory=lambda: list(DEFAULT_REVIEW_DATE_KEYS))
    #: Check dates against this day (YYYY-MM-DD) instead of today, for reproducible runs.
    as_of: str = ""


def validate(options: MetadataOptions, config: Config) -> None:
    """:raises ConfigError: for values the types allow but the rules cannot use."""
    if options.max_review_age_days < 0:
        raise ConfigError(
            "must be 0 (off) or a number of days", config.source, config.plugin_key(PLUGIN, "max-review-age-days")
        )
    if options.as_of:
        parsed, problem = parse_date(options.as_of)
        if parsed is None:
            raise ConfigError(f"{problem}", config.source, config.plugin_key(PLUGIN, "as-of"))
    for keys, required in (
        ("author-keys", options.require_author),
        ("reviewer-keys", options.require_reviewer),
        ("review-date-keys", options.require_review_date),
    ):
        if required and not getattr(options, keys.replace("-", "_")):
            raise ConfigError("must list at least one key", config.source, config.plugin_key(PLUGIN, keys))
