"""HL600 grammar-not-checked: with ``required = true``, an article LanguageTool could not check."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from healthlint import Article, Hit, Rule, RuleContext, Severity
from healthlint.families.grammar.analysis import article_grammar
from healthlint.families.grammar.options import SETUP_DOC
from healthlint.families.grammar.session import session_for

DOC = f"""
## What it flags
With `required = true`, an article LanguageTool did not check: the server stopped
answering (timed out) or sent a response healthlint could not use during the run. (A
server that is missing from the start stops the run with exit code 2 instead.) Without
`required`, nothing is flagged and the run gets one HL003 notice.

## Why it matters
A site that requires grammar checks must not publish articles that skipped them.

## Example
`grammar not checked: LanguageTool at http://lt:8081 failed (no answer within 10 s)`

## Instead
Make the server reachable (or raise `timeout`) and run healthlint again.

## Options
`required` (false), `timeout` (10 s). {SETUP_DOC}
"""


def check_grammar_not_checked(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    result = article_grammar(article, ctx)
    if ctx.options().required and result.status != "checked" and article.blocks:
        session = session_for(ctx.config)
        if result.status == "failed":
            message = f"grammar not checked: {session.failure}"
        else:
            message = session.unavailable or "grammar not checked"
        hit = article.line_hit(
            article.body_start_line, message, suggestion="make LanguageTool reachable and check the article again"
        )
        yield replace(hit, key="grammar not checked")  # neither the first line nor the server's error


RULE = Rule(
    "HL600",
    "grammar-not-checked",
    "Grammar is required but LanguageTool could not check this article",
    Severity.ERROR,
    check_grammar_not_checked,
    DOC,
)
