"""The check both page-chrome rules run: their share of the article's one page-chrome analysis."""

from __future__ import annotations

from collections.abc import Iterator

from healthlint import Article, Hit, RuleContext


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    from healthlint.families.chrome.analysis import chrome_hits  # loaded by the runs that use it

    yield from ctx.shared("chrome.hits", lambda: chrome_hits(article))[ctx.rule.name]
