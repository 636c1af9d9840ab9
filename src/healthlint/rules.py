"""Rules: a code, a name, a default severity, documentation and the check that finds hits."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from healthlint.model import Hit, Notice, Severity

if TYPE_CHECKING:
    from healthlint.article import Article
    from healthlint.config import Config

CODE_RE = re.compile(r"^[A-Z]{2,4}[0-9]{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
#: The sections every rule's documentation has, in this order (``healthlint rules CODE`` prints them).
DOC_SECTIONS = ("What it flags", "Why it matters", "Example", "Instead", "Options")

#: A check reads an article and yields hits.
Check = Callable[["Article", "RuleContext"], Iterable[Hit]]

T = TypeVar("T")


@dataclass(frozen=True)
class Rule:
    """One thing healthlint can flag.

    :param code: ``HL`` + 3 digits for built-ins; plugins use a prefix of their own
        (2–4 capitals + 3 digits, e.g. ``ACME101``).
    :param name: kebab-case name of the pattern flagged (reads as "allow <name>").
    :param summary: one line for ``healthlint rules``.
    :param severity: the default; config may change it per rule.
    :param check: ``check(article, ctx)`` yielding :class:`~healthlint.Hit`.
    :param doc: Markdown with the sections of :data:`DOC_SECTIONS` as ``## `` headings.
    :param enabled_by_default: off-by-default rules run only when selected explicitly.
    :param kinds: the article kinds the rule applies to (``markdown``, ``text``).
    """

    code: str
    name: str
    summary: str
    severity: Severity
    #: None for codes the host itself reports (tool faults such as HL002).
    check: Check | None
    doc: str = ""
    enabled_by_default: bool = True
    kinds: frozenset[str] = frozenset({"markdown", "text"})
    #: Set by the host: the name of the plugin that registered the rule.
    plugin: str = field(default="", compare=False)

    def problems(self) -> list[str]:
        """What is wrong with this rule's declaration (empty when it is fine)."""
        out = []
        if not CODE_RE.match(self.code):
            out.append(f"code {self.code!r} must be 2-4 capital letters and 3 digits, like HL301")
        if not NAME_RE.match(self.name):
            out.append(f"name {self.name!r} of {self.code} must be kebab-case, like uncited-journal-claim")
        if not isinstance(self.severity, Severity):  # plugins are not type-checked
            out.append(f"severity of {self.code} must be a healthlint.Severity")  # type: ignore[unreachable]
        if self.check is not None and not callable(self.check):  # plugins are not type-checked
            out.append(f"check of {self.code} is not callable")  # type: ignore[unreachable]
        return out


class RuleContext:
    """What a check gets besides the article: the rule, the config, options and shared state."""

    def __init__(
        self,
        rule: Rule,
        config: Config,
        article: Article,
        metrics: dict[str, Any],
        notices: list[Notice] | None = None,
        selection: Selection | None = None,
    ) -> None:
        self.rule = rule
        self.config = config
        self.article = article
        #: Numbers for the JSON output's ``metrics`` (e.g. reading grade); rules add to it.
        self.metrics = metrics
        self._notices = notices if notices is not None else []
        #: Set when the rule could not do all its work (see :meth:`notice`); such results are not cached.
        self.incomplete = False
        self.selection = selection if selection is not None else Selection.of(config, {})

    def is_selected(self, code: str) -> bool:
        """Whether rule ``code`` runs on this article: the run's selection and this file's per-file ignores."""
        return self.selection.is_selected(code)

    def notice(self, message: str, code: str | None = None, *, incomplete: bool = True) -> None:
        """Report something about the run once (not per article), e.g. a service that is down.

        :param incomplete: the rule could not do its work on this article (a server timed
            out, say), so the result cache must not keep the result and the next run checks
            the article again. Pass False for a steady state that configuration decides (no
            server configured at all): such results are complete for that configuration.
        """
        self.incomplete = self.incomplete or incomplete
        notice = Notice(code or self.rule.code, message, self.rule.plugin)
        if notice not in self._notices:
            self._notices.append(notice)

    def options(self, plugin: str | None = None) -> Any:
        """The parsed options table of a plugin (this rule's plugin by default)."""
        return self.config.options_for(plugin or self.rule.plugin)

    def shared(self, key: str, factory: Callable[[], T]) -> T:
        """Compute something once per article and share it between a plugin's rules.

        A factory that failed (raised, or was stopped by the time limit) fails the same way, at
        once, for every rule that asks again: one bad article costs one timeout, not one per rule.
        """
        cache = self.article.cache
        if key not in cache:
            try:
                cache[key] = factory()
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # the rule timer's exception is a BaseException
                cache[key] = _Failed(exc)
                raise
        value = cache[key]
        if isinstance(value, _Failed):
            raise value.error
        result: T = value
        return result


@dataclass(frozen=True)
class _Failed:
    """What :meth:`RuleContext.shared` keeps for a factory that raised."""

    error: BaseException


def doc_sections(doc: str) -> dict[str, str]:
    """Split a rule's Markdown documentation into its ``## `` sections."""
    sections: dict[str, str] = {}
    current: str | None = None
    lines: list[str] = []
    for line in doc.strip().splitlines():
        if line.startswith("## "):
            if current is not None:
                sections[current] = "\n".join(lines).strip()
            current, lines = line[3:].strip(), []
        elif current is not None:
            lines.append(line)
    if current is not None:
        sections[current] = "\n".join(lines).strip()
    return sections


class RuleSelector:
    """Decides whether a code runs for a file (flake8's DecisionEngine: the longest prefix wins).

    ``select`` replaces the default set (rules enabled by default); ``extend-select`` adds
    to it; ``ignore`` removes. When a selecting and an ignoring prefix are equally long,
    ignore wins. Per-file ignores apply after that.
    """

    def __init__(self, select: list[str] | None, extend_select: list[str], ignore: list[str]) -> None:
        self.select = select
        self.extend_select = extend_select
        self.ignore = ignore

    @staticmethod
    def _longest(code: str, prefixes: Iterable[str]) -> int:
        return max((len(p) for p in prefixes if code.startswith(p)), default=-1)

    def selected(self, rule: Rule) -> bool:
        return self.selects(rule.code, rule.enabled_by_default)

    def selects(self, code: str, enabled_by_default: bool = True) -> bool:
        chosen = self._longest(code, (self.select or []) + self.extend_select)
        if self.select is None and enabled_by_default:
            chosen = max(chosen, 0)
        if chosen < 0:
            return False
        return chosen > self._longest(code, self.ignore)


class Selection:
    """Which rules run: decided here only (the config's select, extend-select and ignore, and per-file ignores).

    The engine gives one to each :class:`RuleContext` (``ctx.is_selected(code)``, with the file's
    per-file ignores) and to ``healthlint_configure`` (``selection``, for the whole run), so a plugin
    that prepares work at configure time knows whether any of its rules will run.
    """

    def __init__(
        self,
        selector: RuleSelector,
        rules: Mapping[str, Rule],
        ignored: Sequence[str] = (),
        *,
        every_plugin: bool = False,
    ) -> None:
        self._selector = selector
        self._rules = rules
        self._ignored = tuple(ignored)
        self._every_plugin = every_plugin

    @classmethod
    def of(cls, config: Config, rules: Mapping[str, Rule], *, every_plugin: bool = False) -> Selection:
        """The run's selection from a config, over the registered ``rules``.

        :param every_plugin: ``rules`` are every plugin's that was found (none failed or was left out), so a
            code none of them has is no rule at all (:meth:`names_rule`).
        """
        return cls(RuleSelector(config.select, config.extend_select, config.ignore), rules, every_plugin=every_plugin)

    def for_file(self, ignored: Sequence[str]) -> Selection:
        """This selection less the codes and prefixes that per-file ignores switch off for one file."""
        if not ignored:
            return self
        return Selection(self._selector, self._rules, (*self._ignored, *ignored), every_plugin=self._every_plugin)

    def names_rule(self, prefix: str) -> bool | None:
        """Whether a code or prefix names a registered rule; None when that cannot be told (a plugin that failed
        or was left out may have it)."""
        if not self._every_plugin or not self._rules:
            return None
        return any(code.startswith(prefix) for code in self._rules)

    def is_selected(self, code: str) -> bool:
        """Whether ``code`` runs (a code no plugin registered counts as enabled by default)."""
        rule = self._rules.get(code)
        enabled = rule.enabled_by_default if rule is not None else True
        return self._selector.selects(code, enabled) and not matches_prefix(code, self._ignored)

    def any_selected(self, prefix: str) -> bool:
        """Whether any registered rule whose code starts with ``prefix`` runs."""
        return any(code.startswith(prefix) and self.is_selected(code) for code in self._rules)

    @property
    def ignored(self) -> tuple[str, ...]:
        """The codes and prefixes switched off for this file (empty for the run's selection)."""
        return self._ignored


def matches_prefix(code: str, prefixes: Iterable[str]) -> bool:
    return any(code.startswith(p) for p in prefixes)


#: Codes that were renamed or split (ruff's "redirects"): the codes that do the old code's job now,
#: and the notice a user naming the old code gets. ``select``, ``ignore``, ``severity``,
#: ``per-file-ignores``, ``--select``/``--ignore`` and suppression comments all read the old code
#: through this one table. Only whole codes redirect: a prefix ("HL5", "HL51") means what it says.
REDIRECTS: dict[str, tuple[tuple[str, ...], str]] = {
    "HL512": (
        ("HL512", "HL703"),
        "HL512 was split: menus, related-links lists and repeated titles are now HL703 navigation-block, "
        "teaser titles stay HL512; HL512 alone here means both (write both codes and this notice goes)",
    ),
    "HL514": (("HL702",), "HL514 page-clutter is now HL702 page-furniture (page chrome); write HL702"),
}


def redirected(codes: Iterable[str]) -> tuple[list[str], list[str]]:
    """``codes`` (codes and prefixes) with each renamed code replaced by its successors, and the notices.

    >>> redirected(["HL1", "HL514"])
    (['HL1', 'HL702'], ['HL514 page-clutter is now HL702 page-furniture (page chrome); write HL702'])
    """
    codes = list(codes)
    written = set(codes)
    out: list[str] = []
    notices: list[str] = []
    for code in codes:
        redirect = REDIRECTS.get(code)
        if redirect is None:
            if code not in out:
                out.append(code)
            continue
        out.extend(c for c in redirect[0] if c not in out)
        # a split code written beside all its successors says what it means: nothing to tell
        if redirect[1] not in notices and not (code in redirect[0] and written.issuperset(redirect[0])):
            notices.append(redirect[1])
    return out, notices


def rules_in(package: str) -> tuple[Rule, ...]:
    """The rules of a family: the ``RULE`` of every module of the ``<package>.rules`` subpackage, by code.

    A family's plugin registers them with ``rules_hook(__package__)`` (:mod:`healthlint.family`),
    so adding a rule is adding one module (``healthlint new-rule`` writes it).
    """
    import importlib
    import pkgutil

    folder = importlib.import_module(f"{package}.rules")
    found = []
    for info in sorted(pkgutil.iter_modules(folder.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{folder.__name__}.{info.name}")
        rule = getattr(module, "RULE", None)
        if isinstance(rule, Rule):
            found.append(rule)
    return tuple(sorted(found, key=lambda r: r.code))
