"""One time limit per article (article-timeout): parsing and every rule together, one finding when it is spent."""

from __future__ import annotations

import time

import pytest

from healthlint.config import Config, ConfigError, load_config
from tests.test_bad_input import assert_clean_exit, healthlint

SLOW_RULES = """
import time
from healthlint import Hit, Rule, Severity, hookimpl

def slow(article, ctx):
    while True:
        time.sleep(0.01)

def quick(article, ctx):
    yield Hit(line=1, column=1, message="quick rule ran")

@hookimpl
def healthlint_register_rules(register):
    for n in range(1, 5):
        register(Rule(code=f"TST95{n}", name=f"slow-{n}", summary="s", severity=Severity.ERROR, check=slow))
    register(Rule(code="TST950", name="quick", summary="s", severity=Severity.ERROR, check=quick))
"""


def _project(tmp_path, settings: str):
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "slow.py").write_text(SLOW_RULES, encoding="utf-8")
    (tmp_path / "healthlint.toml").write_text('select = ["TST"]\n' + settings, encoding="utf-8")
    (tmp_path / "a.md").write_text("# Tea\n\nA cup.\n", encoding="utf-8")
    return tmp_path


def test_an_article_stops_at_its_time_limit_with_one_finding_naming_what_did_not_run(tmp_path):
    _project(tmp_path, "rule-timeout = 1\narticle-timeout = 1.5\n")
    started = time.monotonic()
    proc = healthlint("check", "a.md", "--no-cache", cwd=tmp_path, timeout=120)
    elapsed = time.monotonic() - started
    assert_clean_exit(proc, (1,))
    lines = [line for line in proc.stdout.splitlines() if line.startswith("a.md:")]
    # TST950 runs first (codes in order), TST951 is stopped by rule-timeout, TST952 by what is left
    # of the article's 1.5 s, and TST953 and TST954 never start.
    assert "a.md:1:1: TST950 [error] quick rule ran" in lines
    assert sum(" HL005 " in line and "(rule-timeout)" in line for line in lines) == 1
    budget = [line for line in lines if "(article-timeout)" in line]
    assert budget == [
        "a.md:1:1: HL005 [error] checking this article took all of its 1.5 s (article-timeout): rule TST952 "
        "(slow-2) of plugin 'slow' was stopped and 2 rules did not run (TST953, TST954)"
    ]
    assert elapsed < 4 * 1.5 + 3, elapsed  # four slow rules at 1 s each, and start-up


def test_without_an_article_limit_each_rule_still_has_its_own(tmp_path):
    _project(tmp_path, "rule-timeout = 0.3\narticle-timeout = 0\n")
    proc = healthlint("check", "a.md", "--no-cache", cwd=tmp_path, timeout=120)
    assert_clean_exit(proc, (1,))
    assert proc.stdout.count("(rule-timeout) and was stopped") == 4
    assert "article-timeout" not in proc.stdout


def test_parsing_counts_against_the_article_limit(tmp_path):
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "slowparse.py").write_text(
        "import time\nfrom healthlint import hookimpl\n\n"
        "@hookimpl(tryfirst=True)\ndef healthlint_parse_article(path, text, config):\n"
        "    while True:\n        time.sleep(0.01)\n",
        encoding="utf-8",
    )
    (tmp_path / "healthlint.toml").write_text('select = ["HL0"]\nrule-timeout = 30\narticle-timeout = 0.5\n')
    (tmp_path / "a.md").write_text("# Tea\n\nA cup.\n", encoding="utf-8")
    proc = healthlint("check", "a.md", "--no-cache", cwd=tmp_path, timeout=60)
    assert_clean_exit(proc, (1,))
    assert "a.md:1:1: HL001 [error] cannot be parsed within 0.5 s (article-timeout)" in proc.stdout


@pytest.mark.parametrize("value", ["-1", "inf", "nan", "1e300", '"60"', "true"])
def test_a_bad_article_timeout_names_the_file_and_key(tmp_path, value):
    (tmp_path / "healthlint.toml").write_text(f"article-timeout = {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="article-timeout"):
        load_config(start=tmp_path)


def test_article_timeout_is_read_and_defaults_to_three_minutes(tmp_path):
    assert Config().article_timeout == 180.0
    (tmp_path / "healthlint.toml").write_text("article-timeout = 2.5\n", encoding="utf-8")
    assert load_config(start=tmp_path).article_timeout == 2.5
