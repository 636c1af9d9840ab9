"""The GitHub Actions workflow: valid YAML whose healthlint commands the CLI accepts."""

from __future__ import annotations

import shlex
from pathlib import Path

import click
import yaml

from healthlint.cli import cli

REPO = Path(__file__).resolve().parents[1]


def healthlint_commands() -> list[list[str]]:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "healthlint.yml").read_text())
    commands = []
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            for line in str(step.get("run", "")).splitlines():
                if line.strip().startswith("healthlint "):
                    commands.append(shlex.split(line.replace("${{ github.base_ref }}", "main"))[1:])
    return commands


def test_workflow_runs_the_gate_sarif_and_publish():
    joined = [" ".join(c) for c in healthlint_commands()]
    assert any("--format github" in c and "--diff" in c for c in joined)
    assert any("--format sarif" in c and "--output" in c for c in joined)
    assert any(c.startswith("publish") for c in joined)


def test_every_healthlint_command_in_the_workflow_parses():
    for args in healthlint_commands():
        name, *rest = args
        command = cli.commands.get(name)
        assert command is not None, f"the workflow runs unknown command {name!r}"
        with click.Context(cli) as parent:
            command.make_context(name, list(rest), parent=parent)
