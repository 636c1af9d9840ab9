"""Turning a checked article into a :class:`PublishedArticle`: sanitized HTML and front matter.

Markdown is rendered with markdown-it-py (CommonMark, tables, strikethrough); raw HTML in
it is kept only as far as an allowlist sanitizer (nh3) lets it through: no scripts, styles,
event handlers, forms, frames, ids or classes, and links only to http, https, mailto and
tel URLs. Plain text becomes one escaped paragraph per line (a hard-wrapped sentence's lines make
one). Then every link to a domain that is not allowed gets ``rel="nofollow noopener"``.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from healthlint.publish.model import ArticleDate, PublishedArticle, Source, freeze
from healthlint.text.domains import DomainSet

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

    from healthlint.article import Article

#: Tags kept from an article's HTML (nh3's defaults less obsolete, layout and image-map tags).
ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
        "data", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre",
        "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table",
        "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES: Mapping[str, frozenset[str]] = {
    "*": frozenset({"lang", "title"}),
    "a": frozenset({"href", "hreflang"}),
    "img": frozenset({"alt", "src", "width", "height"}),
    "td": frozenset({"colspan", "rowspan", "headers", "style"}),
    "th": frozenset({"colspan", "rowspan", "headers", "scope", "style"}),
    "ol": frozenset({"start", "reversed"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
    "time": frozenset({"datetime"}),
    "data": frozenset({"value"}),
    "bdo": frozenset({"dir"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
}
#: Removed together with their content (not just the tags).
CLEAN_CONTENT_TAGS = frozenset({"script", "style", "template", "iframe", "object", "embed", "noscript", "textarea"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
EXTERNAL_REL = "nofollow noopener"
SUMMARY_LENGTH = 200
SUMMARY_MIN_WORDS = 12
TITLE_LENGTH = 80

_A_TAG_RE = re.compile(r"<a\b([^>]*)>")
#: An image needs alt text to be valid HTML; an empty one marks it as decorative.
_IMG_WITHOUT_ALT_RE = re.compile(r"<img\b((?:(?!\salt=)[^>])*)>")
_HREF_RE = re.compile(r'\shref="([^"]*)"')
_SPACE_RE = re.compile(r"\s+")
_PARA_RE = re.compile(r"<(?:p|li)>(.*?)</(?:p|li)>", re.DOTALL)
_TAG_RE = re.compile(r"<[^>]*>")


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True, "typographer": False}).enable(["table", "strikethrough"])


# -- HTML ------------------------------------------------------------------------------------


def sanitize(fragment: str, allowed_domains: DomainSet | Iterable[str] = ()) -> str:
    """Clean an HTML fragment with the allowlist above, then mark outbound links."""
    import nh3

    cleaned = nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
        filter_style_properties={"text-align"},
        attribute_filter=_safe_attribute,
    )
    return _IMG_WITHOUT_ALT_RE.sub(r'<img alt=""\1>', mark_outbound_links(cleaned, allowed_domains))


#: Attributes whose value is a URL. nh3 checks the scheme of some (``href``, ``src``) but not
#: all: ``cite`` kept ``javascript:``.
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "longdesc", "action", "formaction", "poster", "background"})
#: What browsers ignore before and inside a scheme (``java\tscript:``, a leading space or NUL).
_IGNORED_IN_SCHEME_RE = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


#: The one style kept (table cell alignment), and only with a plain keyword: CSS escapes and
#: functions (``expression(``, ``url(``) never pass.
_TEXT_ALIGN_RE = re.compile(r"\s*text-align\s*:\s*(left|right|center|justify|start|end)\s*", re.IGNORECASE)


def _safe_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Drop a URL-valued attribute whose scheme is not one of :data:`URL_SCHEMES`, and any style
    but a plain ``text-align``."""
    if attribute == "style":
        aligns = [m.group(1).lower() for part in value.split(";") if (m := _TEXT_ALIGN_RE.fullmatch(part))]
        return f"text-align:{aligns[-1]}" if aligns else None
    if attribute not in URL_ATTRIBUTES:
        return value
    scheme = _SCHEME_RE.match(_IGNORED_IN_SCHEME_RE.sub("", value))
    return value if scheme is None or scheme.group(1).lower() in URL_SCHEMES else None


def mark_outbound_links(fragment: str, allowed_domains: DomainSet | Iterable[str] = ()) -> str:
    """Add ``rel="nofollow noopener"`` to links that leave the site for a domain not allowed.

    Expects sanitized HTML (nh3 writes attributes double-quoted with ``<``, ``>`` and ``"``
    escaped, and drops any ``rel`` of the author's).
    """
    allowed = _domains(allowed_domains)

    def repl(m: re.Match[str]) -> str:
        attrs = m.group(1)
        href = _HREF_RE.search(attrs)
        if href and is_outbound(html.unescape(href.group(1)), allowed):
            return f'<a{attrs} rel="{EXTERNAL_REL}">'
        return m.group(0)

    return _A_TAG_RE.sub(repl, fragment)


def is_outbound(url: str, allowed_domains: DomainSet | Iterable[str] = ()) -> bool:
    """Whether a link leaves the site for a host outside the allowed domains (and their subdomains)."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:  # malformed (an unclosed IPv6 bracket, say): treat as outbound
        return True
    if parts.scheme and parts.scheme.lower() not in ("http", "https"):
        return False  # mailto:, tel:
    if not host:
        return bool(parts.scheme)  # "https:foo" is odd enough to mark; a relative link is not outbound
    return host not in _domains(allowed_domains)


def _domains(domains: DomainSet | Iterable[str]) -> DomainSet:
    return domains if isinstance(domains, DomainSet) else DomainSet.of(tuple(domains))


def render_markdown(article: Article, title: str) -> str:
    """The body of a Markdown article as (unsanitized) HTML, without a leading H1 that repeats the title."""
    md = _markdown()
    start = article.meta_lines[1] if article.meta_lines else 0
    body = "\n".join(article.lines[start:])
    env: dict[str, Any] = {}
    tokens = md.parse(body, env)
    first = article.blocks[0] if article.blocks else None
    if (
        len(tokens) >= 3
        and tokens[0].type == "heading_open"
        and tokens[0].tag == "h1"
        and first is not None
        and first.kind == "heading"
        and _fold(first.text) == _fold(title)
    ):
        tokens = tokens[3:]
    rendered: str = md.renderer.render(tokens, md.options, env)
    return rendered


def render_text(article: Article, title: str) -> str:
    """A plain-text article: one escaped paragraph per block (a non-empty line, or the lines of a hard-wrapped
    sentence), without a first line that is the title."""
    blocks = list(article.blocks)
    if blocks and _fold(blocks[0].text) == _fold(title):
        blocks = blocks[1:]
    return "".join(f"<p>{html.escape(block.text, quote=False)}</p>\n" for block in blocks)


# -- Front matter ------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip().casefold()


def _plain(value: Any) -> str:
    """A front matter value as one line of text."""
    if isinstance(value, Mapping):
        for key in ("name", "title", "text"):
            if isinstance(value.get(key), str):
                return _SPACE_RE.sub(" ", value[key]).strip()
        return ""
    if value is None or isinstance(value, (list, tuple)):
        return ""
    return _SPACE_RE.sub(" ", str(value)).strip()


def _names(meta: Mapping[str, Any], *keys: str) -> tuple[str, ...]:
    """People from the first key present: a name, a list of names, or mappings with ``name``."""
    for key in keys:
        if key in meta and meta[key] is not None:
            value = meta[key]
            items = value if isinstance(value, (list, tuple)) else [value]
            return tuple(name for name in (_plain(item) for item in items) if name)
    return ()


def _date(meta: Mapping[str, Any], *keys: str) -> ArticleDate | None:
    for key in keys:
        value = meta.get(key)
        if value is None or value == "":
            continue
        if isinstance(value, datetime.datetime):
            return ArticleDate(value.date().isoformat(), value.date())
        if isinstance(value, datetime.date):
            return ArticleDate(value.isoformat(), value)
        text = _plain(value)
        try:
            parsed = datetime.date.fromisoformat(text[:10]) if re.match(r"^\d{4}-\d{2}-\d{2}\b", text) else None
        except ValueError:
            parsed = None
        return ArticleDate(parsed.isoformat() if parsed else text, parsed) if text else None
    return None


def web_url(value: str) -> str | None:
    """The URL if it is an absolute http(s) URL, else None."""
    value = value.strip()
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    return value if parts.scheme.lower() in ("http", "https") and parts.hostname and " " not in value else None


def _sources(meta: Mapping[str, Any]) -> tuple[Source, ...]:
    value = meta.get("sources", meta.get("references"))
    if value is None:
        return ()
    items = value if isinstance(value, (list, tuple)) else [value]
    out = []
    for item in items:
        if isinstance(item, Mapping):
            url = next((str(item[k]) for k in ("url", "link", "href") if isinstance(item.get(k), str)), None)
            url = web_url(url) if url else None
            text = _plain(item) or (url or "")
        else:
            text = _plain(item)
            url = web_url(text)
        if text:
            out.append(Source(text, url))
    return tuple(out)


def _summary(article: Article, body_html: str) -> str:
    """Front matter ``summary``/``description``, else the start of the first real paragraph of the page.

    Taken from the sanitized HTML, so text the sanitizer removed (a script's body) never shows.
    """
    for key in ("summary", "description"):
        value = article.meta.get(key)
        if isinstance(value, str) and value.strip():
            return _SPACE_RE.sub(" ", value).strip()
    candidates = [
        text
        for text in (
            _SPACE_RE.sub(" ", html.unescape(_TAG_RE.sub("", m.group(1)))).strip() for m in _PARA_RE.finditer(body_html)
        )
        if text
    ]
    # A short line first ("Introduction") is more likely a heading of a plain-text article than its gist.
    chosen = next((t for t in candidates if len(t.split()) >= SUMMARY_MIN_WORDS), None)
    chosen = chosen or (candidates[0] if candidates else None)
    return shorten(chosen, SUMMARY_LENGTH) if chosen else ""


def shorten(text: str, width: int) -> str:
    """Cut at a word boundary and add an ellipsis when longer than ``width``."""
    text = _SPACE_RE.sub(" ", text).strip()
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0] if " " in text[: width - 1] else text[: width - 1]
    return cut.rstrip(" ,;:.-") + "…"


def content_hash(text: str) -> str:
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def build_article(
    article: Article, slug: str, metrics: Mapping[str, Any], allowed_domains: DomainSet | Iterable[str] = ()
) -> PublishedArticle:
    """The immutable, rendered form of an article that passed the gate."""
    from markupsafe import Markup

    meta = article.meta
    first = next((b.text for b in article.blocks if b.text.strip()), "")
    title = article.title or (shorten(first, TITLE_LENGTH) if first else slug)
    raw = render_markdown(article, title) if article.kind == "markdown" else render_text(article, title)
    body = sanitize(raw, allowed_domains)
    return PublishedArticle(
        source=article.path,
        slug=slug,
        kind=article.kind,
        title=_SPACE_RE.sub(" ", title).strip(),
        summary=_summary(article, body),
        body_html=Markup(body),
        text=article.text,
        content_hash=content_hash(article.text),
        authors=_names(meta, "author", "authors"),
        reviewers=_names(meta, "reviewer", "reviewers", "reviewed_by", "medical_reviewer"),
        published=_date(meta, "date", "published"),
        updated=_date(meta, "updated", "modified", "last_updated"),
        reviewed=_date(meta, "reviewed", "last_reviewed", "review_date"),
        sources=_sources(meta),
        meta=freeze(meta),
        metrics=freeze(metrics),
        word_count=article.word_count,
    )
