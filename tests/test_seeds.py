"""Every expectation of ../shared/seeds/expected.json, for each rule family that has rules registered.

The seed articles are someone else's text: they are read from ../shared, never copied here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from healthlint.config import Config
from healthlint.engine.driver import Driver, collect_files
from healthlint.model import ArticleResult, Finding, Severity
from healthlint.plugins import get_plugin_manager

from .conftest import SHARED

#: The codes each category of the seeds' labels covers. The labels' "links" category predates issue 17,
#: which moved page chrome out of HL5: its navigation blocks and furniture lines are HL703 and HL702 now.
FAMILIES: dict[str, tuple[str, ...]] = {
    "spun": ("HL1",),
    "disclaimer": ("HL2",),
    "claims": ("HL3",),
    "readability": ("HL4",),
    "links": ("HL5", "HL702", "HL703"),
    "grammar": ("HL6",),
}
#: The families the default gate runs; publish expectations are checked once all of them exist.
GATE_FAMILIES = ("spun", "disclaimer", "claims", "readability", "links")
SEEDS = SHARED / "seeds"
EXPECTED_FILE = SEEDS / "expected.json"


def _expected() -> dict[str, Any]:
    if not EXPECTED_FILE.is_file():
        return {}
    data: dict[str, Any] = json.loads(EXPECTED_FILE.read_text(encoding="utf-8"))["articles"]
    return data


EXPECTED = _expected()


def _cases() -> list[Any]:
    cases = []
    for name, spec in sorted(EXPECTED.items()):
        for kind in ("must_flag", "must_not_flag"):
            for i, item in enumerate(spec.get(kind, [])):
                label = item.get("evidence", item.get("severity", "any"))[:40]
                cases.append(pytest.param(name, kind, item, id=f"{name[:3]}-{kind}-{i}-{item['category']}-{label}"))
    return cases


@pytest.fixture(scope="module")
def seed_run() -> tuple[dict[str, ArticleResult], set[str]]:
    if not EXPECTED:
        pytest.skip(f"{EXPECTED_FILE} is not available")
    config = Config(root=SEEDS)
    pm = get_plugin_manager(config, autoload=False, local=False)
    registered = {family for family, prefix in FAMILIES.items() if any(c.startswith(prefix) for c in pm.rules)}
    files = collect_files([str(SEEDS)], config, pm)
    with Driver(config, pm) as driver:
        results = {Path(r.path).name: r for r in driver.check(files)}
    return results, registered


def evidence_lines(path: Path, evidence: str) -> tuple[int, int]:
    """First and last file line of the evidence (white space may differ)."""
    text = path.read_text(encoding="utf-8")
    pattern = r"\s+".join(re.escape(word) for word in evidence.split())
    m = re.search(pattern, text)
    assert m, f"evidence {evidence!r} is not in {path.name} (has the seed changed?)"
    return text.count("\n", 0, m.start()) + 1, text.count("\n", 0, m.end()) + 1


def covering(findings: list[Finding], prefixes: tuple[str, ...], lines: tuple[int, int] | None) -> list[Finding]:
    out = [f for f in findings if f.code.startswith(prefixes)]
    if lines is not None:
        out = [f for f in out if f.line <= lines[0] and f.end_line >= lines[1]]
    return out


@pytest.mark.parametrize(("name", "kind", "item"), _cases())
def test_seed_expectation(
    seed_run: tuple[dict[str, ArticleResult], set[str]], name: str, kind: str, item: dict[str, Any]
) -> None:
    results, registered = seed_run
    category = item["category"]
    if category not in registered:
        pytest.skip(f"no {category} rules ({', '.join(FAMILIES[category])}) registered yet")
    result = results[name]
    lines = evidence_lines(SEEDS / name, item["evidence"]) if "evidence" in item else None
    found = covering(result.findings, FAMILIES[category], lines)
    if "severity" in item:
        level = Severity.parse(item["severity"])
        found = [f for f in found if f.severity >= level]
    shown = "\n".join(f"  {f.line}-{f.end_line} {f.code} [{f.severity}] {f.message}" for f in found)
    if kind == "must_flag":
        assert found, f"{name}: expected a {category} finding covering {item.get('evidence', 'the article')!r}"
    else:
        assert not found, f"{name}: {category} must not be flagged here ({item.get('why', '')}), got:\n{shown}"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_publish_decision(seed_run: tuple[dict[str, ArticleResult], set[str]], name: str) -> None:
    results, registered = seed_run
    missing = [f for f in GATE_FAMILIES if f not in registered]
    if missing:
        pytest.skip(f"the gate is not complete yet (no rules for {', '.join(missing)})")
    result = results[name]
    blocking = [f"{f.code} line {f.line}: {f.message}" for f in result.findings if f.severity >= Severity.ERROR]
    assert result.passed is EXPECTED[name]["publish"], f"{name}: publish={result.passed}; blocking: {blocking}"
