"""JUnit XML: one test case per article, failing when the article fails the gate."""

from __future__ import annotations

import time
from typing import Any

from healthlint.model import Report
from healthlint.output.base import Reporter
from healthlint.output.github import repo_path


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
            file = repo_path(article.path)
            case = ET.SubElement(suite, "testcase", classname="healthlint", name=article.path, file=file)
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
