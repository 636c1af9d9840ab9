"""``[tool.healthlint.plugins.verdict]``: the options HL801 reads."""

from __future__ import annotations

from dataclasses import dataclass

PLUGIN = "verdict"

#: The shortest article HL801 weighs by default: the deep stage's short tiers start here too, and the model was
#: fitted on no dev page shorter (its rates, its length and its reading grade mean little on a few sentences).
DEFAULT_MIN_WORDS = 50


@dataclass
class VerdictOptions:
    """``[tool.healthlint.plugins.verdict]``."""

    #: Articles with fewer words are not weighed (0: every article is).
    min_words: int = DEFAULT_MIN_WORDS
