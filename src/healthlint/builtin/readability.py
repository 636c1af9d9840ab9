"""readability checks (work in progress)."""
