"""The standard hooks of a rule family, each declared in one line of its ``plugin.py``.

Pluggy finds a hook by its name in the plugin module and its ``healthlint_impl`` marker, so a
family assigns what these functions return to the hook's name::

    healthlint_register_options = options_hook(PLUGIN, MetadataOptions)
    healthlint_register_rules = rules_hook(__package__)
    healthlint_configure = configure_hook(PLUGIN, validate)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from healthlint.config import Config
from healthlint.hookspecs import hookimpl
from healthlint.rules import Rule, rules_in

Options = TypeVar("Options")


def rules_hook(package: str | None) -> Callable[[Callable[[Rule], None]], None]:
    """``healthlint_register_rules`` registering the rules of ``<package>.rules`` (see :func:`rules_in`)."""
    if not package:
        raise ValueError("rules_hook takes the family's package: rules_hook(__package__) in its plugin module")

    @hookimpl
    def healthlint_register_rules(register: Callable[[Rule], None]) -> None:
        for rule in rules_in(package):
            register(rule)

    return healthlint_register_rules


def options_hook(table: str, schema: type[Any]) -> Callable[[Callable[[str, type[Any]], None]], None]:
    """``healthlint_register_options`` declaring the options table ``table`` parsed into ``schema``."""

    @hookimpl
    def healthlint_register_options(register: Callable[[str, type[Any]], None]) -> None:
        register(table, schema)

    return healthlint_register_options


def configure_hook(table: str, check: Callable[[Options, Config], None]) -> Callable[[Config], None]:
    """``healthlint_configure`` calling ``check(options, config)`` with the parsed options of ``table``.

    ``check`` raises :class:`~healthlint.config.ConfigError` for values that cannot work. A config
    whose options were parsed without the table (a bare ``Config()``) has nothing to check.
    """

    @hookimpl
    def healthlint_configure(config: Config) -> None:
        options: Options | None = config.options.get(table)
        if options is not None:
            check(options, config)

    return healthlint_configure
