"""spun checks (work in progress)."""
