"""The suppression rules: one module each."""
