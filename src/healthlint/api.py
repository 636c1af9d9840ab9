"""The library API: lint text or files from Python and get plain data back."""

from __future__ import annotations

import dataclasses
import os
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

from healthlint.article import ARTICLE_SUFFIXES
from healthlint.config import Config, UsageError, code_options, load_config
from healthlint.engine.driver import Driver, collect_files
from healthlint.engine.selection import check_selection
from healthlint.model import ArticleResult, Report
from healthlint.plugins import PluginManager, get_plugin_manager

#: What ``config=`` takes: a loaded config, or the path of a config file to load.
ConfigArg = Config | str | os.PathLike[str] | None


def _listed(values: str | Path | Iterable[str | Path]) -> list[str]:
    """One path or code given alone (``"articles"``, ``"HL3"``) is a list of one: not its characters."""
    return [str(values)] if isinstance(values, (str, Path)) else [str(v) for v in values]


def _codes(values: str | Sequence[str] | None, option: str) -> list[str] | None:
    """Codes as the CLI reads ``--select``/``--ignore``: any case, comma-separated, a renamed code redirected (a
    :class:`UserWarning` says so); a value that is no code or prefix is a :class:`UsageError` naming ``option``."""
    if values is None:
        return None
    codes, notices = code_options(_listed(values), option)
    for notice in notices:
        warnings.warn(f"{option}={notice.split(' ', 1)[0]}: {notice}", UserWarning, stacklevel=4)
    return codes


def _plugins(
    config: ConfigArg, select: str | Sequence[str] | None, ignore: str | Sequence[str] | None, plugins: Iterable[object]
) -> PluginManager:
    """The plugins for a call, with the config and the call's selection; what the CLI refuses, refused alike.

    A code that names no rule is a :class:`UserWarning` (the CLI's warning), and so is a plugin that failed to
    load; a selection under which no rule would run raises :class:`UsageError` (the CLI's exit 2), since every
    article would pass unchecked.
    """
    if config is None:
        file_config = load_config()
    elif isinstance(config, Config):
        file_config = config
    elif isinstance(config, (str, os.PathLike)):
        file_config = load_config(Path(config))
    else:
        raise TypeError(f"config= takes a Config (healthlint.config.load_config(...)) or a path, not {config!r}")
    selected, ignored = _codes(select, "select"), _codes(ignore, "ignore")
    chosen = file_config
    if selected is not None:
        chosen = dataclasses.replace(chosen, select=selected)
    if ignored is not None:
        chosen = dataclasses.replace(chosen, ignore=ignored)
    pm = get_plugin_manager(chosen, extra=plugins)
    for message in [*map(str, pm.errors), *pm.warnings]:
        warnings.warn(message, UserWarning, stacklevel=3)
    # The call's ignore replaces the file's: only the file's select is read when the call gives none.
    report = check_selection(
        dataclasses.replace(file_config, ignore=[]) if ignored is not None else file_config,
        pm,
        selected,
        [],
        ignored or [],
    )
    for message in report.warnings:
        for flag, argument in (("--select ", "select="), ("--ignore ", "ignore=")):
            message = argument + message.removeprefix(flag) if message.startswith(flag) else message
        warnings.warn(message, UserWarning, stacklevel=3)
    if report.error is not None:
        raise UsageError(report.error)
    return pm


def lint_text(
    text: str,
    *,
    path: str = "article.md",
    config: ConfigArg = None,
    select: str | Sequence[str] | None = None,
    ignore: str | Sequence[str] | None = None,
    plugins: Iterable[object] = (),
) -> ArticleResult:
    """Check one article given as text; ``path`` decides Markdown or plain text and is reported.

    :param config: a :class:`Config` or a config file's path; defaults to the config found from the current folder.
    :param select: rule codes or prefixes to run instead of the configured selection.
    :param plugins: extra plugin objects to register for this call.
    :raises healthlint.UsageError: for bad configuration (a :class:`ConfigError`) or a selection that runs no rule.
    :raises TypeError: for text that is not a str (decode bytes first, or write them to a file for ``lint_paths``).
    """
    if not isinstance(text, str):
        raise TypeError(
            f"lint_text takes the article's text as str, not {type(text).__name__}"
            " (decode bytes first, or check the file with lint_paths)"
        )
    pm = _plugins(config, select, ignore, plugins)
    with Driver(pm.config, pm) as driver:
        return driver.check_text(path, text)


def lint_paths(
    paths: str | Path | Sequence[str | Path],
    *,
    config: ConfigArg = None,
    select: str | Sequence[str] | None = None,
    ignore: str | Sequence[str] | None = None,
    plugins: Iterable[object] = (),
) -> Report:
    """Check files and folders (walked recursively) and return the whole report.

    ``paths`` may be one path (``lint_paths("articles")``) or several; ``select`` and ``ignore`` one code or several.

    :raises healthlint.UsageError: for a path that does not exist, bad configuration (a :class:`ConfigError`) or a
        selection that runs no rule.
    """
    pm = _plugins(config, select, ignore, plugins)
    targets = _listed(paths)
    files = collect_files(targets, pm.config, pm)
    if not files and targets:  # a gate that checks nothing passes: the CLI says so, and so does the API
        suffixes = " ".join(sorted(ARTICLE_SUFFIXES))
        warnings.warn(f"no articles found in {', '.join(targets)} (files ending {suffixes})", UserWarning, stacklevel=2)
    with Driver(pm.config, pm) as driver:
        return driver.run(files)
