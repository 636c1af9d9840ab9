"""The claims plugin: its options table and rules (HONcode's attribution and justifiability)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from healthlint import Rule, hookimpl
from healthlint.config import Config
from healthlint.rules import rules_in

from .options import PLUGIN, ClaimsOptions, refuse_retired_keys


@hookimpl
def healthlint_register_options(register: Callable[[str, type[Any]], None]) -> None:
    register(PLUGIN, ClaimsOptions)


@hookimpl
def healthlint_register_rules(register: Callable[[Rule], None]) -> None:
    for rule in rules_in(__package__):
        register(rule)


@hookimpl
def healthlint_configure(config: Config) -> None:
    refuse_retired_keys(config)
