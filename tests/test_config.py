"""Configuration: discovery, strict validation, selection, severities and per-file ignores."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pytest

from healthlint.config import Config, ConfigError, find_config, load_config, parse_options
from healthlint.model import Severity
from healthlint.rules import Rule, RuleSelector, Selection


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_healthlint_toml_wins_over_pyproject_without_merging(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.healthlint]\nfail-on = "warning"\nignore = ["HL4"]\n')
    write(tmp_path / "healthlint.toml", 'select = ["HL1"]\n')
    config = load_config(start=tmp_path / "sub")
    assert config.source == tmp_path / "healthlint.toml"
    assert config.select == ["HL1"]
    assert config.fail_on is Severity.ERROR  # not taken from pyproject
    assert config.ignore == []


def test_pyproject_without_a_healthlint_table_is_passed_over(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.black]\nline-length = 80\n")
    assert find_config(tmp_path) in (None,) or find_config(tmp_path) != tmp_path / "pyproject.toml"


def test_values_are_read_into_the_config(tmp_path):
    path = write(
        tmp_path / "pyproject.toml",
        """
[tool.healthlint]
paths = ["content"]
select = ["hl1", "HL3"]
extend-select = ["ACME1"]
ignore = ["HL301"]
fail-on = "Warning"
show = "warning"
exclude = ["drafts/*"]
[tool.healthlint.severity]
HL401 = "error"
HL4 = "suggestion"
[tool.healthlint.per-file-ignores]
"archive/*.md" = ["HL2", "HL401"]
""",
    )
    config = load_config(path)
    assert config.paths == ["content"]
    assert config.select == ["HL1", "HL3"]
    assert config.extend_select == ["ACME1"]
    assert config.fail_on is Severity.WARNING
    assert config.show is Severity.WARNING
    assert config.severity_for("HL401", Severity.WARNING) is Severity.ERROR  # longest prefix wins
    assert config.severity_for("HL402", Severity.WARNING) is Severity.SUGGESTION
    assert config.severity_for("HL101", Severity.WARNING) is Severity.WARNING
    assert config.ignored_for_path(str(tmp_path / "archive" / "old.md")) == ["HL2", "HL401"]
    assert config.ignored_for_path(str(tmp_path / "new.md")) == []
    assert config.is_excluded(tmp_path / "drafts" / "x.md")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('selec = ["HL1"]', "tool.healthlint.selec: unknown key"),
        ('fail-on = "fatal"', "tool.healthlint.fail-on: 'fatal' is not a severity"),
        ('select = "HL1"', "tool.healthlint.select: must be a list of strings"),
        ('ignore = ["not a code"]', "is not a rule code or code prefix"),
        ("[tool.healthlint.severity]\nHL401 = 3", "tool.healthlint.severity.HL401: must be a string"),
        ('paths = ["a"', "not valid TOML"),
    ],
)
def test_bad_config_names_the_file_and_the_key(tmp_path, body, message):
    path = write(tmp_path / "pyproject.toml", f"[tool.healthlint]\n{body}\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value).startswith(f"{path}: ")
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("name", "body", "where", "top"),
    [
        (
            "healthlint.toml",
            '[per-file-ignores]\n"old/*" = ["HL4"]\noutput-format = "json"',
            "per-file-ignores.output-format",
            "at the top level (before any table)",
        ),
        (
            "healthlint.toml",
            '[severity]\nHL401 = "error"\nfail-on = "warning"',
            "severity.fail-on",
            "at the top level (before any table)",
        ),
        (
            "pyproject.toml",
            '[tool.healthlint.severity]\nHL401 = "error"\nfail-on = "warning"',
            "tool.healthlint.severity.fail-on",
            "in [tool.healthlint]",
        ),
        (
            "pyproject.toml",
            '[tool.healthlint.publish]\ntitle = "Library"\nexclude = ["a/*"]',
            "tool.healthlint.publish.exclude",
            "in [tool.healthlint]",
        ),
    ],
)
def test_a_top_level_key_written_below_a_table_header_says_where_it_belongs(tmp_path, name, body, where, top):
    path = write(tmp_path / name, body + "\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(f"{path}: {where}: ")
    key = where.rsplit(".", 1)[1]
    assert message.endswith(
        f"; {key!r} belongs {top}: in TOML a key below a [table] header is part of that table,"
        " so write it above the header (line 3)"  # the line of the misplaced key
    )


def test_a_bad_severity_level_gets_no_such_hint(tmp_path):
    path = write(tmp_path / "healthlint.toml", '[severity]\nHL401 = "errr"\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value) == (
        f"{path}: severity.HL401: 'errr' is not a severity (choose from suggestion, warning, error) (line 2)"
    )


def test_a_config_error_names_the_line_of_its_key(tmp_path):
    from healthlint.config import key_line

    path = write(
        tmp_path / "pyproject.toml",
        "[project]\n"
        'name = "site"  # select = 1\n'
        "\n"
        "[[tool.other]]\n"
        "select = 2\n"
        "[tool.healthlint]\n"
        'select = ["HL"]\n'
        "  fail-on = 'error'\n"
        "plugins.spun.deep = true\n"
        '[ tool . healthlint . "per-file-ignores" ]\n'
        '"docs/*.md" = ["HL4"]\n'
        "'old.v1/*' = [\n"
        '  "HL2",\n'
        "]\n",
    )
    assert key_line(path, "tool.healthlint.select") == 7  # not the comment, nor an array table's key
    assert key_line(path, "tool.healthlint.fail-on") == 8
    assert key_line(path, "tool.healthlint.plugins.spun.deep") == 9
    assert key_line(path, "tool.healthlint.per-file-ignores") == 10
    assert key_line(path, "tool.healthlint.per-file-ignores.docs/*.md") == 11
    assert key_line(path, "tool.healthlint.per-file-ignores.old.v1/*") == 12
    assert key_line(path, "tool.healthlint.jobs") is None
    assert key_line(tmp_path / "absent.toml", "select") is None

    bad = write(tmp_path / "sub" / "pyproject.toml", "[tool.healthlint]\nselect = ['HL']\n\njobs = 0\n")
    with pytest.raises(ConfigError) as info:
        load_config(bad)
    assert str(info.value) == f"{bad}: tool.healthlint.jobs: must be a whole number of at least 1 (line 4)"


def test_missing_config_file_is_an_error_naming_it(tmp_path):
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")


def rule(code: str, on: bool = True) -> Rule:
    return Rule(code=code, name="x", summary="x", severity=Severity.WARNING, check=None, enabled_by_default=on)


@pytest.mark.parametrize(
    ("select", "extend", "ignore", "code", "on_by_default", "expected"),
    [
        (None, [], [], "HL101", True, True),
        (None, [], [], "HL601", False, False),  # off-by-default rules need selecting
        (None, ["HL6"], [], "HL601", False, True),
        (["HL6"], [], [], "HL601", False, True),
        (["HL1"], [], [], "HL301", True, False),  # select replaces the default set
        (None, [], ["HL3"], "HL301", True, False),
        (["HL3"], [], ["HL301"], "HL301", True, False),  # longer prefix wins
        (["HL301"], [], ["HL3"], "HL301", True, True),
        (["HL3"], [], ["HL3"], "HL301", True, False),  # a tie goes to ignore
        ([""], [], [], "ACME101", True, True),
    ],
)
def test_rule_selection_longest_prefix_wins(select, extend, ignore, code, on_by_default, expected):
    assert RuleSelector(select, extend, ignore).selected(rule(code, on_by_default)) is expected


def test_plugin_options_are_parsed_strictly():
    from dataclasses import dataclass, field

    @dataclass
    class Options:
        max_grade: float = 8.0
        words: list[str] = field(default_factory=list)
        required: bool = False
        server: str | None = None

    opts = parse_options(Options, {"max-grade": 10, "words": ["a"], "server": "http://x"}, Path("p.toml"), "plugins.r")
    assert opts == Options(max_grade=10.0, words=["a"], required=False, server="http://x")
    with pytest.raises(
        ConfigError,
        match=r"p.toml: plugins.r.max_grade: unknown option; did you mean 'max-grade'\? \(options: max-grade",
    ):
        parse_options(Options, {"max_grade": 1}, Path("p.toml"), "plugins.r")
    with pytest.raises(ConfigError, match=re.escape("plugins.r.required: must be true or false, not a string")):
        parse_options(Options, {"required": "yes"}, Path("p.toml"), "plugins.r")
    with pytest.raises(ConfigError, match=r"plugins.r.words\[1\]: must be a string, not an integer"):
        parse_options(Options, {"words": ["a", 2]}, Path("p.toml"), "plugins.r")


def test_unknown_plugin_table_is_an_error(tmp_path):
    config = Config(source=tmp_path / "healthlint.toml", plugin_tables={"readabilty": {}})
    with pytest.raises(
        ConfigError, match=re.escape("plugins.readabilty: no loaded plugin takes options named 'readabilty'")
    ):
        config.with_options({"readability": object})


@pytest.mark.parametrize(
    ("name", "body", "where", "table"),
    [
        ("healthlint.toml", "[plugins.claims]\nrequire-author = true\n", "plugins.claims", "[plugins.metadata]"),
        (
            "pyproject.toml",
            "[tool.healthlint.plugins.claims]\nrequire-author = true\n",
            "tool.healthlint.plugins.claims",
            "[tool.healthlint.plugins.metadata]",
        ),
    ],
)
def test_a_retired_key_names_tables_as_the_config_file_spells_them(tmp_path, run_cli, name, body, where, table):
    (tmp_path / "a.md").write_text("# T\n\nText.\n")
    (tmp_path / name).write_text(body)
    result = run_cli("check", "a.md", cwd=tmp_path)
    assert result.exit_code == 2
    assert f"{name}: {where}.require-author: HL311-HL315 moved to the metadata plugin" in result.stderr
    assert f"set `require-author` in {table} instead" in result.stderr
    if name == "healthlint.toml":
        assert "tool.healthlint" not in result.stderr


def test_a_plugins_value_that_is_no_table_is_shown_as_the_file_spells_it(tmp_path):
    (tmp_path / "healthlint.toml").write_text("plugins = 3\n")
    with pytest.raises(ConfigError, match=re.escape("like [plugins.readability]")):
        load_config(tmp_path / "healthlint.toml")
    (tmp_path / "healthlint.toml").unlink()
    (tmp_path / "pyproject.toml").write_text("[tool.healthlint]\nplugins = 3\n")
    with pytest.raises(ConfigError, match=re.escape("like [tool.healthlint.plugins.readability]")):
        load_config(tmp_path / "pyproject.toml")


def test_plugin_option_choices_are_checked_by_the_host():
    @dataclass
    class Options:
        require: Literal["always", "advice"] = "always"

    assert parse_options(Options, {"require": "advice"}, Path("p.toml"), "plugins.d").require == "advice"
    with pytest.raises(
        ConfigError, match=re.escape("p.toml: plugins.d.require: must be one of 'always', 'advice', not 'never'")
    ):
        parse_options(Options, {"require": "never"}, Path("p.toml"), "plugins.d")


def test_config_is_frozen_and_changed_by_replacing(tmp_path):
    config = Config(root=tmp_path)
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.select = ["HL3"]  # type: ignore[misc]
    changed = dataclasses.replace(config, select=["HL3"])
    assert changed.select == ["HL3"] and config.select is None


def test_publish_allowed_domains_names_the_one_trusted_list(tmp_path):
    path = tmp_path / "healthlint.toml"
    path.write_text('[publish]\nallowed-domains = ["nih.gov"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert str(path) in message and "publish.allowed-domains" in message and "extend-trusted-domains" in message


def test_selection_is_the_one_place_rules_are_chosen(tmp_path):
    rules = {code: rule(code, on) for code, on in (("HL101", True), ("HL102", False), ("HL301", True))}
    config = Config(root=tmp_path, ignore=["HL3"])
    run = Selection.of(config, rules)
    assert [code for code in rules if run.is_selected(code)] == ["HL101"]
    assert run.any_selected("HL1") and not run.any_selected("HL3")
    per_file = run.for_file(["HL101"])
    assert not per_file.is_selected("HL101") and per_file.ignored == ("HL101",)
    assert run.is_selected("HL101"), "a file's ignores must not change the run's selection"
    extended = Selection.of(dataclasses.replace(config, extend_select=["HL102"]), rules)
    assert extended.is_selected("HL102")


#: A plugin table, the key its check names, and the start of the message (each check runs in a plugin, not the host).
PLUGIN_CHECKS = [
    ("verdict", "min-words = -5", "min-words", "must not be negative"),
    ("readability", "min-words = -1", "min-words", "must not be negative"),
    ("readability", 'plain-words-files = ["plain.tsv"]', "plain-words-files", "cannot read 'plain.tsv'"),
    ("spun", "verdict-min-words = -1", "verdict-min-words", "must not be negative"),
    ("disclaimer", "min-words = -1", "min-words", "must be 0 or more"),
    ("metadata", "max-review-age-days = -1", "max-review-age-days", "must be 0 (off) or a number of days"),
    ("grammar", "timeout = 0", "timeout", "must be a number of seconds above 0"),
]


@pytest.mark.parametrize(("plugin", "body", "key", "problem"), PLUGIN_CHECKS)
@pytest.mark.parametrize(("name", "prefix"), [("healthlint.toml", ""), ("pyproject.toml", "tool.healthlint.")])
def test_plugin_checks_name_the_key_as_the_config_file_spells_it(
    tmp_path, run_cli, plugin, body, key, problem, name, prefix
):
    (tmp_path / "a.md").write_text("# T\n\nText.\n")
    (tmp_path / "plain.tsv").write_text("a term with no alternative\n")
    (tmp_path / name).write_text(f"[{prefix}plugins.{plugin}]\n{body}\n")
    result = run_cli("check", "a.md", "--no-cache", cwd=tmp_path)
    assert result.exit_code == 2, result.output
    assert f"{name}: {prefix}plugins.{plugin}.{key}: {problem}" in result.stderr
    if not prefix:
        assert "tool.healthlint" not in result.stderr


@pytest.mark.parametrize(("name", "prefix"), [("healthlint.toml", ""), ("pyproject.toml", "tool.healthlint.")])
def test_a_missing_plugins_dir_is_named_as_the_config_file_spells_it(tmp_path, run_cli, name, prefix):
    (tmp_path / "a.md").write_text("# T\n\nText.\n")
    (tmp_path / name).write_text(f'{"[tool.healthlint]" if prefix else ""}\nplugins-dir = "nowhere"\n')
    result = run_cli("check", "a.md", "--no-cache", cwd=tmp_path)
    assert result.exit_code == 2, result.output
    assert f"{name}: {prefix}plugins-dir: plugins-dir 'nowhere' is not a folder" in result.stderr


def test_plugin_key_spells_plugin_options_for_the_file_at_hand():
    assert Config().plugin_key("verdict", "min-words") == "plugins.verdict.min-words"
    pyproject = Config(key_prefix="tool.healthlint.")
    assert pyproject.plugin_key("verdict", "min-words") == "tool.healthlint.plugins.verdict.min-words"
    assert pyproject.plugin_key("verdict") == "tool.healthlint.plugins.verdict"


def test_the_line_of_a_key_is_not_taken_from_inside_a_string_or_an_array(tmp_path):
    from healthlint.config import key_line

    path = write(
        tmp_path / "pyproject.toml",
        "[project]\n"
        'description = """\n'  # a multi-line string whose lines look like a table and a key
        "[tool.healthlint]\n"
        "jobs = 0\n"
        '"""\n'
        "[tool.other]\n"
        "matrix = [\n"
        '  ["tool.healthlint"]\n'  # an array's line that looks like a header
        "]\n"
        "path = 'C:\\'\n"
        'quote = "a \\"\\"\\" b"\n'  # escaped quotes open no string
        "\n"
        "[tool.healthlint]\n"
        "# a comment with a line separator: \u2028 (one line for TOML, two for str.splitlines)\n"
        "jobs = 0\n"
        'severity = { HL401 = "errr" }\n',
    )
    assert key_line(path, "tool.healthlint.jobs") == 15  # was 4, inside the description
    assert key_line(path, "tool.healthlint.severity.HL401") == 16  # an inline table: the line holding it
    assert key_line(path, "tool.healthlint.fail-on") is None
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value).endswith("(line 15)")


LOAD_CONFIG_NAMED = (
    "import sys, pathlib; from healthlint.config import load_config; load_config(pathlib.Path(sys.argv[1]))"
)


def test_a_config_read_from_a_pipe_is_not_read_again_for_the_line(tmp_path):
    import os
    import subprocess
    import sys
    import threading

    fifo = tmp_path / "healthlint.toml"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "w", encoding="utf-8") as writer:  # one writer, as a shell's <(...) is
            writer.write("jobs = 0\n")

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    try:
        done = subprocess.run(
            [sys.executable, "-c", LOAD_CONFIG_NAMED, str(fifo)],
            capture_output=True,
            text=True,
            timeout=30,  # was: waiting forever to read the pipe again for the key's line
            check=False,
        )
    finally:
        if feeder.is_alive():  # the child never opened it: let the thread end
            with open(fifo, encoding="utf-8") as reader:
                reader.read()
    assert done.returncode == 1
    assert done.stderr.rstrip().endswith(f"ConfigError: {fifo}: jobs: must be a whole number of at least 1")


def test_a_config_file_with_a_byte_order_mark_is_read_and_its_lines_found(tmp_path):
    path = tmp_path / "healthlint.toml"
    path.write_bytes("\ufeff# saved by Notepad\r\nselect = ['HL']\r\n[severity]\r\nHL401 = 'errr'\r\n".encode())
    with pytest.raises(ConfigError) as info:  # was: "not valid TOML: Invalid statement (at line 1, column 1)"
        load_config(path)
    assert str(info.value) == (
        f"{path}: severity.HL401: 'errr' is not a severity (choose from suggestion, warning, error) (line 4)"
    )
    path.write_bytes("\ufeff[tool.healthlint]\nselect = ['HL4']\n".encode())
    assert load_config(path).select == ["HL4"]


@pytest.mark.parametrize(
    ("text", "key", "meant"),
    [
        ('fail_on = "warning"\n', "fail_on", "fail-on"),  # snake_case, as Python and some tools spell keys
        ('fial-on = "warning"\n', "fial-on", "fail-on"),
        ('igonre = ["HL4"]\n', "igonre", "ignore"),
        ('[sevrity]\nHL303 = "error"\n', "sevrity", "severity"),
        ('[plugins.disclaimer]\nrequired = "always"\n', "plugins.disclaimer.required", "require"),
        ('[plugins.spun]\nallow_words = ["x"]\n', "plugins.spun.allow_words", "allow-words"),
    ],
)
def test_a_misspelt_key_is_named_with_the_key_meant(tmp_path, text, key, meant):
    from healthlint.plugins import get_plugin_manager

    path = tmp_path / "healthlint.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        get_plugin_manager(load_config(path), autoload=False, local=False)
    assert f"{path}: {key}: unknown " in str(caught.value)
    assert f"; did you mean {meant!r}? (" in str(caught.value)


def test_a_key_like_none_known_gets_no_guess(tmp_path):
    path = tmp_path / "healthlint.toml"
    path.write_text("colour = true\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "colour: unknown key (known keys: " in str(caught.value)


@pytest.mark.parametrize("table", ["healthlnt", "health-lint", "health_lint", "Healthlint"])
def test_a_misspelt_tool_table_in_pyproject_is_an_error_not_a_silent_default(tmp_path, table):
    path = tmp_path / "pyproject.toml"
    path.write_text(f'[project]\nname = "site"\n\n[tool.{table}]\nfail-on = "warning"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:  # was: no config found, so the defaults, and fail-on silently error
        find_config(tmp_path)
    assert str(caught.value) == (
        f"{path}: tool.{table}: this table is not read; did you mean [tool.healthlint]? (without it, this file"
        " configures nothing) (line 4)"
    )


def test_other_tools_tables_in_pyproject_are_left_alone(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.ruff]\nline-length = 100\n[tool.healthcheck]\nx = 1\n")
    assert find_config(tmp_path) is None


@pytest.mark.parametrize("table", ["healthlint-ci", "healthlint_ext", "healthlint-hs"])
def test_a_tool_named_after_healthlint_is_not_taken_for_a_typo_of_it(tmp_path, table):
    # a project's own wrapper or plugin keeps its settings beside healthlint's: every run below it refused (exit 2)
    (tmp_path / "pyproject.toml").write_text(f"[tool.{table}]\nx = 1\n", encoding="utf-8")
    assert find_config(tmp_path) is None


# Files of a scratch project, and glob patterns read as .gitignore reads them (`*` crossing folders, which README
# documents as healthlint's own, is left out: `news/*.md` is the one pattern where the two differ on purpose).
GLOB_FILES = (
    "a.md",
    "drafts.md",
    "drafts/x.md",
    "articles/drafts/y.md",
    "old/z.md",
    "articles/old/w.md",
    "a/b/c.md",
    "a/x/b/d.md",
    "a/x/y/b/e.md",
    "articles/a/b/f.md",
    "news/one.md",
)
GLOB_PATTERNS = ("drafts/", "/drafts", "/drafts/", "drafts", "**/old", "old/", "a/**/b", "a/b", "*.md", "**/b/")


@pytest.mark.parametrize("pattern", GLOB_PATTERNS)
def test_exclude_and_per_file_ignores_skip_what_git_ignores(tmp_path, pattern):
    import shutil
    import subprocess

    from healthlint.engine.driver import collect_files

    if shutil.which("git") is None:
        pytest.skip("no git to compare with")
    for name in GLOB_FILES:
        write(tmp_path / name, "# A title\n\nSome text.\n")
    write(tmp_path / ".gitignore", pattern + "\n")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    git = subprocess.run(
        ["git", "-C", str(tmp_path), "check-ignore", "--no-index", "--stdin"],
        input="\n".join(GLOB_FILES),
        capture_output=True,
        text=True,
        check=False,
    )
    ignored_by_git = set(git.stdout.split())
    assert ignored_by_git, "the pattern should ignore something"
    config = dataclasses.replace(Config(), root=tmp_path, exclude=[pattern], per_file_ignores={pattern: ["HL4"]})
    walked = {path.relative_to(tmp_path).as_posix() for _, path in collect_files([str(tmp_path)], config)}
    assert set(GLOB_FILES) - walked == ignored_by_git
    assert {name for name in GLOB_FILES if config.ignored_for_path(str(tmp_path / name))} == ignored_by_git
    # pre-commit names every file (check --force-exclude), and the server asks of each document: they agree.
    from healthlint.engine.driver import _excluded_where_it_lies

    named = {name for name in GLOB_FILES if _excluded_where_it_lies(tmp_path / name, config, config.is_excluded)}
    assert named == ignored_by_git


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('exclude = ["drafts/", "!drafts/keep.md"]\n', "exclude"),
        ('extend-exclude = ["!keep.md"]\n', "extend-exclude"),
        ('[per-file-ignores]\n"!news/*" = ["HL4"]\n', "per-file-ignores"),
    ],
)
def test_a_negated_glob_is_refused_rather_than_matching_nothing(tmp_path, text, where):
    # As .gitignore reads it, '!' takes a file back; healthlint's globs have no negation, and fnmatch read the '!'
    # as a letter: the pattern matched no file, and the draft meant to be kept was skipped without a word.
    with pytest.raises(ConfigError, match=rf"{where}.*'!' .*not supported"):
        load_config(write(tmp_path / "healthlint.toml", text))
