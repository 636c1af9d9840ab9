"""Damaged configuration and baselines: exit 2, one line naming the file (and key), never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_bad_input import assert_clean_exit, healthlint


def one_error(proc, *parts: str) -> str:
    assert_clean_exit(proc, (2,))
    line = proc.stderr.strip()
    assert len(line.splitlines()) == 1 and line.startswith("healthlint: error: "), proc.stderr
    for part in parts:
        assert part in line, line
    return line


ENTRY = '{"path": "a.md", "code": "HL201", "fingerprint": "x", "count": %s}'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "a.md").write_text("# Tea\n\nA warm cup.\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ('{"healthlint_baseline": 1, "findings": 5}', "findings: must be a list"),
        ('{"healthlint_baseline": 1, "findings": {"a": 1}}', "findings: must be a list"),
        ('{"healthlint_baseline": 1, "findings": [%s]}' % (ENTRY % "1e400"), "findings[0] is not a baseline entry"),
        ('{"healthlint_baseline": 1, "findings": [%s]}' % (ENTRY % "-3"), "findings[0] is not a baseline entry"),
        ('{"healthlint_baseline": 1, "findings": [%s]}' % (ENTRY % '"2"'), "findings[0] is not a baseline entry"),
        ('{"healthlint_baseline": 1, "findings": [' + "[" * 100_000 + "]" * 100_000 + "]}", "nested too deeply"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"healthlint_baseline": 1e400}', "not a healthlint baseline"),
    ],
)
def test_a_damaged_baseline_is_exit_2_naming_the_file(project, document, problem):
    (project / "base.json").write_text(document, encoding="utf-8")
    one_error(healthlint("check", "a.md", "--baseline", "base.json", cwd=project, timeout=60), "base.json: ", problem)


@pytest.mark.parametrize(
    ("name", "text", "parts"),
    [
        ("healthlint.toml", "select = " + "[" * 5000 + "]" * 5000 + "\n", ("healthlint.toml: ", "nested too deeply")),
        ("pyproject.toml", "[tool.healthlint]\nx = " + "[" * 5000 + "]" * 5000, ("pyproject.toml: ", "nested")),
        ("healthlint.toml", "rule-timeout = inf\n", ("healthlint.toml: rule-timeout: ",)),
        ("healthlint.toml", "rule-timeout = nan\n", ("healthlint.toml: rule-timeout: ",)),
        ("healthlint.toml", "rule-timeout = 1e300\n", ("healthlint.toml: rule-timeout: ",)),
        ("healthlint.toml", "rule-timeout = -inf\n", ("healthlint.toml: rule-timeout: ",)),
        ("pyproject.toml", "[tool.healthlint\nselect = 1\n", ("pyproject.toml: ", "not valid TOML")),
        ("pyproject.toml", "[project]\nname = 'x'\nname = 'y'\n", ("pyproject.toml: ", "not valid TOML")),
        ("healthlint.toml", 'output-format = "yaml"\n', ("healthlint.toml: output-format: ", "unknown format 'yaml'")),
        ("pyproject.toml", '[tool.healthlint]\noutput-format = "x"\n', ("tool.healthlint.output-format: ", "'x'")),
    ],
)
def test_a_bad_config_file_is_exit_2_naming_file_and_key(project, name, text, parts):
    (project / name).write_text(text, encoding="utf-8")
    one_error(healthlint("check", "a.md", cwd=project, timeout=60), *parts)


def test_a_pyproject_without_a_healthlint_table_is_still_no_config(project):
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    proc = healthlint("check", "a.md", "--select", "HL0", cwd=project, timeout=60)
    assert_clean_exit(proc, (0,))


def test_a_bad_format_on_the_command_line_names_the_option(project):
    (project / "healthlint.toml").write_text('output-format = "json"\n', encoding="utf-8")
    line = one_error(healthlint("check", "a.md", "-f", "yaml", cwd=project, timeout=60), "--format", "'yaml'")
    assert "healthlint.toml" not in line


def test_rule_timeout_within_its_range_is_accepted(project):
    (project / "healthlint.toml").write_text("rule-timeout = 0.5\nselect = ['HL0']\n", encoding="utf-8")
    assert_clean_exit(healthlint("check", "a.md", cwd=project, timeout=60), (0,))
