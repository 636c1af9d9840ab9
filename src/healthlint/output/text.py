"""The text format for editors: colored ``path:line:col: CODE [severity] message``, suggestions and a summary."""

from __future__ import annotations

from typing import Any

import click

from healthlint.console import terminal_safe
from healthlint.model import ArticleResult, Report, Severity
from healthlint.output.base import Reporter, plural

SEVERITY_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.SUGGESTION: "cyan"}


class TextReporter(Reporter):
    """``path:line:col: CODE [severity] message``, the suggestion on the next line, and a summary."""

    name = "text"
    description = "for people: one line per finding, colored on a terminal"

    def _style(self, text: str, **kwargs: Any) -> str:
        return click.style(text, **kwargs) if self.color else text

    def article(self, result: ArticleResult) -> None:
        for f in self.shown(result.findings):
            location = self._style(f"{f.path}:{f.line}:{f.column}:", bold=True)
            code = self._style(f.code, fg=SEVERITY_COLORS[f.severity], bold=True)
            severity = self._style(f"[{f.severity}]", fg=SEVERITY_COLORS[f.severity])
            self.out.write(f"{location} {code} {severity} {terminal_safe(f.message)}\n")
            if f.suggestion:
                self.out.write(f"    {self._style('suggestion:', dim=True)} {terminal_safe(f.suggestion)}\n")

    def finish(self, report: Report) -> None:
        for notice in report.notices:
            self.out.write(
                f"{self._style('notice:', fg='magenta', bold=True)} {notice.code} {terminal_safe(notice.message)}\n"
            )
        summary = report.summary()
        counts = summary["findings"]
        parts = [plural(counts[str(s)], str(s)) for s in reversed(Severity) if counts[str(s)]]
        found = ", ".join(parts) if parts else "no findings"
        status = (
            f"{plural(summary['articles'], 'article')} checked: "
            f"{summary['passed']} passed, {summary['failed']} failed ({found})"
        )
        color = "green" if summary["failed"] == 0 else "red"
        self.out.write(self._style(status, fg=color, bold=True) + "\n")
