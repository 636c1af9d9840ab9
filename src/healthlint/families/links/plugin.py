"""The links plugin: its options, and the HL5xx rules of ``rules/`` registered like any plugin's."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from healthlint.families.links.checks import PLUGIN
from healthlint.family import options_hook, rules_hook

_TRUSTED = "no longer an option: claims, links and publish share one trusted-domain list; {} in [tool.healthlint]"
#: Options of earlier versions that the one trusted-domain list of ``[tool.healthlint]`` replaced.
RETIRED = {
    "allow-domains": _TRUSTED.format(
        "add the domains to extend-trusted-domains (or replace the shipped list with trusted-domains)"
    ),
    "default-allow-domains": _TRUSTED.format(
        "replace the shipped list with trusted-domains (extend-trusted-domains adds to it)"
    ),
}


@dataclass
class LinksOptions:
    """``[tool.healthlint.plugins.links]``."""

    #: Domains that must never be linked (HL503).
    deny_domains: list[str] = field(default_factory=list)
    #: The publication's own domains: links there are internal, never spam, never outbound.
    site_domains: list[str] = field(default_factory=list)
    #: Use the built-in deny list (ad-supported link shorteners).
    default_deny_domains: bool = True
    #: More URL-shortener domains for HL507.
    shorteners: list[str] = field(default_factory=list)
    #: More commercial-spam words for HL504 (each is spam on its own, in a domain or link text).
    commercial_keywords: list[str] = field(default_factory=list)
    #: HL515: outbound links allowed per 1000 words...
    max_links_per_1000_words: float = 20.0
    #: ...but never fewer than this many.
    min_links_for_density: int = 8
    #: Count links to trusted domains (citations) towards HL515 too.
    count_allowed_in_density: bool = False
    #: Keys this table no longer reads: refused, saying what replaced them.
    RETIRED: ClassVar[dict[str, str]] = RETIRED


healthlint_register_options = options_hook(PLUGIN, LinksOptions)
healthlint_register_rules = rules_hook(__package__)
