"""The audit's one door into healthlint: load the configuration and plugins, check documents.

Everything the audit needs from the rest of healthlint passes through this module, so that
a change of the engine's shape is met here alone.
"""

from __future__ import annotations

import atexit
import dataclasses
import gc
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from healthlint.config import Config, UsageError, load_config
from healthlint.engine.driver import Driver, collect_files
from healthlint.engine.gate import gated, passes
from healthlint.engine.runner import UNREADABLE_ARTICLE
from healthlint.engine.selection import check_selection
from healthlint.model import ArticleResult, Finding, Severity
from healthlint.plugins import PluginManager, get_plugin_manager
from healthlint.storage.results import plugin_versions, run_fingerprint

__all__ = ["UNREADABLE_ARTICLE", "ArticleResult", "CheckSettings", "Checker", "Config", "Finding", "UsageError"]

#: Markdown or plain text: the suffix of the path an article is parsed under decides it.
KIND_SUFFIX = {"markdown": ".md", "text": ".txt"}


@dataclass(frozen=True)
class CheckSettings:
    """What a worker needs to check documents exactly as the driver would: sent with every partition."""

    config: Config
    #: The run's identity (config, plugins and their versions, healthlint's version): the worker's cache key.
    fingerprint: str
    #: Plugin name -> ``package version`` loaded on the driver; a worker with other plugins refuses to check.
    plugins: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Loaded:
    """A run's settings, with what the driver reports besides: plugin warnings and rule names."""

    settings: CheckSettings
    warnings: list[str]
    #: Rule code -> rule name, for the summary table.
    names: dict[str, str]


def load_settings(
    config_path: Path | None, overrides: dict[str, Any], extend_select: list[str], ignore: list[str]
) -> Loaded:
    """The settings of a run, loaded as ``healthlint check`` loads them.

    :raises UsageError: for a bad config file or plugin options.
    """
    file_config = config = load_config(config_path)
    config = dataclasses.replace(
        config,
        **{key: value for key, value in overrides.items() if value is not None},
        extend_select=[*config.extend_select, *extend_select],
        ignore=[*config.ignore, *ignore],
    )
    pm = get_plugin_manager(config)
    if not pm.builtin_loaded:
        raise UsageError("no built-in plugins found: is healthlint installed?")
    selection = check_selection(file_config, pm, overrides.get("select"), extend_select, ignore)
    if selection.error is not None:
        raise UsageError(selection.error)
    fingerprint = run_fingerprint(config, plugin_versions(pm))
    names = {code: rule.name for code, rule in sorted(pm.rules.items())}
    warnings = [*(str(e) for e in pm.errors), *selection.warnings]
    return Loaded(CheckSettings(config, fingerprint, _plugin_names(pm)), warnings, names)


def article_files(folder: str, config: Config) -> list[tuple[str, Path]]:
    """The articles ``healthlint check FOLDER`` would check, as (path shown, path)."""
    return collect_files([folder], config, get_plugin_manager(config))


def _plugin_names(pm: PluginManager) -> dict[str, str]:
    return {name: f"{info.package} {info.version}" for name, info in sorted(pm.infos.items()) if not info.error}


class Checker:
    """One configured run of healthlint inside a process, kept for every partition it checks."""

    def __init__(self, settings: CheckSettings) -> None:
        self.config = settings.config
        pm = get_plugin_manager(self.config)
        here = _plugin_names(pm)
        if here != settings.plugins:
            raise RuntimeError(
                f"worker {os.uname().nodename}:{os.getpid()} loads other plugins than the audit's driver "
                f"({_difference(settings.plugins, here)}): install the same healthlint and plugins on every worker"
            )
        self._driver = Driver(self.config, pm)
        self._driver.__enter__()  # configured for the life of the process: plugins load their data once
        atexit.register(self._driver.__exit__, None, None, None)

    def check_text(self, shown: str, text: str, kind: str) -> ArticleResult:
        """Findings of a document given as text, as ``healthlint check`` gives for that text in a file."""
        return self._driver.check_text(shown + KIND_SUFFIX[kind], text)

    def check_file(self, path: Path, shown: str) -> ArticleResult:
        """Read and check one article file (unreadable files give an HL001 finding, as in ``check``)."""
        return gated(self._driver.checker.lint_file(path, shown), self.config.fail_on, None)

    def unreadable(self, shown: str, message: str) -> ArticleResult:
        """The result of a record that holds no document (bad JSON, a missing field): one HL001 finding."""
        severity = self.config.severity_for(UNREADABLE_ARTICLE, Severity.ERROR)
        finding = Finding(shown, 1, 1, 1, 2, UNREADABLE_ARTICLE, "unreadable-article", severity, message)
        return ArticleResult(shown, [finding], {}, passes([finding], self.config.fail_on))


def _difference(driver: dict[str, str], worker: dict[str, str]) -> str:
    names = sorted(n for n in {*driver, *worker} if driver.get(n) != worker.get(n))
    return "; ".join(f"{n}: {driver.get(n, 'absent')} there, {worker.get(n, 'absent')} here" for n in names)


_CHECKERS: dict[str, Checker] = {}
#: Rules keep per-process state, so a worker process checks one document at a time whatever its threads.
_LOCK = threading.Lock()


def worker_checker(settings: CheckSettings) -> tuple[Checker, threading.Lock]:
    """This process's checker for these settings, built on first use (plugins and data load once)."""
    with _LOCK:
        checker = _CHECKERS.get(settings.fingerprint)
        if checker is None:
            checker = _CHECKERS[settings.fingerprint] = Checker(settings)
    return checker, _LOCK


#: The collector's thresholds while a worker audits: those of ``healthlint check`` (``Driver.owns_process``).
AUDIT_THRESHOLDS = (10_000, 50, 50)
#: The thresholds the process had before :func:`settle_memory`, while it is settled.
_settled_from: tuple[int, int, int] | None = None
_frozen = False


def settle_memory() -> None:
    """After a worker's first document, as ``healthlint check`` after its first article: freeze
    what it loaded out of the garbage collector's passes, and collect less often.

    The plugins' word data, tables and compiled patterns are hundreds of thousands of objects,
    beside the tens of thousands of Dask's own: every full collection walked them all (450
    collections per 500 documents, where ``check`` makes about 100: 0.7-1.1 s of a worker's
    time on the 500 test articles).
    """
    global _settled_from, _frozen
    with _LOCK:
        if not _frozen:  # once per process: what it froze stays loaded for its later audits
            gc.freeze()
            _frozen = True
        if _settled_from is None:
            _settled_from = gc.get_threshold()
            gc.set_threshold(*AUDIT_THRESHOLDS)


def unsettle_memory() -> None:
    """The collector's thresholds as they were, after the audit (a shared cluster's worker lives on).

    What was frozen stays frozen (the plugins' data stays loaded in the process anyway).
    """
    global _settled_from
    with _LOCK:
        if _settled_from is not None:
            gc.set_threshold(*_settled_from)
            _settled_from = None
