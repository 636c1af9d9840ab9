"""Machine formats for CI: GitHub Actions annotations, SARIF 2.1.0 for code scanning, JUnit XML."""

from __future__ import annotations

import json
import time
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from healthlint.findings import ArticleResult, Finding, Report, Severity
from healthlint.reporters import Reporter
from healthlint.rules import DOC_SECTIONS, doc_sections

INFORMATION_URI = "https://pypi.org/project/healthlint/"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
GITHUB_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.SUGGESTION: "notice"}
SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.SUGGESTION: "note"}


# -- GitHub Actions ---------------------------------------------------------------------------


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _repo_path(path: str) -> str:
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
                "file": _repo_path(f.path),
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


# -- SARIF ------------------------------------------------------------------------------------


def _rule_help(doc: str) -> str:
    sections = doc_sections(doc)
    return "\n\n".join(f"## {title}\n{sections[title]}" for title in DOC_SECTIONS if title in sections)


class SarifReporter(Reporter):
    """SARIF 2.1.0: the rules with their documentation, and every finding with its region."""

    name = "sarif"
    description = "SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDEs)"

    def finish(self, report: Report) -> None:
        self.out.write(json.dumps(self.document(report), indent=2, ensure_ascii=False) + "\n")

    def document(self, report: Report) -> dict[str, Any]:
        from healthlint import __version__

        rules = sorted(self.rules.values(), key=lambda r: r.code)
        index = {rule.code: i for i, rule in enumerate(rules)}
        results = [self._result(f, index) for a in report.articles for f in a.findings]
        return {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "healthlint",
                            "version": __version__,
                            "semanticVersion": __version__,
                            "informationUri": INFORMATION_URI,
                            "rules": [
                                {
                                    "id": rule.code,
                                    "name": rule.name,
                                    "shortDescription": {"text": rule.summary},
                                    "fullDescription": {
                                        "text": doc_sections(rule.doc).get("What it flags", rule.summary)
                                    },
                                    "help": {
                                        "text": _rule_help(rule.doc) or rule.summary,
                                        "markdown": _rule_help(rule.doc) or rule.summary,
                                    },
                                    "defaultConfiguration": {
                                        "level": SARIF_LEVELS[self.config.severity_for(rule.code, rule.severity)],
                                        "enabled": True,
                                    },
                                    "properties": {"plugin": rule.plugin, "tags": ["health-content"]},
                                }
                                for rule in rules
                            ],
                        }
                    },
                    "invocations": [
                        {
                            "executionSuccessful": True,
                            "toolExecutionNotifications": [
                                {"level": "warning", "message": {"text": n.message}, "descriptor": {"id": n.code}}
                                for n in report.notices
                            ],
                        }
                    ],
                    "columnKind": "unicodeCodePoints",
                    "results": results,
                }
            ],
        }

    def _result(self, f: Finding, index: dict[str, int]) -> dict[str, Any]:
        result: dict[str, Any] = {
            "ruleId": f.code,
            "level": SARIF_LEVELS[f.severity],
            "message": {"text": f.message + (f" Suggestion: {f.suggestion}" if f.suggestion else "")},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": quote(_repo_path(f.path))},
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line,
                            "endColumn": f.end_column,
                        },
                    }
                }
            ],
            "partialFingerprints": {"healthlintFingerprint/v1": f.fingerprint()},
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        if f.match:
            result["locations"][0]["physicalLocation"]["region"]["snippet"] = {"text": f.match}
        return result


# -- JUnit XML --------------------------------------------------------------------------------


class JunitReporter(Reporter):
    """One test case per article: it fails when the article fails the gate."""

    name = "junit"
    description = "JUnit XML, one test case per article, for CI dashboards"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.started = time.monotonic()

    def finish(self, report: Report) -> None:
        import xml.etree.ElementTree as ET

        failed = sum(1 for a in report.articles if not a.passed)
        elapsed = f"{time.monotonic() - self.started:.3f}"
        suites = ET.Element(
            "testsuites", name="healthlint", tests=str(len(report.articles)), failures=str(failed), time=elapsed
        )
        suite = ET.SubElement(
            suites,
            "testsuite",
            name="healthlint",
            tests=str(len(report.articles)),
            failures=str(failed),
            errors="0",
            skipped="0",
            time=elapsed,
        )
        for article in report.articles:
            case = ET.SubElement(suite, "testcase", classname="healthlint", name=article.path, file=article.path)
            lines = [
                f"{f.path}:{f.line}:{f.column}: {f.code} [{f.severity}] {f.message}"
                + (f"\n    suggestion: {f.suggestion}" if f.suggestion else "")
                for f in article.findings
            ]
            if not article.passed:
                blocking = [f for f in article.findings if f.severity >= self.config.fail_on]
                codes = sorted({f.code for f in blocking})
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=f"{len(blocking)} finding(s) at or above {self.config.fail_on}: {', '.join(codes)}",
                    type=codes[0] if codes else "healthlint",
                )
                failure.text = "\n".join(lines)
            elif lines:
                ET.SubElement(case, "system-out").text = "\n".join(lines)
        ET.indent(suites)
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.out.write(ET.tostring(suites, encoding="unicode"))
        self.out.write("\n")
