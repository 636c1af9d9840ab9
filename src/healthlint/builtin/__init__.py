"""healthlint's built-in plugins; each module is registered through its own entry point."""
