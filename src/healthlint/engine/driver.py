"""The one driver of a run: ``healthlint check``, ``healthlint publish``, the library API and the pytest plugin.

All four go through :class:`Driver`, so the result cache, the baseline, per-file ignores,
parallel workers and notices work the same way for each of them.
"""

from __future__ import annotations

import gc
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from healthlint.article import ARTICLE_SUFFIXES, Article
from healthlint.config import Config, ConfigError, UsageError, is_config_file
from healthlint.engine.gate import gated
from healthlint.engine.parallel import can_fork, check_in_workers
from healthlint.engine.runner import ArticleChecker
from healthlint.model import ArticleResult, Notice, Report
from healthlint.plugins import HookFailed, PluginManager
from healthlint.rules import Selection
from healthlint.storage.baseline import Baseline
from healthlint.storage.results import ResultCache

#: A file to check: the path to show, and its bytes (or the HL001 result of a file that cannot be read).
Source = tuple[str, bytes | ArticleResult]


@dataclass
class _Planned:
    display: str
    data: bytes | ArticleResult
    key: str | None
    cached: ArticleResult | None


class Driver:
    """One run: the configuration, the plugins, the selection, and the run's notices.

    Use as a context manager so plugins are configured and unconfigured once.

    :param baseline: findings it knows are not reported and do not fail the gate.
    :param cache: reuse results of unchanged articles (same content, config and plugins).
    :param jobs: worker processes; 1 checks in this process. Results come in the order given either way.
    :param owns_process: the ``healthlint`` program, not a library caller: after the first article,
        what it loaded is frozen out of the garbage collector's passes.
    """

    def __init__(
        self,
        config: Config,
        pm: PluginManager,
        *,
        baseline: Baseline | None = None,
        cache: ResultCache | None = None,
        jobs: int = 1,
        owns_process: bool = False,
    ) -> None:
        self.config = pm.configured(config)
        self.pm = pm
        self.baseline = baseline
        self.cache = cache if cache is not None and cache.enabled else None
        self.jobs = jobs
        self.owns_process = owns_process
        self.selection = Selection.of(self.config, pm.rules, every_plugin=pm.every_plugin_loaded)
        self.checker = ArticleChecker(self.config, pm, self.selection)
        self.notices: list[Notice] = []
        self._configured = False

    def __enter__(self) -> Driver:
        failures = self.pm.call_each("healthlint_configure", config=self.config, selection=self.selection)
        self._configured = True
        if failures:
            try:
                self._leave_out(failures)
            except BaseException:
                self.__exit__(None, None, None)
                raise
        self.checker.timer.install()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.checker.timer.uninstall()
        if self._configured:
            self._configured = False
            try:
                self.pm.call("healthlint_unconfigure", config=self.config)
            except HookFailed as failed:  # the run's work is done: a plugin failing to tidy up must not undo it
                print(f"healthlint: warning: {failed}", file=sys.stderr)

    def _leave_out(self, failures: list[HookFailed]) -> None:
        """Go on without the third-party plugins that failed in ``healthlint_configure`` (one warning each), as
        without one that fails to import; a built-in plugin failing is a bug (exit 3), and a plugin the config
        requires stops the run (exit 2)."""
        for failed in failures:
            if self.pm.is_builtin(failed.plugin):
                raise failed
            if failed.plugin in self.config.require_plugins:
                raise ConfigError(
                    f"required plugin {failed.plugin!r} is not available: {failed}",
                    self.config.source,
                    self.config.key_prefix + "require-plugins",
                )
        for failed in failures:
            info = self.pm.infos.get(failed.plugin)
            rules = ", ".join(info.rules) if info is not None and info.rules else ""
            self.pm.leave_out(failed.plugin, f"failed in {failed.hook}: {failed.cause}")
            source = f" ({info.source})" if info is not None else ""
            left = f"; its rules ({rules}) do not run" if rules else ""
            print(
                f"healthlint: warning: plugin {failed.plugin!r}{source}: failed in {failed.hook}: {failed.cause}"
                f"{left}; the run goes on without it",
                file=sys.stderr,
            )
        self.selection = Selection.of(self.config, self.pm.rules, every_plugin=self.pm.every_plugin_loaded)
        self.checker = ArticleChecker(self.config, self.pm, self.selection)
        # The result cache's key was made with these plugins loaded: this run's results, made without them, must not
        # be stored under it (nor results made with them taken), as with a check that could not finish.
        self.cache = None

    # -- Checking ------------------------------------------------------------------------

    def check(self, files: Iterable[tuple[str, Path]]) -> Iterator[ArticleResult]:
        """Check files (path to show, path) and yield their gated results in the order given."""
        for result, _ in self.check_articles(files, keep_articles=False):
            yield result

    def check_articles(
        self, files: Iterable[tuple[str, Path]], *, keep_articles: bool = True
    ) -> Iterator[tuple[ArticleResult, Article | None]]:
        """Like :meth:`check`, with each file's parsed article (None when it cannot be read).

        Each file is read once; the article is parsed from the very bytes that were checked
        (``healthlint publish`` renders it), also when the result came from the cache or a worker.
        """
        plan = [self._plan(display, path) for display, path in files]
        todo = [(p.display, p.data) for p in plan if p.cached is None]
        fresh = self._fresh(todo, keep_articles)
        for planned in plan:
            if planned.cached is None:
                result, article = next(fresh)
                if self.cache is not None and planned.key is not None and result.cacheable:
                    self.cache.put(planned.key, result)
            else:
                result = planned.cached
                article = self._article(planned.display, planned.data) if keep_articles else None
            self._add_notices(result.notices)
            yield gated(result, self.config.fail_on, self.baseline), article
        # Run the workers' generator to its end, where the pool is shut down as done. Left suspended after its last
        # result, it was closed by the garbage collector as for a reader that gave up: the workers were killed and
        # the pool's thread raced the interpreter's exit ("Exception ignored ... Bad file descriptor", now and then).
        for _ in fresh:
            raise AssertionError("the workers returned more results than there were articles")

    def check_text(self, path: str, text: str) -> ArticleResult:
        """Check an article given as text (``path`` decides Markdown or plain text and is reported)."""
        article = self.checker.parse_text(path, text)
        result = article if isinstance(article, ArticleResult) else self.checker.lint_article(article)
        self._add_notices(result.notices)
        return gated(result, self.config.fail_on, self.baseline)

    def read_file(self, path: Path, display: str | None = None) -> Article | ArticleResult:
        """Read and parse one file as the run does: the article, or its HL001 result."""
        return self.checker.read_file(path, display)

    def finish(self, results: list[ArticleResult]) -> Report:
        """The run's report (with a notice for baselined findings that no longer occur)."""
        if self.baseline is not None and self.baseline.fixed:
            fixed = self.baseline.fixed
            self.notices.append(
                Notice(
                    "baseline",
                    f"{fixed} baselined finding{' no longer occurs' if fixed == 1 else 's no longer occur'}; "
                    "write the baseline again to drop them",
                )
            )
        if self.baseline is not None and self.baseline.astray:
            self.notices.append(
                Notice(
                    "baseline",
                    f"no entry of the baseline is for an article checked, and none of its paths is a file below"
                    f" {self.config.root}: its paths are relative to the project root; run from the project's folder,"
                    " or pass its config with --config",
                )
            )
        report = Report(articles=results, notices=self.notices)
        try:
            self.pm.call("healthlint_report_finished", report=report, config=self.config)
        except HookFailed as failed:  # every article is checked and gated: a plugin's bug here must not undo it
            print(f"healthlint: warning: {failed}", file=sys.stderr)
        return report

    def run(self, files: Iterable[tuple[str, Path]]) -> Report:
        """Check every file and return the report (what the API and the pytest plugin need)."""
        return self.finish(list(self.check(files)))

    # -- Inside ---------------------------------------------------------------------------

    def _plan(self, display: str, path: Path) -> _Planned:
        data = self.checker.read_bytes(path, display)
        key = cached = None
        if self.cache is not None and isinstance(data, bytes):
            key = self.cache.key(display, data)
            cached = self.cache.get(key)
        return _Planned(display, data, key, cached)

    def _check(self, source: Source) -> tuple[ArticleResult, Article | None]:
        display, data = source
        loaded = data if isinstance(data, ArticleResult) else self.checker.article_from(display, data)
        if isinstance(loaded, ArticleResult):
            return loaded, None
        return self.checker.lint_article(loaded), loaded

    def _check_result(self, source: Source) -> ArticleResult:
        return self._check(source)[0]

    def _article(self, display: str, data: bytes | ArticleResult) -> Article | None:
        loaded = data if isinstance(data, ArticleResult) else self.checker.article_from(display, data)
        return None if isinstance(loaded, ArticleResult) else loaded

    def _fresh(self, todo: list[Source], keep_articles: bool) -> Iterator[tuple[ArticleResult, Article | None]]:
        if not todo:
            return
        # The first article is checked here: it warms every lazily loaded resource (patterns, word
        # lists, index shards) once, in the parent, and forked workers inherit it.
        yield self._check(todo[0])
        rest = todo[1:]
        parallel = self.jobs > 1 and len(rest) > 0 and can_fork()
        if parallel:
            # What the first article did not load (a model only some articles need), loaded once, before the fork.
            self.pm.call("healthlint_prepare_workers", config=self.config, selection=self.selection)
        self._settle_memory()
        if parallel:
            for source, result in zip(rest, check_in_workers(self._check_result, rest, self.jobs), strict=True):
                yield result, self._article(*source) if keep_articles else None
        else:
            yield from map(self._check, rest)

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

    def _add_notices(self, notices: list[Notice]) -> None:
        self.notices.extend(n for n in notices if n not in self.notices)


# -- Finding the files ------------------------------------------------------------------


def collect_files(
    paths: Sequence[str],
    config: Config,
    pm: PluginManager | None = None,
    *,
    force_exclude: bool = False,
    other_configs: list[str] | None = None,
) -> list[tuple[str, Path]]:
    """Files to check, as (path to show, path): named files as given, folders walked.

    Folders are walked without following symbolic links to folders (no loops), skipping
    hidden folders, excluded patterns and what ``healthlint_ignore_path`` rejects.

    :param force_exclude: skip a named file, too, when it or a folder it is in below the project
        root is excluded or rejected (``check --force-exclude``: pre-commit names every file).
    :param other_configs: receives the config files met in the folders walked that this run does not read (one
        config serves a run: the nearest to the current folder, or ``--config``), as paths to show.
    :raises UsageError: for a path that does not exist.
    """
    out: list[tuple[str, Path]] = []
    used = os.path.realpath(config.source) if config.source is not None else None
    seen: set[str] = set()

    def add(display: str, path: Path) -> None:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            out.append((shown_name(display), path))

    failed: set[str] = set()

    def ignored(path: Path) -> bool:
        if config.is_excluded(path):
            return True
        if pm is None:
            return False
        try:
            return bool(pm.call("healthlint_ignore_path", path=path, config=config))
        except HookFailed as exc:  # checked rather than skipped: a plugin's bug must not let articles pass unchecked
            if exc.plugin not in failed:
                failed.add(exc.plugin)
                print(f"healthlint: warning: {exc}; the files it was asked about are checked", file=sys.stderr)
            return False

    for given in paths:
        path = Path(given)
        if given == "":
            raise UsageError("an empty path names no file or folder")
        if path.is_dir():
            found: list[tuple[str, Path]] = []
            # A folder that cannot be listed is checked as if an article: it is reported (HL001),
            # not skipped, since the articles in it go unchecked.
            unlisted: list[OSError] = []
            for folder, dirs, files in os.walk(path, onerror=unlisted.append, followlinks=False):
                base = Path(folder)
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not ignored(base / d))
                for name in files:
                    candidate = base / name
                    if (
                        other_configs is not None
                        and name in CONFIG_NAMES
                        and os.path.realpath(candidate) != used
                        and is_config_file(candidate)
                    ):
                        other_configs.append(shown_name(os.path.join(given, os.path.relpath(candidate, path))))
                    if candidate.suffix.lower() in ARTICLE_SUFFIXES and not ignored(candidate):
                        found.append((os.path.join(given, os.path.relpath(candidate, path)), candidate))
            for error in unlisted:
                if error.filename is not None:
                    folder_path = Path(os.fsdecode(error.filename))
                    found.append((os.path.join(given, os.path.relpath(folder_path, path)), folder_path))
            for display, candidate in sorted(found):
                add(display, candidate)
        elif path.exists() or path.is_symlink():
            if not (force_exclude and _excluded_where_it_lies(path, config, ignored)):
                add(given, path)
        else:
            raise UsageError(f"{given}: no such file or folder")
    return out


#: The files a folder's config can be in (:func:`healthlint.config.find_config`).
CONFIG_NAMES = ("healthlint.toml", "pyproject.toml")


def skipped_by_the_walk(path: Path, config: Config, pm: PluginManager) -> bool:
    """Whether a walk of the project would skip the file ``path`` (what ``check --force-exclude`` skips): it, or a
    folder it is in below the root, is hidden, matched by ``exclude`` or rejected by ``healthlint_ignore_path``
    (a plugin whose hook fails rejects nothing). The language server asks it of each document."""

    def ignored(candidate: Path) -> bool:
        if config.is_excluded(candidate):
            return True
        try:
            return bool(pm.call("healthlint_ignore_path", path=candidate, config=config))
        except HookFailed:
            return False

    return _excluded_where_it_lies(path, config, ignored)


def _excluded_where_it_lies(path: Path, config: Config, ignored: Callable[[Path], bool]) -> bool:
    """Whether walking the project would skip ``path``: it, or a folder it is in below the root, is excluded or
    hidden."""
    absolute = Path(os.path.abspath(path))
    root = Path(os.path.abspath(config.root))
    if not absolute.is_relative_to(root):
        # Reached by a symbolic link to the project (or the root is one): judge it where it really lies. The file's
        # folder is resolved, not the file, which may itself be a link to somewhere else.
        real_root = Path(os.path.realpath(root))
        real = Path(os.path.realpath(absolute.parent)) / absolute.name
        if real.is_relative_to(real_root):
            absolute, root = real, real_root
    chain = [absolute, *absolute.parents]
    below = [p for p in chain if p != root and p.is_relative_to(root)] if absolute.is_relative_to(root) else chain[:1]
    # The walk never enters a hidden folder (.git, .venv, .trash), so a file in one is skipped like an excluded one.
    return any(p != absolute and p.name.startswith(".") for p in below) or any(ignored(p) for p in below)


#: Characters a file name may hold that must not reach a terminal or a report as they are:
#: control characters (an escape sequence can rewrite the screen) and the bytes of a name that
#: are not UTF-8 (decoded as lone surrogates, which no UTF-8 output can hold).
_UNSHOWABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def shown_name(name: str) -> str:
    """A file name as reports show it: unchanged, except that what :data:`_UNSHOWABLE` matches is
    written as a ``\\xNN`` escape of the byte (or code point) it stands for."""
    return _UNSHOWABLE.sub(_escape, name) if _UNSHOWABLE.search(name) else name


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's surrogateescape maps an undecodable byte b to U+DC00 + b
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
