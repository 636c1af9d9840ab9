"""Exit codes and the gate: does an article pass, given its findings, the baseline and the threshold?"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING

from healthlint.model import ArticleResult, Finding, Severity

if TYPE_CHECKING:
    from healthlint.storage.baseline import Baseline


class ExitCode(enum.IntEnum):
    """What ``healthlint`` exits with."""

    #: Every article passes the gate.
    OK = 0
    #: At least one article has a finding at or above ``fail-on``.
    GATE_FAILED = 1
    #: Bad usage, configuration or input path (the message names the file).
    USAGE_ERROR = 2
    #: A bug in healthlint itself.
    INTERNAL_ERROR = 3
    #: Stopped by Ctrl-C (or, while publishing, SIGTERM): 128 + SIGINT, as shells report it.
    INTERRUPTED = 130


def passes(findings: Iterable[Finding], fail_on: Severity) -> bool:
    """An article passes when none of its findings reaches the ``fail-on`` severity."""
    return all(f.severity < fail_on for f in findings)


def gated(result: ArticleResult, fail_on: Severity, baseline: Baseline | None) -> ArticleResult:
    """The result as the run reports it: baselined findings dropped, passed judged against ``fail-on``.

    Checked and cached results know nothing of the baseline, so it is applied here, once per run.
    """
    findings = result.findings if baseline is None else baseline.filter(result.path, result.findings)
    passed = passes(findings, fail_on)
    if findings is result.findings and passed == result.passed:
        return result
    return ArticleResult(result.path, findings, result.metrics, passed, result.cacheable, result.notices)
