"""The one driver: check, publish, the library API and the pytest plugin run articles the same way."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import healthlint
from healthlint.api import lint_paths, lint_text
from healthlint.config import load_config

from .helpers import make_project

#: A local plugin: TST101 "miracle" (from helpers) plus TST201, which reports what the selection says.
SELECTION_PLUGIN = """
from healthlint import Hit, Rule, Severity, hookimpl

SEEN = {}


@hookimpl
def healthlint_configure(config, selection):
    SEEN["configure"] = (selection.is_selected("TST101"), selection.any_selected("TST1"))


def check(article, ctx):
    ctx.notice("selection reported", incomplete=False)
    yield Hit(1, 1, f"TST101 selected here: {ctx.is_selected('TST101')}; at configure: {SEEN['configure']}")


@hookimpl
def healthlint_register_rules(register):
    register(Rule("TST201", "selection-probe", "Reports the selection", Severity.SUGGESTION, check))
"""

CONFIG = """
select = ["TST", "HL0"]

[per-file-ignores]
"articles/bad.md" = ["TST101"]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project", config=CONFIG, plugins={"probe": SELECTION_PLUGIN})


def _findings(articles: list[dict]) -> list[tuple[str, str, int, str]]:
    return sorted((Path(a["path"]).name, f["code"], f["line"], f["message"]) for a in articles for f in a["findings"])


def test_check_the_api_and_the_pytest_plugin_report_the_same(project, run_cli, lint, monkeypatch):
    cli = run_cli("check", "articles", "--format", "json", "--no-cache", cwd=project)
    assert cli.exit_code == 0, cli.stderr
    document = json.loads(cli.stdout)
    from_cli = _findings(document["articles"])

    report = lint_paths([project / "articles"], config=load_config(project / "healthlint.toml"))
    from_api = _findings([{"path": a.path, "findings": [f.to_json() for f in a.findings]} for a in report.articles])
    monkeypatch.chdir(project)
    plugin_report = lint(project / "articles", config=load_config(project / "healthlint.toml"), local_plugins=True)
    from_plugin = _findings(
        [{"path": a.path, "findings": [f.to_json() for f in a.findings]} for a in plugin_report.articles]
    )

    assert from_cli == from_api == from_plugin
    # per-file ignores switch TST101 off for bad.md, in the rule context's selection too
    assert ("bad.md", "TST201", 1, "TST101 selected here: False; at configure: (True, True)") in from_cli
    assert ("good.md", "TST201", 1, "TST101 selected here: True; at configure: (True, True)") in from_cli
    assert not any(code == "TST101" for _, code, _, _ in from_cli)
    assert [n["message"] for n in document["notices"]] == ["selection reported"]
    assert [n.message for n in report.notices] == [n.message for n in plugin_report.notices] == ["selection reported"]


def test_the_api_takes_one_path_or_code_as_well_as_a_list(tmp_path, monkeypatch):
    project = make_project(tmp_path)
    monkeypatch.chdir(project)
    config = load_config(project / "healthlint.toml")
    listed = lint_paths(["articles"], config=config, select=["TST1"])
    for one in ("articles", project / "articles"):  # was: its characters, 'a: no such file or folder'
        alone = lint_paths(one, config=config, select="TST1")
        assert [(a.path, [f.code for f in a.findings]) for a in alone.articles] == [
            (str(one) + a.path.removeprefix("articles"), [f.code for f in a.findings]) for a in listed.articles
        ]
    assert any(f.code == "TST101" for a in listed.articles for f in a.findings)
    assert lint_text("A miracle tea.\n", config=config, select="TST1").findings[0].code == "TST101"
    assert lint_text("A miracle tea.\n", config=config, select=["TST1", "HL0"], ignore="TST101").findings == []


def test_publish_withholds_by_the_same_gate_as_check(project, run_cli):
    (project / "articles" / "bad.md").write_text("# A cure\n\nThis is a miracle.\n", encoding="utf-8")
    (project / "healthlint.toml").write_text('select = ["TST101", "HL0"]\n', encoding="utf-8")
    check = run_cli("check", "articles", "--no-cache", cwd=project)
    published = run_cli("publish", "articles", "--out", "site", cwd=project)
    assert check.exit_code == 1 and published.exit_code == 0, published.stderr
    assert "withheld   articles/bad.md: TST101 miracle-word" in published.lines
    assert (project / "site" / "good.html").is_file() and not (project / "site" / "bad.html").exists()


def test_the_result_cache_and_workers_give_the_results_of_a_plain_run(project, run_cli):
    for i in range(6):
        (project / "articles" / f"more-{i}.md").write_text(f"# Note {i}\n\nA miracle {i}.\n", encoding="utf-8")
    plain = run_cli("check", "articles", "--format", "json", "--no-cache", "-j", "1", cwd=project)
    cold = run_cli("check", "articles", "--format", "json", "-j", "2", cwd=project)
    warm = run_cli("check", "articles", "--format", "json", "-j", "2", cwd=project)
    documents = [json.loads(r.stdout) for r in (plain, cold, warm)]
    assert documents[0]["articles"] == documents[1]["articles"] == documents[2]["articles"]
    assert documents[0]["notices"] == documents[1]["notices"] == documents[2]["notices"]


def test_the_package_imports_without_an_import_order_trick():
    source = Path(healthlint.__file__).read_text(encoding="utf-8")
    assert "noqa: E402" not in source
    code = "import healthlint.families.core.plugin as core, healthlint; print(core.hookimpl is healthlint.hookimpl)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "True", done.stderr


def test_lint_text_reports_what_a_file_with_that_text_reports(project, monkeypatch):
    monkeypatch.chdir(project)
    text = "# A cure\n\nThis tea is a miracle.\n"
    (project / "articles" / "note.md").write_text(text, encoding="utf-8")
    config = load_config(project / "healthlint.toml")
    from_text = healthlint.lint_text(text, path="articles/note.md", config=config)
    from_file = lint_paths(["articles/note.md"], config=config).articles[0]
    assert [f.code for f in from_text.findings] == ["TST201", "TST101"]
    assert from_text.findings == from_file.findings and from_text.passed is from_file.passed is False


def test_the_api_refuses_what_the_cli_refuses_with_an_exception_a_caller_can_catch(tmp_path, monkeypatch):
    project = make_project(tmp_path)
    monkeypatch.chdir(project)
    # A selection that runs no rule would pass every article unchecked: the CLI exits 2, the API raises.
    with pytest.raises(healthlint.UsageError, match="no rule would run"), pytest.warns(UserWarning, match="HL999"):
        lint_text("A miracle tea.\n", select="HL999")
    with pytest.raises(healthlint.UsageError, match="no rule would run"), pytest.warns(UserWarning, match="ZZZ"):
        lint_paths("articles", select=["ZZZ"])
    # A code that names no rule, beside one that does, is a warning (the CLI's), not a silent no-op.
    with pytest.warns(UserWarning, match="^select=HL999 names no rule"):
        result = lint_text("A miracle tea.\n", select=["TST1", "HL999"])
    assert [f.code for f in result.findings] == ["TST101"]
    with pytest.warns(UserWarning, match="^ignore=TST109 names no rule; did you mean TST101"):
        lint_text("A miracle tea.\n", ignore="TST109")
    # A config given as a path is loaded; a broken one is a ConfigError naming the file.
    (project / "bad.toml").write_text("no-such-key = 1\n", encoding="utf-8")
    for given in ("bad.toml", project / "bad.toml"):
        with pytest.raises(healthlint.ConfigError, match=r"bad\.toml: no-such-key: unknown key"):
            load_config(given)  # type: ignore[arg-type]
        with pytest.raises(healthlint.ConfigError, match=r"bad\.toml: no-such-key: unknown key"):
            lint_text("A miracle tea.\n", config=given)
    with pytest.raises(healthlint.ConfigError, match=r"nowhere\.toml: config file not found"):
        lint_paths("articles", config="nowhere.toml")
    assert lint_text("A miracle tea.\n", config="healthlint.toml").findings[0].code == "TST101"
    with pytest.raises(TypeError, match="config= takes a Config"):
        lint_text("A miracle tea.\n", config={"select": ["TST1"]})  # type: ignore[arg-type]
    # The text is text: bytes or None is the caller's mistake, not an article with HL001.
    for wrong in (b"A miracle tea.\n", None):
        with pytest.raises(TypeError, match="lint_text takes the article's text as str"):
            lint_text(wrong)  # type: ignore[arg-type]
    with pytest.raises(healthlint.UsageError, match=r"nowhere\.md: no such file or folder"):
        lint_paths(["articles", "nowhere.md"])
    # A folder with no articles passes, as the CLI's does: with the CLI's warning.
    with pytest.warns(UserWarning, match=r"no articles found in plugins \(files ending \.markdown"):
        assert lint_paths("plugins").passed


def test_the_api_reads_codes_as_the_cli_reads_them(tmp_path, monkeypatch):
    # --select tst1,hl0 works on the command line (any case, commas, a renamed code redirected with a notice); the
    # API took the strings as written: select="tst1" named no rule and raised, "TST1,HL0" too, and ignore="HL514"
    # (now HL702) ignored nothing.
    project = make_project(tmp_path)
    monkeypatch.chdir(project)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert [f.code for f in lint_text("A miracle tea.\n", select="tst1").findings] == ["TST101"]
        assert [f.code for f in lint_text("A miracle tea.\n", select=[" TST1, hl0 "]).findings] == ["TST101"]
    with pytest.warns(UserWarning, match="^ignore=HL514: HL514 page-clutter is now HL702"):
        lint_text("A miracle tea.\n", select=["TST1", "HL7"], ignore="HL514")
    with pytest.raises(healthlint.UsageError, match=r"^select: 'HL3O1' is not a rule code or code prefix"):
        lint_text("A miracle tea.\n", select=["TST1", "HL3O1"])
