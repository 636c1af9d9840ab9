"""Built-in publisher ``site``: the passing articles as a static HTML site in a folder, swapped in atomically.

Also registers HL020 ``invalid-slug``, so ``healthlint check`` already reports a slug that
``healthlint publish`` would refuse. Heavy libraries (Jinja2, nh3, markdown-it) are imported
only when a site is actually written.
"""

from __future__ import annotations

import datetime
import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from healthlint import Hit, Rule, Severity, __version__, hookimpl
from healthlint.article import Article
from healthlint.config import UsageError
from healthlint.publish import Publisher
from healthlint.rules import RuleContext

if TYPE_CHECKING:
    import jinja2

    from healthlint.publish.atomic import Existing
    from healthlint.publish.model import ArticleDate, Publication, PublishedArticle, PublishOutcome
    from healthlint.text.domains import DomainSet

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MANIFEST_VERSION = 1


# -- HL020 -------------------------------------------------------------------------------------


def check_invalid_slug(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    from healthlint.publish.slugs import article_slug, slug_line

    _, problem = article_slug(article)
    if problem is not None:
        line = slug_line(article) if problem.in_front_matter else 1
        yield article.line_hit(line, problem.message, suggestion=problem.suggestion)


INVALID_SLUG = Rule(
    code="HL020",
    name="invalid-slug",
    summary="The article's slug (its page name) is unsafe or unusable",
    severity=Severity.ERROR,
    check=check_invalid_slug,
    doc="""
## What it flags
A front matter `slug` that is not one plain name of lowercase letters, digits, `-` and
`_` (at most 100 characters): a path such as `../../x` or `/etc/x`, capitals, spaces or
other characters, or the reserved `index`. Without a `slug`, the file name is used (lower
case, spaces and dots become hyphens), and a file name that still does not make a valid
slug is flagged the same way.

## Why it matters
The slug becomes the page's file name in the published site. `healthlint publish` never
rewrites a slug you wrote and never writes outside its output folder, so an article with
a bad slug is withheld. This rule tells you before you publish.

## Example
```markdown
---
title: Back pain and massage
slug: ../../back-pain
---
```

## Instead
```markdown
---
title: Back pain and massage
slug: back-pain-massage
---
```

## Options
None. `healthlint publish` withholds an article with an unusable slug even when this
rule is ignored.
""",
)


@hookimpl
def healthlint_register_rules(register: Callable[[Rule], None]) -> None:
    register(INVALID_SLUG)


@hookimpl
def healthlint_register_publishers(register: Callable[[type[Publisher]], None]) -> None:
    register(SitePublisher)


# -- The publisher -------------------------------------------------------------------------------


class SitePublisher(Publisher):
    """Writes ``<slug>.html`` per article, ``index.html``, ``sitemap.xml`` and ``manifest.json`` into ``--out``."""

    name = "site"
    description = "a static HTML site in the --out folder (pages, index, sitemap, manifest)"

    @property
    def out(self) -> Path:
        return self.context.out

    def shown(self, path: Path | None = None) -> str:
        """A path as the user should see it: relative to the current folder when below it."""
        path = path or self.out
        try:
            rel = os.path.relpath(path)
        except ValueError:
            return str(path)
        return str(path) if rel.startswith("..") else rel

    # -- Before checking -----------------------------------------------------------------

    def prepare(self) -> None:
        check_destination(self.out, self.context.config, self.context.sources, self.shown)
        self.templates_dir()
        from healthlint.publish.atomic import scan

        scan(self.out)

    def templates_dir(self) -> Path | None:
        setting = self.context.config.publish.templates
        if setting is None:
            return None
        path = Path(setting)
        path = path if path.is_absolute() else self.context.config.root / path
        if not path.is_dir():
            where = self.context.config.source or "config"
            raise UsageError(f"{where}: publish.templates: {setting!r} is not a folder")
        return path

    def page_paths(self, publication: Publication) -> dict[str, str]:
        """Where each passing article's page goes, as shown to the user (also when ``--strict`` stops the run)."""
        return {a.slug: os.path.join(self.shown(), page_file(a.slug)) for a in publication.articles}

    # -- Publishing ----------------------------------------------------------------------

    def publish(self, publication: Publication) -> PublishOutcome:
        from healthlint.publish import atomic

        articles = sorted(publication.articles, key=_index_order)
        pages = {a.slug: page_file(a.slug) for a in articles}
        files = [*pages.values(), "index.html", "sitemap.xml"]
        renderer = _Renderer(self.templates_dir(), publication, pages)
        notes: list[str] = []
        if publication.site.base_url is None:
            notes.append("sitemap.xml has relative URLs; set publish.base-url so search engines can use it")

        if self.context.dry_run:
            existing = atomic.scan(self.out)
            _refuse_conflicts(existing, files, self.out, self.shown)
            for article in articles:
                renderer.page(article)
                self.context.progress(1)
            renderer.index()
            return self._outcome(publication, pages, files, existing, notes)

        parent = self.out.parent
        parent.mkdir(parents=True, exist_ok=True)
        with atomic.locked(parent):
            notes += atomic.recover(self.out)
            existing = atomic.scan(self.out)
            _refuse_conflicts(existing, files, self.out, self.shown)
            tree = atomic.new_tree(self.out)
            swapped = False
            try:
                hashes: dict[str, str] = {}

                def write(rel: str, data: bytes) -> None:
                    atomic.write_file(tree, rel, data)
                    hashes[rel] = atomic.file_hash(data)

                for article in articles:
                    write(pages[article.slug], renderer.page(article))
                    self.context.progress(1)
                write("index.html", renderer.index())
                write("sitemap.xml", renderer.sitemap(articles))
                atomic.carry_over(self.out, tree, existing.foreign)
                atomic.write_file(tree, atomic.MANIFEST, renderer.manifest(articles, sorted(files), hashes))
                replaced = atomic.swap_in(tree, self.out)
                swapped = True
            finally:
                if not swapped:
                    atomic.discard(tree, self.out)
            if replaced is not None:
                kept = atomic.discard(replaced, self.out)
                if kept:
                    notes.append(
                        f"kept {self.shown(replaced)}: files appeared in {self.shown()} while publishing"
                        f" ({', '.join(kept[:5])}); move them back by hand"
                    )
        return self._outcome(publication, pages, files, existing, notes)

    def _outcome(
        self,
        publication: Publication,
        pages: dict[str, str],
        files: list[str],
        existing: Existing,
        notes: list[str],
    ) -> PublishOutcome:
        from healthlint.publish.model import PublishOutcome

        removed = sorted(existing.ours - set(files))
        return PublishOutcome(
            location=self.shown() + os.sep,
            pages={slug: os.path.join(self.shown(), page) for slug, page in pages.items()},
            written=(*sorted(files), "manifest.json"),
            removed=tuple(os.path.join(self.shown(), rel) for rel in removed),
            kept=tuple(os.path.join(self.shown(), rel) for rel in existing.foreign),
            notes=tuple(notes),
        )


def page_file(slug: str) -> str:
    """The file an article's page is written to, relative to the site folder."""
    return f"{slug}.html"


def _index_order(article: PublishedArticle) -> tuple[int, int, str, str]:
    """Newest first; undated articles after dated ones; then by title."""
    value = article.published.value if article.published else None
    return (
        (0, -value.toordinal(), article.title.casefold(), article.slug)
        if value
        else (1, 0, article.title.casefold(), article.slug)
    )


def _refuse_conflicts(existing: Existing, files: Sequence[str], out: Path, shown: Callable[..., str]) -> None:
    for rel in existing.foreign:
        clash = next((f for f in files if rel.rstrip("/") == f or rel.startswith(f + "/")), None)
        if clash is None:
            continue
        if rel in existing.unproven:
            raise UsageError(
                f"{shown(out / rel)}: the manifest lists it without a content hash (written by an older"
                f" healthlint, or edited), so nothing proves healthlint wrote it, and the new site needs {clash!r};"
                " if it is healthlint's, delete it (or the whole folder) and publish again"
            )
        raise UsageError(
            f"{shown(out / rel)}: exists and was not written by healthlint, and the new site needs"
            f" {clash!r}; move it away (or change the slug) and publish again"
        )


def check_destination(out: Path, config: Any, sources: Sequence[Path], shown: Callable[..., str]) -> None:
    """Refuse an output folder that would swallow the project, the articles or the current folder.

    :raises UsageError: with a message naming the folder.
    """
    real = Path(os.path.realpath(out))
    root = Path(os.path.realpath(config.root))
    cwd = Path(os.path.realpath(Path.cwd()))
    here = shown(out)
    if real == root or real in root.parents:
        raise UsageError(f"--out {here}: is the project folder or contains it; publish into a folder of its own")
    if real == cwd or real in cwd.parents:
        raise UsageError(f"--out {here}: is the current folder or contains it; publish into a folder of its own")
    checked = [Path(os.path.realpath(p)) for p in sources]
    for configured in config.paths:
        candidate = Path(configured) if Path(configured).is_absolute() else config.root / configured
        if candidate.is_dir():
            checked.append(Path(os.path.realpath(candidate)))
    for path in checked:
        if path == real or (path in real.parents and path.is_dir()):
            raise UsageError(f"--out {here}: is inside the articles folder {shown(path)}; publish outside the articles")
        if real in path.parents:
            raise UsageError(
                f"--out {here}: contains articles ({shown(path)}); publishing replaces that folder as a whole"
            )
    if os.path.lexists(real) and not real.is_dir():
        raise UsageError(f"--out {here}: exists and is not a folder")
    if real.is_dir() and real.stat().st_dev != real.parent.stat().st_dev:
        raise UsageError(
            f"--out {here}: is a mount point; the site is built beside it and swapped in,"
            " so give a folder inside it instead"
        )


# -- Rendering ----------------------------------------------------------------------------------


class _Renderer:
    """Jinja2 templates (the site's own folder first, then the built-in ones) and the fixed-format files."""

    def __init__(self, templates: Path | None, publication: Publication, pages: dict[str, str]) -> None:
        self.templates = templates
        self.publication = publication
        self.site = publication.site
        self.pages = pages
        self.env = _environment(templates, publication.site.allowed_domains)

    def url(self, page: str) -> str | None:
        return self.site.base_url + page if self.site.base_url else None

    def _render(self, name: str, **context: Any) -> bytes:
        import jinja2

        try:
            template = self.env.get_template(name)
            text = template.render(site=self.site, pages=self.pages, **context)
        except jinja2.TemplateSyntaxError as exc:
            where = exc.filename or exc.name or name
            raise UsageError(f"{where}:{exc.lineno}: template error: {exc.message}") from None
        except jinja2.TemplateError as exc:
            where = self._template_path(name)
            raise UsageError(f"{where}: template error: {exc.message or exc}") from None
        return text.encode("utf-8")

    def _template_path(self, name: str) -> str:
        if self.templates is not None and (self.templates / name).is_file():
            return str(self.templates / name)
        return f"built-in template {name}"

    def page(self, article: PublishedArticle) -> bytes:
        return self._render("article.html", article=article, canonical=self.url(self.pages[article.slug]))

    def index(self) -> bytes:
        articles = sorted(self.publication.articles, key=_index_order)
        return self._render("index.html", articles=articles, canonical=self.url(""))

    def sitemap(self, articles: Sequence[PublishedArticle]) -> bytes:
        from xml.sax.saxutils import escape

        lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{SITEMAP_NS}">']
        lines.append(f"  <url><loc>{escape(self.url('') or 'index.html')}</loc></url>")
        for article in articles:
            page = self.pages[article.slug]
            entry = f"  <url><loc>{escape(self.url(page) or page)}</loc>"
            modified = article.last_modified
            if modified is not None and modified.iso:
                entry += f"<lastmod>{modified.iso}</lastmod>"
            lines.append(entry + "</url>")
        lines.append("</urlset>")
        return ("\n".join(lines) + "\n").encode("utf-8")

    def manifest(self, articles: Sequence[PublishedArticle], files: list[str], hashes: dict[str, str]) -> bytes:
        from healthlint.publish.atomic import GENERATOR
        from healthlint.publish.model import thaw

        data = {
            "generator": GENERATOR,
            "healthlint": __version__,
            "manifest_version": MANIFEST_VERSION,
            "site": {"title": self.site.title, "base_url": self.site.base_url},
            "published": [
                {
                    "source": a.source,
                    "slug": a.slug,
                    "path": self.pages[a.slug],
                    "url": self.url(self.pages[a.slug]) or self.pages[a.slug],
                    "title": a.title,
                    "content_hash": a.content_hash,
                    "metrics": thaw(a.metrics),
                }
                for a in sorted(articles, key=lambda a: a.source)
            ],
            "withheld": [
                {"source": w.source, "codes": list(w.codes)}
                for w in sorted(self.publication.withheld, key=lambda w: w.source)
            ],
            "files": files,
            "file_hashes": dict(sorted(hashes.items())),
        }
        return (json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n").encode("utf-8")


def _environment(templates: Path | None, allowed_domains: DomainSet | Sequence[str]) -> jinja2.Environment:
    import jinja2

    from healthlint.publish.render import is_outbound

    builtin = jinja2.PackageLoader("healthlint", "templates")
    loaders: list[jinja2.BaseLoader] = []
    if templates is not None:
        loaders.append(jinja2.FileSystemLoader(templates))
    # "healthlint/base.html" always names the built-in template, so a site's own can extend it.
    loaders += [builtin, jinja2.PrefixLoader({"healthlint": builtin})]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["healthlint_version"] = __version__
    env.globals["is_outbound"] = lambda url: is_outbound(str(url), allowed_domains)
    env.filters["paragraphs"] = _paragraphs
    env.filters["date_tag"] = _date_tag
    env.filters["human_date"] = _human_date
    return env


def _paragraphs(text: str) -> list[str]:
    """Text split at blank lines, white space folded."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", str(text)) if p.strip()]


def _human_date(value: ArticleDate | datetime.date | None) -> str:
    """``3 March 2024`` (English month names), or the text as written when it is not an ISO date."""
    if value is None:
        return ""
    from healthlint.publish.model import ArticleDate

    day = value.value if isinstance(value, ArticleDate) else value
    if day is None:
        return str(value)
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _date_tag(value: ArticleDate | None) -> Any:
    """A ``<time>`` element for an ISO date; the escaped text otherwise."""
    from markupsafe import Markup, escape

    if value is None:
        return Markup("")
    if value.iso:
        return Markup('<time datetime="{}">{}</time>').format(value.iso, _human_date(value))
    return escape(str(value))


_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
