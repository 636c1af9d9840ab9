"""Shared test setup: healthlint's own pytest plugin, and where the shared seeds live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests run the same examples on every run (a CI failure can be reproduced); the "deep"
# profile searches at random and longer: HYPOTHESIS_PROFILE=deep pytest tests/test_properties.py
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("deep", derandomize=False, max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

pytest_plugins = ["healthlint.testing"]

REPO = Path(__file__).resolve().parents[1]
#: ``../shared`` beside the checkout (CI puts it there); tests skip cleanly without it.
SHARED = Path(os.environ.get("HEALTHLINT_SHARED", REPO.parent / "shared"))


@pytest.fixture(autouse=True)
def _isolated_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    # Third-party plugins installed on a developer's machine must not change test results.
    monkeypatch.setenv("HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD", "1")


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or skip the test when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path
