"""Severities, what checks report (hits) and what the host makes of them (findings, reports)."""

from __future__ import annotations

import enum
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

_SPACE_RE = re.compile(r"\s+")


class Severity(enum.IntEnum):
    """How bad a finding is; ordered, so thresholds compare (Vale's ladder)."""

    #: Worth a look; never fails the default gate.
    SUGGESTION = 0
    #: Should be fixed; fails the gate only with ``fail-on = "warning"``.
    WARNING = 1
    #: Must be fixed before the article is published.
    ERROR = 2

    def __str__(self) -> str:
        return _SEVERITY_NAMES[self]  # asked for every finding of every report: no enum lookups

    @classmethod
    def parse(cls, value: str) -> Severity:
        """Read ``"error"``, ``"warning"`` or ``"suggestion"`` (any case).

        :raises ValueError: for anything else.
        """
        try:
            return cls[value.strip().upper()]
        except (KeyError, AttributeError):
            choices = ", ".join(str(s) for s in cls)
            raise ValueError(f"{value!r} is not a severity (choose from {choices})") from None


_SEVERITY_NAMES = {severity: severity.name.lower() for severity in Severity}


@dataclass(frozen=True)
class Fix:
    """A replacement for the whole span of the hit that carries it.

    Only fixes marked ``safe`` are applied by ``healthlint check --fix``.
    """

    replacement: str
    safe: bool = True


@dataclass(frozen=True)
class Hit:
    """What a rule's check yields: a located problem, before the host decides what it means.

    Lines and columns are 1-based and counted in the file (front matter included);
    ``end_column`` is exclusive, so a one-character hit at column 5 ends at column 6.
    """

    line: int
    column: int
    message: str
    end_line: int | None = None
    end_column: int | None = None
    #: The text the rule matched; used to fingerprint the finding for baselines.
    match: str | None = None
    #: What the editor should probably write instead (shown on the next line).
    suggestion: str | None = None
    fix: Fix | None = None
    #: The finding's identity in baselines when it judges the whole article (a statement that is
    #: missing, a reading grade, a verdict) rather than the text at its span: when set, the
    #: fingerprint is the code plus this key, so edits elsewhere in the article leave it known.
    #: Keep it free of numbers and text that vary with the article (``"no safety statement"``).
    key: str | None = None


@dataclass(frozen=True, order=True)
class Finding:
    """A hit turned into a reportable finding by the host: code, severity and plugin attached."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    name: str
    severity: Severity
    message: str
    match: str | None = None
    suggestion: str | None = None
    fix: Fix | None = field(default=None, compare=False)
    plugin: str = ""
    #: The hit's :attr:`Hit.key`: the identity of an article-level finding in baselines.
    key: str | None = field(default=None, compare=False)

    def fingerprint(self) -> str:
        """A line-insensitive identity: the code plus the key (or matched text, or message), white space folded.

        Editing other parts of an article moves findings but does not change their
        fingerprints, so baselines keep recognising them. Findings about the whole article
        carry a ``key`` that does not depend on the text at their span or the figures in their
        message; span findings (no key) are fingerprinted by their matched text as before.
        """
        return _fingerprint(self.code, self.key or self.match or self.message)

    def to_json(self) -> dict[str, Any]:
        """The finding as the JSON output contract describes it."""
        return {
            "code": self.code,
            "name": self.name,
            "severity": str(self.severity),
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "message": self.message,
            "suggestion": self.suggestion,
            "fix": None if self.fix is None else {"replacement": self.fix.replacement, "safe": self.fix.safe},
            "plugin": self.plugin,
            "fingerprint": self.fingerprint(),
        }


def located_fingerprint(path: str, fingerprint: str) -> str:
    """A fingerprint tied to its article (``path`` from the project root), unique across files.

    What a baseline entry holds (path and fingerprint) in one value: SARIF's ``partialFingerprints``.
    """
    return hashlib.sha256(f"{path}\x00{fingerprint}".encode()).hexdigest()[:20]


def _fingerprint(code: str, evidence: str) -> str:
    folded = _SPACE_RE.sub(" ", evidence.strip().lower())
    return hashlib.sha256(f"{code}\x00{folded}".encode()).hexdigest()[:20]


@dataclass(frozen=True)
class Notice:
    """A message about the run rather than any one article (a service that is down, say)."""

    code: str
    message: str
    plugin: str = ""


@dataclass
class ArticleResult:
    """Everything the run learned about one article."""

    path: str
    findings: list[Finding]
    metrics: dict[str, Any]
    passed: bool
    #: False when a rule could not do its work (a service was down): the cache must not keep it.
    cacheable: bool = field(default=True, compare=False, repr=False)
    #: Run-level notices raised while checking this article (kept with cached results).
    notices: list[Notice] = field(default_factory=list, compare=False, repr=False)

    def counts(self) -> dict[str, int]:
        """Findings per severity name."""
        out = {str(s): 0 for s in reversed(Severity)}
        for finding in self.findings:
            out[str(finding.severity)] += 1
        return out


@dataclass
class Report:
    """The result of one run over many articles."""

    articles: list[ArticleResult] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(a.passed for a in self.articles)

    def summary(self) -> dict[str, Any]:
        counts = {str(s): 0 for s in reversed(Severity)}
        for article in self.articles:
            for name, n in article.counts().items():
                counts[name] += n
        passed = sum(1 for a in self.articles if a.passed)
        return {
            "articles": len(self.articles),
            "passed": passed,
            "failed": len(self.articles) - passed,
            "findings": counts,
        }
