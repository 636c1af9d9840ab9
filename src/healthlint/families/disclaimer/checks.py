"""The checks of the disclaimer rules.

The analysis (:func:`healthlint.families.disclaimer.analysis.analysis_of`) is imported on first use,
so loading the plugin and registering its rules costs nothing when no HL2 rule runs.
"""

from __future__ import annotations

from collections.abc import Iterator

from healthlint import Article, Hit, RuleContext
from healthlint.rules import Check


def statement_check(kind: str, message: str, suggestion: str) -> Check:
    """The check of the rule that reports the statements of ``kind`` (HL202, HL203).

    :param message: a format string of ``evidence`` (the words that make the statement).
    """

    def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
        from healthlint.families.disclaimer.analysis import analysis_of

        for s in analysis_of(article, ctx).statements:
            if s.kind == kind:
                yield s.block.hit(s.start, s.end, message.format(evidence=s.evidence), suggestion=suggestion)

    return check
