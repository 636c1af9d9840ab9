"""The plugin host: entry points, local plugins, broken plugins, and one test per hook."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from healthlint import Finding, Hit, Rule, Severity, hookimpl
from healthlint.config import Config, ConfigError
from healthlint.output import Reporter
from healthlint.plugins import get_plugin_manager
from healthlint.testing import codes

from .helpers import make_project


def simple_rule(code: str = "TST201", check=None, name: str = "test-rule") -> Rule:
    def default_check(article, ctx):
        yield Hit(line=1, column=1, message="always")

    return Rule(code=code, name=name, summary="test", severity=Severity.ERROR, check=check or default_check)


class RulePlugin:
    def __init__(self, *rules: Rule) -> None:
        self.rules = rules

    @hookimpl
    def healthlint_register_rules(self, register):
        for rule in self.rules:
            register(rule)


# -- Loading ------------------------------------------------------------------------------


def test_builtins_come_from_entry_points_like_any_plugin():
    pm = get_plugin_manager(Config(), autoload=False, local=False)
    core = pm.infos["core"]
    assert core.builtin and core.package == "healthlint" and core.source == "healthlint.families.core.plugin"
    assert pm.rules["HL001"].plugin == "core"


def test_every_family_package_has_an_entry_point():
    import tomllib

    import healthlint.families

    folder = Path(healthlint.families.__file__).parent
    families = {p.name for p in folder.iterdir() if (p / "plugin.py").is_file()}
    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    declared = set(pyproject["project"]["entry-points"]["healthlint"].values())
    assert {f"healthlint.families.{name}.plugin" for name in families} <= declared
    assert families >= {"core", "suppressions", "spun", "disclaimer", "claims", "metadata", "readability", "links"}


def test_a_fresh_manager_per_run_shares_nothing():
    one = get_plugin_manager(Config(), autoload=False, local=False, extra=[RulePlugin(simple_rule())])
    two = get_plugin_manager(Config(), autoload=False, local=False)
    assert "TST201" in one.rules
    assert "TST201" not in two.rules


def test_local_plugin_adds_a_rule_whose_findings_appear(tmp_path, run_cli):
    make_project(tmp_path)
    assert "TST101" in run_cli("rules", cwd=tmp_path).stdout
    result = run_cli("check", "articles/bad.md", cwd=tmp_path)
    assert "TST101 [error]" in result.stdout


def test_plugins_command_lists_versions_hooks_and_codes(tmp_path, run_cli):
    from healthlint import __version__

    make_project(tmp_path)
    result = run_cli("plugins", cwd=tmp_path)
    assert result.exit_code == 0
    lines = result.lines
    core = lines.index(f"core {__version__}  (built-in: healthlint.families.core.plugin)")
    assert lines[core + 1].startswith("  hooks: healthlint_parse_article")
    assert lines[core + 2] == "  rules: HL001, HL002, HL003, HL005"
    words = lines.index(f"words {__version__}  (local: plugins/words.py)")
    assert lines[words + 1] == "  hooks: healthlint_register_options, healthlint_register_rules"
    assert lines[words + 2] == "  rules: TST101"
    data = json.loads(run_cli("plugins", "--format", "json", cwd=tmp_path).stdout)
    assert {"name": "words", "rules": ["TST101"]}.items() <= next(p for p in data if p["name"] == "words").items()


BROKEN_SYNTAX = "from healthlint import hookimpl\n\ndef broken(:\n    pass\n"
UNKNOWN_HOOK = "from healthlint import hookimpl\n\n@hookimpl\ndef healthlint_register_rulez(register):\n    pass\n"
BAD_IMPORT = "import healthlint_no_such_module\n"
STEALS_HL = """
from healthlint import Rule, Severity, hookimpl

@hookimpl
def healthlint_register_rules(register):
    register(Rule(code="HL999", name="mine", summary="s", severity=Severity.ERROR, check=None))
"""


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (BROKEN_SYNTAX, "failed to import: SyntaxError: invalid syntax (broken.py, line 3)"),
        (
            BAD_IMPORT,
            "failed to import: ModuleNotFoundError: No module named 'healthlint_no_such_module' (broken.py, line 1)",
        ),
        (UNKNOWN_HOOK, "uses unknown hook healthlint_register_rulez (did you mean healthlint_register_rules?)"),
        (STEALS_HL, "code HL999 uses the HL prefix, which is reserved for healthlint's own rules"),
    ],
)
def test_a_broken_plugin_gets_one_clear_line_and_the_run_goes_on(tmp_path, run_cli, source, message):
    make_project(tmp_path, plugins={"broken": source})
    result = run_cli("check", "articles", cwd=tmp_path)
    assert result.stderr.splitlines() == [f"healthlint: warning: plugin 'broken' (plugins/broken.py): {message}"]
    assert result.exit_code == 1  # the other plugin still ran
    assert "TST101" in result.stdout
    listing = run_cli("plugins", cwd=tmp_path)
    assert f"  error: {message}" in listing.lines


def test_a_required_plugin_that_is_broken_stops_the_run(tmp_path, run_cli):
    make_project(tmp_path, config='select = ["TST"]\nrequire-plugins = ["broken"]\n', plugins={"broken": BROKEN_SYNTAX})
    result = run_cli("check", "articles", cwd=tmp_path)
    assert result.exit_code == 2
    assert "require-plugins: required plugin 'broken' is not available: failed to import: SyntaxError" in result.stderr


def test_a_required_plugin_left_out_says_why_and_where_in_pyproject(tmp_path, run_cli):
    make_project(tmp_path)
    (tmp_path / "healthlint.toml").unlink()
    (tmp_path / "pyproject.toml").write_text(
        '[tool.healthlint]\nselect = ["TST"]\nrequire-plugins = ["words"]\ndisable-plugins = ["words"]\n'
    )
    result = run_cli("check", "articles", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr == (  # was 'require-plugins: ... not installed', with no line
        f"healthlint: error: {tmp_path / 'pyproject.toml'}: tool.healthlint.require-plugins: required plugin"
        " 'words' is not available: left out by disable-plugins (line 3)\n"
    )


def test_disabled_plugins_are_not_loaded(tmp_path, run_cli):
    make_project(tmp_path, config='select = ["TST", "HL0"]\ndisable-plugins = ["words"]\n')
    result = run_cli("check", "articles", cwd=tmp_path)
    assert result.exit_code == 0
    assert "TST101" not in run_cli("rules", cwd=tmp_path).stdout


def test_duplicate_codes_and_bad_declarations_are_refused():
    pm = get_plugin_manager(
        Config(),
        autoload=False,
        local=False,
        extra=[
            RulePlugin(simple_rule("TST201")),
            RulePlugin(simple_rule("TST201", name="other")),
            RulePlugin(simple_rule("bad")),
        ],
    )
    messages = [e.message for e in pm.errors]
    assert "code TST201 is already registered by plugin 'RulePlugin'" in messages
    assert any("code 'bad' must be 2-4 capital letters and 3 digits" in m for m in messages)


def test_a_crashing_rule_becomes_hl002_naming_plugin_and_rule(lint):
    def crash(article, ctx):
        raise KeyError("title")

    def garbage(article, ctx):
        return ["not a hit"]

    report = lint(
        "Some text.\n",
        select=["TST", "HL0"],
        plugins=[
            RulePlugin(
                simple_rule("TST301", crash, name="crashy"),
                simple_rule("TST302", garbage, name="junk"),
                simple_rule("TST303"),
            )
        ],
    )
    findings = report.articles[0].findings
    assert codes(findings) == ["HL002", "HL002", "TST303"]
    assert findings[0].message == "rule TST301 (crashy) of plugin 'RulePlugin' crashed: KeyError: 'title'"
    assert "rule TST302 (junk)" in findings[1].message and "not a healthlint.Hit" in findings[1].message


def test_hit_positions_are_clamped_into_the_file(lint):
    def wild(article, ctx):
        yield Hit(line=99, column=0, end_line=-3, end_column=0, message="out of range")

    crashed, finding = (
        lint("One line.\n", select=["TST"], plugins=[RulePlugin(simple_rule("TST401", wild))]).articles[0].findings
    )
    # line 2 is the empty line after the final newline: the span is clamped to it
    assert (finding.code, finding.line, finding.column, finding.end_line, finding.end_column) == ("TST401", 2, 1, 2, 1)
    # and the plugin's bug is named, not hidden by the clamping
    assert crashed.code == "HL002"
    assert "rule TST401" in crashed.message and "outside the article (first: line 99; the article ends on line 2)" in (
        crashed.message
    )


# -- One test per hook (a meta-test checks each hookspec has one) -----------------------


def test_hook_healthlint_register_rules(lint):
    report = lint("x\n", select=["TST"], plugins=[RulePlugin(simple_rule())])
    assert codes(report) == ["TST201"]


def test_hook_healthlint_register_options(lint):
    from dataclasses import dataclass

    @dataclass
    class Options:
        message: str = "default"

    class Plugin:
        @hookimpl
        def healthlint_register_options(self, register):
            register("opts", Options)

        @hookimpl
        def healthlint_register_rules(self, register):
            register(simple_rule("TST501", lambda a, ctx: [Hit(1, 1, ctx.options().message)]))

    report = lint("x\n", select=["TST"], plugins=[Plugin()], config={"plugins": {"opts": {"message": "configured"}}})
    assert report.articles[0].findings[0].message == "configured"
    with pytest.raises(ConfigError, match=re.escape("plugins.opts.nope: unknown option")):
        lint("x\n", plugins=[Plugin()], config={"plugins": {"opts": {"nope": 1}}})


def test_hook_healthlint_register_reporters(tmp_path, run_cli):
    source = """
from healthlint import hookimpl
from healthlint.output import Reporter

class Count(Reporter):
    name = "count"
    description = "number of findings"
    def finish(self, report):
        self.out.write(str(sum(len(a.findings) for a in report.articles)) + "\\n")

@hookimpl
def healthlint_register_reporters(register):
    register(Count)
"""
    make_project(tmp_path, plugins={"count": source})
    result = run_cli("check", "articles", "--format", "count", cwd=tmp_path)
    assert result.stdout == "1\n"
    assert issubclass(Reporter, object)


def test_hook_healthlint_configure_and_unconfigure(lint):
    calls = []

    class Plugin:
        @hookimpl
        def healthlint_configure(self, config):
            calls.append(("configure", config.fail_on))

        @hookimpl
        def healthlint_unconfigure(self, config):
            calls.append(("unconfigure", config.fail_on))

    lint("x\n", plugins=[Plugin()])
    assert calls == [("configure", Severity.ERROR), ("unconfigure", Severity.ERROR)]


test_hook_healthlint_unconfigure = test_hook_healthlint_configure_and_unconfigure
test_hook_healthlint_configure = test_hook_healthlint_configure_and_unconfigure


def test_hook_healthlint_ignore_path(tmp_path, lint):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.md").write_text("miracle\n")
    (tmp_path / "keep.md").write_text("miracle\n")

    class Plugin:
        @hookimpl
        def healthlint_ignore_path(self, path, config):
            return path.name == "site" or None

    report = lint(tmp_path, select=["TST"], plugins=[Plugin(), RulePlugin(simple_rule())])
    assert [Path(a.path).name for a in report.articles] == ["keep.md"]


def test_hook_healthlint_parse_article(tmp_path, lint):
    from healthlint.article import parse_article

    (tmp_path / "a.txt").write_text("# Looks like a heading\n")

    class Plugin:
        @hookimpl
        def healthlint_parse_article(self, path, text, config):
            return parse_article(path, text, "markdown")  # treat .txt as Markdown

    kinds = []

    def record(article, ctx):
        kinds.append((article.kind, article.blocks[0].kind))
        return []

    lint(tmp_path / "a.txt", select=["TST"], plugins=[Plugin(), RulePlugin(simple_rule("TST601", record))])
    assert kinds == [("markdown", "heading")]


def test_hook_healthlint_modify_findings(lint):
    class Plugin:
        @hookimpl
        def healthlint_modify_findings(self, article, findings: list[Finding], config):
            findings[:] = [f for f in findings if f.code != "TST201"]

    report = lint("x\n", select=["TST"], plugins=[Plugin(), RulePlugin(simple_rule("TST201"), simple_rule("TST202"))])
    assert codes(report) == ["TST202"]


def test_hook_healthlint_report_finished(lint):
    seen = []

    class Plugin:
        @hookimpl
        def healthlint_report_finished(self, report, config):
            seen.append(report.summary()["articles"])

    lint("x\n", plugins=[Plugin()])
    assert seen == [1]


def test_a_required_plugin_not_installed_says_where_a_package_must_be(tmp_path, run_cli):
    make_project(tmp_path, config='select = ["TST"]\nrequire-plugins = ["acme"]\n')
    result = run_cli("check", "articles", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr == (
        f"healthlint: error: {tmp_path / 'healthlint.toml'}: require-plugins: required plugin 'acme' is not"
        " available: not installed (a plugin package must be installed beside healthlint; under pre-commit:"
        " additional_dependencies) (line 2)\n"
    )


def test_a_plugin_with_a_refused_rule_is_left_out_whole_as_the_warning_and_plugins_say(tmp_path, run_cli):
    twice = """
from healthlint import Hit, Rule, Severity, hookimpl

def check(article, ctx):
    yield Hit(1, 1, "from the half-registered plugin")

@hookimpl
def healthlint_register_rules(register):
    register(Rule("TST777", "own-code", "s", Severity.ERROR, check))
    register(Rule("TST101", "taken-code", "s", Severity.ERROR, check))
"""
    make_project(tmp_path, plugins={"xtwice": twice})  # loaded after words.py
    result = run_cli("check", "articles", cwd=tmp_path)
    assert "plugin 'xtwice' (plugins/xtwice.py): code TST101 is already registered by plugin 'words'" in result.stderr
    assert "TST777" not in result.stdout  # was: its first rule ran, while `plugins` showed it failed, with no rules
    assert "TST777" not in run_cli("rules", cwd=tmp_path).stdout
