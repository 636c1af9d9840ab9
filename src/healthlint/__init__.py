"""healthlint: a content-quality gate for health articles.

Write a plugin with :data:`hookimpl` and register :class:`Rule` objects whose checks
yield :class:`Hit` objects; see README.md, "Writing a plugin".
"""

from __future__ import annotations

from healthlint.api import lint_paths, lint_text
from healthlint.article import Article, Block, Link, Span
from healthlint.config import ConfigError, UsageError
from healthlint.hookspecs import hookimpl
from healthlint.model import ArticleResult, Finding, Fix, Hit, Notice, Report, Severity
from healthlint.rules import Rule, RuleContext

__version__ = "0.1.0"

__all__ = [
    "Article",
    "ArticleResult",
    "Block",
    "ConfigError",
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
    "UsageError",
    "__version__",
    "hookimpl",
    "lint_paths",
    "lint_text",
]
