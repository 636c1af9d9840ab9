"""The library API: lint text or files from Python and get plain data back."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from pathlib import Path

from healthlint.config import Config, load_config
from healthlint.engine.driver import Driver, collect_files
from healthlint.model import ArticleResult, Report
from healthlint.plugins import get_plugin_manager


def _listed(values: str | Path | Iterable[str | Path]) -> list[str]:
    """One path or code given alone (``"articles"``, ``"HL3"``) is a list of one: not its characters."""
    return [str(values)] if isinstance(values, (str, Path)) else [str(v) for v in values]


def _config(config: Config | None, select: str | Sequence[str] | None, ignore: str | Sequence[str] | None) -> Config:
    config = config if config is not None else load_config()
    if select is not None:
        config = dataclasses.replace(config, select=_listed(select))
    if ignore is not None:
        config = dataclasses.replace(config, ignore=_listed(ignore))
    return config


def lint_text(
    text: str,
    *,
    path: str = "article.md",
    config: Config | None = None,
    select: str | Sequence[str] | None = None,
    ignore: str | Sequence[str] | None = None,
    plugins: Iterable[object] = (),
) -> ArticleResult:
    """Check one article given as text; ``path`` decides Markdown or plain text and is reported.

    :param config: defaults to the config found from the current folder.
    :param select: rule codes or prefixes to run instead of the configured selection.
    :param plugins: extra plugin objects to register for this call.
    """
    config = _config(config, select, ignore)
    pm = get_plugin_manager(config, extra=plugins)
    with Driver(pm.config, pm) as driver:
        return driver.check_text(path, text)


def lint_paths(
    paths: str | Path | Sequence[str | Path],
    *,
    config: Config | None = None,
    select: str | Sequence[str] | None = None,
    ignore: str | Sequence[str] | None = None,
    plugins: Iterable[object] = (),
) -> Report:
    """Check files and folders (walked recursively) and return the whole report.

    ``paths`` may be one path (``lint_paths("articles")``) or several; ``select`` and ``ignore`` one code or several.

    :raises healthlint.config.UsageError: for a path that does not exist or bad configuration.
    """
    config = _config(config, select, ignore)
    pm = get_plugin_manager(config, extra=plugins)
    files = collect_files(_listed(paths), pm.config, pm)
    with Driver(pm.config, pm) as driver:
        return driver.run(files)
