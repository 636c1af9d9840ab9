"""``healthlint publish --report FILE``: the HTML report of the articles publish withheld."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from healthlint.model import ArticleResult, Notice
from healthlint.output.html import ReportedArticle, render_html
from healthlint.storage.atomic import write_output

if TYPE_CHECKING:
    from healthlint.article import Article
    from healthlint.publish.model import WithheldArticle
    from healthlint.rules import Rule


def write_withheld_report(
    path: Path,
    withheld: tuple[WithheldArticle, ...],
    checked: list[tuple[ArticleResult, Article | None]],
    rules: dict[str, Rule],
    *,
    site_title: str,
    notices: Sequence[Notice] = (),
) -> None:
    """Write the page, in one step: each withheld article with every finding, and why the gate held it back."""
    by_path = {result.path: (result, article) for result, article in checked}
    articles = []
    for item in sorted(withheld, key=lambda w: w.source):
        result, article = by_path[item.source]
        # Blocking findings publish adds itself (an unsafe slug) are not among the checks' findings.
        extra = [f for f in item.findings if f not in result.findings]
        findings = sorted(result.findings + extra, key=lambda f: (f.line, f.column))
        shown = ArticleResult(result.path, findings, result.metrics, result.passed)
        reason = ", ".join(item.reasons()) or "unreadable"
        articles.append(ReportedArticle(shown, article.text if article else None, "withheld", reason))
    title = f"{site_title}: articles withheld from publishing"
    page = render_html(articles, rules, title=title, notices=notices)
    # As --output writes a file the user names: a new one gets the umask's mode (not a temporary file's 0600, which
    # a web server or a colleague could not read), a replaced one keeps its own; atomic; a UsageError naming it.
    write_output(path, page.encode("utf-8"))
