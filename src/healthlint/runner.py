"""Runs the selected rules over articles; a crashing rule becomes an HL002 finding, not a traceback."""

from __future__ import annotations

import gc
import logging
import os
import signal
import stat
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from healthlint.article import ARTICLE_SUFFIXES, Article, ArticleError, decode
from healthlint.baseline import Baseline
from healthlint.cache import ResultCache
from healthlint.config import Config, UsageError
from healthlint.findings import ArticleResult, Finding, Hit, Notice, Report, Severity
from healthlint.gate import passes
from healthlint.plugins import PluginManager
from healthlint.rules import Rule, RuleContext, RuleSelector, matches_prefix

LOG = logging.getLogger(__name__)

#: Host-reported codes (registered by the ``core`` plugin, which documents them).
UNREADABLE_ARTICLE = "HL001"
RULE_CRASHED = "HL002"
RULE_TIMED_OUT = "HL005"


class RuleTimeout(BaseException):
    """Raised into a rule that runs past its time limit (a BaseException, so that a rule's own
    ``except Exception`` cannot swallow it)."""


def _expire(signum: int, frame: Any) -> None:
    raise RuleTimeout


class RuleTimer:
    """Interrupts a rule that runs past ``seconds`` with :class:`RuleTimeout` (SIGALRM).

    The handler is installed once per run and the timer re-armed per rule (two system calls).
    Pure-Python loops and sleeps are interrupted; a single long call into C code is
    interrupted when it returns. Without SIGALRM (Windows) or off the main thread there is
    no limit.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.active = False
        self._previous: Any = None

    def install(self) -> None:
        usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        if self.seconds > 0 and usable and not self.active:
            self._previous = signal.signal(signal.SIGALRM, _expire)
            self.active = True

    def uninstall(self) -> None:
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)
            self.active = False

    def start(self) -> None:
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def stop(self) -> None:
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)


class Linter:
    """One run: the configuration, the plugins, the selected rules, and the run's notices.

    Use as a context manager so plugins are configured and unconfigured once.
    """

    def __init__(self, config: Config, pm: PluginManager, *, baseline: Baseline | None = None) -> None:
        self.config = config
        self.pm = pm
        #: Findings it knows are not reported and do not fail the gate.
        self.baseline = baseline
        selector = RuleSelector(config.select, config.extend_select, config.ignore)
        self.rules: list[Rule] = sorted((r for r in pm.rules.values() if selector.selected(r)), key=lambda r: r.code)
        self.notices: list[Notice] = []
        #: Set by the command line, whose process this run owns: after the first article is
        #: checked, what it loaded is frozen out of the garbage collector's passes. Library
        #: callers' processes are left alone.
        self.owns_process = False
        self._configured = False
        self._timer = RuleTimer(config.rule_timeout)

    def __enter__(self) -> Linter:
        self.pm.hook.healthlint_configure(config=self.config)
        self._configured = True
        self._timer.install()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._timer.uninstall()
        if self._configured:
            self._configured = False
            self.pm.hook.healthlint_unconfigure(config=self.config)

    # -- Articles ------------------------------------------------------------------------

    def parse(self, path: str, text: str) -> Article:
        article: Article | None = self.pm.hook.healthlint_parse_article(path=path, text=text, config=self.config)
        if article is None:
            raise UsageError(f"{path}: no plugin could parse this file")
        return article

    def lint_file(self, path: Path, display: str | None = None) -> ArticleResult:
        """Read, parse and check one file. Unreadable files give an HL001 finding."""
        loaded = self.read_file(path, display)
        return loaded if isinstance(loaded, ArticleResult) else self.lint_article(loaded)

    def read_file(self, path: Path, display: str | None = None) -> Article | ArticleResult:
        """Read and parse one file: the article, or (when it cannot be read) its HL001 result.

        ``healthlint publish`` renders the very article it checked, so it reads through this.
        """
        shown = display or str(path)
        try:
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):
                # Reading a FIFO or a device named like an article would block or never end.
                raise ArticleError("not a regular file (a pipe, socket or device); not an article")
            if info.st_size > self.config.max_file_size:
                size, limit = info.st_size / 1e6, self.config.max_file_size / 1e6
                raise ArticleError(f"too large to check ({size:.1f} MB; the limit, max-file-size, is {limit:.1f} MB)")
            data = path.read_bytes()
            text, problems = decode(data)
        except ArticleError as exc:
            return self._result(
                shown, [self._host_finding(UNREADABLE_ARTICLE, shown, exc.line, exc.column, exc.message)], {}
            )
        except OSError as exc:
            message = "cannot be read: " + (exc.strerror or str(exc)).lower()
            return self._result(shown, [self._host_finding(UNREADABLE_ARTICLE, shown, 1, 1, message)], {})
        try:
            article = self.parse(shown, text)
        except UsageError:
            raise
        except Exception as exc:  # a parser plugin's bug, or input the parser cannot take
            LOG.debug("parsing %s failed", shown, exc_info=True)
            message = f"cannot be parsed: {type(exc).__name__}: {exc}"
            return self._result(shown, [self._host_finding(UNREADABLE_ARTICLE, shown, 1, 1, message)], {})
        article.problems[:0] = problems
        return article

    def lint_article(self, article: Article) -> ArticleResult:
        """Run every selected rule over a parsed article."""
        metrics: dict[str, Any] = {"words": article.word_count}
        ignored = self.config.ignored_for_path(article.path)
        findings: list[Finding] = []
        notices: list[Notice] = []
        complete = True
        for rule in self.rules:
            if rule.check is None or article.kind not in rule.kinds or matches_prefix(rule.code, ignored):
                continue
            ctx = RuleContext(rule, self.config, article, metrics, notices)
            findings.extend(self._run_rule(rule, article, ctx))
            complete = complete and not ctx.incomplete
        findings = [f for f in findings if not matches_prefix(f.code, ignored)]
        findings.sort(key=lambda f: (f.line, f.column, f.code, f.end_line, f.end_column, f.message))
        self.pm.hook.healthlint_modify_findings(article=article, findings=findings, config=self.config)
        # A rule that could not do its work (a service down, a crash) must not be cached as done.
        complete = complete and not any(f.code in (RULE_CRASHED, RULE_TIMED_OUT) for f in findings)
        result = self._result(article.path, findings, metrics, cacheable=complete)
        result.notices = notices
        self._add_notices(notices)
        return result

    def _add_notices(self, notices: list[Notice]) -> None:
        self.notices.extend(n for n in notices if n not in self.notices)

    def _run_rule(self, rule: Rule, article: Article, ctx: RuleContext) -> list[Finding]:
        assert rule.check is not None
        try:
            self._timer.start()
            try:
                hits = list(rule.check(article, ctx))
            finally:
                self._timer.stop()
            return [self._finding(rule, article, hit) for hit in hits]
        except RuleTimeout:
            ctx.incomplete = True
            message = (
                f"rule {rule.code} ({rule.name}) of plugin {rule.plugin!r} did not finish within "
                f"{self.config.rule_timeout:g} s (rule-timeout) and was stopped"
            )
            return [self._host_finding(RULE_TIMED_OUT, article.path, 1, 1, message)]
        except Exception as exc:  # a rule's bug must not stop the run (HL002)
            LOG.debug("rule %s crashed on %s", rule.code, article.path, exc_info=True)
            message = f"rule {rule.code} ({rule.name}) of plugin {rule.plugin!r} crashed: {type(exc).__name__}: {exc}"
            return [self._host_finding(RULE_CRASHED, article.path, 1, 1, message)]

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
            message=str(hit.message),
            match=hit.match,
            suggestion=hit.suggestion,
            fix=hit.fix,
            plugin=rule.plugin,
        )

    def _host_finding(self, code: str, path: str, line: int, column: int, message: str) -> Finding:
        rule = self.pm.rules.get(code)
        name, severity, plugin = (rule.name, rule.severity, rule.plugin) if rule else (code.lower(), Severity.ERROR, "")
        return Finding(
            path=path,
            line=line,
            column=column,
            end_line=line,
            end_column=column + 1,
            code=code,
            name=name,
            severity=self.config.severity_for(code, severity),
            message=message,
            plugin=plugin,
        )

    def _result(
        self, path: str, findings: list[Finding], metrics: dict[str, Any], cacheable: bool = True
    ) -> ArticleResult:
        passed = passes(findings, self.config.fail_on)
        return ArticleResult(path=path, findings=findings, metrics=metrics, passed=passed, cacheable=cacheable)

    def _gate(self, result: ArticleResult) -> ArticleResult:
        """Apply the baseline and the gate threshold, which the cached result knows nothing of."""
        findings = result.findings if self.baseline is None else self.baseline.filter(result.path, result.findings)
        passed = passes(findings, self.config.fail_on)
        if findings is result.findings and passed == result.passed:
            return result
        return ArticleResult(result.path, findings, result.metrics, passed, result.cacheable, result.notices)

    def run(
        self, files: Iterable[tuple[str, Path]], *, jobs: int = 1, cache: ResultCache | None = None
    ) -> Iterator[ArticleResult]:
        """Check files and yield their results in the order given, whatever ``jobs`` is.

        :param jobs: worker processes; 1 checks in this process.
        :param cache: reuse results of unchanged articles (same content, config and plugins).
        """
        plan: list[tuple[str, Path, str | None, ArticleResult | None]] = []
        for display, path in files:
            key = cached = None
            if cache is not None and cache.enabled:
                content = _read_for_cache(path, self.config.max_file_size)
                if content is not None:
                    key = cache.key(display, content)
                    cached = cache.get(key)
            plan.append((display, path, key, cached))
        todo = [(display, path) for display, path, _, cached in plan if cached is None]
        fresh = self._parallel(todo, jobs) if jobs > 1 and len(todo) > 1 else self._sequential(todo)
        for _, _, key, cached in plan:
            if cached is None:
                cached = next(fresh)
                if cache is not None and key is not None and cached.cacheable:
                    cache.put(key, cached)
            else:
                self._add_notices(cached.notices)  # what checking it said then still holds
            yield self._gate(cached)

    def _sequential(self, todo: list[tuple[str, Path]]) -> Iterator[ArticleResult]:
        for i, (display, path) in enumerate(todo):
            yield self.lint_file(path, display)
            if i == 0:
                self._settle_memory()

    def _settle_memory(self) -> None:
        """After the first article: freeze what it loaded, and collect garbage less often.

        The word indexes, tables and compiled rules the first article loads are hundreds of
        thousands of objects that live to the end of the run; every full collection walked
        them all (7% of a 500-article run). Frozen, they are skipped, and forked workers do
        not copy the memory pages a collection would touch.
        """
        if self.owns_process:
            gc.freeze()
            gc.set_threshold(10_000, 50, 50)

    def _parallel(self, todo: list[tuple[str, Path]], jobs: int) -> Iterator[ArticleResult]:
        """Results of worker processes, in order. Workers are forks of this process, so they
        share its configured plugins (and anything loaded before the fork)."""
        import multiprocessing  # only parallel runs pay for importing it
        from concurrent.futures import ProcessPoolExecutor

        if "fork" not in multiprocessing.get_all_start_methods() or not sys.platform.startswith("linux"):
            yield from (self.lint_file(path, display) for display, path in todo)
            return
        # Check the first article here: it warms every lazily loaded resource (patterns, word
        # lists, index shards) once, in the parent, and the forked workers inherit it.
        first, todo = todo[0], todo[1:]
        yield self.lint_file(first[1], first[0])
        if not todo:
            return
        self._settle_memory()
        global _FORKED_LINTER
        _FORKED_LINTER = self
        try:
            chunksize = max(1, min(8, len(todo) // (jobs * 8)))
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=context) as pool:
                for result in pool.map(_lint_in_worker, todo, chunksize=chunksize):
                    self._add_notices(result.notices)
                    yield result
        finally:
            _FORKED_LINTER = None

    def finish(self, results: list[ArticleResult]) -> Report:
        if self.baseline is not None and self.baseline.fixed:
            fixed = self.baseline.fixed
            self.notices.append(
                Notice(
                    "baseline",
                    f"{fixed} baselined finding{'s' if fixed != 1 else ''} no longer occur; "
                    "write the baseline again to drop them",
                )
            )
        report = Report(articles=results, notices=self.notices)
        self.pm.hook.healthlint_report_finished(report=report, config=self.config)
        return report


def _line_length(article: Article, line: int) -> int:
    starts = article.line_starts
    stop = starts[line] - 1 if line < len(starts) else len(article.text)
    return stop - starts[line - 1]


_FORKED_LINTER: Linter | None = None


def _lint_in_worker(item: tuple[str, Path]) -> ArticleResult:
    """Runs in a worker process forked from the parent, which set ``_FORKED_LINTER``."""
    linter = _FORKED_LINTER
    assert linter is not None, "worker was not forked from a running Linter"
    display, path = item
    return linter.lint_file(path, display)


def _read_for_cache(path: Path, max_size: int) -> bytes | None:
    """The file's bytes for its cache key; None for anything ``read_file`` turns into HL001."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_size:
            return None  # never open a pipe or device: reading it may block forever
        return path.read_bytes()
    except OSError:
        return None


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


# -- Finding the files ------------------------------------------------------------------


def collect_files(paths: Sequence[str], config: Config, pm: PluginManager | None = None) -> list[tuple[str, Path]]:
    """Files to check, as (path to show, path): named files as given, folders walked.

    Folders are walked without following symbolic links to folders (no loops), skipping
    hidden folders, excluded patterns and what ``healthlint_ignore_path`` rejects.

    :raises UsageError: for a path that does not exist.
    """
    out: list[tuple[str, Path]] = []
    seen: set[str] = set()

    def add(display: str, path: Path) -> None:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            out.append((display, path))

    def ignored(path: Path) -> bool:
        if config.is_excluded(path):
            return True
        return bool(pm and pm.hook.healthlint_ignore_path(path=path, config=config))

    for given in paths:
        path = Path(given)
        if path.is_dir():
            found: list[tuple[str, Path]] = []
            for folder, dirs, files in os.walk(path, onerror=None, followlinks=False):
                base = Path(folder)
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not ignored(base / d))
                for name in files:
                    candidate = base / name
                    if candidate.suffix.lower() in ARTICLE_SUFFIXES and not ignored(candidate):
                        found.append((os.path.join(given, os.path.relpath(candidate, path)), candidate))
            for display, candidate in sorted(found):
                add(display, candidate)
        elif path.exists() or path.is_symlink():
            add(given, path)
        else:
            raise UsageError(f"{given}: no such file or folder")
    return out
