"""The command line: output formats, exit codes, rules and plugins listings."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from healthlint.engine.gate import ExitCode

from .helpers import make_project


def test_check_prints_findings_with_position_suggestion_and_summary(tmp_path, run_cli):
    make_project(tmp_path)
    result = run_cli("check", "articles", cwd=tmp_path)
    assert result.exit_code == 1, result.stderr
    assert result.lines == [
        "articles/bad.md:3:15: TST101 [error] the word 'miracle'",
        "    suggestion: say what it does instead",
        "2 articles checked: 1 passed, 1 failed (1 error)",
    ]
    assert result.stderr == ""


def test_check_defaults_to_the_configured_paths(tmp_path, run_cli):
    make_project(tmp_path, config='select = ["TST"]\npaths = ["articles/good.md"]\n')
    result = run_cli("check", cwd=tmp_path)
    assert result.exit_code == 0
    assert result.lines[-1] == "1 article checked: 1 passed, 0 failed (no findings)"


def test_exit_zero_when_every_article_passes(tmp_path, run_cli):
    make_project(tmp_path)
    assert run_cli("check", "articles/good.md", cwd=tmp_path).exit_code == 0
    assert run_cli("check", "articles", "--exit-zero", cwd=tmp_path).exit_code == 0


def test_fail_on_and_severity_override_change_the_gate(tmp_path, run_cli):
    make_project(tmp_path, config='select = ["TST"]\n[severity]\nTST101 = "warning"\n')
    assert run_cli("check", "articles", cwd=tmp_path).exit_code == 0
    result = run_cli("check", "articles", "--fail-on", "warning", cwd=tmp_path)
    assert result.exit_code == 1
    assert "TST101 [warning]" in result.stdout


def test_show_hides_findings_below_the_threshold_but_not_from_the_summary(tmp_path, run_cli):
    make_project(tmp_path, config='select = ["TST"]\n[severity]\nTST101 = "suggestion"\n')
    result = run_cli("check", "articles", "--show", "warning", cwd=tmp_path)
    assert result.exit_code == 0
    assert result.lines == ["2 articles checked: 2 passed, 0 failed (1 suggestion)"]


def test_select_and_ignore_flags_override_the_config(tmp_path, run_cli):
    make_project(tmp_path)
    result = run_cli("check", "articles", "--ignore", "TST101", cwd=tmp_path)
    assert result.exit_code == 0
    result = run_cli("check", "articles", "--select", "HL0,TST1", cwd=tmp_path)
    assert result.exit_code == 1


def test_a_code_typo_on_the_command_line_is_a_usage_error_as_in_the_config(tmp_path, run_cli):
    make_project(tmp_path)
    for option in ("--select", "--extend-select", "--ignore"):
        result = run_cli("check", "articles", option, "TST1O1", cwd=tmp_path)  # a letter O for a zero
        assert result.exit_code == 2, (option, result.stdout)
        assert result.stderr.strip() == (
            f"healthlint: error: {option}: 'TST1O1' is not a rule code or code prefix (like HL3 or HL301)"
        )
        assert result.stdout == ""


def test_a_selection_that_runs_no_rule_is_refused_instead_of_passing_every_article(tmp_path, run_cli):
    make_project(tmp_path)
    result = run_cli("check", "articles", "--select", "TST9", cwd=tmp_path)
    assert result.exit_code == 2, result.stdout
    assert "healthlint: warning: --select TST9 names no rule (see 'healthlint rules')" in result.stderr
    assert "healthlint: error: no rule would run (select TST9), so every article would pass unchecked" in result.stderr
    assert "articles checked" not in result.stdout
    ignored = run_cli("check", "articles", "--ignore", "TST,HL0", cwd=tmp_path)
    assert ignored.exit_code == 2 and "no rule would run (select TST,HL0; ignore TST,HL0)" in ignored.stderr
    assert ignored.stderr.count("warning") == 0  # both ignores name rules: nothing to warn of
    (tmp_path / "healthlint.toml").write_text('select = ["TST9"]\n', encoding="utf-8")
    refused = run_cli("publish", "articles", "--out", "site", cwd=tmp_path)
    assert refused.exit_code == 2
    assert f"healthlint: warning: {tmp_path / 'healthlint.toml'}: select: TST9 names no rule" in refused.stderr
    assert "no rule would run (select TST9)" in refused.stderr
    assert not (tmp_path / "site").exists()


def test_a_code_that_names_no_rule_is_warned_of_and_the_rest_of_the_selection_runs(tmp_path, run_cli):
    make_project(tmp_path)
    result = run_cli("check", "articles", "--select", "TST1,HL99", "--ignore", "XYZ1", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "healthlint: warning: --select HL99 names no rule (see 'healthlint rules')",
        "healthlint: warning: --ignore XYZ1 names no rule (see 'healthlint rules')",
    ]
    assert "TST101 [error]" in result.stdout
    assert run_cli("rules", "TST101", cwd=tmp_path).stderr == ""  # only the commands that check articles warn


def test_a_code_of_a_disabled_plugin_is_said_to_be_one_not_a_code_that_names_nothing(tmp_path, run_cli):
    make_project(tmp_path, config='select = ["TST", "HL0"]\nignore = ["TST102"]\ndisable-plugins = ["words"]\n')
    result = run_cli("check", "articles", cwd=tmp_path)
    assert result.exit_code == 0, result.stdout  # HL0 still runs
    config = tmp_path / "healthlint.toml"
    assert result.stderr.splitlines() == [  # was: 'TST names no rule', as if a typo
        f"healthlint: warning: {config}: {key}: {code} names no rule of the plugins loaded (not loaded: words)"
        f" (see 'healthlint rules') (line {line})"
        for key, code, line in (("select", "TST", 1), ("ignore", "TST102", 2))
    ]
    refused = run_cli("check", "articles", "--select", "TST1", cwd=tmp_path)
    assert refused.exit_code == 2
    assert refused.stderr.splitlines()[0] == (
        "healthlint: warning: --select TST1 names no rule of the plugins loaded (not loaded: words)"
        " (see 'healthlint rules')"
    )


def test_json_output_follows_the_contract(tmp_path, run_cli):
    from healthlint import __version__

    make_project(tmp_path)
    result = run_cli("check", "articles", "--format", "json", cwd=tmp_path)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["healthlint"] == __version__
    assert [a["path"] for a in data["articles"]] == ["articles/bad.md", "articles/good.md"]
    bad = data["articles"][0]
    assert bad["passed"] is False
    assert bad["metrics"]["words"] == 10
    (finding,) = bad["findings"]
    assert {k: finding[k] for k in ("code", "name", "severity", "line", "column", "end_line", "end_column")} == {
        "code": "TST101",
        "name": "miracle-word",
        "severity": "error",
        "line": 3,
        "column": 15,
        "end_line": 3,
        "end_column": 22,
    }
    assert finding["message"] == "the word 'miracle'"
    assert finding["suggestion"] == "say what it does instead"
    assert finding["plugin"] == "words"
    assert data["summary"] == {
        "articles": 2,
        "passed": 1,
        "failed": 1,
        "findings": {"error": 1, "warning": 0, "suggestion": 0},
    }
    # Laid out as README shows it: a line per finding, readable in a diff.
    lines = result.stdout.splitlines()
    assert lines[:4] == ["{", f'  "healthlint": "{__version__}",', '  "articles": [', "    {"]
    assert any(line.startswith('        {"code": "TST101", "name": "miracle-word"') for line in lines)
    assert result.stdout.endswith("\n}\n")


def test_paths_are_reported_as_given(tmp_path, run_cli):
    make_project(tmp_path)
    result = run_cli("check", "./articles/", "--format", "json", cwd=tmp_path)
    assert [a["path"] for a in json.loads(result.stdout)["articles"]] == ["./articles/bad.md", "./articles/good.md"]


def test_color_only_when_asked_or_on_a_terminal(tmp_path, run_cli):
    make_project(tmp_path)
    assert "\x1b[" not in run_cli("check", "articles", cwd=tmp_path).stdout
    assert "\x1b[31m" in run_cli("check", "articles", "--color", cwd=tmp_path).stdout


def test_missing_path_is_a_usage_error_naming_it(tmp_path, run_cli):
    make_project(tmp_path)
    result = run_cli("check", "articles", "nowhere.md", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.strip() == "healthlint: error: nowhere.md: no such file or folder"
    assert result.stdout == ""


def test_missing_default_paths_say_where_they_came_from(tmp_path, run_cli):
    bare = tmp_path / "bare"
    bare.mkdir()
    for command in ("check", "publish"):
        result = run_cli(command, cwd=bare)
        assert result.exit_code == 2
        assert result.stderr == (
            "healthlint: error: articles: no such file or folder (checked when no path is named: `paths` in"
            " healthlint.toml or pyproject.toml, default articles/); name the files or folders to check, or set"
            " `paths`\n"
        )
    make_project(tmp_path / "project", config='paths = ["content"]\n')
    result = run_cli("check", cwd=tmp_path / "project")
    assert result.exit_code == 2
    config = tmp_path / "project" / "healthlint.toml"
    assert f"content: no such file or folder (checked when no path is named: `paths` in {config}," in result.stderr


def test_force_exclude_skips_named_files_that_walking_skips(tmp_path, run_cli):
    make_project(tmp_path, config='select = ["TST"]\nexclude = ["drafts/*", "old"]\n')
    for folder in ("drafts", "articles/old", "articles/.trash", "articles"):
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / "bad2.md").write_text("# A cure\n\nA miracle for back pain.\n", encoding="utf-8")
    named = ["drafts/bad2.md", "articles/old/bad2.md", "articles/.trash/bad2.md", "articles/bad2.md"]
    assert run_cli("check", "articles", cwd=tmp_path).stdout.count("bad2.md") == 1  # walking skips old/ and .trash/
    plain = run_cli("check", *named, cwd=tmp_path)  # without the flag a named file is always checked
    assert plain.exit_code == 1 and plain.lines[-1] == "4 articles checked: 0 passed, 4 failed (4 errors)"
    forced = run_cli("check", "--force-exclude", *named, cwd=tmp_path)
    assert forced.exit_code == 1
    assert forced.lines == [
        "articles/bad2.md:3:3: TST101 [error] the word 'miracle'",
        "    suggestion: say what it does instead",
        "1 article checked: 0 passed, 1 failed (1 error)",
    ]
    alone = run_cli("check", "--force-exclude", str(tmp_path / "drafts" / "bad2.md"), cwd=tmp_path / "articles")
    assert alone.exit_code == 0 and alone.lines == ["0 articles checked: 0 passed, 0 failed (no findings)"]


def test_force_exclude_skips_a_file_named_through_a_link_to_the_project(tmp_path, run_cli):
    # An editor (or a shell) may reach the project by a symbolic link (macOS's /tmp, a linked home folder): the
    # config's root is the real folder, and a named file is judged by the folders it is in all the same.
    project = make_project(tmp_path / "real", config='select = ["TST"]\nexclude = ["drafts", ".trash"]\n')
    for folder in ("articles/drafts", "articles/.notes"):
        (project / folder).mkdir()
        (project / folder / "bad2.md").write_text("# A cure\n\nA miracle for back pain.\n", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(project, target_is_directory=True)
    named = [str(link / "articles" / "drafts" / "bad2.md"), str(link / "articles" / ".notes" / "bad2.md")]
    forced = run_cli("check", "--force-exclude", *named, cwd=project)
    assert forced.exit_code == 0 and forced.lines == ["0 articles checked: 0 passed, 0 failed (no findings)"]
    assert run_cli("check", *named, cwd=project).exit_code == 1  # without the flag, named files are checked


def test_exclude_and_per_file_ignores_read_a_folder_pattern_as_gitignore_writes_it(tmp_path, run_cli):
    # "drafts/" (a folder, as .gitignore writes it) and "**/old" (at any depth, the top one included) matched
    # nothing: fnmatch compared them with paths that have no trailing slash, or a folder before the name.
    config = 'select = ["TST"]\nexclude = ["drafts/", "**/old"]\n[per-file-ignores]\n"**/news/*" = ["TST101"]\n'
    make_project(tmp_path, config=config)
    for folder in ("drafts", "old", "articles/old", "news", "articles/news", "articles"):
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / "bad2.md").write_text("# A cure\n\nA miracle for back pain.\n", encoding="utf-8")
    result = run_cli("check", ".", cwd=tmp_path)
    assert sorted(line.split(":")[0] for line in result.lines if "TST101" in line) == [
        "./articles/bad.md",
        "./articles/bad2.md",
    ]
    (tmp_path / "healthlint.toml").write_text(config.replace('"**/news/*"', '"news/"'), encoding="utf-8")
    result = run_cli("check", ".", cwd=tmp_path)  # "news/": a folder news at any depth, as in .gitignore
    assert sorted(line.split(":")[0] for line in result.lines if "TST101" in line) == [
        "./articles/bad.md",
        "./articles/bad2.md",
    ]
    (tmp_path / "healthlint.toml").write_text(config.replace('"**/news/*"', '"/news"'), encoding="utf-8")
    result = run_cli("check", ".", cwd=tmp_path)  # "/news": the top folder news alone, and what is in it
    assert sorted(line.split(":")[0] for line in result.lines if "TST101" in line) == [
        "./articles/bad.md",
        "./articles/bad2.md",
        "./articles/news/bad2.md",
    ]


def test_a_folder_with_no_articles_passes_with_a_warning(tmp_path, run_cli):
    make_project(tmp_path)
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "page.html").write_text("<p>A miracle.</p>\n", encoding="utf-8")
    result = run_cli("check", "content", cwd=tmp_path)
    assert result.exit_code == 0
    assert result.lines == ["0 articles checked: 0 passed, 0 failed (no findings)"]
    assert result.stderr == (
        "healthlint: warning: no articles found in content (files ending .markdown .md .mdown .mkd .text .txt)\n"
    )
    assert run_cli("check", "articles", cwd=tmp_path).stderr == ""


def test_bad_config_is_a_usage_error_naming_the_file_and_key(tmp_path, run_cli):
    make_project(tmp_path, config='fail-on = "sometimes"\n')
    result = run_cli("check", "articles", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"healthlint: error: {tmp_path / 'healthlint.toml'}: fail-on: "
        "'sometimes' is not a severity (choose from suggestion, warning, error) (line 1)"
    )


def test_bad_plugin_option_is_a_usage_error(tmp_path, run_cli):
    make_project(tmp_path, config='select = ["TST"]\n[plugins.words]\nwrod = "x"\n')
    result = run_cli("check", "articles", cwd=tmp_path)
    assert result.exit_code == 2
    assert "healthlint.toml: plugins.words.wrod: unknown option; did you mean 'word'? (options: word)" in result.stderr


def test_plugin_option_changes_what_the_rule_flags(tmp_path, run_cli):
    make_project(tmp_path, config='select = ["TST"]\n[plugins.words]\nword = "walk"\n')
    result = run_cli("check", "articles", cwd=tmp_path)
    assert result.lines[0] == "articles/good.md:1:3: TST101 [error] the word 'walk'"


def test_unknown_format_is_a_usage_error(tmp_path, run_cli):
    make_project(tmp_path)
    result = run_cli("check", "articles", "--format", "yaml", cwd=tmp_path)
    assert result.exit_code == 2
    assert "unknown format 'yaml' (choose from github, html, json, junit, sarif, text)" in result.stderr


def test_a_crash_in_a_plugins_configure_leaves_it_out_naming_plugin_and_hook_without_traceback(tmp_path, run_cli):
    boom = """
from healthlint import hookimpl

@hookimpl
def healthlint_configure(config):
    raise RuntimeError("socket exploded")
"""
    make_project(tmp_path, plugins={"boom": boom})
    result = run_cli("check", "articles", cwd=tmp_path)
    assert result.exit_code == 1  # the words plugin's findings still gate the run
    named = "healthlint: warning: plugin 'boom' (plugins/boom.py): failed in healthlint_configure: RuntimeError: socket"
    assert named in result.stderr
    assert "TST101" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_crash_in_a_builtin_plugins_configure_is_exit_3(tmp_path, run_cli, monkeypatch):
    from healthlint.families.readability import plugin as readability

    def boom(*args: object) -> None:
        raise RuntimeError("socket exploded")

    monkeypatch.setattr(readability, "resolve", boom)  # called by its configure for each plain-words file
    make_project(tmp_path, config='select = ["HL4"]\n[plugins.readability]\nplain-words-files = ["x.txt"]\n')
    result = run_cli("check", "articles", cwd=tmp_path)
    assert result.exit_code == 3
    assert "healthlint: error: plugin 'readability' failed in healthlint_configure: RuntimeError" in result.stderr


def test_rules_lists_every_rule_and_documents_one(tmp_path, run_cli):
    make_project(tmp_path)
    listing = run_cli("rules", cwd=tmp_path)
    assert listing.exit_code == 0
    assert any(line.startswith("HL001  unreadable-article") for line in listing.lines)
    assert any(line.startswith("TST101  miracle-word") for line in listing.lines)
    doc = run_cli("rules", "HL001", cwd=tmp_path)
    assert doc.lines[0] == "HL001 unreadable-article"
    for section in ("## What it flags", "## Why it matters", "## Example", "## Instead", "## Options"):
        assert section in doc.stdout
    assert run_cli("rules", "unreadable-article", cwd=tmp_path).stdout == doc.stdout
    unknown = run_cli("rules", "HL999", cwd=tmp_path)
    assert unknown.exit_code == 2
    assert "unknown rule 'HL999'" in unknown.stderr


def test_rules_markdown_table_lists_the_codes_of_a_prefix(tmp_path, run_cli):
    make_project(tmp_path)
    table = run_cli("rules", "--format", "markdown", cwd=tmp_path).lines
    assert table[:2] == ["| Code | Name | Severity | On by default | What it flags |", "|---|---|---|---|---|"]
    assert "| TST101 | `miracle-word` | error | yes | Flags a word the house style bans |" in table
    assert "| HL516 | `unlisted-link-domain` | warning | no |" in "\n".join(table)
    hl2 = run_cli("rules", "--format", "markdown", "hl2", cwd=tmp_path).lines[2:]
    assert [row.split(" | ")[0] for row in hl2] == ["| HL201", "| HL202", "| HL203"]
    none = run_cli("rules", "--format", "markdown", "XY9", cwd=tmp_path)
    assert none.exit_code == 2 and "no rule code starts with 'XY9'" in none.stderr


def test_rules_write_refreshes_the_generated_tables_and_check_finds_stale_ones(tmp_path, run_cli):
    make_project(tmp_path)
    page = tmp_path / "page.md"
    stale = "# Ours\n\n<!-- rules-table TST -->\n| old | table |\n<!-- /rules-table -->\n\nText after.\n"
    page.write_text(stale)
    check = run_cli("rules", "--check", "page.md", cwd=tmp_path)
    assert check.exit_code == 1
    assert "page.md: rule table is stale; refresh it with: python -m healthlint rules" in check.stdout
    assert page.read_text() == stale

    written = run_cli("rules", "--format", "markdown", "--write", "page.md", cwd=tmp_path)
    assert written.exit_code == 0 and "rewrote the rule tables of page.md" in written.stdout
    assert page.read_text() == (
        "# Ours\n\n<!-- rules-table TST -->\n"
        "| Code | Name | Severity | On by default | What it flags |\n|---|---|---|---|---|\n"
        "| TST101 | `miracle-word` | error | yes | Flags a word the house style bans |\n"
        "<!-- /rules-table -->\n\nText after.\n"
    )
    assert run_cli("rules", "--check", "page.md", cwd=tmp_path).exit_code == 0
    again = run_cli("rules", "--write", "page.md", cwd=tmp_path)
    assert again.exit_code == 0 and again.stdout == ""

    page.write_text("# Rules\n\n<!-- rules-table XY -->\n<!-- /rules-table -->\n")
    typo = run_cli("rules", "--write", "page.md", cwd=tmp_path)
    assert typo.exit_code == 2 and "page.md:3: no rule code starts with 'XY'" in typo.stderr
    assert run_cli("rules", "--write", cwd=tmp_path).exit_code == 2
    assert run_cli("rules", "--write", "missing.md", cwd=tmp_path).exit_code == 2


def test_rules_write_refuses_a_read_only_document_and_leaves_every_file_as_it_was(tmp_path, run_cli):
    # the write went through a temporary file renamed over the document: a read-only README was replaced (by anyone
    # allowed to write the folder), made writable again with the rename
    make_project(tmp_path)
    stale = "<!-- rules-table TST -->\n| old |\n<!-- /rules-table -->\n"
    for name in ("first.md", "locked.md"):
        (tmp_path / name).write_text(stale)
    locked = tmp_path / "locked.md"
    locked.chmod(0o444)
    before = locked.stat()
    result = run_cli("rules", "--write", "first.md", "locked.md", cwd=tmp_path)
    assert result.exit_code == 2 and result.exception is None
    assert result.stderr.strip().splitlines()[-1] == (
        "healthlint: error: locked.md: read-only, its rule tables were not rewritten (make it writable first)"
    )
    assert result.stdout == ""
    after = locked.stat()
    assert locked.read_text() == stale and (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert (tmp_path / "first.md").read_text() == stale  # checked before the first file is written
    # --check only reads: a read-only document is checked as before
    assert run_cli("rules", "--check", "locked.md", cwd=tmp_path).exit_code == 1
    locked.chmod(0o644)
    written = run_cli("rules", "--write", "first.md", "locked.md", cwd=tmp_path)
    assert written.exit_code == 0 and "| TST101 |" in locked.read_text()


def test_rules_write_checks_every_file_before_writing_any_and_names_what_is_wrong(tmp_path, run_cli):
    make_project(tmp_path)
    stale = "<!-- rules-table TST -->\n| old |\n<!-- /rules-table -->\n"
    (tmp_path / "first.md").write_text(stale)
    (tmp_path / "second.md").write_text("Intro.\n<!-- rules-table XY -->\n<!-- /rules-table -->\n")
    (tmp_path / "binary.md").write_bytes(b"<!-- rules-table TST -->\n\xff\xfe\n<!-- /rules-table -->\n")
    (tmp_path / "plain.md").write_text("No tables here.\n")

    typo = run_cli("rules", "--write", "first.md", "second.md", cwd=tmp_path)
    assert typo.exit_code == 2 and "second.md:2: no rule code starts with 'XY'" in typo.stderr
    assert (tmp_path / "first.md").read_text() == stale  # nothing written when one file is wrong

    binary = run_cli("rules", "--check", "binary.md", cwd=tmp_path)
    assert binary.exit_code == 2 and "binary.md: not UTF-8 text" in binary.stderr
    assert "Traceback" not in binary.stderr

    (tmp_path / "first.md").chmod(0o640)
    alone = run_cli("rules", "--write", "plain.md", cwd=tmp_path)
    assert alone.exit_code == 0 and alone.stdout == ""
    assert "plain.md: no <!-- rules-table PREFIX --> markers, nothing to refresh" in alone.stderr
    plain = run_cli("rules", "--write", "plain.md", "first.md", cwd=tmp_path)  # a glob of docs, some with tables
    assert plain.exit_code == 0 and plain.stderr == ""
    assert plain.stdout == "rewrote the rule tables of first.md\n"
    assert "| TST101 |" in (tmp_path / "first.md").read_text()
    assert (tmp_path / "first.md").stat().st_mode & 0o777 == 0o640
    assert (tmp_path / "plain.md").read_text() == "No tables here.\n"
    assert sorted(p.name for p in tmp_path.glob(".*.tmp")) == []


def test_rules_write_keeps_a_crlf_document_crlf_and_writes_a_file_named_twice_once(tmp_path, run_cli):
    make_project(tmp_path)
    page = tmp_path / "page.md"
    page.write_bytes(b"# Ours\r\n\r\n<!-- rules-table TST -->\r\n| old |\r\n<!-- /rules-table -->\r\nAfter.\r\n")
    (tmp_path / "link.md").symlink_to("page.md")

    written = run_cli("rules", "--write", "page.md", "page.md", "link.md", cwd=tmp_path)
    assert written.exit_code == 0 and written.stdout == "rewrote the rule tables of page.md\n"
    data = page.read_bytes()
    assert data.startswith(b"# Ours\r\n\r\n<!-- rules-table TST -->\r\n| Code | Name |")
    row = b"| TST101 | `miracle-word` | error | yes | Flags a word the house style bans |"
    assert row + b"\r\n<!-- /rules-table -->" in data
    assert data.endswith(b"<!-- /rules-table -->\r\nAfter.\r\n")
    assert data.count(b"\n") == data.count(b"\r\n")  # not one line turned to LF
    assert (tmp_path / "link.md").is_symlink()
    fresh = run_cli("rules", "--check", "page.md", "link.md", cwd=tmp_path)
    assert fresh.exit_code == 0 and fresh.stdout == ""

    page.write_bytes(data.replace(b"| TST101 |", b"| TST100 |"))
    stale = run_cli("rules", "--check", "link.md", "page.md", cwd=tmp_path)
    assert stale.exit_code == 1 and stale.stdout.count("rule table is stale") == 1


def test_module_entry_point_runs(tmp_path):
    make_project(tmp_path)
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "healthlint", "check", "articles"], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines()[0] == "articles/bad.md:3:15: TST101 [error] the word 'miracle'"
    version = subprocess.run([sys.executable, "-m", "healthlint", "--version"], capture_output=True, text=True)
    assert version.stdout.startswith("healthlint, version ")


def test_the_program_exits_quickly_yet_keeps_exit_codes_output_and_exit_handlers(tmp_path):
    """console_main skips interpreter teardown; nothing a user sees may change because of it."""
    make_project(tmp_path)
    env = {**os.environ, "NO_COLOR": "1"}
    for args, code in ((["check", "articles"], 1), (["check", "articles/good.md"], 0), (["check", "--bogus"], 2)):
        proc = subprocess.run(
            [sys.executable, "-m", "healthlint", *args], cwd=tmp_path, capture_output=True, text=True, env=env
        )
        assert proc.returncode == code, proc.stderr
    # Large output to a file: all of it arrives (the buffers are flushed before the process ends).
    many = tmp_path / "many"
    many.mkdir()
    for i in range(300):
        (many / f"a{i:03d}.md").write_text("# T\n\nA miracle.\n", encoding="utf-8")
    with (tmp_path / "out.json").open("w") as out:
        proc = subprocess.run(
            [sys.executable, "-m", "healthlint", "check", "-f", "json", "-j", "1", "many"],
            cwd=tmp_path,
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
    assert proc.returncode == 1, proc.stderr
    assert len(json.loads((tmp_path / "out.json").read_text())["articles"]) == 300
    # Exit handlers a plugin registers still run.
    (tmp_path / "plugins" / "farewell.py").write_text(
        "import atexit, pathlib\natexit.register(lambda: pathlib.Path('farewell.txt').write_text('bye'))\n",
        encoding="utf-8",
    )
    proc = subprocess.run([sys.executable, "-m", "healthlint", "check", "articles/good.md"], cwd=tmp_path, env=env)
    assert proc.returncode == 0
    assert (tmp_path / "farewell.txt").read_text() == "bye"


def test_a_closed_pipe_ends_the_program_without_a_traceback(tmp_path):
    make_project(tmp_path)
    many = tmp_path / "many"
    many.mkdir()
    for i in range(2000):
        (many / f"a{i:04d}.md").write_text("# T\n\nA miracle.\n", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "healthlint", "check", "-j", "1", "--no-cache", "many"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # what `healthlint check | head -1` does
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1
    assert "Traceback" not in stderr
    assert "BrokenPipeError" not in stderr


#: A rule that says it has started, then waits to be interrupted.
WAITING_PLUGIN = """
import os
import time
from pathlib import Path

from healthlint import Rule, Severity, hookimpl


def check(article, ctx):
    Path(os.environ["REACHED"]).write_text("checking")
    time.sleep(60)
    return []


@hookimpl
def healthlint_register_rules(register):
    register(Rule(code="TST201", name="waits", summary="Waits", severity=Severity.ERROR, check=check))
"""


def test_ctrl_c_exits_130_with_one_line_not_the_gate_failing_exit_1(tmp_path):
    import signal
    import time

    root = make_project(tmp_path, config='select = ["TST2"]\n', plugins={"waiting": WAITING_PLUGIN})
    reached = tmp_path / "reached"
    process = subprocess.Popen(
        [sys.executable, "-m", "healthlint", "check", "--no-cache", "-j", "1", "articles"],
        cwd=root,
        env={**os.environ, "REACHED": str(reached), "NO_COLOR": "1", "HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as a terminal starts it
    )
    deadline = time.monotonic() + 60
    while not reached.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the rule never started"
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert err.splitlines() == ["healthlint: interrupted"]


def _interrupt_after(command: list[str], cwd: Path, delay: float, *, ignored: bool = False) -> tuple[int, str, str]:
    import signal
    import time

    handler = signal.SIG_IGN if ignored else signal.SIG_DFL  # a terminal starts it with SIGINT's default
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env={**os.environ, "REACHED": str(cwd / "reached"), "NO_COLOR": "1", "HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, handler),
    )
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    if ignored:
        process.kill()  # the rule waits a minute
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


@pytest.mark.parametrize("program", ["script", "module"])
def test_ctrl_c_at_any_moment_of_the_start_is_one_line_and_exit_130(tmp_path, program: str):
    # a KeyboardInterrupt in the command line's imports (its first 0.2 s) printed Python's traceback
    import signal

    script = Path(sys.executable).with_name("healthlint")
    if program == "script" and not script.exists():
        pytest.skip("no healthlint script beside this Python")
    command = [str(script)] if program == "script" else [sys.executable, "-m", "healthlint"]
    # the run lasts until it is interrupted: its rule waits
    root = make_project(tmp_path, config='select = ["TST2"]\n', plugins={"waiting": WAITING_PLUGIN})
    outcomes = []
    for delay in (0, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 1.0):
        code, out, err = _interrupt_after([*command, "check", "--no-cache", "-j", "1", "articles"], root, delay)
        outcomes.append(code)
        if code == ExitCode.INTERRUPTED:
            assert (out, err) == ("", "healthlint: interrupted\n"), delay
        else:
            # the signal came before healthlint took it: in the interpreter's own start-up (its site module, the
            # script pip writes) or while the program's first module was still being found, on a loaded machine
            assert code in (-signal.SIGINT, 1), (delay, code, err)
            reached = set(re.findall(r'File "[^"]*/healthlint/([\w/]+)\.py"', err))
            assert reached <= {"__init__", "__main__", "program", "interrupts"}, (delay, err)
    assert outcomes[-1] == ExitCode.INTERRUPTED  # a second in, healthlint has long taken SIGINT


def test_a_run_started_ignoring_sigint_keeps_ignoring_it(tmp_path):
    # `healthlint check &` in a script, nohup: the shell starts it ignoring SIGINT, and so it stays
    root = make_project(tmp_path, config='select = ["TST2"]\n', plugins={"waiting": WAITING_PLUGIN})
    command = [sys.executable, "-m", "healthlint", "check", "--no-cache", "-j", "1", "articles"]
    code, _, err = _interrupt_after(command, root, 0.1, ignored=True)
    assert code == -9 and "interrupted" not in err  # still running when killed


def test_importing_the_program_module_leaves_a_host_process_ctrl_c_alone():
    # importing healthlint.program (or healthlint.__main__) took SIGINT as a side effect: a host that imports every
    # module (pytest --doctest-modules, sphinx autodoc) was then ended by Ctrl-C at once, with no teardown or summary
    code = (
        "import signal, healthlint.program, healthlint.__main__\n"
        "print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)\n"
        "try:\n"
        "    signal.raise_signal(signal.SIGINT)\n"
        "except KeyboardInterrupt:\n"
        "    print('host handled it')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60)
    assert (done.returncode, done.stdout) == (0, "True\nhost handled it\n"), done.stderr


#: A plugin writing to file descriptor 1 itself (a C library, a child process), below Python's sys.stdout.
FD1_PLUGIN = """
import os
import subprocess

from healthlint import Rule, Severity, hookimpl


def check(article, ctx):
    os.write(1, b"noise from a rule\\n")
    subprocess.run(["echo", "noise from a child"], check=True)
    return []


@hookimpl
def healthlint_configure(config):
    os.write(1, b"noise from configure\\n")


@hookimpl
def healthlint_register_rules(register):
    os.write(1, b"noise from register_rules\\n")
    register(Rule(code="TST401", name="noisy", summary="Noisy", severity=Severity.ERROR, check=check))
"""


def _check_noisy_project(root: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """`healthlint check articles --no-cache OPTIONS` in a fresh process, with the project's plugins alone."""
    return subprocess.run(
        [sys.executable, "-m", "healthlint", "check", "articles", "--no-cache", *options],
        cwd=root,
        env={**os.environ, "NO_COLOR": "1", "HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD": "1"},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("output_format", ["json", "sarif", "junit"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_plugin_writing_to_descriptor_1_does_not_corrupt_a_machine_report(tmp_path, output_format: str, jobs: str):
    root = make_project(tmp_path, config='select = ["TST"]\n', plugins={"noisy": FD1_PLUGIN})
    done = _check_noisy_project(root, "-j", jobs, "-f", output_format)
    assert done.returncode == 1, done.stderr
    assert "noise" not in done.stdout
    if output_format == "junit":
        import xml.etree.ElementTree as ET

        assert ET.fromstring(done.stdout).tag == "testsuites"
    else:
        assert json.loads(done.stdout)
    # what the plugin wrote is not lost: it is on standard error
    assert "noise from register_rules" in done.stderr and "noise from configure" in done.stderr
    assert done.stderr.count("noise from a rule") == 2
    assert done.stderr.count("noise from a child") == 2


def test_a_text_report_keeps_descriptor_1_and_streams_line_by_line(tmp_path):
    # a person's report: descriptor 1 is given back once the format is known, so what a plugin writes to it itself
    # while checking is where it always was; the report is on standard output, whole
    root = make_project(tmp_path, config='select = ["TST"]\n', plugins={"noisy": FD1_PLUGIN})
    done = _check_noisy_project(root, "-j", "1")
    assert done.returncode == 1, done.stderr
    assert "articles/bad.md:3:15: TST101 [error]" in done.stdout
    assert "noise from register_rules" in done.stderr  # while loading, before the format is known
    assert done.stdout.count("noise from a rule") == 2


def test_help_documents_exit_codes(run_cli):
    result = run_cli("--help")
    assert result.exit_code == 0
    assert "Exit codes: 0 every article passes" in result.stdout
    assert "130 interrupted" in result.stdout
    assert run_cli("check", "-h").exit_code == 0


def test_a_severity_or_per_file_ignore_naming_no_rule_is_warned_of_with_its_line_and_the_code_meant(tmp_path, run_cli):
    config = 'select = ["TST", "HL3"]\n\n[severity]\nHL330 = "error"\nTST101 = "warning"\n\n'
    config += '[per-file-ignores]\n"articles/old/*" = ["TST11", "HL9"]\n'
    make_project(tmp_path, config=config)
    result = run_cli("check", "articles", cwd=tmp_path)
    path = tmp_path / "healthlint.toml"
    assert result.stderr.splitlines() == [  # was: nothing, and the policy silently not applied
        f"healthlint: warning: {path}: severity: HL330 names no rule; did you mean HL303? (see 'healthlint rules')"
        " (line 4)",
        f"healthlint: warning: {path}: per-file-ignores.articles/old/*: TST11 names no rule; did you mean TST101?"
        " (see 'healthlint rules')"
        " (line 8)",
        f"healthlint: warning: {path}: per-file-ignores.articles/old/*: HL9 names no rule (see 'healthlint rules')"
        " (line 8)",
    ]
    assert "TST101 [warning]" in result.stdout  # the codes that exist still take effect


def test_a_config_in_a_folder_checked_that_the_run_does_not_read_is_named(tmp_path, run_cli):
    make_project(tmp_path)
    (tmp_path / "articles" / "archive").mkdir()
    (tmp_path / "articles" / "archive" / "healthlint.toml").write_text('ignore = ["TST"]\n', encoding="utf-8")
    (tmp_path / "articles" / "archive" / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    result = run_cli("check", "articles", cwd=tmp_path)
    assert result.exit_code == 1  # the root's config: the archive's ignore does not apply
    assert result.stderr.splitlines() == [
        f"healthlint: warning: {os.path.join('articles', 'archive', 'healthlint.toml')} is not read: a run reads one"
        f" config, the nearest to the current folder (it reads {tmp_path / 'healthlint.toml'}); run healthlint from"
        " that folder, or pass --config, to use another"
    ]
    # From the folder itself, it is the config read, and nothing is said.
    inside = run_cli("check", ".", cwd=tmp_path / "articles" / "archive")
    assert "not read" not in inside.stderr
