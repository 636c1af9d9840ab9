"""Small projects on disk for CLI and plugin tests: a config, a local plugin, and articles."""

from __future__ import annotations

import textwrap
from pathlib import Path

#: A complete local plugin: flags the word "miracle" (code TST101) and reads one option.
WORD_PLUGIN = """
from dataclasses import dataclass

from healthlint import Rule, Severity, hookimpl


@dataclass
class Options:
    word: str = "miracle"


def check(article, ctx):
    word = ctx.options().word
    for block in article.blocks:
        start = block.text.lower().find(word)
        if start >= 0:
            yield block.hit(start, start + len(word), f"the word {word!r}", suggestion="say what it does instead")


@hookimpl
def healthlint_register_options(register):
    register("words", Options)


@hookimpl
def healthlint_register_rules(register):
    register(
        Rule(
            code="TST101",
            name="miracle-word",
            summary="Flags a word the house style bans",
            severity=Severity.ERROR,
            check=check,
            doc="## What it flags\\nA word.\\n## Why it matters\\nStyle.\\n## Example\\nmiracle\\n"
            "## Instead\\nplain words\\n## Options\\nword",
        )
    )
"""

GOOD = "# Walking for back pain\n\nA short walk each day can ease stiffness.\n"
BAD = "# A cure\n\nThis tea is a miracle for\nback pain.\n"


def make_project(
    root: Path, *, config: str = 'select = ["TST", "HL0"]\n', plugins: dict[str, str] | None = None
) -> Path:
    """A project folder: healthlint.toml, plugins/words.py and articles/{good,bad}.md."""
    (root / "articles").mkdir(parents=True, exist_ok=True)
    (root / "plugins").mkdir(exist_ok=True)
    (root / "healthlint.toml").write_text(textwrap.dedent(config), encoding="utf-8")
    for name, source in {"words": WORD_PLUGIN, **(plugins or {})}.items():
        (root / "plugins" / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    (root / "articles" / "good.md").write_text(GOOD, encoding="utf-8")
    (root / "articles" / "bad.md").write_text(BAD, encoding="utf-8")
    return root
