"""The core family's hooks: the built-in article parser, the output formats and the HL0xx rules."""

from __future__ import annotations

from collections.abc import Callable

from healthlint import Article, hookimpl
from healthlint.article import kind_for, parse_article
from healthlint.config import Config
from healthlint.family import rules_hook
from healthlint.output import BUILTIN_REPORTERS, Reporter


@hookimpl(trylast=True)
def healthlint_parse_article(path: str, text: str, config: Config) -> Article:
    return parse_article(path, text, kind_for(path))


@hookimpl
def healthlint_register_reporters(register: Callable[[type[Reporter]], None]) -> None:
    for reporter in BUILTIN_REPORTERS:
        register(reporter)


healthlint_register_rules = rules_hook(__package__)
