"""``healthlint new-rule``: the rule it writes works, passes its fixtures on the first run, and shows in the tables.

The scaffold writes into a checkout, so the working test runs on a copy of ``src/`` with a
throw-away family ``demo``, registered through a copy of healthlint's entry points.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

DEMO_PLUGIN = '''"""Hooks of the demo family."""

from collections.abc import Callable

from healthlint import Rule, hookimpl
from healthlint.rules import rules_in


@hookimpl
def healthlint_register_rules(register: Callable[[Rule], None]) -> None:
    for rule in rules_in(__package__):
        register(rule)
'''


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the checkout (src, docs, README, the fixture test) with an empty family ``demo``."""
    root = tmp_path_factory.mktemp("checkout")
    skip = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(REPO / "src", root / "src", ignore=skip)
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "plugins", root / "plugins", ignore=skip)
    for name in ("README.md", "pyproject.toml"):
        shutil.copy(REPO / name, root / name)
    (root / "tests" / "rules").mkdir(parents=True)
    for name in ("__init__.py", "conftest.py", "test_rule_fixtures.py", "test_meta.py"):
        shutil.copy(REPO / "tests" / name, root / "tests" / name)
    demo = root / "src" / "healthlint" / "families" / "demo"
    demo.mkdir()
    (demo / "__init__.py").write_text('"""A family made by a test."""\n')
    (demo / "plugin.py").write_text(DEMO_PLUGIN)
    (demo / "rules").mkdir()
    (demo / "rules" / "__init__.py").write_text('"""The rules of the demo family."""\n')
    # healthlint's own entry points plus the demo family's, found first on PYTHONPATH
    info = root / "src" / "healthlint-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: healthlint\nVersion: 0.1.0\n")
    entry_points = metadata.distribution("healthlint").read_text("entry_points.txt") or "[healthlint]\n"
    entry_points = entry_points.replace("[healthlint]\n", "[healthlint]\ndemo = healthlint.families.demo.plugin\n")
    (info / "entry_points.txt").write_text(entry_points)
    return root


def run(checkout: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(checkout / "src"), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, *args], cwd=checkout, env=env, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.mark.slow
def test_new_rule_works_and_passes_its_fixtures_on_the_first_run(checkout: Path) -> None:
    made = run(checkout, "-m", "healthlint", "new-rule", "HL990", "demo-placeholder", "--family", "demo")
    assert made.returncode == 0, made.stderr
    module = checkout / "src/healthlint/families/demo/rules/hl990_demo_placeholder.py"
    assert module.is_file()
    assert {p.name for p in (checkout / "tests/rules/HL990").iterdir()} == {"flag.md", "clean.md"}
    readme = (checkout / "README.md").read_text(encoding="utf-8")
    assert "| HL990 | `demo-placeholder` | warning | yes |" in readme

    fixtures = run(checkout, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_rule_fixtures.py")
    assert fixtures.returncode == 0, fixtures.stdout + fixtures.stderr
    assert "2 passed" in fixtures.stdout
    # README's gate policy holds every built-in code: the new one is added to its severity's row (was: the suite
    # failed test_every_code_follows_the_gate_policy_table_in_readme at once)
    assert "added HL990 to the warning row of README's gate policy" in made.stdout
    policy = run(checkout, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_meta.py", "-k", "gate_policy")
    assert policy.returncode == 0, policy.stdout + policy.stderr

    article = checkout / "draft.md"
    article.write_text("# Draft\n\nStill PLACEHOLDER-HL990 here.\n")
    checked = run(checkout, "-m", "healthlint", "check", "--no-cache", "--select", "HL990", str(article))
    assert checked.returncode == 0, checked.stderr  # a warning does not fail the gate
    assert "draft.md:3:7: HL990 [warning]" in checked.stdout

    documented = run(checkout, "-m", "healthlint", "rules", "HL990")
    assert documented.returncode == 0 and "## Options" in documented.stdout
    docs = sorted(str(p.relative_to(checkout)) for p in (checkout / "docs").glob("*.md"))
    fresh = run(checkout, "-m", "healthlint", "rules", "--check", "README.md", *docs)
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr

    lint = run(checkout, "-m", "ruff", "check", "--no-cache", "--config", str(REPO / "pyproject.toml"), str(module))
    assert lint.returncode == 0, lint.stdout
    formatted = run(checkout, "-m", "ruff", "format", "--check", "--config", str(REPO / "pyproject.toml"), str(module))
    assert formatted.returncode == 0, formatted.stdout


def test_new_rule_from_another_folder_writes_nothing_and_says_where_to_run_it(checkout: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"  # the checkout's plugins/ (README's HS table) does not load here
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(checkout / "src"), "NO_COLOR": "1"}
    made = subprocess.run(
        [sys.executable, "-m", "healthlint", "new-rule", "HL991", "elsewhere-rule", "--family", "demo"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert made.returncode == 2
    readme = (checkout / "README.md").read_text(encoding="utf-8").splitlines()
    line = readme.index("<!-- rules-table HS -->") + 1
    assert made.stderr == (
        f"healthlint: error: {checkout / 'README.md'}:{line}: no rule code starts with 'HS'"
        " (in <!-- rules-table HS -->), so its rule tables could not be refreshed; nothing was written."
        f" Run new-rule from the checkout's folder ({checkout}), where its plugins load\n"
    )
    assert not list((checkout / "src/healthlint/families/demo/rules").glob("hl991_*"))  # was written, half made
    assert not (checkout / "tests/rules/HL991").exists()
    assert "HL991" not in (checkout / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["hl316", "new-thing", "--family", "claims"], "code 'hl316' must be 2-4 capital letters and 3 digits"),
        (["HL3161", "new-thing", "--family", "claims"], "must be 2-4 capital letters and 3 digits"),
        (["HL316", "New_Thing", "--family", "claims"], "name 'New_Thing' must be kebab-case"),
        (["HL301", "new-thing", "--family", "claims"], "HL301 exists already (uncited-journal-claim"),
        (
            ["HL316", "uncited-journal-claim", "--family", "claims"],
            "the name 'uncited-journal-claim' is taken by HL301",
        ),
        (["HL316", "new-thing", "--family", "no_such_family"], "no family 'no_such_family'"),
        (["HL316", "new-thing", "--family", "../claims"], "family '../claims' must be a Python package name"),
    ],
)
def test_new_rule_refuses_with_one_line(args: list[str], error: str, run_cli, tmp_path: Path) -> None:
    before = sorted(p.name for p in (REPO / "tests" / "rules").iterdir())
    result = run_cli("new-rule", *args, cwd=REPO)
    assert result.exit_code == 2
    assert result.stderr.startswith("healthlint: error: ") and error in result.stderr
    assert result.stderr.count("\n") == 1
    assert sorted(p.name for p in (REPO / "tests" / "rules").iterdir()) == before
