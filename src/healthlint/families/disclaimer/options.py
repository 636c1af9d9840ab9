"""``[tool.healthlint.plugins.disclaimer]``: the options the disclaimer rules read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

PLUGIN = "disclaimer"

DEFAULT_SUGGESTED_TEXT = (
    "This article is general information, not a substitute for professional medical advice. "
    "Talk to your doctor or another qualified health professional about your symptoms and "
    "before starting a new treatment."
)
DEFAULT_FRONT_MATTER_KEYS = ("disclaimer", "medical_disclaimer", "health_disclaimer", "safety_note")


@dataclass
class DisclaimerOptions:
    """``[tool.healthlint.plugins.disclaimer]``."""

    #: "advice" (only articles that give treatment advice need a safety statement) or "always" (every article).
    require: Literal["always", "advice"] = "advice"
    #: The site's template prints a disclaimer on every page: true, or its text (which must read as one).
    site_disclaimer: bool | str = False
    #: Front matter keys whose value is (or declares) the article's disclaimer.
    front_matter_keys: list[str] = field(default_factory=lambda: list(DEFAULT_FRONT_MATTER_KEYS))
    #: The sentence HL201 suggests adding.
    suggested_text: str = DEFAULT_SUGGESTED_TEXT
    #: Articles shorter than this many words need no disclaimer (0: every article with prose does).
    min_words: int = 0
