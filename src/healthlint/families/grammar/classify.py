"""Which healthlint rule reports a LanguageTool match: grammar, spelling, punctuation or style.

By what the match is, not by its issue type: LanguageTool gives many grammar rules the issue
type "misspelling" (``EN_A_VS_AN`` for "a error", the CONFUSED_WORDS rules, eggcorns,
``WRONG_WORD_IN_CONTEXT``). Spelling is the TYPOS category and the speller rules only; the
``EN_COMPOUNDS_*`` rules ("x rays", "life threatening") are compounding, as the COMPOUNDING
category is.
"""

from __future__ import annotations

from typing import Literal

from healthlint.families.grammar.match import LtMatch

Kind = Literal["grammar", "spelling", "punctuation", "style"]

#: TYPOS, and MULTITOKEN_SPELLING: misspelt names of several words ("Albert Einstien").
SPELLING_CATEGORIES = frozenset({"TYPOS", "MULTITOKEN_SPELLING"})
#: The rule ids of LanguageTool's spellers (``MORFOLOGIK_RULE_EN_US``, ``HUNSPELL_RULE`` ...).
SPELLER_RULE_PREFIXES = ("MORFOLOGIK_RULE_", "HUNSPELL_", "SPELLER")
#: Open, hyphenated or closed compounds ("x rays" for "X-rays"): compounding, whatever their category.
COMPOUNDING_RULE_PREFIXES = ("EN_COMPOUNDS_",)
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
    if match.category in SPELLING_CATEGORIES or match.rule_id.startswith(SPELLER_RULE_PREFIXES):
        return "spelling"
    if (
        match.category in PUNCTUATION_CATEGORIES
        or match.issue_type in ("typographical", "whitespace")
        or match.rule_id.startswith(COMPOUNDING_RULE_PREFIXES)
    ):
        return "punctuation"
    if match.category in STYLE_CATEGORIES or match.issue_type == "style":
        return "style"
    return "grammar"
