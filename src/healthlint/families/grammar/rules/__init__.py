"""The grammar rules, one module each (collected by ``healthlint.rules.rules_in``)."""
