"""The verdict rules: one module each."""
