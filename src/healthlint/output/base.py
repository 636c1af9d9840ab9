"""The base class of output formats (``healthlint check --format NAME``)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, ClassVar, TextIO

from healthlint.model import ArticleResult, Finding, Report

if TYPE_CHECKING:
    from healthlint.config import Config
    from healthlint.plugins import PluginInfo
    from healthlint.rules import Rule


class Reporter:
    """Base class of output formats. Results arrive one article at a time, in a stable order.

    Subclasses set ``name`` (the ``--format`` value) and ``description``, and override
    :meth:`article` and/or :meth:`finish`. Write only to ``self.out``.
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    #: The loaded plugins by name (their distribution and version), set by ``healthlint check`` after making the
    #: reporter; empty where nobody set it.
    plugins: Mapping[str, PluginInfo] = MappingProxyType({})

    def __init__(self, out: TextIO, *, config: Config, rules: dict[str, Rule], color: bool = False) -> None:
        self.out = out
        self.config = config
        self.rules = rules
        self.color = color

    def shown(self, findings: list[Finding]) -> list[Finding]:
        """Findings at or above the display threshold (``show``)."""
        return [f for f in findings if f.severity >= self.config.show]

    def article(self, result: ArticleResult) -> None:
        """Called once per article, as soon as its result is known."""

    def finish(self, report: Report) -> None:
        """Called once at the end with the whole report."""


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
