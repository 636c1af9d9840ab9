"""The chrome plugin: the HL702, HL703 and HL704 rules of ``rules/``, registered like any plugin's."""

from __future__ import annotations

from healthlint.family import rules_hook

healthlint_register_rules = rules_hook(__package__)
