"""claims checks (work in progress)."""
