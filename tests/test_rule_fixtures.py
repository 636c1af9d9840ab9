"""Every rule's fixture articles in ``tests/rules/<CODE>/``: one parametrized test checks them all."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from healthlint import Report
from healthlint.families.spun import deep
from healthlint.testing import RuleFixture, rule_fixtures

FOLDER = Path(__file__).parent / "rules"


def deep_installed() -> bool:
    """Whether the spun family's deeper stage can run here (``requires: deep``): its extra and its model."""
    return deep.unavailable() is None


FIXTURES = rule_fixtures(FOLDER)


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f"{f.code}/{f.path.name}" for f in FIXTURES])
def test_rule_fixture(fixture: RuleFixture, lint: Callable[..., Report], tmp_path: Path) -> None:
    if "languagetool" in fixture.requires and not os.environ.get("HEALTHLINT_LANGUAGETOOL_URL"):
        if os.environ.get("HEALTHLINT_REQUIRE_LANGUAGETOOL"):  # CI starts one: a skip there would hide a failure
            pytest.fail("HEALTHLINT_REQUIRE_LANGUAGETOOL is set but HEALTHLINT_LANGUAGETOOL_URL is not")
        pytest.skip("needs a LanguageTool server (HEALTHLINT_LANGUAGETOOL_URL)")
    if "deep" in fixture.requires and not deep_installed():
        pytest.skip("needs the deeper spun stage (pip install 'healthlint[deep]', healthlint spun fetch-model)")
    config = f'extend-select = ["{fixture.code}"]\n{fixture.config}'
    if "extend-select" in fixture.config:
        config = fixture.config.replace("extend-select = [", f'extend-select = ["{fixture.code}", ', 1)
    report = lint(fixture.text, config=config, name=fixture.path.name)
    found = sorted(f.line for a in report.articles for f in a.findings if f.code == fixture.code)
    # Codes the run reports once rather than per article (HL003) arrive as notices, without a line.
    found += [0 for n in report.notices if n.code == fixture.code]
    if not fixture.flags:
        assert found == [], f"{fixture.path}: {fixture.code} must not be reported, but is at lines {found}"
    elif fixture.lines:
        assert set(found) == fixture.lines, f"{fixture.path}: {fixture.code} expected at {sorted(fixture.lines)}"
    else:
        assert found, f"{fixture.path}: {fixture.code} must be reported"
