"""``healthlint publish``: check like ``healthlint check``, then hand only the passing articles to the publishers."""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from healthlint.config import Config, UsageError
from healthlint.engine.driver import Driver
from healthlint.engine.gate import ExitCode
from healthlint.model import ArticleResult, Finding, Report, Severity
from healthlint.publish import Publisher
from healthlint.publish.model import (
    Publication,
    PublishContext,
    PublishedArticle,
    PublishOutcome,
    SiteInfo,
    WithheldArticle,
    codes_of,
)

if TYPE_CHECKING:
    from healthlint.article import Article
    from healthlint.plugins import PluginManager
    from healthlint.storage.results import ResultCache

#: Runs with at least this many articles show a progress bar (on a terminal only).
PROGRESS_MIN_ARTICLES = 20
INVALID_SLUG = ("HL020", "invalid-slug")

Progress = Callable[[int, str], contextlib.AbstractContextManager[Callable[[int], None]]]


@dataclass
class PublishRun:
    """The result of one ``healthlint publish``."""

    report: Report
    publication: Publication
    #: (publisher name, what it did), in order; empty when nothing was published.
    outcomes: list[tuple[str, PublishOutcome]] = field(default_factory=list)
    #: False when ``strict`` stopped the run because articles were withheld.
    published: bool = True
    notices: list[str] = field(default_factory=list)
    #: Where the first publisher that can say would have put each article (by slug), when ``strict`` stopped the run.
    planned: dict[str, str] = field(default_factory=dict)
    #: Every article checked, with the text its result was computed from (for ``--report``).
    checked: list[tuple[ArticleResult, Article | None]] = field(default_factory=list, repr=False)


@contextlib.contextmanager
def _no_progress(length: int, label: str) -> Iterator[Callable[[int], None]]:
    yield lambda n: None


def publish(
    config: Config,
    pm: PluginManager,
    files: Sequence[tuple[str, Path]],
    *,
    out: Path,
    targets: Sequence[str] = (),
    publishers: Sequence[str] | None = None,
    dry_run: bool = False,
    strict: bool = False,
    progress: Progress = _no_progress,
    cache: ResultCache | Callable[[], ResultCache] | None = None,
    jobs: int = 1,
) -> PublishRun:
    """Check ``files`` and publish the articles that pass with each publisher.

    :param out: the output folder (``--out``).
    :param targets: the paths given to check (files and folders); ``--out`` may not be among or inside them.
    :param publishers: publisher names (default: ``publish.publishers`` of the config).
    :param strict: publish nothing when any article is withheld.
    :param cache: the result cache, as ``healthlint check`` uses it; or a function that opens it, called only once
        the destination and publishers are accepted (a refused run leaves no cache folder behind).
    :param jobs: worker processes for checking.
    :raises UsageError: for a bad destination, unknown publisher, duplicate slugs, or no articles.
    """
    if not files:
        shown = ", ".join(targets) or "the configured paths"
        raise UsageError(f"no articles found in {shown}; nothing to publish")
    notices: list[str] = []
    context = PublishContext(
        config=config,
        # Symbolic links are resolved: the real folder is the one replaced.
        out=Path(os.path.realpath(out)),
        sources=tuple(Path(os.path.abspath(t)) for t in targets),
        dry_run=dry_run,
        notice=notices.append,
    )
    chosen = _publishers(pm, list(publishers or config.publish.publishers), context)
    for publisher in chosen:
        _call(publisher, publisher.prepare)

    if callable(cache):
        cache = cache()
    report, pairs = _check(config, pm, files, progress, cache, jobs)
    with progress(len(pairs), "Rendering") as advance:
        publication = _publication(config, pairs, advance)
    run = PublishRun(report, publication, notices=notices, checked=pairs)
    if strict and publication.withheld:
        run.published = False
        # A published run shows the first page a publisher names; a stopped one, the first a publisher would name.
        for publisher in chosen:
            planned = _call(publisher, functools.partial(publisher.page_paths, publication))
            for slug, where in dict(planned or {}).items():
                if where:
                    run.planned.setdefault(slug, where)
        return run
    for publisher in chosen:
        with progress(len(publication.articles), f"Publishing ({publisher.name})") as advance:
            context.progress = advance
            outcome = _call(publisher, functools.partial(publisher.publish, publication))
        if not isinstance(outcome, PublishOutcome):
            raise TypeError(f"publisher {publisher.name!r} returned {type(outcome).__name__}, not a PublishOutcome")
        run.outcomes.append((publisher.name, outcome))
    return run


def _publishers(pm: PluginManager, names: list[str], context: PublishContext) -> list[Publisher]:
    available: dict[str, type[Publisher]] = getattr(pm, "publishers", {})
    out = []
    for name in dict.fromkeys(names):
        cls = available.get(name)
        if cls is None:
            known = ", ".join(sorted(available)) or "none"
            raise UsageError(f"unknown publisher {name!r} (available: {known}; see 'healthlint plugins')")
        out.append(cls(context))
    return out


def _call(publisher: Publisher, function: Callable[[], Any]) -> Any:
    """Run a publisher method; a plugin's bug becomes an error that names it."""
    try:
        return function()
    except (UsageError, KeyboardInterrupt):
        raise
    except OSError as exc:  # no permission, disk full, a read-only file system: the user's to fix
        where = f": {exc.filename}" if exc.filename else ""
        raise UsageError(f"publisher {publisher.name!r} could not write{where}: {exc.strerror or exc}") from exc
    except (Exception, SystemExit) as exc:  # sys.exit in a publisher must not end the run as if it passed
        raise RuntimeError(f"publisher {publisher.name!r} failed: {type(exc).__name__}: {exc}") from exc


def _check(
    config: Config,
    pm: PluginManager,
    files: Sequence[tuple[str, Path]],
    progress: Progress,
    cache: ResultCache | None,
    jobs: int,
) -> tuple[Report, list[tuple[ArticleResult, Article | None]]]:
    """Check every file as ``healthlint check`` does, keeping the article parsed from the bytes checked."""
    pairs: list[tuple[ArticleResult, Article | None]] = []
    with Driver(config, pm, cache=cache, jobs=jobs) as driver, progress(len(files), "Checking") as advance:
        for pair in driver.check_articles(files):
            pairs.append(pair)
            advance(1)
        report = driver.finish([result for result, _ in pairs])
    return report, pairs


def _publication(
    config: Config,
    pairs: list[tuple[ArticleResult, Article | None]],
    advance: Callable[[int], None] = lambda n: None,
) -> Publication:
    """The gate: only articles whose result passed (and that have a safe slug) become PublishedArticles."""
    from healthlint.publish.render import build_article
    from healthlint.publish.slugs import article_slug, slug_line

    settings = config.publish
    trusted = config.trusted()
    published: list[PublishedArticle] = []
    withheld: list[WithheldArticle] = []
    for result, article in pairs:
        advance(1)
        blocking = [f for f in result.findings if f.severity >= config.fail_on]
        if article is None:  # unreadable: nothing to publish, whatever the severity of HL001
            withheld.append(WithheldArticle(result.path, codes_of(result.findings or blocking), tuple(blocking)))
            continue
        slug, problem = article_slug(article)
        if problem is not None and not any(f.code == INVALID_SLUG[0] for f in blocking):
            line = slug_line(article) if problem.in_front_matter else 1
            blocking.append(
                Finding(
                    path=result.path,
                    line=line,
                    column=1,
                    end_line=line,
                    end_column=2,
                    code=INVALID_SLUG[0],
                    name=INVALID_SLUG[1],
                    severity=Severity.ERROR,
                    message=problem.message,
                    suggestion=problem.suggestion,
                    plugin="site",
                )
            )
        if result.passed and slug is not None and not blocking:
            published.append(build_article(article, slug, result.metrics, trusted))
        else:
            withheld.append(WithheldArticle(result.path, codes_of(blocking), tuple(blocking)))
    _refuse_duplicate_slugs(published)
    site = SiteInfo(
        title=settings.title,
        base_url=settings.base_url,
        disclaimer=settings.disclaimer,
        language=settings.language,
        allowed_domains=trusted,
    )
    return Publication(tuple(published), tuple(withheld), site)


def _refuse_duplicate_slugs(articles: Sequence[PublishedArticle]) -> None:
    by_slug: dict[str, list[str]] = {}
    for article in articles:
        by_slug.setdefault(article.slug, []).append(article.source)
    clashes = {slug: sources for slug, sources in by_slug.items() if len(sources) > 1}
    if clashes:
        slug, sources = sorted(clashes.items())[0]
        # Three names say enough: 300 copies of one article made a message of 300 paths on one line.
        named = " and ".join(sources[:3]) + (f" and {len(sources) - 3} more articles" if len(sources) > 3 else "")
        more = f" (and {len(clashes) - 1} more slugs)" if len(clashes) > 1 else ""
        raise UsageError(
            f"slug {slug!r} is used by {named}{more}; give each article its own"
            " 'slug:' in front matter. Nothing was published"
        )


# -- The command -------------------------------------------------------------------------------


def command(
    config: Config,
    pm: PluginManager,
    files: Sequence[tuple[str, Path]],
    *,
    targets: Sequence[str],
    out: Path | None,
    publishers: Sequence[str],
    dry_run: bool,
    strict: bool,
    progress: bool | None,
    cache: Callable[[], ResultCache] | None = None,
    jobs: int = 1,
    report: Path | None = None,
) -> int:
    """Run ``healthlint publish`` and print what happened; returns the exit code.

    :param cache: opens the result cache (once the destination is accepted); it is closed here.
    :param report: where to write the HTML report of the withheld articles (not with ``dry_run``).
    """
    if out is None:
        configured = Path(config.publish.out_dir)
        out = configured if configured.is_absolute() else config.root / configured
    if report is not None and Path(os.path.realpath(report)).is_relative_to(os.path.realpath(out)):
        raise UsageError(f"--report {report} is inside the site folder {out}; write it beside the site")
    if report is not None and not dry_run:
        from healthlint.storage.atomic import check_writable

        check_writable(report)  # exit 2 says nothing was written: know now, not after the site is swapped in
    show_progress = progress if progress is not None else sys.stderr.isatty()
    color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    opened: list[ResultCache] = []

    with _terminate_as_interrupt(), contextlib.ExitStack() as stack:

        def open_cache() -> ResultCache:
            assert cache is not None
            opened.append(cache())
            stack.callback(opened[-1].close)
            return opened[-1]

        run = publish(
            config,
            pm,
            files,
            out=out,
            targets=targets,
            publishers=publishers or None,
            dry_run=dry_run,
            strict=strict,
            progress=_progress_bar if show_progress else _no_progress,
            cache=open_cache if cache is not None else None,
            jobs=jobs,
        )
    for each in opened:
        if each.warning:
            click.echo(f"healthlint: warning: {each.warning}", err=True)
    _print_run(run, dry_run=dry_run, strict=strict, color=color)
    if report is not None and not dry_run:
        from healthlint.publish.report import write_withheld_report

        withheld, title = run.publication.withheld, config.publish.title
        write_withheld_report(report, withheld, run.checked, pm.rules, site_title=title, notices=run.report.notices)
        click.echo(f"Report of the {len(run.publication.withheld)} withheld written to {report}.")
    return ExitCode.GATE_FAILED if not run.published else ExitCode.OK


@contextlib.contextmanager
def _progress_bar(length: int, label: str) -> Iterator[Callable[[int], None]]:
    if length < PROGRESS_MIN_ARTICLES:
        yield lambda n: None
        return
    with click.progressbar(length=length, label=label, file=sys.stderr) as bar:
        yield bar.update


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C while publishing, so temporary files are cleaned up."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _print_run(run: PublishRun, *, dry_run: bool, strict: bool, color: bool) -> None:
    def style(text: str, **kwargs: Any) -> str:
        return click.style(text, **kwargs) if color else text

    echo = click.echo
    verb = "would publish" if dry_run or not run.published else "published"
    for article in sorted(run.publication.articles, key=lambda a: a.source):
        # The first publisher that names the article's page (or would have, when --strict stopped the run); when
        # none does, its slug, labelled, not shown as if it were a path.
        pages = [outcome.pages for _, outcome in run.outcomes] or [run.planned]
        where = next((p[article.slug] for p in pages if p.get(article.slug)), None)
        target = f"-> {where}" if where else f"(slug {article.slug})"
        echo(f"{style(f'{verb:<9}', fg='green', bold=True)}  {article.source} {target}")
    for item in sorted(run.publication.withheld, key=lambda w: w.source):
        echo(f"{style('withheld ', fg='red', bold=True)}  {item.source}: {', '.join(item.reasons()) or 'unreadable'}")
    for _, outcome in run.outcomes:
        for path in outcome.removed:
            echo(f"{style('removed  ', fg='yellow')}  {path} (no longer published)")
        for path in outcome.kept:
            echo(f"{style('kept     ', dim=True)}  {path} (not made by healthlint)")
        for note in outcome.notes:
            echo(f"{style('note:', fg='magenta', bold=True)} {note}")
    for note in run.notices:
        echo(f"{style('note:', fg='magenta', bold=True)} {note}")
    for notice in run.report.notices:
        echo(f"{style('notice:', fg='magenta', bold=True)} {notice.code} {notice.message}")

    total = len(run.publication.articles) + len(run.publication.withheld)
    count = f"{len(run.publication.articles)} of {total} article{'' if total == 1 else 's'}"
    withheld = len(run.publication.withheld)
    if not run.published:
        summary = f"Nothing published: --strict and {withheld} withheld ({count} pass)."
        echo(style(summary, fg="red", bold=True))
    else:
        places = ", ".join(outcome.location for _, outcome in run.outcomes)
        held = f"; {withheld} withheld" if withheld else ""
        if dry_run:
            summary = f"Dry run: would publish {count} to {places}{held}. Nothing was written."
        else:
            summary = f"Published {count} to {places}{held}."
        echo(style(summary, fg="yellow" if withheld else "green", bold=True))
    if withheld:
        echo("Run 'healthlint check' on the withheld articles to see each finding.")
