"""The built-in rule families: one package each, registered through entry points like any plugin."""
