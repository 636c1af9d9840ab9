"""The HTML format: one self-contained page an editor can read (summary, verdicts, findings marked in place).

Everything that comes from an article, a rule or a file name is escaped before it enters the
page, and the page forbids itself any script, style or request but its own (a Content Security
Policy with the hashes of its one script and one style sheet), so hostile article text is shown,
never run.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from healthlint.model import ArticleResult, Finding, Notice, Report, Severity
from healthlint.output.base import Reporter, plural
from healthlint.output.marks import Mark, marked_text

if TYPE_CHECKING:
    from healthlint.config import Config
    from healthlint.rules import Rule

#: Severities from worst to mildest, as the page lists them.
SEVERITIES = tuple(reversed(Severity))
#: Fill colours of the chart (the page's CSS uses the same ones for highlights).
#: The table of counts per code is open when it has at most this many rows.
OPEN_CODES = 12
#: Findings spanning more lines than this are marked at their start only (see _article).
WIDE_LINES = 3
SEVERITY_COLORS = {Severity.ERROR: "#c62828", Severity.WARNING: "#b26a00", Severity.SUGGESTION: "#1565c0"}


@dataclass(frozen=True)
class ReportedArticle:
    """One article of the report: its result, its text (None when unreadable) and its verdict."""

    result: ArticleResult
    text: str | None
    #: What the gate decided, as the page shows it ("passed", "failed", "withheld").
    verdict: str
    #: Why, in a few words (e.g. the codes that withheld it); empty for none.
    reason: str = ""


class HtmlReporter(Reporter):
    """One self-contained HTML page: summary and chart, verdicts, each article with its findings marked."""

    name = "html"
    description = "one self-contained HTML page for editors: findings highlighted in each article"

    def __init__(self, out: TextIO, *, config: Config, rules: dict[str, Rule], color: bool = False) -> None:
        super().__init__(out, config=config, rules=rules, color=color)
        self._articles: list[ReportedArticle] = []

    def article(self, result: ArticleResult) -> None:
        shown = ArticleResult(result.path, self.shown(result.findings), result.metrics, result.passed)
        verdict = "passed" if result.passed else "failed"
        self._articles.append(ReportedArticle(shown, read_text(result.path), verdict))

    def finish(self, report: Report) -> None:
        self.out.write(render_html(self._articles, self.rules, title="healthlint report", notices=report.notices))


def read_text(path: str) -> str | None:
    """The article's text as the checks saw it (decoded, newlines folded), or None when it cannot be read."""
    from healthlint.article import ArticleError, read_article

    if path == "-":
        return None
    try:
        return read_article(Path(path)).text
    except ArticleError:
        return None


def render_html(
    articles: Sequence[ReportedArticle],
    rules: dict[str, Rule],
    *,
    title: str,
    notices: Iterable[Notice] = (),
) -> str:
    """The whole page."""
    from healthlint import __version__

    findings = [f for a in articles for f in a.result.findings]
    css = _asset("report.css")
    script = _asset("report.js")
    data = _json_for_script(
        {
            "findings": [
                _finding_data(f, rules)
                for a in articles
                for f in a.result.findings  # same order as the ids
            ]
        }
    )
    policy = (
        f"default-src 'none'; script-src '{_hash(script)}'; style-src '{_hash(css)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    failed = sum(1 for a in articles if a.verdict != "passed")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{escape(title)}</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#articles">Skip to the articles</a>',
        "<header>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="lede">{plural(len(articles), "article")}, {failed} not passing, '
        f"{plural(len(findings), 'finding')}. healthlint {escape(__version__)}.</p>",
        "</header>",
        "<main>",
        _summary(findings, articles),
        _notices(notices),
        _filters(findings),
        '<section id="articles" aria-label="Articles">',
    ]
    first_id = 0
    for number, item in enumerate(articles):
        parts.append(_article(number, item, first_id))
        first_id += len(item.result.findings)
    parts += [
        "</section>",
        _rule_docs(findings, rules),
        "</main>",
        '<div id="tip" role="tooltip" hidden></div>',
        f'<script type="application/json" id="findings-data">{data}</script>',
        f"<script>{script}</script>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


def _asset(name: str) -> str:
    from importlib.resources import files  # about 7 ms to import: only runs that write a report pay it

    return files("healthlint.output").joinpath("report", name).read_text(encoding="utf-8")


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _json_for_script(value: object) -> str:
    """JSON that cannot end its <script> element nor open a comment in it: <, > and & are \\u escapes."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028")):
        text = text.replace(char, escaped)
    return text.replace("\u2029", "\\u2029")


def _finding_data(f: Finding, rules: dict[str, Rule]) -> dict[str, object]:
    rule = rules.get(f.code)
    return {
        "code": f.code,
        "name": f.name,
        "severity": str(f.severity),
        "family": family_of(f),
        "line": f.line,
        "column": f.column,
        "message": f.message,
        "suggestion": f.suggestion,
        "summary": rule.summary if rule else "",
    }


def family_of(f: Finding) -> str:
    """The family (plugin) that reported a finding; the host's own findings count as core."""
    return f.plugin or "core"


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _section(ident: str, heading: str, body: str) -> str:
    return f'<section id="{ident}" aria-labelledby="{ident}-h"><h2 id="{ident}-h">{heading}</h2>{body}</section>'


def _summary(findings: list[Finding], articles: Sequence[ReportedArticle]) -> str:
    by_family: dict[str, Counter[Severity]] = {}
    by_code: dict[tuple[str, str, str], Counter[Severity]] = {}
    for f in findings:
        by_family.setdefault(family_of(f), Counter())[f.severity] += 1
        by_code.setdefault((family_of(f), f.code, f.name), Counter())[f.severity] += 1
    head = "".join(f'<th scope="col">{s}</th>' for s in SEVERITIES)
    rows = []
    for family, code, name in sorted(by_code):
        counts = by_code[family, code, name]
        cells = "".join(f"<td>{counts[s] or ''}</td>" for s in SEVERITIES)
        rows.append(
            f"<tr><td>{_attr(family)}</td>"
            f'<th scope="row"><a href="#rule-{_attr(code)}">{_attr(code)}</a> {_attr(name)}</th>'
            f"{cells}<td>{sum(counts.values())}</td></tr>"
        )
    table = (
        f"<details{' open' if len(rows) <= OPEN_CODES else ''}><summary>Findings per family and code "
        f"({plural(len(rows), 'code')})</summary>"
        f'<table class="counts"><thead><tr><th scope="col">Family</th><th scope="col">Code</th>{head}'
        f'<th scope="col">Total</th></tr></thead><tbody>{"".join(rows)}</tbody></table></details>'
        if rows
        else '<p class="none">No findings.</p>'
    )
    return _section("summary", "Summary", f'<div class="columns">{_chart(by_family)}{_verdicts(articles)}</div>{table}')


def _chart(by_family: dict[str, Counter[Severity]]) -> str:
    """A horizontal bar per family, stacked by severity, as inline SVG."""
    if not by_family:
        return ""
    families = sorted(by_family, key=lambda name: (-sum(by_family[name].values()), name))
    most = max(sum(c.values()) for c in by_family.values())
    label_width, bar_width, row = 120, 360, 24
    height = row * len(families) + 28
    out = [
        f'<svg class="chart" role="img" aria-labelledby="chart-t" width="{label_width + bar_width + 60}" '
        f'height="{height}" viewBox="0 0 {label_width + bar_width + 60} {height}" xmlns="http://www.w3.org/2000/svg">',
        '<title id="chart-t">Findings per family, by severity</title>',
    ]
    for i, family in enumerate(families):
        y = i * row + 4
        counts = by_family[family]
        out.append(f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end">{_attr(family)}</text>')
        x = float(label_width)
        for severity in SEVERITIES:
            if counts[severity]:
                width = bar_width * counts[severity] / most
                out.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{row - 6}" '
                    f'fill="{SEVERITY_COLORS[severity]}"><title>{_attr(family)}: '
                    f"{plural(counts[severity], str(severity))}</title></rect>"
                )
                x += width
        out.append(f'<text x="{x + 6:.1f}" y="{y + 15}">{sum(counts.values())}</text>')
    legend_y = row * len(families) + 20
    x = float(label_width)
    for severity in SEVERITIES:
        out.append(f'<rect x="{x}" y="{legend_y - 10}" width="10" height="10" fill="{SEVERITY_COLORS[severity]}"/>')
        out.append(f'<text x="{x + 14}" y="{legend_y}">{severity}</text>')
        x += 110
    out.append("</svg>")
    return "".join(out)


def _notices(notices: Iterable[Notice]) -> str:
    items = [f"<li><code>{_attr(n.code)}</code> {_attr(n.message)}</li>" for n in notices]
    if not items:
        return ""
    return _section("notices", "Notices", f"<ul>{''.join(items)}</ul>")


def _filters(findings: list[Finding]) -> str:
    if not findings:
        return ""
    severities = Counter(str(f.severity) for f in findings)
    families = Counter(family_of(f) for f in findings)

    def box(kind: str, value: str, count: int) -> str:
        return (
            f'<label><input type="checkbox" checked data-filter="{kind}" value="{_attr(value)}"> '
            f'{_attr(value)} <span class="n">({count})</span></label>'
        )

    sev = "".join(box("severity", str(s), severities[str(s)]) for s in SEVERITIES if severities[str(s)])
    fam = "".join(box("family", name, families[name]) for name in sorted(families))
    return (
        '<section id="filters" aria-label="Filters">'
        f"<fieldset><legend>Severity</legend>{sev}</fieldset>"
        f"<fieldset><legend>Family</legend>{fam}</fieldset>"
        '<fieldset><legend>Articles</legend><label><input type="checkbox" id="only-failing"> '
        "only those that do not pass</label></fieldset>"
        '<p class="hint">Tab moves from finding to finding; Enter on a finding opens its rule.</p></section>'
    )


def _verdicts(articles: Sequence[ReportedArticle]) -> str:
    if not articles:
        return '<p class="none">No articles.</p>'
    rows = []
    for number, item in enumerate(articles):
        counts = item.result.counts()
        cells = "".join(f"<td>{counts[str(s)] or ''}</td>" for s in SEVERITIES)
        reason = f' <span class="reason">{_attr(item.reason)}</span>' if item.reason else ""
        rows.append(
            f'<tr data-verdict="{_attr(item.verdict)}"><th scope="row"><a href="#article-{number}">'
            f'{_attr(item.result.path)}</a></th><td><span class="verdict {_attr(item.verdict)}">'
            f"{_attr(item.verdict)}</span>{reason}</td>{cells}</tr>"
        )
    head = "".join(f'<th scope="col">{s}</th>' for s in SEVERITIES)
    return (
        '<table id="verdicts"><caption>Gate verdicts</caption><thead><tr><th scope="col">Article</th>'
        f'<th scope="col">Verdict</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _article(number: int, item: ReportedArticle, first_id: int) -> str:
    result = item.result
    marks = [
        Mark(
            first_id + i,
            f.line,
            f.column,
            # A finding about a whole article or a long passage would tint the whole text: it is marked at its start.
            f.line if f.end_line - f.line > WIDE_LINES else f.end_line,
            f.column if f.end_line - f.line > WIDE_LINES else f.end_column,
            {"data-sev": str(f.severity), "data-family": family_of(f), "data-code": f.code},
        )
        for i, f in enumerate(result.findings)
    ]
    if item.text is None:
        body = '<p class="none">The text of this article could not be read; its findings are listed below.</p>'
    else:
        body = f'<pre class="text">{marked_text(item.text, marks)}</pre>'
    listing = "".join(
        f'<li data-sev="{f.severity}" data-family="{_attr(family_of(f))}" data-i="{first_id + i}">'
        f'<a href="#hl-{first_id + i}" class="at">{f.line}:{f.column}</a> '
        f'<span class="sev {f.severity}">{f.severity}</span> '
        f'<a href="#rule-{_attr(f.code)}"><code>{_attr(f.code)}</code></a> {_attr(f.message)}'
        + (f'<div class="suggestion">Suggestion: {_attr(f.suggestion)}</div>' if f.suggestion else "")
        + "</li>"
        for i, f in enumerate(result.findings)
    )
    findings = f'<ol class="findings">{listing}</ol>' if listing else '<p class="none">No findings.</p>'
    reason = f" — {_attr(item.reason)}" if item.reason else ""
    return (
        f'<article id="article-{number}" data-verdict="{_attr(item.verdict)}" aria-labelledby="article-{number}-h">'
        f'<h3 id="article-{number}-h"><span class="verdict {_attr(item.verdict)}">{_attr(item.verdict)}</span> '
        f"{_attr(result.path)}{reason}</h3>{body}{findings}</article>"
    )


def _rule_docs(findings: list[Finding], rules: dict[str, Rule]) -> str:
    from healthlint.rules import DOC_SECTIONS, doc_sections

    codes = sorted({f.code for f in findings})
    if not codes:
        return ""
    out = []
    for code in codes:
        rule = rules.get(code)
        name = rule.name if rule else next(f.name for f in findings if f.code == code)
        out.append(f'<section class="rule" id="rule-{_attr(code)}" tabindex="-1"><h3>{_attr(code)} {_attr(name)}</h3>')
        if rule is not None:
            out.append(f"<p><strong>{_attr(rule.summary)}</strong> ({rule.severity} by default)</p>")
            sections = doc_sections(rule.doc)
            for title in DOC_SECTIONS:
                if sections.get(title):
                    out.append(f'<h4>{title}</h4><div class="doc">{_attr(sections[title])}</div>')
        out.append("</section>")
    return _section("rules", "Rules", "".join(out))
