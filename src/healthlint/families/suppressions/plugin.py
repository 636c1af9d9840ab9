"""The suppressions family's hooks: drop the findings that suppression comments switch off."""

from __future__ import annotations

from healthlint import Article, Finding, hookimpl
from healthlint.config import Config
from healthlint.families.suppressions.directives import parse_directives, suppressed
from healthlint.family import rules_hook

#: A suppression comment cannot switch off the finding that says it is malformed.
BAD_SUPPRESSION = "HL004"


@hookimpl
def healthlint_modify_findings(article: Article, findings: list[Finding], config: Config) -> None:
    if not article.comments:
        return
    directives, _ = parse_directives(article)
    if directives:
        directives.sort(key=lambda d: d.line)
        findings[:] = [f for f in findings if f.code == BAD_SUPPRESSION or not suppressed(f, directives)]


healthlint_register_rules = rules_hook(__package__)
