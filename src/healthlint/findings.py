"""The old home of the model's classes, kept so modules not yet moved to :mod:`healthlint.model` still import."""

from healthlint.model import ArticleResult, Finding, Fix, Hit, Notice, Report, Severity

__all__ = ["ArticleResult", "Finding", "Fix", "Hit", "Notice", "Report", "Severity"]
