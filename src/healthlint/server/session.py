"""What the language server keeps for a session: the configuration, one engine driver, and the open documents.

Plugins, rules and word data are loaded once, when the session starts (and again only when
the workspace's config file changes); each check re-uses them, which is what makes a warm
re-check of a 1,000-word article take tens of milliseconds. Grammar (the HL6xx rules, which ask
a LanguageTool server) runs only when a document is saved: its findings from the last save are
kept while the text around them is unchanged, so they do not flicker away on each keystroke.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from healthlint.config import Config, RequirementUnavailable, UsageError, load_config
from healthlint.engine.driver import Driver, skipped_by_the_walk
from healthlint.engine.runner import ArticleChecker
from healthlint.fixes import Edit, apply_edits, plan_edits
from healthlint.model import Finding, Notice, Severity
from healthlint.plugins import HookFailed, PluginManager, get_plugin_manager
from healthlint.rules import Rule
from healthlint.server.positions import LineIndex

#: The grammar rules: run on save only, never while typing.
GRAMMAR_PREFIX = "HL6"
#: The code of the diagnostic saying what the config requires that is missing (a service or model unavailable).
UNMET_CODE = "HL003"
#: The files whose change reloads the configuration.
CONFIG_NAMES = ("healthlint.toml", "pyproject.toml")


@dataclass
class Document:
    """An open document as last checked: its text and findings (lines and columns in this text)."""

    path: str
    text: str
    findings: list[Finding] = field(default_factory=list)
    #: The grammar findings of the last save, moved along with the text edited since.
    grammar: list[Finding] = field(default_factory=list)
    #: First and last line of the front matter (fixes never change it).
    front_matter: tuple[int, int] | None = None

    @property
    def all_findings(self) -> list[Finding]:
        return sorted([*self.findings, *self.grammar], key=lambda f: (f.line, f.column, f.code))


class Session:
    """The engine for one workspace: load the config and plugins once, check documents on demand.

    :param root: the workspace folder; its nearest ``healthlint.toml`` or ``pyproject.toml`` is the config.
    :param config_path: a config file to use instead (``healthlint --config FILE server``).
    """

    def __init__(self, root: Path, config_path: Path | None = None) -> None:
        self.root = root
        self.config_path = config_path
        self.documents: dict[str, Document] = {}
        self.seen_notices: set[Notice] = set()
        self.driver, self.unmet = self._start()
        self.typing = self._typing_checker(self.driver)

    # -- Configuration --------------------------------------------------------------------

    def _start(self) -> tuple[Driver, list[RequirementUnavailable]]:
        """The configured driver, and what the config requires that this machine lacks.

        ``check`` stops (exit 2) when a plugin option requires what is missing (the deeper spun stage's model, a
        LanguageTool server). An editor would then show nothing at all: the session checks without each such
        requirement instead, and every document says what is missing (:meth:`check`).
        """
        config = load_config(self.config_path, start=self.root)
        pm = get_plugin_manager(config)
        unmet: list[RequirementUnavailable] = []
        current = pm.config
        while True:
            driver = Driver(current, pm)
            try:
                driver.__enter__()
            except RequirementUnavailable as exc:
                _unconfigure(driver)  # the plugins configured before the one that refused
                if any((e.table, e.option) == (exc.table, exc.option) for e in unmet):
                    raise  # waiving it changed nothing: a plugin's own error
                unmet.append(exc)
                current = exc.waived(current)
                continue
            return driver, unmet

    @staticmethod
    def _typing_checker(driver: Driver) -> ArticleChecker:
        """A checker over the driver's plugins and selection, less grammar."""
        checker = ArticleChecker(driver.config, driver.pm, driver.selection.for_file((GRAMMAR_PREFIX,)))
        checker.timer = driver.checker.timer  # one rule-timeout alarm, installed by the driver
        return checker

    @property
    def config(self) -> Config:
        return self.driver.config

    @property
    def pm(self) -> PluginManager:
        return self.driver.pm

    @property
    def plugin_errors(self) -> list[str]:
        return [str(e) for e in self.pm.errors]

    def is_config_file(self, path: Path) -> bool:
        """Whether a changed file is this session's config file, or one that could become it."""
        if self.config_path is not None:
            return path.resolve() == self.config_path.resolve()
        if path.name not in CONFIG_NAMES:
            return False
        here = path.resolve().parent
        root = self.root.resolve()
        return here == root or here in root.parents

    def reload(self) -> None:
        """Load the config and the plugins again (after the config file changed).

        :raises healthlint.config.UsageError: for a bad config; the session keeps the old one then.
        """
        self._replace(*self._start())

    def _replace(self, driver: Driver, unmet: list[RequirementUnavailable]) -> None:
        """Use ``driver`` from now on and end the one before (started before it, so its timer is taken over: ending
        it put back the handler of SIGALRM from before the session, and a rule past ``rule-timeout`` then killed the
        server)."""
        driver.checker.timer.take_over(self.driver.checker.timer)
        self.close()
        self.driver, self.unmet, self.typing = driver, unmet, self._typing_checker(driver)

    def close(self) -> None:
        self.driver.__exit__(None, None, None)

    def skipped(self, path: str) -> bool:
        """Whether ``healthlint check`` skips the file ``path`` when it walks the project (excluded, hidden, or
        rejected by a plugin): the editor shows it no findings, as the gate gives it none."""
        return skipped_by_the_walk(Path(path), self.config, self.pm)

    # -- Checking -------------------------------------------------------------------------

    def rule(self, code: str) -> Rule | None:
        return self.pm.rules.get(code)

    def check(self, uri: str, path: str, text: str, *, saved: bool) -> Document:
        """Check a document's text; ``saved`` also runs grammar (the HL6xx rules).

        :param path: where the document lives (decides Markdown or plain text, and per-file ignores).
        """
        previous = self.documents.get(uri)
        if saved and self.unmet:
            self._retry_requirements()
        checker = self.driver.checker if saved else self.typing
        article = checker.parse(path, text)
        result = checker.lint_article(article)
        self._note(result.notices)
        if self.unmet:
            result.findings[:0] = [self._unmet_finding(path, exc) for exc in self.unmet]
        doc = Document(path, text, front_matter=article.meta_lines)
        if saved:
            doc.findings = [f for f in result.findings if not f.code.startswith(GRAMMAR_PREFIX)]
            doc.grammar = [f for f in result.findings if f.code.startswith(GRAMMAR_PREFIX)]
        else:
            doc.findings = result.findings
            if previous is not None:
                doc.grammar = moved(previous.grammar, previous.text, text)
        self.documents[uri] = doc
        return doc

    def _unmet_finding(self, path: str, exc: RequirementUnavailable) -> Finding:
        """One diagnostic at the top of a document: what the config requires and this machine lacks, at HL003's
        severity as configured (its default, a warning, or a ``[severity]`` override), like every finding."""
        message = f"{exc}; `healthlint check` stops here (exit 2), this editor checks without it"
        rule = self.pm.rules.get(UNMET_CODE)
        name, plugin = (rule.name, rule.plugin) if rule else (UNMET_CODE.lower(), "")
        severity = self.config.severity_for(UNMET_CODE, rule.severity if rule else Severity.WARNING)
        return Finding(path, 1, 1, 1, 2, UNMET_CODE, name, severity, message, plugin=plugin, key=exc.option)

    def _retry_requirements(self) -> None:
        """On save: start again if what was missing may be there now (the model fetched, the server started)."""
        try:
            driver, unmet = self._start()
        except UsageError:
            return  # the config changed meanwhile and is broken: its reload says so
        if len(unmet) < len(self.unmet):
            self._replace(driver, unmet)
        else:
            _unconfigure(driver, entered=True)

    def new_notices(self) -> list[Notice]:
        """Notices raised since the last call (each is shown once a session)."""
        fresh = [n for n in self.driver.notices if n not in self.seen_notices]
        self.seen_notices.update(fresh)
        return fresh

    def _note(self, notices: Iterable[Notice]) -> None:
        self.driver.notices.extend(n for n in notices if n not in self.driver.notices)

    def forget(self, uri: str) -> None:
        self.documents.pop(uri, None)

    # -- Fixes ----------------------------------------------------------------------------

    def fix_all_safe(self, uri: str) -> tuple[list[Edit], str] | None:
        """The safe fixes of a document (as ``healthlint check --fix`` applies them) and the text they give."""
        doc = self.documents.get(uri)
        if doc is None:
            return None
        edits, _ = plan_edits(doc.text, doc.all_findings, doc.front_matter)
        return edits, apply_edits(doc.text, edits)


def _unconfigure(driver: Driver, *, entered: bool = False) -> None:
    """End a driver that will not be used: what its plugins opened is closed (a plugin failing to is ignored)."""
    if entered:
        driver.__exit__(None, None, None)
        return
    with contextlib.suppress(HookFailed):
        driver.pm.call("healthlint_unconfigure", config=driver.config)


def moved(findings: list[Finding], old: str, new: str) -> list[Finding]:
    """Findings of ``old`` that lie outside the part of the text that changed, placed in ``new``.

    The text before the first changed character and after the last one is the same in both;
    a finding wholly inside either keeps its words, so it is moved, not dropped. One that
    touches the change (a letter typed at the end of a flagged word) is dropped: it may be stale.
    """
    if not findings or old == new:
        return findings
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    shift = len(new) - len(old)
    before, after = LineIndex(old), LineIndex(new)
    out = []
    for f in findings:
        start = before.offset_of_finding(f.line, f.column)
        end = before.offset_of_finding(f.end_line, f.end_column)
        if end < prefix:
            pass
        elif start > len(old) - suffix:
            start, end = start + shift, end + shift
        else:
            continue
        (line, column), (end_line, end_column) = after.line_column(start), after.line_column(end)
        out.append(dataclasses.replace(f, line=line, column=column, end_line=end_line, end_column=end_column))
    return out
