"""healthlint: a content-quality gate for health articles.

Write a plugin with :data:`hookimpl` and register :class:`Rule` objects whose checks
yield :class:`Hit` objects; see README.md, "Writing a plugin".
"""

from __future__ import annotations

import pluggy

__version__ = "0.1.0"

#: Decorator that marks a function of a plugin module as a healthlint hook implementation.
hookimpl = pluggy.HookimplMarker("healthlint")

from healthlint.api import lint_paths, lint_text  # noqa: E402
from healthlint.article import Article, Block, Link, Span  # noqa: E402  (hookimpl must exist first)
from healthlint.findings import ArticleResult, Finding, Fix, Hit, Notice, Report, Severity  # noqa: E402
from healthlint.rules import Rule, RuleContext  # noqa: E402

__all__ = [
    "Article",
    "ArticleResult",
    "Block",
    "Finding",
    "Fix",
    "Hit",
    "Link",
    "Notice",
    "Report",
    "Rule",
    "RuleContext",
    "Severity",
    "Span",
    "__version__",
    "hookimpl",
    "lint_paths",
    "lint_text",
]
