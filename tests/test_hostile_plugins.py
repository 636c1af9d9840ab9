"""Faulty plugins: every fault names the plugin and the hook, and none ends the run silently."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_bad_input import assert_clean_exit, healthlint

ARTICLE = "# Tea\n\nA warm cup of tea.\n"
HEADER = "import sys\nfrom healthlint import Rule, Severity, hookimpl\n"
RULE = (
    "@hookimpl\n"
    "def healthlint_register_rules(register):\n"
    "    register(Rule(code='TST950', name='faulty', summary='s', severity=Severity.ERROR, check=check))\n"
)


def run_with_plugin(tmp_path: Path, source: str, *args: str, command: str = "check", target: str = "a.md"):
    (tmp_path / "plugins").mkdir(exist_ok=True)
    (tmp_path / "plugins" / "faulty.py").write_text(HEADER + source, encoding="utf-8")
    (tmp_path / "healthlint.toml").write_text('select = ["TST", "HL0"]\n', encoding="utf-8")
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    extra = ("--out", "site") if command == "publish" else ("--no-cache",)
    return healthlint(command, target, *extra, *args, cwd=tmp_path, timeout=120)


@pytest.mark.parametrize(
    "check",
    [
        "def check(article, ctx):\n    sys.exit(0)\n",
        "def check(article, ctx):\n    raise GeneratorExit\n",
        "def check(article, ctx):\n    yield from ()\n    raise SystemExit(3)\n",
    ],
)
def test_a_rule_that_exits_is_hl002_and_the_run_goes_on(tmp_path, check):
    proc = run_with_plugin(tmp_path, check + RULE)
    assert_clean_exit(proc, (1,))
    assert "a.md:1:1: HL002 [error] rule TST950 (faulty) of plugin 'faulty' crashed: " in proc.stdout
    assert "1 article checked" in proc.stdout


def test_sys_exit_at_import_is_a_plugin_error_not_a_silent_pass(tmp_path):
    proc = run_with_plugin(tmp_path, "sys.exit(0)\n")
    assert "1 article checked" in proc.stdout
    assert "faulty" in proc.stderr and "SystemExit" in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    ("hook", "signature"),
    [
        ("healthlint_configure", "config, selection"),
        ("healthlint_parse_article", "path, text, config"),
        ("healthlint_modify_findings", "article, findings, config"),
        ("healthlint_report_finished", "report, config"),
        ("healthlint_ignore_path", "path, config"),
    ],
)
@pytest.mark.parametrize("fault", ["raise ValueError('boom')", "sys.exit(0)"])
def test_a_failing_hook_names_the_plugin_and_the_hook_and_the_other_rules_still_report(
    tmp_path, hook, signature, fault
):
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "steady.py").write_text(HEADER + STEADY, encoding="utf-8")
    proc = run_with_plugin(tmp_path, f"@hookimpl\ndef {hook}({signature}):\n    {fault}\n", target=".")
    assert_clean_exit(proc, (1,))  # the gate's verdict: the steady rule's error, or HL001 for the unparsed file
    shown = proc.stdout + proc.stderr
    assert re.search(rf"plugin 'faulty' (\(plugins/faulty\.py\): )?failed in {hook}: ", shown), shown
    assert "please report it" not in shown
    if hook == "healthlint_parse_article":  # no article, no rules: the file is reported unreadable, naming the plugin
        assert "a.md:1:1: HL001 [error] cannot be parsed: plugin 'faulty' failed in healthlint_parse_article" in shown
    else:
        assert "a.md:3:15: TST951 [error] the word 'tea'" in proc.stdout, shown
        assert "1 article checked" in proc.stdout


STEADY = (
    "def check(article, ctx):\n"
    "    for block in article.blocks:\n"
    "        start = block.text.find('tea')\n"
    "        if start >= 0:\n"
    "            yield block.hit(start, start + 3, \"the word 'tea'\")\n"
    "@hookimpl\n"
    "def healthlint_register_rules(register):\n"
    "    register(Rule(code='TST951', name='steady', summary='s', severity=Severity.ERROR, check=check))\n"
)


def test_a_plugin_failing_in_configure_is_left_out_with_its_rules_and_the_run_goes_on(tmp_path):
    source = (
        "def check(article, ctx):\n    yield from ()\n"
        + RULE
        + "@hookimpl\ndef healthlint_configure(config, selection):\n    raise OSError('no socket')\n"
    )
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "steady.py").write_text(HEADER + STEADY, encoding="utf-8")
    proc = run_with_plugin(tmp_path, source)
    assert_clean_exit(proc, (1,))
    assert (
        "warning: plugin 'faulty' (plugins/faulty.py): failed in healthlint_configure: OSError: no socket "
        "(faulty.py, line 10); its rules (TST950) do not run; the run goes on without it"
    ) in proc.stderr, proc.stderr
    assert "TST951" in proc.stdout and "TST950" not in proc.stdout


def test_a_required_plugin_failing_in_configure_stops_the_run(tmp_path):
    source = "@hookimpl\ndef healthlint_configure(config, selection):\n    raise OSError('no socket')\n"
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "faulty.py").write_text(HEADER + source, encoding="utf-8")
    (tmp_path / "healthlint.toml").write_text('select = ["HL0"]\nrequire-plugins = ["faulty"]\n', encoding="utf-8")
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    proc = healthlint("check", "a.md", "--no-cache", cwd=tmp_path, timeout=120)
    assert_clean_exit(proc, (2,))
    assert (
        "healthlint.toml: require-plugins: required plugin 'faulty' is not available: plugin 'faulty' failed in "
        "healthlint_configure: OSError: no socket" in proc.stderr
    ), proc.stderr


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "@hookimpl\ndef healthlint_modify_findings(findings):\n    findings.append('junk')\n",
            "plugin 'faulty' failed in healthlint_modify_findings: TypeError: findings hold healthlint.Finding "
            "objects, not str (faulty.py, line 5)",
        ),
        (
            "@hookimpl\ndef healthlint_modify_findings(findings):\n    findings[:] = [None]\n",
            "plugin 'faulty' failed in healthlint_modify_findings: TypeError: findings hold healthlint.Finding "
            "objects, not NoneType (faulty.py, line 5)",
        ),
        (
            "@hookimpl\ndef healthlint_parse_article(path, text, config):\n    return 5\n",
            "HL001 [error] cannot be parsed: plugin 'faulty' failed in healthlint_parse_article: TypeError: "
            "returned int, not a healthlint.Article",
        ),
    ],
)
def test_a_hook_returning_or_adding_the_wrong_type_is_named(tmp_path, source, message):
    proc = run_with_plugin(tmp_path, source)
    assert_clean_exit(proc, (1,))
    assert message in proc.stdout, proc.stdout + proc.stderr
    assert "internal error" not in proc.stderr


def test_a_failing_register_options_names_the_plugin(tmp_path):
    proc = run_with_plugin(
        tmp_path, "@hookimpl\ndef healthlint_register_options(register):\n    raise ValueError('x')\n"
    )
    assert "faulty" in proc.stderr and "healthlint_register_options raised ValueError" in proc.stderr, proc.stderr


def test_a_failing_unconfigure_warns_and_keeps_the_result(tmp_path):
    proc = run_with_plugin(
        tmp_path, "@hookimpl\ndef healthlint_unconfigure(config):\n    raise ValueError('boom')\n", "--select", "HL0"
    )
    assert_clean_exit(proc, (0,))
    assert "warning: plugin 'faulty' failed in healthlint_unconfigure: ValueError: boom" in proc.stderr


def test_sys_exit_in_a_publisher_names_it(tmp_path):
    source = (
        "from healthlint.publish import Publisher\n"
        "class Quits(Publisher):\n"
        "    name = 'quits'\n"
        "    def publish(self, publication):\n"
        "        sys.exit(0)\n"
        "@hookimpl\n"
        "def healthlint_register_publishers(register):\n"
        "    register(Quits)\n"
    )
    proc = run_with_plugin(tmp_path, source, "--publisher", "quits", command="publish")
    assert proc.returncode != 0
    assert "publisher 'quits' failed: SystemExit" in proc.stderr, proc.stderr


@pytest.mark.parametrize(
    ("hit", "where"),
    [
        ("Hit(99, 1, 'far down')", "first: line 99; the article ends on line 4"),
        ("Hit(0, 1, 'above')", "first: line 0; the article ends on line 4"),
        ("Hit(3, 400, 'far right')", "first: line 3, column 400; the line has 18 characters"),
        ("Hit(1, 1, 'long', end_line=7)", "first: a span from line 1 to line 7; the article ends on line 4"),
        ("Hit(3, 9, 'backwards', end_column=2)", "first: line 3, a span from column 9 back to column 2"),
    ],
)
def test_a_finding_outside_the_article_is_shown_where_it_fits_and_the_plugin_is_named(tmp_path, hit, where):
    proc = run_with_plugin(tmp_path, f"from healthlint import Hit\ndef check(article, ctx):\n    yield {hit}\n" + RULE)
    assert_clean_exit(proc, (1,))
    named = "a.md:1:1: HL002 [error] rule TST950 (faulty) of plugin 'faulty' reported 1 finding outside the article"
    assert f"{named} ({where}); it is shown at the nearest position" in proc.stdout, proc.stdout
    assert proc.stdout.count("TST950 [error]") == 1  # the finding itself, clamped into the text


def test_a_finding_one_past_the_end_of_its_line_is_no_fault(tmp_path):
    # ARTICLE's third line has 18 characters: a span ending after its last one ends at column 19.
    source = "from healthlint import Hit\ndef check(article, ctx):\n    yield Hit(3, 15, 'tea', end_column=19)\n"
    proc = run_with_plugin(tmp_path, source + RULE)
    assert_clean_exit(proc, (1,))
    assert "a.md:3:15: TST950 [error] tea" in proc.stdout
    assert "HL002" not in proc.stdout


def test_the_options_of_a_plugin_that_fails_to_import_are_set_aside_and_the_run_goes_on(tmp_path):
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "steady.py").write_text(HEADER + STEADY, encoding="utf-8")
    (tmp_path / "plugins" / "faulty.py").write_text(HEADER + "import no_such_module_here\n", encoding="utf-8")
    config = tmp_path / "healthlint.toml"
    config.write_text('select = ["TST"]\n\n[plugins.faulty]\nwords = ["x"]\n', encoding="utf-8")
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    proc = healthlint("check", "a.md", "--no-cache", cwd=tmp_path, timeout=120)
    assert_clean_exit(proc, (1,))  # was exit 2: "no loaded plugin takes options named 'faulty'", the import unsaid
    assert "a.md:3:15: TST951 [error] the word 'tea'" in proc.stdout
    assert "plugin 'faulty' (plugins/faulty.py): failed to import: ModuleNotFoundError" in proc.stderr
    assert (
        f"warning: {config}: plugins.faulty: no loaded plugin takes these options, so they are not read: "
        "plugins that did not load: 'faulty' (failed to import) (line 3)"
    ) in proc.stderr, proc.stderr


def test_a_misspelt_table_of_a_loaded_plugin_is_still_an_error_when_another_plugin_failed(tmp_path):
    # One broken plugin must not turn every typo of the site's policy into a warning the run goes past: the
    # disclaimer rules would run on their defaults (require = "always" silently dropped).
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "faulty.py").write_text(HEADER + "import no_such_module_here\n", encoding="utf-8")
    (tmp_path / "healthlint.toml").write_text('[plugins.disclaimers]\nrequire = "always"\n', encoding="utf-8")
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    proc = healthlint("check", "a.md", "--no-cache", cwd=tmp_path, timeout=120)
    assert_clean_exit(proc, (2,))
    assert "plugins.disclaimers: no loaded plugin takes options named 'disclaimers'; did you mean 'disclaimer'?" in (
        proc.stderr
    )


def test_an_options_table_no_plugin_claims_is_still_an_error_when_every_plugin_loaded(tmp_path):
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "steady.py").write_text(HEADER + STEADY, encoding="utf-8")
    (tmp_path / "healthlint.toml").write_text('select = ["TST"]\n[plugins.stedy]\nx = 1\n', encoding="utf-8")
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    proc = healthlint("check", "a.md", "--no-cache", cwd=tmp_path, timeout=120)
    assert_clean_exit(proc, (2,))
    assert "plugins.stedy: no loaded plugin takes options named 'stedy'" in proc.stderr
    # a plugin package missing where healthlint runs looks the same: say where it must be
    assert "a plugin package must be installed beside healthlint (under pre-commit: additional_dependencies)" in (
        proc.stderr
    )


def test_a_suppression_of_a_code_is_not_called_a_typo_while_a_plugin_that_may_have_it_failed(tmp_path):
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "steady.py").write_text(HEADER + STEADY, encoding="utf-8")
    (tmp_path / "b.md").write_text("# Tea\n\n<!-- healthlint: disable=ZZZ101 -->\nA tea.\n", encoding="utf-8")
    broken = run_with_plugin(tmp_path, "import no_such_module_here\n", "--select", "HL004", target="b.md")
    assert "HL004" not in broken.stdout  # ZZZ101 may be the failed plugin's
    (tmp_path / "plugins" / "faulty.py").unlink()
    loaded = healthlint("check", "b.md", "--no-cache", "--select", "HL004", cwd=tmp_path, timeout=120)
    assert "b.md:3:1: HL004 [warning] ZZZ101 names no rule, so the comment switches nothing off" in loaded.stdout


def test_a_package_taking_a_builtin_options_table_fails_alone_and_the_builtin_family_keeps_its_rules(tmp_path):
    """Entry points of a package listed before healthlint's on sys.path were registered first: a package registering
    the options table 'claims' took it, and the claims family (HL301-HL308) failed to load."""
    site = tmp_path / "site"
    info = site / "aaa_healthlint-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: aaa-healthlint\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[healthlint]\naaa = aaa_plugin\n")
    (site / "aaa_plugin.py").write_text(
        "from dataclasses import dataclass\nfrom healthlint import hookimpl\n\n@dataclass\nclass Options:\n"
        "    words: str = ''\n\n@hookimpl\ndef healthlint_register_options(register):\n"
        "    register('claims', Options)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]), "NO_COLOR": "1"}
    env.pop("HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD", None)
    listed = subprocess.run(
        [sys.executable, "-m", "healthlint", "plugins"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert listed.returncode == 0, listed.stderr
    assert "rules: HL301, HL302" in listed.stdout  # the claims family loaded
    assert (
        "error: healthlint_register_options raised ValueError: options table 'claims' is already registered by plugin"
        " 'claims'; choose a name of your own (aaa_plugin.py, line 10)"
    ) in listed.stdout, listed.stdout


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            "@dataclass\nclass Options:\n    words: list[str]\n",
            "options 'faulty': every field needs a default, and words has none (faulty.py, line 9)",
        ),
        (
            "class Options:\n    words = ['x']\n",
            "options 'faulty' must be a dataclass type, not the plain class Options (add @dataclass)"
            " (faulty.py, line 8)",
        ),
        (
            "@dataclass\nclass Options:\n    words: 'NoSuchType' = None\n",
            "options 'faulty' cannot be built from their defaults: NameError: name 'NoSuchType' is not defined",
        ),
    ],
)
def test_a_bad_options_dataclass_is_the_plugins_error_not_an_internal_one(tmp_path, options, message):
    source = (
        "from dataclasses import dataclass\n"
        + options
        + "@hookimpl\ndef healthlint_register_options(register):\n    register('faulty', Options)\n"
    )
    proc = run_with_plugin(tmp_path, source, "--select", "HL0")
    assert_clean_exit(proc, (0,))  # was exit 3: "internal error: TypeError: Options.__init__() missing 1 required ..."
    assert "plugin 'faulty' (plugins/faulty.py): healthlint_register_options raised TypeError: " + message in (
        proc.stderr
    ), proc.stderr


def test_results_of_a_run_without_a_plugin_that_failed_in_configure_are_not_cached_for_the_next(tmp_path):
    """The cache's key names the plugins loaded before configure: a run that then left one out must not store results
    a run with it working (its files unchanged: a service back up) would take as its own."""
    source = (
        "import os\n"
        + STEADY
        + "@hookimpl\ndef healthlint_configure(config, selection):\n"
        + "    if os.environ.get('STEADY_FAILS'):\n        raise OSError('service down')\n"
    )
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "steady.py").write_text(HEADER + source, encoding="utf-8")
    (tmp_path / "healthlint.toml").write_text('select = ["TST"]\n', encoding="utf-8")
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    env = {**os.environ, "NO_COLOR": "1", "STEADY_FAILS": "1"}
    cmd = [sys.executable, "-m", "healthlint", "check", "a.md"]
    down = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert "failed in healthlint_configure: OSError: service down" in down.stderr
    assert "TST951" not in down.stdout
    env.pop("STEADY_FAILS")
    up = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert "a.md:3:15: TST951 [error] the word 'tea'" in up.stdout, up.stdout + up.stderr


@pytest.mark.parametrize("output_format", ["json", "sarif"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_what_a_plugin_prints_goes_to_stderr_and_the_report_on_stdout_stays_whole(tmp_path, output_format, jobs):
    source = (
        "def check(article, ctx):\n    print('debugging', article.path)\n    yield from ()\n"
        + RULE
        + "@hookimpl\ndef healthlint_configure(config):\n    print('configured')\n"
    )
    (tmp_path / "b.md").write_text(ARTICLE, encoding="utf-8")
    proc = run_with_plugin(tmp_path, source, "b.md", "-f", output_format, "-j", jobs)
    assert_clean_exit(proc, (0,))
    json.loads(proc.stdout)  # was: 'debugging a.md' before the document, which no JSON reader could read
    assert "debugging a.md" in proc.stderr and "debugging b.md" in proc.stderr and "configured" in proc.stderr
