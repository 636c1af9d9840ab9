"""The CI gate: --output files, baselines, and --diff against a git ref."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from healthlint.config import Config
from healthlint.plugins import get_plugin_manager

from .conftest import shared_path
from .helpers import make_project


def test_output_writes_the_format_to_a_file_and_text_to_the_terminal(tmp_path, run_cli):
    make_project(tmp_path)
    result = run_cli("check", "articles", "--format", "json", "--output", "reports/out.json", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.lines[0] == "articles/bad.md:3:15: TST101 [error] the word 'miracle'"
    data = json.loads((tmp_path / "reports" / "out.json").read_text())
    assert data["summary"]["failed"] == 1
    assert not list((tmp_path / "reports").glob(".*.tmp"))


def test_baseline_fails_only_on_new_findings(tmp_path, run_cli):
    make_project(tmp_path)
    written = run_cli("check", "articles", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert written.exit_code == 0
    assert "healthlint: recorded 1 finding in baseline.json" in written.stderr
    entry = json.loads((tmp_path / "baseline.json").read_text())["findings"][0]
    assert (entry["path"], entry["code"], entry["count"]) == ("articles/bad.md", "TST101", 1)

    clean = run_cli("check", "articles", "--baseline", "baseline.json", cwd=tmp_path)
    assert clean.exit_code == 0
    assert clean.lines == ["2 articles checked: 2 passed, 0 failed (no findings)"]

    # Editing the article moves the old finding: it stays known. A second copy is new.
    bad = tmp_path / "articles" / "bad.md"
    bad.write_text(
        "# A cure\n\nNew first paragraph.\n\nThis tea is a miracle for\nback pain.\n\nAnother miracle here.\n"
    )
    edited = run_cli("check", "articles", "--baseline", "baseline.json", cwd=tmp_path)
    assert edited.exit_code == 1
    assert [line for line in edited.lines if "TST101" in line] == [
        "articles/bad.md:8:9: TST101 [error] the word 'miracle'"
    ]


def test_fixing_a_baselined_finding_is_noticed(tmp_path, run_cli):
    make_project(tmp_path)
    run_cli("check", "articles", "--write-baseline", "baseline.json", cwd=tmp_path)
    (tmp_path / "articles" / "bad.md").write_text("# Tea\n\nA warm drink.\n")
    result = run_cli("check", "articles", "--baseline", "baseline.json", cwd=tmp_path)
    assert result.exit_code == 0
    assert (
        "notice: baseline 1 baselined finding no longer occurs; write the baseline again to drop them" in result.stdout
    )
    run_cli("check", "articles", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert json.loads((tmp_path / "baseline.json").read_text())["findings"] == []


def test_the_fixed_notice_counts_in_the_plural(tmp_path, run_cli):
    make_project(tmp_path)
    bad = tmp_path / "articles" / "bad.md"
    bad.write_text("# A cure\n\nThis tea is a miracle.\n\nAnother miracle here.\n")
    run_cli("check", "articles", "--write-baseline", "baseline.json", cwd=tmp_path)
    bad.write_text("# Tea\n\nA warm drink.\n")
    result = run_cli("check", "articles", "--baseline", "baseline.json", cwd=tmp_path)
    assert result.exit_code == 0
    assert (
        "notice: baseline 2 baselined findings no longer occur; write the baseline again to drop them" in result.stdout
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "baseline.json: baseline file not found (create it with --write-baseline)"),
        ("{not json", "baseline.json: not a readable baseline file"),
        ('{"findings": []}', "baseline.json: not a healthlint baseline (version 1)"),
    ],
)
def test_a_bad_baseline_is_a_usage_error(tmp_path, run_cli, content, message):
    make_project(tmp_path)
    if content is not None:
        (tmp_path / "baseline.json").write_text(content)
    result = run_cli("check", "articles", "--baseline", "baseline.json", cwd=tmp_path)
    assert result.exit_code == 2
    assert message in result.stderr


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    make_project(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "-c", "user.email=t@example.org", "-c", "user.name=T", "add", ".")
    git(tmp_path, "-c", "user.email=t@example.org", "-c", "user.name=T", "commit", "-q", "-m", "start")
    return tmp_path


def test_diff_checks_only_articles_changed_since_a_ref(repo, run_cli):
    (repo / "articles" / "good.md").write_text("# Walking\n\nA miracle of a walk.\n")
    (repo / "articles" / "new.md").write_text("# New\n\nPlain text.\n")
    result = run_cli("check", "articles", "--diff", "HEAD", cwd=repo)
    assert result.exit_code == 1
    assert result.lines[0] == "articles/good.md:3:3: TST101 [error] the word 'miracle'"
    assert result.lines[-1].startswith("2 articles checked:")  # bad.md is unchanged and not checked


def test_diff_with_an_unknown_ref_is_a_usage_error(repo, run_cli):
    result = run_cli("check", "articles", "--diff", "no-such-branch", cwd=repo)
    assert result.exit_code == 2
    assert result.stderr.strip() == "healthlint: error: --diff no-such-branch: not a commit in this repository"


def test_diff_outside_a_repository_is_a_usage_error(tmp_path, run_cli):
    make_project(tmp_path)
    result = run_cli("check", "articles", "--diff", "HEAD", cwd=tmp_path)
    assert result.exit_code == 2
    assert "--diff HEAD:" in result.stderr and "not a git repository" in result.stderr.lower()


def test_seed_baseline_round_trip_and_a_new_spun_sentence(tmp_path, run_cli):
    seeds = shared_path("seeds")
    if not any(code.startswith("HL1") for code in get_plugin_manager(Config(), autoload=False, local=False).rules):
        pytest.skip("no spun-text rules (HL1xx) registered yet")
    copy = tmp_path / "seeds"
    shutil.copytree(seeds, copy, ignore=shutil.ignore_patterns("*.json"))
    assert run_cli("check", "seeds", "--write-baseline", "b.json", cwd=tmp_path).exit_code == 0
    assert run_cli("check", "seeds", "--baseline", "b.json", cwd=tmp_path).exit_code == 0
    target = sorted(copy.glob("002_*.txt"))[0]
    target.write_text(
        target.read_text(encoding="utf-8") + "\nIn lots of cases the reply is sure, slightly than no.\n",
        encoding="utf-8",
    )
    result = run_cli("check", "seeds", "--baseline", "b.json", cwd=tmp_path)
    assert result.exit_code == 1
    findings = [line for line in result.lines if line.startswith("seeds/")]
    assert findings and all(line.startswith(f"seeds/{target.name}:") for line in findings)
    assert all(line.split(":")[1] == str(target.read_text().count("\n")) for line in findings if "HL1" in line)
