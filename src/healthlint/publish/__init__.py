"""Publishing: the articles that pass the gate, and only those, handed to publisher plugins.

``healthlint publish`` checks articles exactly as ``healthlint check`` does, then builds
one immutable :class:`Publication` from the results: a :class:`PublishedArticle` for each
article that passed (rendered to sanitized HTML by the host) and a :class:`WithheldArticle`
(source path and blocking codes only, never the content) for each that did not. Every
publisher registered with the ``healthlint_register_publishers`` hook receives that
publication and nothing else, so no publisher can publish an article that failed the gate.

The plugin host imports this module on every run, so it holds only :class:`Publisher`; the
data classes live in :mod:`healthlint.publish.model` and are imported from here on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from healthlint.publish.model import (
        ArticleDate,
        Publication,
        PublishContext,
        PublishedArticle,
        PublishOutcome,
        SiteInfo,
        Source,
        WithheldArticle,
        freeze,
        thaw,
    )

__all__ = [
    "ArticleDate",
    "Publication",
    "PublishContext",
    "PublishOutcome",
    "PublishedArticle",
    "Publisher",
    "SiteInfo",
    "Source",
    "WithheldArticle",
    "freeze",
    "thaw",
]

_LAZY = frozenset(__all__) - {"Publisher"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from healthlint.publish import model

        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Publisher:
    """Base class of publishers. Register subclasses with ``healthlint_register_publishers``.

    Subclasses set ``name`` (what ``--publisher`` and ``publish.publishers`` name) and
    ``description``, and implement :meth:`publish`. The host calls :meth:`prepare` before
    any article is checked (to fail fast on a bad destination), then :meth:`publish` once
    with the publication. A publisher must leave the destination as it was if it fails.
    Raise :class:`healthlint.config.UsageError` for problems the user must fix.
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""

    def __init__(self, context: PublishContext) -> None:
        self.context = context

    def prepare(self) -> None:
        """Check the destination before any article is checked; raise ``UsageError`` if it cannot work."""

    def publish(self, publication: Publication) -> PublishOutcome:
        """Publish the passing articles (honouring ``context.dry_run``) and say what was done."""
        raise NotImplementedError

    def page_paths(self, publication: Publication) -> dict[str, str]:
        """Where each passing article would go (by slug), as shown to the user, without publishing anything.

        Shown when ``--strict`` stops the run before any publisher ran. The default knows none.
        """
        return {}
