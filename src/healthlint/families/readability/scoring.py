"""The readability formulas, over counts of words, sentences and syllables.

- Flesch-Kincaid grade ``0.39 * words/sentences + 11.8 * syllables/words - 15.59``
- SMOG ``1.043 * sqrt(30 * polysyllables/sentences) + 3.1291`` (polysyllable: 3+ syllables)
- Flesch reading ease ``206.835 - 1.015 * words/sentences - 84.6 * syllables/words``

These are textstat's formulas; ``engine = "textstat"`` has textstat compute them instead
(:mod:`.textstat_engine`).
"""

from __future__ import annotations

import math


class Counts:
    """Words, sentences, syllables and polysyllables (3+ syllables) of a stretch of prose."""

    __slots__ = ("polysyllables", "sentences", "syllables", "words")

    def __init__(self, words: int = 0, sentences: int = 0, syllables: int = 0, polysyllables: int = 0) -> None:
        self.words = words
        self.sentences = sentences
        self.syllables = syllables
        self.polysyllables = polysyllables

    def __repr__(self) -> str:
        return (
            f"Counts(words={self.words}, sentences={self.sentences}, "
            f"syllables={self.syllables}, polysyllables={self.polysyllables})"
        )

    def add(self, other: Counts) -> None:
        self.words += other.words
        self.sentences += other.sentences
        self.syllables += other.syllables
        self.polysyllables += other.polysyllables

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words if self.words else 0.0

    def flesch_kincaid_grade(self) -> float | None:
        if not self.words or not self.sentences:
            return None
        return 0.39 * self.words_per_sentence + 11.8 * self.syllables_per_word - 15.59

    def flesch_reading_ease(self) -> float | None:
        if not self.words or not self.sentences:
            return None
        return 206.835 - 1.015 * self.words_per_sentence - 84.6 * self.syllables_per_word

    def smog_index(self) -> float | None:
        if not self.words or not self.sentences:
            return None
        return 1.043 * math.sqrt(30 * self.polysyllables / self.sentences) + 3.1291


class Scores:
    """The three readability scores of a stretch of prose (None without words)."""

    __slots__ = ("flesch_kincaid_grade", "flesch_reading_ease", "smog_index")

    def __init__(
        self, flesch_kincaid_grade: float | None, smog_index: float | None, flesch_reading_ease: float | None
    ) -> None:
        self.flesch_kincaid_grade = flesch_kincaid_grade
        self.smog_index = smog_index
        self.flesch_reading_ease = flesch_reading_ease

    def grade(self, formula: str) -> float | None:
        value = self.smog_index if formula == "smog" else self.flesch_kincaid_grade
        return None if value is None else round(value, 1)


def score(counts: Counts) -> Scores:
    return Scores(counts.flesch_kincaid_grade(), counts.smog_index(), counts.flesch_reading_ease())
