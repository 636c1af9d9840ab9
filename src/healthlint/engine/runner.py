"""Checks one article: runs the selected rules over it; a crashing rule becomes an HL002 finding, not a traceback."""

from __future__ import annotations

import logging
import os
import signal
import stat
import threading
import time
from pathlib import Path
from typing import Any

from healthlint.article import Article, ArticleError, decode
from healthlint.config import Config, UsageError
from healthlint.engine.gate import passes
from healthlint.model import ArticleResult, Finding, Hit, Notice, Severity
from healthlint.plugins import CALLERS_FAULT, HookFailed, PluginManager
from healthlint.rules import Rule, RuleContext, Selection, matches_prefix
from healthlint.storage import datacache

LOG = logging.getLogger(__name__)

#: Host-reported codes (registered by the ``core`` family, which documents them).
UNREADABLE_ARTICLE = "HL001"
RULE_CRASHED = "HL002"
RULE_TIMED_OUT = "HL005"


class RuleTimeout(BaseException):
    """Raised into a rule that runs past its time limit (a BaseException, so that a rule's own
    ``except Exception`` cannot swallow it)."""


def _expire(signum: int, frame: Any) -> None:
    raise RuleTimeout


def article_clock() -> float:
    """Seconds on a clock that stands still while a data cache file is built (:func:`datacache.building`): an
    article's ``article-timeout`` does not count a build done once per machine, as a rule's timer does not."""
    return time.monotonic() - datacache.seconds_building()


class RuleTimer:
    """Interrupts a rule that runs past ``seconds`` with :class:`RuleTimeout` (SIGALRM).

    The handler is installed once per run and the timer re-armed per rule (two system calls).
    Pure-Python loops and sleeps are interrupted; a single long call into C code is
    interrupted when it returns. Without SIGALRM (Windows) or off the main thread there is
    no limit.

    :param seconds: the limit of one rule (``rule-timeout``; 0 for none).
    :param article_seconds: the limit of one article, parsing and every rule (``article-timeout``; 0 for none).
    """

    def __init__(self, seconds: float, article_seconds: float = 0.0) -> None:
        self.seconds = seconds
        self.article_seconds = article_seconds
        self.active = False
        self._previous: Any = None

    def install(self) -> None:
        usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        if (self.seconds > 0 or self.article_seconds > 0) and usable and not self.active:
            self._previous = signal.signal(signal.SIGALRM, _expire)
            self.active = True

    def take_over(self, earlier: RuleTimer) -> None:
        """Replace ``earlier``, installed before this one and ended after it was installed: what ``earlier`` had
        replaced is what this one gives back when it is uninstalled (``earlier`` then restores nothing)."""
        if self.active and earlier.active:
            self._previous = earlier._previous
            earlier.active = False

    def uninstall(self) -> None:
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)
            self.active = False

    def start(self, seconds: float | None = None) -> None:
        """Arm the timer for ``seconds`` (``rule-timeout`` by default; 0 for no limit)."""
        limit = self.seconds if seconds is None else seconds
        if self.active and limit > 0:
            signal.setitimer(signal.ITIMER_REAL, limit)

    def stop(self) -> None:
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)


class ArticleChecker:
    """Reads, parses and checks articles with the run's selected rules; the same in the parent and in workers."""

    def __init__(self, config: Config, pm: PluginManager, selection: Selection) -> None:
        self.config = config
        self.pm = pm
        self.selection = selection
        self.rules: list[Rule] = sorted(
            (r for r in pm.rules.values() if selection.is_selected(r.code)), key=lambda r: r.code
        )
        self.timer = RuleTimer(config.rule_timeout, config.article_timeout)
        #: The article being checked and when its parsing began: its time limit runs from there.
        self._started: tuple[Article | None, float] = (None, 0.0)

    # -- Articles ------------------------------------------------------------------------

    def parse(self, path: str, text: str) -> Article:
        plugin, article = self.pm.call_first("healthlint_parse_article", path=path, text=text, config=self.config)
        if article is None:
            raise UsageError(f"{path}: no plugin could parse this file")
        if not isinstance(article, Article):
            problem = TypeError(f"returned {type(article).__name__}, not a healthlint.Article")
            raise HookFailed(plugin or "?", "healthlint_parse_article", problem)
        return article

    def lint_file(self, path: Path, display: str | None = None) -> ArticleResult:
        """Read, parse and check one file. Unreadable files give an HL001 finding."""
        loaded = self.read_file(path, display)
        return loaded if isinstance(loaded, ArticleResult) else self.lint_article(loaded)

    def read_file(self, path: Path, display: str | None = None) -> Article | ArticleResult:
        """Read and parse one file: the article, or (when it cannot be read) its HL001 result."""
        shown = display or str(path)
        data = self.read_bytes(path, shown)
        return data if isinstance(data, ArticleResult) else self.article_from(shown, data)

    def read_bytes(self, path: Path, shown: str) -> bytes | ArticleResult:
        """A file's bytes, or its HL001 result when it is no regular file, too large or unreadable."""
        try:
            info = path.stat()
            if stat.S_ISDIR(info.st_mode):  # only a folder the walk could not list is checked
                raise ArticleError(
                    f"folder cannot be read: {_listing_error(path)}; the articles in it were not checked"
                )
            if not stat.S_ISREG(info.st_mode):
                # Reading a FIFO or a device named like an article would block or never end.
                raise ArticleError("not a regular file (a pipe, socket or device); not an article")
            if info.st_size > self.config.max_file_size:
                size, limit = info.st_size / 1e6, self.config.max_file_size / 1e6
                raise ArticleError(f"too large to check ({size:.1f} MB; the limit, max-file-size, is {limit:.1f} MB)")
            return path.read_bytes()
        except ArticleError as exc:
            return self._unreadable(shown, exc)
        except OSError as exc:
            message = "cannot be read: " + (exc.strerror or str(exc)).lower()
            return self._result(shown, [self._host_finding(UNREADABLE_ARTICLE, shown, 1, 1, message)], {})

    def article_from(self, shown: str, data: bytes) -> Article | ArticleResult:
        """Decode and parse a file's bytes: the article, or its HL001 result."""
        try:
            text, problems = decode(data)
        except ArticleError as exc:
            return self._unreadable(shown, exc)
        article = self.parse_text(shown, text)
        if isinstance(article, Article):
            article.problems[:0] = problems
        return article

    def parse_text(self, shown: str, text: str) -> Article | ArticleResult:
        """Parse an article's text: the article, or its HL001 result when it cannot be parsed.

        Parsing runs under the same time limit as a rule: no input may stall the run outside it.
        """
        started = article_clock()
        seconds, limit = self._limit(started)
        try:
            self.timer.start(seconds)
            try:
                article = self.parse(shown, text)
            finally:
                self.timer.stop()
        except UsageError:
            raise
        except RuleTimeout:
            configured = self.config.rule_timeout if limit == "rule-timeout" else self.config.article_timeout
            message = f"cannot be parsed within {configured:g} s ({limit})"
            return self._result(shown, [self._host_finding(UNREADABLE_ARTICLE, shown, 1, 1, message)], {})
        except Exception as exc:  # a parser plugin's bug, or input the parser cannot take
            LOG.debug("parsing %s failed", shown, exc_info=True)
            problem = str(exc) if isinstance(exc, HookFailed) else f"{type(exc).__name__}: {exc}"
            message = f"cannot be parsed: {problem}"
            return self._result(shown, [self._host_finding(UNREADABLE_ARTICLE, shown, 1, 1, message)], {})
        self._started = (article, started)
        return article

    def _limit(self, started: float) -> tuple[float, str]:
        """The seconds the next step may take (0: no limit), and the setting that sets them.

        A step gets ``rule-timeout``, or what is left of the article's ``article-timeout``
        counted from ``started`` when that is less.
        """
        rule, article = self.config.rule_timeout, self.config.article_timeout
        if article <= 0:
            return rule, "rule-timeout"
        left = max(article - (article_clock() - started), 0.0)
        if rule <= 0 or left < rule:
            return left, "article-timeout"
        return rule, "rule-timeout"

    def _unreadable(self, shown: str, exc: ArticleError) -> ArticleResult:
        finding = self._host_finding(UNREADABLE_ARTICLE, shown, exc.line, exc.column, exc.message)
        return self._result(shown, [finding], {})

    def lint_article(self, article: Article) -> ArticleResult:
        """Run every selected rule over a parsed article; the result carries the notices its rules raised."""
        metrics: dict[str, Any] = {"words": article.word_count}
        selection = self.selection.for_file(self.config.ignored_for_path(article.path))
        findings: list[Finding] = []
        notices: list[Notice] = []
        complete = True
        parsed, started = self._started
        if parsed is not article:
            started = article_clock()
        runnable = [
            rule
            for rule in self.rules
            if rule.check is not None and article.kind in rule.kinds and selection.is_selected(rule.code)
        ]
        for index, rule in enumerate(runnable):
            seconds, limit = self._limit(started)
            if limit == "article-timeout" and seconds <= 0:
                findings.append(self._out_of_time(article, None, runnable[index:]))
                break
            ctx = RuleContext(rule, self.config, article, metrics, notices, selection)
            ran = self._run_rule(rule, article, ctx, seconds, limit)
            complete = complete and not ctx.incomplete
            if ran is None:  # the article's time ran out in this rule
                findings.append(self._out_of_time(article, rule, runnable[index + 1 :]))
                break
            findings.extend(ran)
        if selection.ignored:
            findings = [f for f in findings if not matches_prefix(f.code, selection.ignored)]
        findings.sort(key=lambda f: (f.line, f.column, f.code, f.end_line, f.end_column, f.message))
        edited = FindingList(findings)
        try:
            self.pm.call(
                "healthlint_modify_findings",
                article=article,
                findings=edited,
                config=self.config,
                metrics=metrics,
                selection=selection,
            )
        except HookFailed as failed:  # the rules' findings stand; the plugin's bug is one more of them
            LOG.debug("%s on %s", failed, article.path, exc_info=True)
            message = f"{failed}; the findings are as the rules gave them before that hook finished"
            crashed = self._host_finding(RULE_CRASHED, article.path, 1, 1, message, key=f"{failed.plugin} crashed")
            edited.insert(0, crashed)
        findings = [f for f in edited if isinstance(f, Finding)]  # list.append(findings, x) passes the check
        # A rule that could not do its work (a service down, a crash) must not be cached as done.
        complete = complete and not any(f.code in (RULE_CRASHED, RULE_TIMED_OUT) for f in findings)
        result = self._result(article.path, findings, metrics, cacheable=complete)
        result.notices = notices
        return result

    def _run_rule(
        self, rule: Rule, article: Article, ctx: RuleContext, seconds: float, limit: str
    ) -> list[Finding] | None:
        """The rule's findings (HL002 or HL005 when it crashed or ran past rule-timeout); None when the
        article's own time limit ran out while it ran."""
        assert rule.check is not None
        try:
            self.timer.start(seconds)
            try:
                hits = list(rule.check(article, ctx))
            finally:
                self.timer.stop()
            findings = [self._finding(rule, article, hit) for hit in hits]
            outside = [problem for hit in hits if (problem := _outside(article, hit))]
            if outside:  # shown where they were clamped to, and the plugin's bug named: never silently moved
                message = (
                    f"rule {rule.code} ({rule.name}) of plugin {rule.plugin!r} reported "
                    f"{len(outside)} finding{'s' if len(outside) != 1 else ''} outside the article (first: "
                    f"{outside[0]}); {'they are' if len(outside) != 1 else 'it is'} shown at the nearest position"
                )
                findings.append(
                    self._host_finding(RULE_CRASHED, article.path, 1, 1, message, key=f"{rule.code} outside")
                )
            return findings
        except RuleTimeout:
            ctx.incomplete = True
            if limit == "article-timeout":
                return None
            message = (
                f"rule {rule.code} ({rule.name}) of plugin {rule.plugin!r} did not finish within "
                f"{self.config.rule_timeout:g} s (rule-timeout) and was stopped"
            )
            return [self._host_finding(RULE_TIMED_OUT, article.path, 1, 1, message, key=f"{rule.code} timed out")]
        except (Exception, SystemExit, GeneratorExit) as exc:  # a rule's bug (or sys.exit) must not stop the run
            LOG.debug("rule %s crashed on %s", rule.code, article.path, exc_info=True)
            message = f"rule {rule.code} ({rule.name}) of plugin {rule.plugin!r} crashed: {type(exc).__name__}: {exc}"
            return [self._host_finding(RULE_CRASHED, article.path, 1, 1, message, key=f"{rule.code} crashed")]

    def _out_of_time(self, article: Article, stopped: Rule | None, skipped: list[Rule]) -> Finding:
        """The one finding for an article whose ``article-timeout`` ran out: what was stopped, what never ran."""
        parts = []
        if stopped is not None:
            parts.append(f"rule {stopped.code} ({stopped.name}) of plugin {stopped.plugin!r} was stopped")
        if skipped:
            codes = ", ".join(rule.code for rule in skipped[:10]) + (", …" if len(skipped) > 10 else "")
            parts.append(f"{len(skipped)} rule{'s' if len(skipped) != 1 else ''} did not run ({codes})")
        message = (
            f"checking this article took all of its {self.config.article_timeout:g} s (article-timeout): "
            + " and ".join(parts)
        )
        return self._host_finding(RULE_TIMED_OUT, article.path, 1, 1, message, key="article-timeout")

    def _finding(self, rule: Rule, article: Article, hit: Hit) -> Finding:
        if not isinstance(hit, Hit):
            raise TypeError(f"check yielded {type(hit).__name__}, not a healthlint.Hit")
        # Clamp into the file: a plugin's off-by-one must not produce a span editors cannot show.
        last = article.last_line
        line = min(max(int(hit.line), 1), last)
        end_line = min(max(int(hit.end_line or line), line), last)
        line_end = _line_length(article, line) + 1
        column = min(max(int(hit.column), 1), line_end)
        end_column = min(max(int(hit.end_column or column + 1), 1), _line_length(article, end_line) + 1)
        if end_line == line:
            end_column = max(end_column, min(column + 1, line_end))
        return Finding(
            path=article.path,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            code=rule.code,
            name=rule.name,
            severity=self.config.severity_for(rule.code, rule.severity),
            message=bounded(str(hit.message)),
            match=hit.match,
            suggestion=None if hit.suggestion is None else bounded(str(hit.suggestion)),
            fix=hit.fix,
            plugin=rule.plugin,
            key=None if hit.key is None else bounded(str(hit.key)),
        )

    def _host_finding(
        self, code: str, path: str, line: int, column: int, message: str, key: str | None = None
    ) -> Finding:
        """A finding of the host's own; ``key`` names what failed, for baselines (the message holds the details)."""
        rule = self.pm.rules.get(code)
        name, severity, plugin = (rule.name, rule.severity, rule.plugin) if rule else (code.lower(), Severity.ERROR, "")
        severity = self.config.severity_for(code, severity)
        return Finding(
            path, line, column, line, column + 1, code, name, severity, bounded(message), plugin=plugin, key=key
        )

    def _result(
        self, path: str, findings: list[Finding], metrics: dict[str, Any], cacheable: bool = True
    ) -> ArticleResult:
        passed = passes(findings, self.config.fail_on)
        return ArticleResult(path=path, findings=findings, metrics=metrics, passed=passed, cacheable=cacheable)


class FindingList(list[Finding]):
    """The findings ``healthlint_modify_findings`` edits: adding anything but a :class:`Finding` raises a
    ``TypeError`` in the adding plugin's own frame, so the error names that plugin."""

    @staticmethod
    def _checked(items: Any) -> list[Finding]:
        checked: list[Finding] = []
        for item in items:
            if not isinstance(item, Finding):
                error = TypeError(f"findings hold healthlint.Finding objects, not {type(item).__name__}")
                error.add_note(CALLERS_FAULT)  # the line to name is the caller's, not this one
                raise error
            checked.append(item)
        return checked

    def append(self, item: Finding) -> None:
        super().append(*self._checked([item]))

    def insert(self, index: Any, item: Finding) -> None:
        super().insert(index, *self._checked([item]))

    def extend(self, items: Any) -> None:
        super().extend(self._checked(items))

    def __iadd__(self, items: Any) -> FindingList:  # type: ignore[override,misc]
        super().extend(self._checked(items))
        return self

    def __setitem__(self, index: Any, value: Any) -> None:
        super().__setitem__(index, self._checked(value) if isinstance(index, slice) else self._checked([value])[0])


#: The longest message or suggestion a finding carries: real ones are a line or two, while one
#: embedding a hostile value (a front matter string, an exception's text) could be megabytes.
MAX_MESSAGE = 1000


def bounded(text: str) -> str:
    """``text``, cut to :data:`MAX_MESSAGE` characters (an ellipsis marks the cut)."""
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


def _listing_error(folder: Path) -> str:
    try:
        with os.scandir(folder):
            return "it could not be listed"
    except OSError as exc:
        return (exc.strerror or str(exc)).lower()


def _outside(article: Article, hit: Hit) -> str | None:
    """Where a hit lies outside the article's text, or None. A column may be one past the end of its line (the
    end of a span that takes the line's last character is exclusive) and one more (an off-by-one, moved in); a
    span's end column may lie anywhere past its line's end."""
    last = article.last_line
    line, column = int(hit.line), int(hit.column)
    if not 1 <= line <= last:
        return f"line {line}; the article ends on line {last}"
    length = _line_length(article, line)
    if not 1 <= column <= length + 2:
        return f"line {line}, column {column}; the line has {length} characters"
    end_line = line if hit.end_line is None else int(hit.end_line)
    if not line <= end_line <= last:
        return f"a span from line {line} to line {end_line}; the article ends on line {last}"
    if hit.end_column is not None:
        # An end past its line's end is taken as "to the end of the line" (a common way to write a span), not a fault.
        end_column = int(hit.end_column)
        if end_column < 1:
            return f"line {end_line}, end column {end_column}"
        if end_line == line and end_column < column:
            return f"line {line}, a span from column {column} back to column {end_column}"
    return None


def _line_length(article: Article, line: int) -> int:
    starts = article.line_starts
    stop = starts[line] - 1 if line < len(starts) else len(article.text)
    return stop - starts[line - 1]
