"""Every hook a healthlint plugin can implement, grouped by when the host calls it.

Hooks are called with keyword arguments only, and an implementation may accept any
subset of a hook's arguments, so hooks can gain arguments without breaking plugins.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from healthlint.article import Article
    from healthlint.config import Config
    from healthlint.model import Finding, Report
    from healthlint.output.base import Reporter
    from healthlint.publish import Publisher
    from healthlint.rules import Rule, Selection

hookspec = pluggy.HookspecMarker("healthlint")
#: Decorator that marks a function of a plugin module as a healthlint hook implementation
#: (re-exported as ``healthlint.hookimpl``; defined here, where no import cycle can reach it).
hookimpl = pluggy.HookimplMarker("healthlint")

# -- Registration: once per run, before any article is read ------------------------------


@hookspec
def healthlint_register_rules(register: Callable[[Rule], None]) -> None:
    """Register the rules this plugin provides.

    Call ``register(rule)`` once per :class:`~healthlint.Rule`. Codes must be unique;
    ``HL`` codes are reserved for healthlint's own plugins.

    :param register: adds one rule to the run's rule table.
    """


@hookspec
def healthlint_register_options(register: Callable[[str, type[Any]], None]) -> None:
    """Declare the options table this plugin reads from configuration.

    Call ``register(name, OptionsDataclass)``; the table ``[tool.healthlint.plugins.NAME]``
    (or ``[plugins.NAME]`` in ``healthlint.toml``) is then parsed into that dataclass, with
    field names in kebab-case as keys. Unknown keys and bad values are usage errors that
    name the config file. Rules read the result with ``ctx.options()``. Keys the table no
    longer reads go in a class variable ``RETIRED`` of the dataclass (key -> what replaced it),
    so a config still setting one is told where its setting lives now; write table names as
    pyproject.toml spells them (``[tool.healthlint.plugins.x]``, ``[tool.healthlint]``): the
    message is respelled for a ``healthlint.toml``.

    :param register: takes the table name and a dataclass type whose fields all have defaults.
    """


@hookspec
def healthlint_register_reporters(register: Callable[[type[Reporter]], None]) -> None:
    """Register output formats for ``healthlint check --format NAME``.

    :param register: takes a :class:`~healthlint.output.Reporter` subclass; its ``name``
        is the format's name.
    """


@hookspec
def healthlint_register_publishers(register: Callable[[type[Publisher]], None]) -> None:
    """Register publishers for ``healthlint publish --publisher NAME`` (built-in: ``site``).

    A publisher receives only the articles that passed the gate: the host checks every
    article, renders each passing one to sanitized HTML, and calls ``publish()`` with an
    immutable :class:`~healthlint.publish.Publication` of
    :class:`~healthlint.publish.PublishedArticle` objects (withheld articles appear only as
    their path and blocking codes). ``prepare()`` runs before any article is checked, to
    refuse a bad destination early. A publisher must leave its destination as it was when
    it fails, and raise :class:`~healthlint.config.UsageError` for what the user must fix.

    :param register: takes a :class:`~healthlint.publish.Publisher` subclass; its ``name``
        (kebab-case, unique) is what ``--publisher`` and ``publish.publishers`` name.
    """


# -- Session ------------------------------------------------------------------------------


@hookspec
def healthlint_configure(config: Config, selection: Selection) -> None:
    """Called once per run after configuration and options are loaded, before any article.

    Open clients or check services here. Raise :class:`~healthlint.config.ConfigError`
    for a configuration that cannot work (the run stops with exit code 2).

    :param config: the effective configuration, with ``config.options`` parsed.
    :param selection: which rules run (``selection.is_selected(code)``, ``selection.any_selected(prefix)``),
        so a plugin prepares only what its selected rules need.
    """


@hookspec
def healthlint_prepare_workers(config: Config, selection: Selection) -> None:
    """Called in the parent, once per run, just before articles are checked in worker processes (``--jobs``).

    Workers are forks of the parent: what it has loaded by then, they share (copy-on-write) instead of each loading
    it again. Load here what every worker would otherwise load for itself (a model, a large table). Called only
    when articles will be checked in workers: not with ``--jobs 1``, nor when every article but the first (which
    the parent checks itself) comes from the result cache. Raise nothing for a resource that cannot load: each
    article's check then says why, as it would without this hook.

    :param config: the effective configuration, as :func:`healthlint_configure` received it.
    :param selection: which rules run, so a plugin loads only what its selected rules need.
    """


@hookspec
def healthlint_unconfigure(config: Config) -> None:
    """Called once at the end of a run (also after a failure); close what configure opened.

    :param config: the same configuration :func:`healthlint_configure` received.
    """


# -- Per article ------------------------------------------------------------------------


@hookspec(firstresult=True)
def healthlint_ignore_path(path: Path, config: Config) -> bool | None:
    """Return True to skip a file or folder met while walking a folder.

    Paths named on the command line are skipped only under ``check --force-exclude`` (as the pre-commit hook
    runs it): then the hook is asked about the named file and each folder it lies in below the project root,
    as absolute paths. Stops at the first non-None result.

    :param path: the file or folder (as walking found it: below the folder named; or absolute, see above).
    :param config: the effective configuration.
    """


@hookspec(firstresult=True)
def healthlint_parse_article(path: str, text: str, config: Config) -> Article | None:
    """Turn a file's decoded text into an :class:`~healthlint.Article`.

    The built-in parser (Markdown for ``.md``/``.markdown``, plain text otherwise) runs
    last, so a plugin can take over other formats by returning an article, or return
    None to leave the file to the next parser. Stops at the first non-None result.

    :param path: the path as it will be reported.
    :param text: the file's text, decoded.
    :param config: the effective configuration.
    """


@hookspec
def healthlint_modify_findings(
    article: Article, findings: list[Finding], config: Config, metrics: dict[str, Any], selection: Selection
) -> None:
    """Edit an article's findings in place before they are reported and gated.

    Inline suppression comments are implemented with this hook, and the verdict family's
    weighing of every family's findings. Remove, reorder or replace items of ``findings``;
    rule selection and per-file ignores were already applied.

    :param article: the article the findings belong to.
    :param findings: the findings, sorted by position; change the list itself.
    :param config: the effective configuration.
    :param metrics: the article's metrics as the rules left them (reported in the JSON output); a hook may add.
    :param selection: which rules run for this article (``selection.is_selected(code)``).
    """


# -- End of run -------------------------------------------------------------------------


@hookspec
def healthlint_report_finished(report: Report, config: Config) -> None:
    """Called with the complete report after every article is checked, before output ends.

    :param report: every article's result and the run's notices.
    :param config: the effective configuration.
    """
