"""healthlint: a content-quality gate for health articles.

Write a plugin with :data:`hookimpl` and register :class:`Rule` objects whose checks
yield :class:`Hit` objects; see README.md, "Writing a plugin".

The names below are loaded on first use (PEP 562), so importing the package itself costs nothing: the ``healthlint``
program (:mod:`healthlint.program`) takes Ctrl-C before the engine's imports begin.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: importing typing is a tenth of the program's start before Ctrl-C is taken
if TYPE_CHECKING:
    from typing import Any

    from healthlint.api import lint_paths, lint_text
    from healthlint.article import Article, Block, Link, Span
    from healthlint.config import ConfigError, UsageError
    from healthlint.hookspecs import hookimpl
    from healthlint.model import ArticleResult, Finding, Fix, Hit, Notice, Report, Severity
    from healthlint.rules import Rule, RuleContext

__version__ = "0.1.0"

#: Each public name -> the module that defines it.
_HOME = {
    "lint_paths": "healthlint.api",
    "lint_text": "healthlint.api",
    "Article": "healthlint.article",
    "Block": "healthlint.article",
    "Link": "healthlint.article",
    "Span": "healthlint.article",
    "ConfigError": "healthlint.config",
    "UsageError": "healthlint.config",
    "hookimpl": "healthlint.hookspecs",
    "ArticleResult": "healthlint.model",
    "Finding": "healthlint.model",
    "Fix": "healthlint.model",
    "Hit": "healthlint.model",
    "Notice": "healthlint.model",
    "Report": "healthlint.model",
    "Severity": "healthlint.model",
    "Rule": "healthlint.rules",
    "RuleContext": "healthlint.rules",
}


if not TYPE_CHECKING:  # a type checker reads the imports above: a module __getattr__ would make any name Any

    def __getattr__(name: str) -> Any:
        home = _HOME.get(name)
        if home is None:
            raise AttributeError(f"module 'healthlint' has no attribute {name!r}")
        import importlib

        value = getattr(importlib.import_module(home), name)
        globals()[name] = value  # once: the next use is a plain attribute
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOME})


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
