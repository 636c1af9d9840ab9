"""Output formats, one module each: text, json, github, sarif, junit and html (``healthlint check --format``)."""

from healthlint.output.base import Reporter
from healthlint.output.github import GithubReporter
from healthlint.output.html import HtmlReporter
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
    HtmlReporter,
)

__all__ = [
    "BUILTIN_REPORTERS",
    "GithubReporter",
    "HtmlReporter",
    "JsonReporter",
    "JunitReporter",
    "Reporter",
    "SarifReporter",
    "TextReporter",
]
