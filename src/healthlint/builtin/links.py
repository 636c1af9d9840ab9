"""links checks (work in progress)."""
