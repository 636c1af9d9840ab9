"""grammar checks (work in progress)."""
