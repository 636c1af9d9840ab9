"""The claims plugin: its options table and rules (HONcode's attribution and justifiability)."""

from __future__ import annotations

from healthlint.family import configure_hook, options_hook, rules_hook

from .options import PLUGIN, RETIRED, ClaimsOptions

healthlint_register_options = options_hook(PLUGIN, ClaimsOptions)
healthlint_register_rules = rules_hook(__package__)
healthlint_configure = configure_hook(PLUGIN, retired=RETIRED)
