"""Exit codes and the gate: does an article pass, given its findings and the threshold?"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from healthlint.findings import Finding, Severity


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


def passes(findings: Iterable[Finding], fail_on: Severity) -> bool:
    """An article passes when none of its findings reaches the ``fail-on`` severity."""
    return all(f.severity < fail_on for f in findings)
