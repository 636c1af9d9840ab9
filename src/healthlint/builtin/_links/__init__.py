"""The machinery of the HL5xx link checks; the rules themselves live in :mod:`healthlint.builtin.links`."""
