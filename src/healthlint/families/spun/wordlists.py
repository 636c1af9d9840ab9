"""The family's word lists: files of ``data/`` holding words separated by white space (``#`` comments)."""

from __future__ import annotations

from healthlint.resources import data_lines
from healthlint.text.tokens import word_set


def words_in(name: str) -> frozenset[str]:
    """The words of ``data/<name>``."""
    return word_set(" ".join(data_lines(name, __package__)))
