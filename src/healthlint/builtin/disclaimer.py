"""disclaimer checks (work in progress)."""
