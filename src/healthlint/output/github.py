"""GitHub Actions annotations: one workflow command per finding."""

from __future__ import annotations

from pathlib import PurePath

from healthlint.model import ArticleResult, Report, Severity
from healthlint.output.base import Reporter

GITHUB_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.SUGGESTION: "notice"}


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def repo_path(path: str) -> str:
    """A path as a repository-relative POSIX path (``./a/b.md`` → ``a/b.md``)."""
    posix = PurePath(path).as_posix()
    while posix.startswith("./"):
        posix = posix[2:]
    return posix


class GithubReporter(Reporter):
    """One workflow command per finding, so findings show as annotations on the pull request."""

    name = "github"
    description = "GitHub Actions annotations (::error file=...,line=...::message)"

    def article(self, result: ArticleResult) -> None:
        for f in self.shown(result.findings):
            props = {
                "file": repo_path(f.path),
                "line": str(f.line),
                "endLine": str(f.end_line),
                "col": str(f.column),
                "endColumn": str(f.end_column),
                "title": f"{f.code} {f.name}",
            }
            if f.end_line != f.line:
                del props["endColumn"]  # GitHub only honours endColumn on single-line annotations
            rendered = ",".join(f"{k}={_escape_property(v)}" for k, v in props.items())
            message = f.message + (f"\nSuggestion: {f.suggestion}" if f.suggestion else "")
            self.out.write(f"::{GITHUB_LEVELS[f.severity]} {rendered}::{_escape_data(message)}\n")

    def finish(self, report: Report) -> None:
        for notice in report.notices:
            self.out.write(f"::warning title={_escape_property(notice.code)}::{_escape_data(notice.message)}\n")
