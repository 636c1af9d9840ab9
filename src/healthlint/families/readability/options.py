"""``[tool.healthlint.plugins.readability]``: the options every readability rule reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from healthlint.config import Config

PLUGIN = "readability"


@dataclass
class ReadabilityOptions:
    """``[tool.healthlint.plugins.readability]``."""

    #: Grade the article should not exceed (HL401, warning). NIH and MedlinePlus aim for 7-8.
    target_grade: float = 8.0
    #: Grade that blocks publishing (HL402, error).
    max_grade: float = 14.0
    #: ``flesch-kincaid`` or ``smog``: the grade HL401-HL403 compare.
    grade_formula: Literal["flesch-kincaid", "smog"] = "flesch-kincaid"
    #: Articles with fewer words get metrics but no grade findings (too little text to grade).
    min_words: int = 100
    #: HL404 flags sentences with more words than this.
    max_sentence_words: int = 30
    #: HL403 grades only paragraphs with at least this many words.
    paragraph_min_words: int = 40
    #: HL403 reports at most this many paragraphs per article, the hardest first (0: all).
    max_paragraphs: int = 3
    #: More words or phrases with plain alternatives: ``{"leverage" = "use"}`` or a list.
    plain_words: dict[str, str | list[str]] = field(default_factory=dict)
    #: More TSV files in the shipped list's format, relative to the config file.
    plain_words_files: list[str] = field(default_factory=list)
    #: Words or phrases of the shipped list your site accepts (e.g. a term of art).
    allow_words: list[str] = field(default_factory=list)
    #: ``healthlint`` (fast, built in) or ``textstat`` (textstat's own counting).
    engine: Literal["healthlint", "textstat"] = "healthlint"


def resolve(config: Config, name: str) -> Path:
    """A path from the options, relative to the config file's folder."""
    path = Path(name).expanduser()
    return path if path.is_absolute() else config.root / path
