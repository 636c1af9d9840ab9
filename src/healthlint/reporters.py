"""Output formats: text for editors (colored, line:column, suggestions) and JSON for tools."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar, TextIO

import click

from healthlint.findings import ArticleResult, Finding, Report, Severity

if TYPE_CHECKING:
    from healthlint.config import Config
    from healthlint.rules import Rule

SEVERITY_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.SUGGESTION: "cyan"}


class Reporter:
    """Base class of output formats. Results arrive one article at a time, in a stable order.

    Subclasses set ``name`` (the ``--format`` value) and ``description``, and override
    :meth:`article` and/or :meth:`finish`. Write only to ``self.out``.
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""

    def __init__(self, out: TextIO, *, config: Config, rules: dict[str, Rule], color: bool = False) -> None:
        self.out = out
        self.config = config
        self.rules = rules
        self.color = color

    def shown(self, findings: list[Finding]) -> list[Finding]:
        """Findings at or above the display threshold (``show``)."""
        return [f for f in findings if f.severity >= self.config.show]

    def article(self, result: ArticleResult) -> None:
        """Called once per article, as soon as its result is known."""

    def finish(self, report: Report) -> None:
        """Called once at the end with the whole report."""


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


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
            self.out.write(f"{location} {code} {severity} {f.message}\n")
            if f.suggestion:
                self.out.write(f"    {self._style('suggestion:', dim=True)} {f.suggestion}\n")

    def finish(self, report: Report) -> None:
        for notice in report.notices:
            self.out.write(f"{self._style('notice:', fg='magenta', bold=True)} {notice.code} {notice.message}\n")
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


class JsonReporter(Reporter):
    """The JSON contract of README's "JSON output" section (stable; other tools build on it)."""

    name = "json"
    description = "for tools: one JSON document with every finding and metric"

    def finish(self, report: Report) -> None:
        self.out.write(render_json(report_to_json(report)))


def render_json(document: dict[str, Any]) -> str:
    """The document laid out for reading: one line per finding, notice and metrics object.

    ``json.dumps(indent=2)`` runs Python's pure-Python encoder and puts every value on a line
    of its own (a third of a big JSON run's formatting time, and 6 MB for 500 articles);
    encoding each finding compactly uses the C encoder and stays easy to read and to diff.
    """
    encode = _ENCODER.encode

    def items(values: list[Any], indent: str) -> str:
        if not values:
            return "[]"
        return f"[\n{indent}  " + f",\n{indent}  ".join(map(encode, values)) + f"\n{indent}]"

    out = []
    for key, value in document.items():
        if key == "articles" and value:
            articles = []
            for article in value:
                fields = [
                    f"      {encode(name)}: {items(field, '      ') if name == 'findings' else encode(field)}"
                    for name, field in article.items()
                ]
                articles.append("    {\n" + ",\n".join(fields) + "\n    }")
            text = "[\n" + ",\n".join(articles) + "\n  ]"
        elif key == "notices":
            text = items(value, "  ")
        else:
            text = encode(value)
        out.append(f"  {encode(key)}: {text}")
    return "{\n" + ",\n".join(out) + "\n}\n"


_ENCODER = json.JSONEncoder(ensure_ascii=False)


def report_to_json(report: Report) -> dict[str, Any]:
    from healthlint import __version__

    return {
        "healthlint": __version__,
        "articles": [
            {
                "path": a.path,
                "passed": a.passed,
                "findings": [f.to_json() for f in a.findings],
                "metrics": a.metrics,
            }
            for a in report.articles
        ],
        "notices": [{"code": n.code, "message": n.message, "plugin": n.plugin} for n in report.notices],
        "summary": report.summary(),
    }
