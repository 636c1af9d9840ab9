"""Which healthlint rule reports a LanguageTool match: grammar, spelling, punctuation or style."""

from __future__ import annotations

from typing import Literal

from healthlint.families.grammar.match import LtMatch

Kind = Literal["grammar", "spelling", "punctuation", "style"]

SPELLING_CATEGORIES = frozenset({"TYPOS"})
PUNCTUATION_CATEGORIES = frozenset({"PUNCTUATION", "TYPOGRAPHY", "CASING", "COMPOUNDING"})
STYLE_CATEGORIES = frozenset(
    {
        "STYLE",
        "REDUNDANCY",
        "PLAIN_ENGLISH",
        "REPETITIONS",
        "REPETITIONS_STYLE",
        "WIKIPEDIA",
        "GENDER_NEUTRALITY",
        "AMERICAN_ENGLISH_STYLE",
        "BRITISH_ENGLISH",
        "TEXT_ANALYSIS",
    }
)


def kind_of(match: LtMatch) -> Kind:
    """The kind of a LanguageTool match, from its rule's category, issue type and id."""
    if (
        match.category in SPELLING_CATEGORIES
        or match.issue_type == "misspelling"
        or match.rule_id.startswith(("MORFOLOGIK_RULE", "HUNSPELL_RULE"))
    ):
        return "spelling"
    if match.category in PUNCTUATION_CATEGORIES or match.issue_type in ("typographical", "whitespace"):
        return "punctuation"
    if match.category in STYLE_CATEGORIES or match.issue_type == "style":
        return "style"
    return "grammar"
