"""The metadata plugin: its options table and rules (the JAMA benchmarks' authorship and currency)."""

from __future__ import annotations

from healthlint.family import configure_hook, options_hook, rules_hook

from .options import PLUGIN, MetadataOptions, validate

healthlint_register_options = options_hook(PLUGIN, MetadataOptions)
healthlint_register_rules = rules_hook(__package__)
healthlint_configure = configure_hook(PLUGIN, validate)
