"""The grammar family's hooks: its options, connecting to LanguageTool for the run, and its rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from healthlint import Rule, hookimpl
from healthlint.config import Config, ConfigError, RequirementUnavailable
from healthlint.families.grammar.options import PLUGIN, GrammarOptions
from healthlint.families.grammar.session import end_session, session_for
from healthlint.rules import Selection, rules_in


@hookimpl
def healthlint_register_options(register: Callable[[str, type[Any]], None]) -> None:
    register(PLUGIN, GrammarOptions)


@hookimpl
def healthlint_configure(config: Config, selection: Selection) -> None:
    """Check the options and connect to LanguageTool (a missing server stops the run only when required)."""
    options: GrammarOptions = config.options_for(PLUGIN)  # registered by this plugin, so always there
    where = config.plugin_key(PLUGIN)
    if not options.timeout > 0:
        raise ConfigError("must be a number of seconds above 0", config.source, f"{where}.timeout")
    if not options.language.strip():
        raise ConfigError("must be a language code such as en-US", config.source, f"{where}.language")
    session = session_for(config)
    if selection.any_selected("HL6"):
        # Connect now, before any worker process is forked, so workers share one server
        # (and a local LanguageTool is started once, by the process that will stop it).
        session.connect()
        if options.required and session.unavailable:
            raise RequirementUnavailable(
                f"{session.unavailable} (grammar is required by {where}.required)", config, PLUGIN, "required"
            )


@hookimpl
def healthlint_unconfigure(config: Config) -> None:
    end_session(config)


@hookimpl
def healthlint_register_rules(register: Callable[[Rule], None]) -> None:
    for rule in rules_in(__package__):
        register(rule)
