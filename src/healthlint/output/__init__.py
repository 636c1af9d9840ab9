"""Output formats, one module each: text, json, github, sarif and junit (``healthlint check --format``)."""

from healthlint.output.base import Reporter
from healthlint.output.github import GithubReporter
from healthlint.output.json import JsonReporter
from healthlint.output.junit import JunitReporter
from healthlint.output.sarif import SarifReporter
from healthlint.output.text import TextReporter

BUILTIN_REPORTERS: tuple[type[Reporter], ...] = (
    TextReporter,
    JsonReporter,
    GithubReporter,
    SarifReporter,
    JunitReporter,
)

__all__ = [
    "BUILTIN_REPORTERS",
    "GithubReporter",
    "JsonReporter",
    "JunitReporter",
    "Reporter",
    "SarifReporter",
    "TextReporter",
]
