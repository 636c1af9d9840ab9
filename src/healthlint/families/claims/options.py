"""``[tool.healthlint.plugins.claims]``, and the keys that used to be read there."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

PLUGIN = "claims"


_TRUSTED = "the one trusted-domain list serves claims, links and publish: use `{}` in [tool.healthlint] instead"
_METADATA = "HL311-HL315 moved to the metadata plugin: set `{}` in [tool.healthlint.plugins.metadata] instead"
#: Keys this table no longer reads, with where their setting is now.
RETIRED = {
    "scholarly-domains": _TRUSTED.format("trusted-domains"),
    "extend-scholarly-domains": _TRUSTED.format("extend-trusted-domains"),
    **{
        key: _METADATA.format(key)
        for key in (
            "check-metadata",
            "metadata-in-plain-text",
            "require-author",
            "require-reviewer",
            "require-review-date",
            "max-review-age-days",
            "author-keys",
            "reviewer-keys",
            "review-date-keys",
            "as-of",
        )
    },
}


@dataclass
class ClaimsOptions:
    """``[tool.healthlint.plugins.claims]``."""

    #: More journal names to recognise (case-sensitive), e.g. a specialty's journals.
    journals: list[str] = field(default_factory=list)
    #: More institutions to recognise as named sources (case-sensitive).
    institutions: list[str] = field(default_factory=list)
    #: Headings that start a reference list that ``[1]`` can point into, added to the built-in ones.
    reference_headings: list[str] = field(default_factory=list)
    #: Overclaiming words or phrases this site accepts (matched case-insensitively), e.g. ["breakthrough"].
    allow_overclaims: list[str] = field(default_factory=list)
    #: More words or phrases to flag as overclaiming (case-insensitive).
    extend_overclaims: list[str] = field(default_factory=list)
    #: More long-term conditions that must not be promised a "cure".
    chronic_conditions: list[str] = field(default_factory=list)
    #: Keys this table no longer reads: refused, saying where their setting lives now.
    RETIRED: ClassVar[dict[str, str]] = RETIRED
