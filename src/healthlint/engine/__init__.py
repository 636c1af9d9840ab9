"""The engine: one driver of a run (driver.py), per-article checking (runner.py), workers, and the gate."""
