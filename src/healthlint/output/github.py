"""GitHub Actions annotations: one workflow command per finding."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path, PurePath

from healthlint.model import ArticleResult, Report, Severity
from healthlint.output.base import Reporter

GITHUB_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.SUGGESTION: "notice"}


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


@lru_cache(maxsize=1024)
def _work_tree(folder: str) -> str | None:
    """The nearest folder at or above ``folder`` holding ``.git`` (a folder, or a file in a worktree)."""
    for candidate in (Path(folder), *Path(folder).parents):
        if (candidate / ".git").exists():
            return str(candidate)
    return None


def repo_path(path: str) -> str:
    """A path as GitHub names it: POSIX, from the root of the repository that holds it.

    Annotations and code-scanning alerts are placed by the path from the checkout's root, whatever folder
    healthlint ran in and however the path was given (``.`` from inside ``articles/``, an absolute path). The
    root is the enclosing git work tree, else ``$GITHUB_WORKSPACE`` when the file is under it; a file in
    neither keeps the path it was given (``./a/b.md`` → ``a/b.md``). Links are not followed.
    """
    absolute = Path(os.path.abspath(path))
    workspace = os.environ.get("GITHUB_WORKSPACE") or None
    roots = [_work_tree(str(absolute.parent)), workspace]
    # The current folder is a real path; $GITHUB_WORKSPACE may name it through a link: compare real folders too.
    pairs = [(absolute, root) for root in roots if root is not None]
    if workspace is not None:
        pairs.append((Path(os.path.realpath(absolute.parent), absolute.name), os.path.realpath(workspace)))
    for file, root in pairs:
        try:
            return file.relative_to(os.path.abspath(root)).as_posix()
        except ValueError:
            continue
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
