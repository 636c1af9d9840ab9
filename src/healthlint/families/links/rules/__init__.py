"""The HL5xx rules, one module each (collected by :func:`healthlint.rules.rules_in`)."""
