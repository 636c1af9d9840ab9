"""The checks of the claims rules that report uncited claims (HL301-HL303, HL306, HL308).

The analysis (:func:`healthlint.families.claims.analysis.analysis_for`) is imported on first use,
so loading the plugin and registering its rules costs nothing when no HL3 rule runs.
"""

from __future__ import annotations

from collections.abc import Iterator

from healthlint import Article, Hit, RuleContext
from healthlint.rules import Check

#: How to cite a claim (the end of HL301-HL303 and HL308's suggestions).
CITE_HOW = "link the study (DOI or PubMed link), or add a numbered reference such as [1] to a References section"


def uncited_check(kind: str, message: str, suggestion: str) -> Check:
    """The check of the rule that reports the uncited claims of ``kind`` (HL301-HL303, HL308).

    :param message: a format string of ``source`` (the journal, institution or phrase).
    :param suggestion: a format string of ``source``, ``cite_how`` (:data:`CITE_HOW`) and
        ``cite_how_sentence`` (the same, capitalised to start a sentence).
    """
    cite_how_sentence = CITE_HOW[0].upper() + CITE_HOW[1:]

    def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
        from .analysis import uncited_claims

        for claim in uncited_claims(ctx, kind):
            yield claim.hit(
                message.format(source=claim.source),
                suggestion.format(source=claim.source, cite_how=CITE_HOW, cite_how_sentence=cite_how_sentence),
            )

    return check
