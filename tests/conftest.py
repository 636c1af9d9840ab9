"""Shared test setup: healthlint's own pytest plugin, hypothesis profiles, and where the shared seeds live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

pytest_plugins = ["healthlint.testing"]

REPO = Path(__file__).resolve().parents[1]
# Property tests draw the same examples on every run (a red CI run is reproducible, a green one
# is not luck); `HYPOTHESIS_PROFILE=deep` (scripts/fuzz_properties.sh) searches at random, longer.
settings.register_profile("ci", max_examples=150, derandomize=True, database=None, print_blob=True)
settings.register_profile("deep", max_examples=1000, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

#: ``../shared`` beside the checkout (CI puts it there); tests skip cleanly without it.
SHARED = Path(os.environ.get("HEALTHLINT_SHARED", REPO.parent / "shared"))


@pytest.fixture(autouse=True)
def _isolated_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    # Third-party plugins installed on a developer's machine must not change test results.
    monkeypatch.setenv("HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD", "1")


@pytest.fixture
def check(lint, article_file):
    """Lint a text written to a file first, so that no text is ever taken for a path (the link and
    chrome tests' articles are short lines such as "Home")."""

    def run(text, name="article.md", **kwargs):
        return lint(article_file(text, name=name), **kwargs)

    return run


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or skip the test when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path
