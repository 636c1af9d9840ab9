"""The readability rules, one per module."""
