"""The package's public names (``import healthlint; healthlint.X``), loaded on first use, as a program and as types."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

import healthlint


def test_every_public_name_loads_and_an_unknown_one_is_an_attribute_error():
    for name in healthlint.__all__:
        assert getattr(healthlint, name) is not None, name
    assert set(healthlint.__all__) <= set(dir(healthlint))
    with pytest.raises(AttributeError, match="lint_txt"):
        healthlint.lint_txt  # noqa: B018
    namespace: dict[str, object] = {}
    exec("from healthlint import *", namespace)
    assert {"lint_text", "Severity", "hookimpl", "__version__"} <= set(namespace)


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy (the dev extra) is not installed")
def test_a_type_checker_sees_each_public_name_typed_and_a_misspelt_one_as_an_error(tmp_path: Path):
    # The names load lazily through a module __getattr__; a type checker took that __getattr__ (returning Any) for
    # every name the package lacks, so `healthlint.lint_txt(...)` and `from healthlint import Lint` passed mypy --strict
    # and an IDE completed nothing wrong: only the run failed.
    scratch = tmp_path / "uses_healthlint.py"
    scratch.write_text(
        "import healthlint\n"
        "from healthlint import Finding, Nonexistent\n"
        "reveal_type(healthlint.lint_text)\n"
        "reveal_type(Finding)\n"
        "healthlint.lint_txt('text')\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--cache-dir",
            str(tmp_path / "cache"),
            str(scratch),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    out = done.stdout
    assert 'Module "healthlint" has no attribute "Nonexistent"' in out, out
    assert 'Module has no attribute "lint_txt"' in out, out
    assert "-> healthlint.model.ArticleResult" in out, out  # lint_text's real signature, not Any
    assert "healthlint.model.Finding" in out, out
