"""The HL0xx rules: one module each."""
