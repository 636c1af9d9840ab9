"""Property tests: for any text, parsing and every built-in rule finish, spans lie in the file, JSON round-trips."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from healthlint.article import parse_article
from healthlint.config import Config
from healthlint.engine.driver import Driver
from healthlint.engine.runner import ArticleChecker
from healthlint.model import Report
from healthlint.output.json import render_json, report_to_json
from healthlint.plugins import get_plugin_manager

PIECES = [
    "# ",
    "## ",
    "- ",
    "* ",
    "1. ",
    "> ",
    "```\n",
    "    code\n",
    "`",
    "**",
    "_",
    "~~",
    "[",
    "](",
    ")",
    "![",
    "<",
    ">",
    "<!-- healthlint: disable=HL3 -->",
    "<!--",
    "-->",
    "---\n",
    "title: x\n",
    "\n",
    "\n\n",
    "\r\n",
    "|",
    "| --- |",
    " ",
    "\t",
    "&amp;",
    "&#x41;",
    "\\*",
    "http://example.org/a?utm_source=x",
    "www.example.com",
    "doi:10.1000/182",
    '<a href="http://x.example" style="display:none">',
    "</a>",
    "<script>",
    "é",
    "中文",
    "🙂",
    "\u00a0",
    "\u200b",
    "The study in the Journal of Pain found",
    "the reply is sure",
    "slightly than",
    "consult your doctor",
    "miracle cure",
    "get in touch",
    "If you have any questions about where and how to use X, contact us.",
    "Utilize",
    "A.",
    "e.g.",
    "Dr.",
    "...",
    "?!",
    "12.5 mg",
    "[^1]",
    "[1]",
    "References",
    "Q:",
    "A:",
]
ARTICLE_TEXT = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=15)), max_size=80).map("".join),
)
# How many examples comes from the profile (tests/conftest.py): 150, the same ones each run, by default.
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def linter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ArticleChecker]:
    # every built-in rule, including those off by default
    config = Config(root=Path(tmp_path_factory.mktemp("props")), rule_timeout=0, extend_select=["HL"])
    pm = get_plugin_manager(config, autoload=False, local=False)
    with Driver(config, pm) as running:
        yield running.checker


@SETTINGS
@given(text=ARTICLE_TEXT, name=st.sampled_from(["a.md", "a.txt"]))
def test_every_rule_finishes_and_every_span_lies_in_the_file(linter: ArticleChecker, text: str, name: str) -> None:
    article = linter.parse(name, text)
    result = linter.lint_article(article)
    crashed = [f.message for f in result.findings if f.code in ("HL002", "HL005")]
    assert not crashed
    lines = article.text.split("\n")
    for f in result.findings:
        assert 1 <= f.line <= f.end_line <= len(lines), f
        assert 1 <= f.column <= len(lines[f.line - 1]) + 1, f
        assert 1 <= f.end_column <= len(lines[f.end_line - 1]) + 1, f
        if f.line == f.end_line:
            assert f.column <= f.end_column, f
    document = report_to_json(Report(articles=[result]))
    assert json.loads(json.dumps(document)) == document
    rendered = render_json(document)
    assert json.loads(rendered) == document
    finding_lines = [line for line in rendered.splitlines() if line.startswith('        {"code": ')]
    assert len(finding_lines) == len(result.findings)  # one line per finding, whatever its text


@SETTINGS
@given(text=ARTICLE_TEXT, name=st.sampled_from(["a.md", "a.txt"]))
def test_prose_maps_back_to_the_same_characters(text: str, name: str) -> None:
    article = parse_article(name, text)
    for block in article.blocks:
        assert block.text == block.text.strip() and "  " not in block.text
        for i, char in enumerate(block.text):
            offset = block.offset(i)
            assert 0 <= offset < max(len(article.text), 1)
            if char != " " and article.text[offset] != char:
                # only decoded entities and escapes, and NUL (which CommonMark replaces), may differ
                assert article.text[offset] in "&\\\x00", (char, article.text[offset - 3 : offset + 3])
    for link in article.links:
        assert 1 <= link.span.line <= link.span.end_line <= article.last_line
