"""Hostile front matter: aliases, nesting and huge numbers are HL001 at their line, and the body is still checked."""

from __future__ import annotations

import pytest

from healthlint.api import lint_text
from healthlint.article import parse_article
from healthlint.engine.runner import MAX_MESSAGE
from tests.test_bad_input import assert_clean_exit, healthlint

BODY = "# Tea\n\nThis tea cures every illness, they say.\n"


def billion_laughs(levels: int = 9) -> str:
    """Each anchored line lists the one before nine times: 9**levels items from a few hundred bytes."""
    lines = ["l0: &l0 [ha, ha, ha, ha, ha, ha, ha, ha, ha]"]
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    return "\n".join(lines)


def with_front_matter(front: str) -> str:
    return f"---\ntitle: Tea\n{front}\n---\n{BODY}"


@pytest.mark.parametrize(
    ("front", "message", "line"),
    [
        (billion_laughs() + "\nsources: *l8", "front matter alias *l8 makes it expand beyond", 12),
        (billion_laughs() + "\nreading-grade: *l8", "front matter alias *l8 makes it expand beyond", 12),
        ("extra: &s [*s]", "front matter alias *s refers to itself", 3),
        ("author: &s [*s]", "front matter alias *s refers to itself", 3),
        ("sources: &s {more: [1, *s]}", "front matter alias *s refers to itself", 3),
        ("reading-grade: " + "9" * 10_000, "front matter holds a number of more than", 3),
        ("extra: " + "[" * 500 + "]" * 500, "front matter nests deeper than 50 levels", 3),
        (
            "extra:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 200)) + "  " * 200 + "end",
            "front matter nests deeper than 50 levels",
            52,
        ),
    ],
)
def test_hostile_front_matter_is_hl001_at_its_line_and_the_body_is_checked(front, message, line):
    article = parse_article("a.md", with_front_matter(front))
    assert [(p.message[: len(message)], p.line) for p in article.problems] == [(message, line)]
    assert article.meta == {}
    assert any("cures every illness" in block.text for block in article.blocks)
    result = lint_text(with_front_matter(front), select=["HL0", "HL305"])
    assert {f.code for f in result.findings} == {"HL001", "HL305"}, result.findings


def test_aliases_that_reuse_without_growing_are_read():
    front = "reviewer: &r Dr Ann Lee\nauthor: *r\ntags: &t [tea, sleep]\nkeywords: *t"
    article = parse_article("a.md", with_front_matter(front))
    assert article.problems == []
    assert article.meta["author"] == "Dr Ann Lee" and article.meta["keywords"] == ["tea", "sleep"]


def test_a_chain_of_aliases_may_not_nest_deeper_than_the_limit():
    front = "\n".join(
        ["a0: &a0 [[[[[[[[[[x]]]]]]]]]]"] + [f"a{i}: &a{i} [[[[[[[[[[*a{i - 1}]]]]]]]]]]" for i in range(1, 8)]
    )
    article = parse_article("a.md", with_front_matter(front))
    assert [p.message for p in article.problems] == ["front matter alias *a6 makes it nest deeper than 50 levels"]


def test_a_message_embedding_a_huge_value_is_bounded():
    result = lint_text(with_front_matter("reading-grade: " + "x" * 200_000), select=["HL4"])
    assert result.findings and all(len(f.message) <= MAX_MESSAGE for f in result.findings)
    assert any(f.message.endswith("…") for f in result.findings)


def test_publish_withholds_an_alias_bomb_quickly(tmp_path):
    (tmp_path / "bomb.md").write_text(with_front_matter(billion_laughs() + "\nsources: *l8"), encoding="utf-8")
    (tmp_path / "loop.md").write_text(with_front_matter("extra: &s [*s]"), encoding="utf-8")
    proc = healthlint("publish", "bomb.md", "loop.md", "--out", "site", cwd=tmp_path, timeout=60)
    assert_clean_exit(proc, (0,))
    assert "withheld   bomb.md: HL001" in proc.stdout and "withheld   loop.md: HL001" in proc.stdout
