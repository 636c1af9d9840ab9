"""The claims family's rules, one per module (collected by :func:`healthlint.rules.rules_in`)."""
