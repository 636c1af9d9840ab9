"""The suppressions family's hooks: drop the findings that suppression comments switch off."""

from __future__ import annotations

from collections.abc import Generator

from healthlint import Article, Finding, hookimpl
from healthlint.config import Config
from healthlint.families.suppressions.directives import Directive, parse_directives, suppressed
from healthlint.family import rules_hook

#: A suppression comment cannot switch off the finding that says it is malformed.
BAD_SUPPRESSION = "HL004"
#: Front matter that cannot be read is no policy to keep: a comment above the first text does not reach it.
UNREADABLE = "HL001"


def _drop_suppressed(article: Article, findings: list[Finding], directives: list[Directive]) -> None:
    front_matter = None
    if article.meta_lines is not None:
        first_text = min((b.line for b in article.blocks), default=article.last_line + 1)
        front_matter = (article.meta_lines[1], first_text)
    findings[:] = [
        f
        for f in findings
        if f.code == BAD_SUPPRESSION or not suppressed(f, directives, None if f.code == UNREADABLE else front_matter)
    ]


@hookimpl(wrapper=True)
def healthlint_modify_findings(
    article: Article, findings: list[Finding], config: Config
) -> Generator[None, list[None], list[None]]:
    # A wrapper around every other implementation: they see only the findings left after the comments (HL801 weighs
    # no suppressed finding), and what they add (HL801's verdict) is filtered in turn.
    directives = sorted(parse_directives(article)[0], key=lambda d: d.line) if article.comments else []
    if directives:
        _drop_suppressed(article, findings, directives)
    results = yield
    if directives:
        _drop_suppressed(article, findings, directives)
    return results


healthlint_register_rules = rules_hook(__package__)
