"""The claims plugin: its options table and rules (HONcode's attribution and justifiability)."""

from __future__ import annotations

from healthlint.family import options_hook, rules_hook

from .options import PLUGIN, ClaimsOptions

healthlint_register_options = options_hook(PLUGIN, ClaimsOptions)
healthlint_register_rules = rules_hook(__package__)
