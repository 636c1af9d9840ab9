"""The disclaimer rules, one per module."""
