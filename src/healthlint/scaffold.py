"""``healthlint new-rule``: a new built-in rule's module, its fixture articles, and fresh rule tables.

The rule it writes works at once: its check finds a placeholder word that no real article
holds (``PLACEHOLDER-HL316``), its fixtures flag and clear it, and its documentation has the
five sections. The author then replaces the pattern, the texts and the fixtures.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from pathlib import Path

import healthlint
from healthlint.rules import CODE_RE, NAME_RE, Rule

FAMILY_RE = re.compile(r"^[a-z][a-z0-9_]*$")

RULE_TEMPLATE = '''"""{code} {name}: {summary}."""

from __future__ import annotations

import re
from collections.abc import Iterator

from healthlint import Article, Hit, Rule, RuleContext, Severity

SUMMARY = "{summary}"
DOC = """
## What it flags
The placeholder word `{placeholder}`: say here what {code} looks for.

## Why it matters
Say why a reader or an editor cares.

## Example
A sentence holding {placeholder}.

## Instead
What to write instead.

## Options
None.
"""

#: What the rule looks for. Replace the placeholder with the pattern of the problem.
PATTERN = re.compile(r"\\b{placeholder}\\b")


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    for block in article.blocks:
        for match in PATTERN.finditer(block.text):
            yield block.hit(
                match.start(),
                match.end(),
                f"{{match.group()!r}} is the placeholder of {code}",
                suggestion="replace the placeholder pattern of {code} with the one the rule looks for",
            )


RULE = Rule("{code}", "{name}", SUMMARY, Severity.WARNING, check, DOC)
'''

FLAG_TEMPLATE = """# A fixture for {code}

A sentence holding {placeholder}, which {code} must flag.

<!-- fixture
expect: {code} at 3
-->
"""

CLEAN_TEMPLATE = """# A fixture for {code}

A sentence {code} must leave alone.

<!-- fixture
expect: none
-->
"""


class ScaffoldError(Exception):
    """Why a rule cannot be scaffolded (one line, for the command line)."""


@dataclass(frozen=True)
class Scaffold:
    """The files ``new-rule`` wrote."""

    module: Path
    fixtures: tuple[Path, Path]


def source_root() -> Path:
    """The checkout healthlint runs from: the folder holding ``src/healthlint``.

    :raises ScaffoldError: when healthlint is installed from a wheel (new rules go into a checkout).
    """
    package = Path(healthlint.__file__).resolve().parent
    if package.parent.name != "src" or not (package / "families").is_dir():
        raise ScaffoldError(f"healthlint at {package} is not a source checkout (src/healthlint); run from a clone")
    return package.parent.parent


def family_rules_dir(family: str) -> Path:
    """``families/<family>/rules`` of the checkout. :raises ScaffoldError: for a missing family."""
    if not FAMILY_RE.match(family):
        raise ScaffoldError(f"family {family!r} must be a Python package name, like claims")
    folder = source_root() / "src" / "healthlint" / "families" / family
    if not (folder / "__init__.py").is_file() or not (folder / "plugin.py").is_file():
        known = sorted(p.parent.name for p in folder.parent.glob("*/plugin.py"))
        raise ScaffoldError(f"no family {family!r} in {folder.parent} (families: {', '.join(known) or 'none'})")
    return folder / "rules"


def new_rule(code: str, name: str, family: str, summary: str, registered: dict[str, Rule]) -> Scaffold:
    """Write the rule module and its two fixtures.

    :param registered: the rules registered now (a code or name among them is refused).
    :raises ScaffoldError: for a bad or taken code or name, or a missing family.
    """
    if not CODE_RE.match(code):
        raise ScaffoldError(f"code {code!r} must be 2-4 capital letters and 3 digits, like HL316")
    if not NAME_RE.match(name):
        raise ScaffoldError(f"name {name!r} must be kebab-case, like uncited-journal-claim")
    if not summary.strip() or '"' in summary or "\\" in summary or "\n" in summary:
        raise ScaffoldError("the summary must be one line without quotes or backslashes")
    if code in registered:
        raise ScaffoldError(f"{code} exists already ({registered[code].name}, plugin {registered[code].plugin})")
    taken = next((r for r in registered.values() if r.name == name), None)
    if taken is not None:
        raise ScaffoldError(f"the name {name!r} is taken by {taken.code}")
    rules_dir = family_rules_dir(family)
    families = rules_dir.parent.parent
    clash = sorted(families.glob(f"*/rules/{code.lower()}_*.py"))
    if clash:
        raise ScaffoldError(f"{code} exists already in {clash[0]}")
    fixtures_dir = source_root() / "tests" / "rules" / code
    if fixtures_dir.exists():
        raise ScaffoldError(f"{fixtures_dir} exists already")

    fields = {"code": code, "name": name, "summary": summary.strip(), "placeholder": f"PLACEHOLDER-{code}"}
    if not rules_dir.is_dir():
        rules_dir.mkdir()
        (rules_dir / "__init__.py").write_text(f'"""The rules of the {family} family, one module each."""\n')
    module = rules_dir / f"{code.lower()}_{name.replace('-', '_')}.py"
    module.write_text(RULE_TEMPLATE.format(**fields), encoding="utf-8")
    fixtures_dir.mkdir(parents=True)
    flag, clean = fixtures_dir / "flag.md", fixtures_dir / "clean.md"
    flag.write_text(FLAG_TEMPLATE.format(**fields), encoding="utf-8")
    clean.write_text(CLEAN_TEMPLATE.format(**fields), encoding="utf-8")
    importlib.invalidate_caches()
    return Scaffold(module, (flag, clean))


GATE_POLICY = ("<!-- gate-policy -->", "<!-- /gate-policy -->")


def add_to_gate_policy(readme: Path, code: str, severity: str) -> bool:
    """Add ``code`` to the first row of README's gate-policy table whose default is ``severity`` (a test holds
    every built-in code to that table); False when README has no such table or row."""
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(GATE_POLICY[0]), text.find(GATE_POLICY[1])
    if start < 0 or end < start:
        return False
    lines = text[start:end].split("\n")
    for index, row in enumerate(lines):
        cells = row.split("|")
        if len(cells) < 4 or cells[2].strip() != severity or not cells[1].strip().startswith("HL"):
            continue
        codes = sorted({*(c.strip() for c in cells[1].split(",")), code})
        cells[1] = f" {', '.join(codes)} "
        lines[index] = "|".join(cells)
        readme.write_text(text[:start] + "\n".join(lines) + text[end:], encoding="utf-8")
        return True
    return False


def load_rule(module: Path) -> Rule:
    """The ``RULE`` of a module written by :func:`new_rule` (imported as part of its family)."""
    family = module.parent.parent.name
    imported = importlib.import_module(f"healthlint.families.{family}.rules.{module.stem}")
    rule: Rule = imported.RULE
    return rule


def doc_files() -> list[Path]:
    """README.md and docs/*.md of the checkout: the files holding generated rule tables."""
    root = source_root()
    return [p for p in [root / "README.md", *sorted((root / "docs").glob("*.md"))] if p.is_file()]
