"""The documentation is part of the product: README, hook reference and rule docs stay in step with the code."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from healthlint import hookspecs
from healthlint.config import Config
from healthlint.plugins import get_plugin_manager
from healthlint.rules import DOC_SECTIONS, doc_sections
from healthlint.ruletables import REFRESH_COMMAND, TABLE_RE, stale_files

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
DOC_PAGES = sorted((REPO / "docs").glob("*.md"))
HOOKS = sorted(name for name in dir(hookspecs) if name.startswith("healthlint_"))


def all_rules():
    config = Config(root=REPO)
    return get_plugin_manager(config, autoload=False, local=True).rules


def fenced_block_after(marker: str) -> str:
    m = re.search(rf"<!-- {marker} -->\s*```\w*\n(.*?)```", README, re.DOTALL)
    assert m, f"README has no code block after <!-- {marker} -->"
    return m.group(1)


@pytest.mark.parametrize("name", HOOKS)
def test_every_hook_is_documented_in_readme_with_its_signature(name):
    params = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
    assert f"#### `{name}({params})`" in README


@pytest.mark.parametrize("name", HOOKS)
def test_every_hook_has_a_test(name):
    tests = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "tests").glob("test_*.py"))
    assert re.search(rf"\b(def )?test_hook_{name}\b", tests), f"no test_hook_{name} in tests/"


@pytest.mark.parametrize("name", HOOKS)
def test_every_hook_is_typed_and_documented(name):
    spec = getattr(hookspecs, name)
    assert spec.__doc__ and ":param" in spec.__doc__
    for param in inspect.signature(spec).parameters.values():
        assert param.annotation is not inspect.Parameter.empty
        assert f":param {param.name}:" in spec.__doc__


def test_generated_rule_tables_are_fresh():
    stale = [str(p.relative_to(REPO)) for p in stale_files([REPO / "README.md", *DOC_PAGES], all_rules())]
    assert not stale, f"stale rule tables in {', '.join(stale)}: refresh them with `{REFRESH_COMMAND}`"


def test_every_rule_is_in_a_generated_readme_table():
    generated = "".join(m["body"] for m in TABLE_RE.finditer(README))
    missing = [code for code in all_rules() if f"| {code} | " not in generated]
    assert not missing, f"README's generated tables miss {missing}: add a <!-- rules-table PREFIX --> marker"


def test_every_family_page_has_its_generated_table():
    # docs/<family>.md titles end with the family's code range, e.g. "# Readability (HL4xx)"
    for page in DOC_PAGES:
        title = page.read_text(encoding="utf-8").splitlines()[0]
        family = re.search(r"\((HL\d)xx\)$", title)
        if family:
            assert f"<!-- rules-table {family[1]} -->" in page.read_text(encoding="utf-8"), page.name


def test_readme_and_docs_hold_no_measurement_logs():
    # dated benchmark runs and measured figures live in bench/README.md; docs/ is reference
    for page in [REPO / "README.md", *DOC_PAGES]:
        text = page.read_text(encoding="utf-8")
        for heading in re.findall(r"^#+ .*$", text, re.MULTILINE):
            assert not re.search(r"\b(Measured|Benchmark)", heading), (
                f"{page.name}: move {heading!r} to bench/README.md"
            )
        assert not re.search(r"Measured on|\(20\d\d-\d\d-\d\d,", text), f"{page.name} holds a dated measurement"


def test_every_rule_has_the_five_documentation_sections():
    for rule in all_rules().values():
        sections = doc_sections(rule.doc)
        assert list(sections)[: len(DOC_SECTIONS)] == list(DOC_SECTIONS), rule.code
        assert all(sections[s] for s in DOC_SECTIONS), f"{rule.code} has an empty section"


def test_readme_example_plugin_works_when_copied_into_plugins(tmp_path, run_cli):
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "banned_words.py").write_text(fenced_block_after("example-plugin"))
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "x.md").write_text("# Tea\n\nA new detox tea.\n")
    (tmp_path / "healthlint.toml").write_text('select = ["ACME"]\n')
    result = run_cli("check", "--fail-on", "warning", cwd=tmp_path)
    assert result.exit_code == 1, result.stderr
    line = result.lines[0]
    assert f"`healthlint check` reports `{line}`" in README.replace("\n", " ")
    assert "ACME101" in run_cli("rules", cwd=tmp_path).stdout
    assert "banned_words" in run_cli("plugins", cwd=tmp_path).stdout


def test_readme_stricter_gate_withholds_what_the_default_only_warns_of(tmp_path, run_cli):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "tea.md").write_text(
        "# Green tea\n\nStudies show that green tea lowers blood pressure in a few weeks.\n"
    )
    settings = '[tool.healthlint]\nselect = ["HL303"]\n'
    (tmp_path / "pyproject.toml").write_text(settings)
    default = run_cli("check", cwd=tmp_path)
    assert default.exit_code == 0 and "HL303 [warning]" in default.stdout, default.stdout
    (tmp_path / "pyproject.toml").write_text(settings + "\n" + fenced_block_after("stricter-gate"))
    stricter = run_cli("check", cwd=tmp_path)
    assert stricter.exit_code == 1 and "HL303 [error]" in stricter.stdout, stricter.stdout


def test_ci_runs_the_readme_install_and_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "test-command" in ci and "main-job" in ci
    assert "pytest" in fenced_block_after("test-command")


def test_every_rule_has_fixtures_it_must_flag_and_must_not_flag():
    from healthlint.testing import rule_fixtures

    fixtures = rule_fixtures(REPO / "tests" / "rules")
    flags = {f.code for f in fixtures if f.flags}
    passes = {f.code for f in fixtures if not f.flags}
    codes = set(all_rules())
    assert sorted(codes - flags) == [], "rules without a must-flag fixture in tests/rules/<CODE>/"
    assert sorted(codes - passes) == [], "rules without a must-not-flag fixture in tests/rules/<CODE>/"
    assert sorted((flags | passes) - codes) == [], "fixture folders of codes no plugin registers"


def test_every_code_follows_the_gate_policy_table_in_readme():
    block = README.split("<!-- gate-policy -->", 1)[1].split("<!-- /gate-policy -->", 1)[0]
    policy: dict[str, str] = {}
    for row in block.strip().splitlines()[2:]:
        codes, level = row.split("|")[1:3]
        for code in codes.split(","):
            assert code.strip() not in policy, f"{code.strip()} is in the gate policy twice"
            policy[code.strip()] = level.strip()
    builtin = {code: str(rule.severity) for code, rule in all_rules().items() if code.startswith("HL")}
    assert policy == builtin
