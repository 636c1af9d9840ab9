"""The metadata plugin: its options table and rules (the JAMA benchmarks' authorship and currency)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from healthlint import Rule, hookimpl
from healthlint.config import Config
from healthlint.rules import rules_in

from .options import PLUGIN, MetadataOptions, validate


@hookimpl
def healthlint_register_options(register: Callable[[str, type[Any]], None]) -> None:
    register(PLUGIN, MetadataOptions)


@hookimpl
def healthlint_register_rules(register: Callable[[Rule], None]) -> None:
    for rule in rules_in(__package__):
        register(rule)


@hookimpl
def healthlint_configure(config: Config) -> None:
    validate(config)
