"""The core family's hooks: the built-in article parser, the output formats and the HL0xx rules."""

from __future__ import annotations

from collections.abc import Callable

from healthlint import Article, Rule, hookimpl
from healthlint.article import kind_for, parse_article
from healthlint.config import Config
from healthlint.output import BUILTIN_REPORTERS, Reporter
from healthlint.rules import rules_in


@hookimpl(trylast=True)
def healthlint_parse_article(path: str, text: str, config: Config) -> Article:
    return parse_article(path, text, kind_for(path))


@hookimpl
def healthlint_register_reporters(register: Callable[[type[Reporter]], None]) -> None:
    for reporter in BUILTIN_REPORTERS:
        register(reporter)


@hookimpl
def healthlint_register_rules(register: Callable[[Rule], None]) -> None:
    for rule in rules_in(__package__):
        register(rule)
