"""Time limits do not multiply: a shared analysis that failed fails once for all, and parsing has a limit too."""

from __future__ import annotations

import time

from healthlint.api import lint_text
from healthlint.article import parse_article
from healthlint.config import Config
from healthlint.model import Severity
from healthlint.rules import Rule, RuleContext
from tests.test_bad_input import assert_clean_exit, healthlint

SLOW_SHARED = """
import time
from healthlint import Rule, Severity, hookimpl

def analyse():
    while True:
        time.sleep(0.01)

def check(article, ctx):
    ctx.shared("slow.analysis", analyse)
    return []

@hookimpl
def healthlint_register_rules(register):
    for n in range(1, 7):
        register(Rule(code=f"TST96{n}", name=f"slow-{n}", summary="s", severity=Severity.ERROR, check=check))
"""

SLOW_PARSER = """
import time
from healthlint import hookimpl

@hookimpl(tryfirst=True)
def healthlint_parse_article(path, text, config):
    while True:
        time.sleep(0.01)
"""


def test_a_shared_analysis_that_timed_out_costs_one_timeout_not_one_per_rule(tmp_path):
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "slow.py").write_text(SLOW_SHARED, encoding="utf-8")
    (tmp_path / "healthlint.toml").write_text('select = ["TST"]\nrule-timeout = 1\n', encoding="utf-8")
    (tmp_path / "a.md").write_text("# Tea\n\nA cup.\n", encoding="utf-8")
    started = time.monotonic()
    proc = healthlint("check", "a.md", "--no-cache", cwd=tmp_path, timeout=120)
    elapsed = time.monotonic() - started
    assert_clean_exit(proc, (1,))
    assert sum(line.startswith("a.md:1:1: HL005") for line in proc.stdout.splitlines()) == 6
    assert elapsed < 4.5, elapsed  # six rules at 1 s each would be over 6 s


def test_a_shared_analysis_that_raised_is_computed_once():
    calls = []

    def analyse() -> int:
        calls.append(1)
        raise ValueError("broken analysis")

    def check(article, ctx):
        ctx.shared("broken", analyse)
        return []

    article = parse_article("a.md", "# Tea\n\nA cup.\n")
    config = Config()
    for code in ("TST971", "TST972", "TST973"):
        rule = Rule(code=code, name="broken", summary="s", severity=Severity.ERROR, check=check)
        ctx = RuleContext(rule, config, article, {})
        try:
            list(check(article, ctx))
        except ValueError as exc:
            assert str(exc) == "broken analysis"
    assert len(calls) == 1


def test_parsing_is_inside_the_time_limit(tmp_path):
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "slowparse.py").write_text(SLOW_PARSER, encoding="utf-8")
    (tmp_path / "healthlint.toml").write_text('select = ["HL0"]\nrule-timeout = 0.5\n', encoding="utf-8")
    (tmp_path / "a.md").write_text("# Tea\n\nA cup.\n", encoding="utf-8")
    proc = healthlint("check", "a.md", "--no-cache", cwd=tmp_path, timeout=60)
    assert_clean_exit(proc, (1,))
    assert "a.md:1:1: HL001 [error] cannot be parsed within 0.5 s (rule-timeout)" in proc.stdout


def test_lint_text_reports_what_cannot_be_parsed():
    class Broken:
        @staticmethod
        def healthlint_parse_article(path, text, config):
            raise RecursionError("too deep")

    from healthlint import hookimpl

    Broken.healthlint_parse_article = hookimpl(tryfirst=True)(Broken.healthlint_parse_article)
    result = lint_text("# Tea\n", select=["HL0"], plugins=[Broken()])
    assert [f.code for f in result.findings] == ["HL001"] and "cannot be parsed" in result.findings[0].message
