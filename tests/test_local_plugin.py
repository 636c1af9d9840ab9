"""The project's own local plugin in plugins/ (loaded exactly like a third-party plugin)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "plugins").mkdir()
    shutil.copy(REPO / "plugins" / "dose_notation.py", tmp_path / "plugins")
    (tmp_path / "healthlint.toml").write_text('select = ["HS"]\n')
    return tmp_path


@pytest.mark.parametrize(
    ("sentence", "bad", "suggestion"),
    [
        ("Inject 10 U of insulin.", "U", "write 'units'"),
        ("Take 400 IU of vitamin D.", "IU", "write 'international units'"),
        ("Take one tablet QD with food.", "QD", "write 'daily'"),
        ("Apply the cream q.o.d. for a week.", "q.o.d.", "write 'every other day'"),
        ("Take 5.0 mg at night.", "5.0", "write 5"),
        ("Start with .5 mg at night.", ".5", "write 0.5"),
    ],
)
def test_flags_do_not_use_notations(project, run_cli, sentence, bad, suggestion):
    (project / "a.md").write_text(f"# Doses\n\n{sentence}\n")
    result = run_cli("check", "a.md", "--fail-on", "warning", cwd=project)
    assert result.exit_code == 1
    column = sentence.index(bad) + 1
    assert result.lines[0].startswith(f"a.md:3:{column}: HS101 [warning] unsafe dose notation {bad!r}")
    assert result.lines[1] == f"    suggestion: {suggestion}"


@pytest.mark.parametrize(
    "sentence",
    [
        "Take 10 units of insulin.",
        "Take 0.5 mg daily.",
        "The U.S. guidance changed.",
        "Version 2.0 of the app.",
        "Take 1.05 mg.",
    ],
)
def test_leaves_safe_notation_alone(project, run_cli, sentence):
    (project / "a.md").write_text(f"{sentence}\n")
    result = run_cli("check", "a.md", "--fail-on", "warning", cwd=project)
    assert result.exit_code == 0, result.stdout


def test_allow_option(project, run_cli):
    (project / "healthlint.toml").write_text('select = ["HS"]\n[plugins.dose-notation]\nallow = ["IU"]\n')
    (project / "a.md").write_text("Take 400 IU of vitamin D.\n")
    assert run_cli("check", "a.md", "--fail-on", "warning", cwd=project).exit_code == 0
