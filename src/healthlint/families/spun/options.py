"""The spun family's options: ``[tool.healthlint.plugins.spun]``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .result import DEFAULT_LIST_FREE_THRESHOLD, DEFAULT_ODD_THRESHOLD, DEFAULT_THRESHOLD

#: The plugin's name, which is also its options table's.
PLUGIN = "spun"


@dataclass
class SpunOptions:
    """``[tool.healthlint.plugins.spun]``."""

    #: Your own spinner phrases: tables with ``phrase`` (plain words) or ``pattern`` (a regex),
    #: ``expected`` (the original wording), optional ``replacement`` and ``strength``.
    extra_phrases: list[dict[str, str]] = field(default_factory=list)
    #: Ids of shipped phrases to switch off (see ``healthlint rules HL103``).
    disabled_phrases: list[str] = field(default_factory=list)
    #: Words never reported as garbled or misspelled (brand names, terms of art).
    allow_words: list[str] = field(default_factory=list)
    #: Files of allowed words, one per line (``#`` comments), relative to the config file.
    word_lists: list[str] = field(default_factory=list)
    #: Spin evidence per 100 words from which the whole article is judged spun (HL101).
    verdict_threshold: float = DEFAULT_THRESHOLD
    #: Articles with fewer words get metrics but no verdict on evidence density or the list-free score (the spin
    #: models have their own minimum: the page model's, and with ``deep`` the short tiers' of the deeper stage).
    verdict_min_words: int = 80
    #: Share of odd word pairs (one near-synonym away from a common pair) from which the article
    #: is judged spun on that signal alone (HL101); compared with the share's lower 95% bound.
    odd_pair_threshold: float = DEFAULT_ODD_THRESHOLD
    #: List-free score (-log10 of the chance of so many swaps, garbled words and odd pairs in
    #: clean prose of the article's length) from which the article is judged spun (HL101).
    list_free_threshold: float = DEFAULT_LIST_FREE_THRESHOLD
    #: Spin model probability from which an article is suspected spun (HL107); unset: the model's own.
    #: With ``deep``, texts too short for the page model keep the short tiers (1 still switches a tier off).
    suspect_threshold: float | None = None
    #: Spin model probability from which an article is judged spun (HL101); unset: the model's own;
    #: 1 switches the model's verdict off.
    model_threshold: float | None = None
    #: When to list thesaurus swaps (HL105, and HL109 with ``deep``): ``verdict`` (only in articles judged spun),
    #: ``always`` or ``never``.
    swap_findings: Literal["verdict", "always", "never"] = "verdict"
    #: The deeper stage: a small language model reads the article's opening and its stacked model,
    #: not the page model alone, decides HL107 and HL101 (needs ``pip install 'healthlint[deep]'``
    #: and ``healthlint spun fetch-model``; when absent, a notice and the light path).
    deep: bool = False
    #: With ``deep``: stop the run (exit 2) when the stage cannot run here (its extra or its model missing, the model
    #: file damaged), instead of the notice and the light path: for a CI gate that counts on the stage.
    deep_required: bool = False
