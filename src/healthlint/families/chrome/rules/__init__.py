"""The HL70x page-chrome rules, one module each (collected by :func:`healthlint.rules.rules_in`)."""
