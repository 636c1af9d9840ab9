"""The HL1 rules, one module each: ``RULE`` with its check and documentation."""
