"""Every link of an article in one list: the host's Markdown and bare links, plus ``<a href>`` in raw HTML.

Raw HTML is read with the standard library's :class:`html.parser.HTMLParser`. Markdown keeps
inline HTML tags as separate pieces (``<span style="display:none">``, then Markdown text, then
``</span>``), so the pieces are read in file order by one parser, and the Markdown between them
inherits whatever hides it: a Markdown link inside a hidden ``<div>`` is a hidden link too.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from healthlint import Span, regexcache
from healthlint.article import Article

#: Elements whose content browsers never show.
_NEVER_SHOWN = {"template": "inside <template>", "noscript": "inside <noscript>", "head": "inside <head>"}
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "param"}
)
_HIDING_CLASSES = frozenset(
    {
        "hidden",
        "hide",
        "d-none",
        "invisible",
        "sr-only",
        "visually-hidden",
        "visuallyhidden",
        "screen-reader-text",
        "screen-reader-only",
        "is-hidden",
        "u-hidden",
        "offscreen",
        "off-screen",
    }
)
#: Elements that draw something inside a link without text (icon fonts, inline SVG, form controls).
_ICON_TAGS = frozenset({"svg", "i", "span", "em", "picture", "video", "canvas", "button", "input", "object"})
_LENGTH_RE = regexcache.compile(r"^\s*(-?\d*\.?\d+)\s*(px|pt|em|rem|%|vw|vh|ex|ch|cm|mm|in)?\s*(?:!important)?\s*$")
_PLAIN_HTML_LINK_RE = regexcache.compile(r"<(?:a|area|link)\b[^>]*\bhref\s*=", re.IGNORECASE)
_MD_RESIDUE_RE = regexcache.compile(r"\]\([^)]*\)|[*_`\[\]]")


@dataclass
class LinkInfo:
    """A link found anywhere in the article, located in the file."""

    url: str
    #: Visible anchor text (alt text of an image link).
    text: str
    #: ``inline``, ``reference``, ``autolink``, ``image``, ``bare`` (host) or ``html``.
    kind: str
    span: Span
    #: File offset of the link's first character.
    offset: int
    #: Why a reader cannot see the link (None when visible).
    hidden: str | None = None
    rel: frozenset[str] = field(default_factory=frozenset)
    #: The HTML element (``a``, ``area``, ``link``) for links in raw HTML.
    element: str = ""


def _length(value: str) -> float | None:
    m = _LENGTH_RE.match(value)
    if not m:
        return None
    number = float(m.group(1))
    unit = m.group(2) or "px"
    if unit in ("em", "rem", "ex", "ch"):
        number *= 16
    return number


def _style_hides(style: str) -> str | None:
    """Why an inline style hides its element (None when it does not)."""
    decls: dict[str, str] = {}
    for part in style.split(";"):
        if ":" in part:
            prop, value = part.split(":", 1)
            decls[prop.strip().lower()] = value.strip().lower().replace("!important", "").strip()
    if decls.get("display") == "none":
        return "display:none"
    if decls.get("visibility") in ("hidden", "collapse"):
        return "visibility:hidden"
    opacity = decls.get("opacity")
    if opacity is not None:
        try:
            if float(opacity.rstrip("%")) == 0:
                return "opacity:0"
        except ValueError:
            pass
    size = _length(decls.get("font-size", ""))
    if size is not None and size <= 1:
        return "font-size:0"
    if decls.get("color") == "transparent":
        return "transparent text"
    overflow = decls.get("overflow", "") + decls.get("overflow-x", "") + decls.get("overflow-y", "")
    if "hidden" in overflow or "clip" in overflow:
        for prop in ("width", "height", "max-width", "max-height"):
            length = _length(decls.get(prop, ""))
            if length is not None and length <= 1:
                return f"{prop}:0 with overflow hidden"
    for prop in ("left", "top", "right", "text-indent", "margin-left", "margin-top"):
        length = _length(decls.get(prop, ""))
        if length is not None and length <= -500:
            return f"off-screen ({prop}:{decls[prop]})"
    clip = decls.get("clip", "").replace(" ", "")
    if clip.startswith("rect(0") and decls.get("position") in ("absolute", "fixed"):
        return "clipped to nothing"
    transform = decls.get("transform", "").replace(" ", "")
    if transform.startswith(("scale(0)", "scale(0,", "scalex(0)", "scaley(0)")):
        return "transform:scale(0)"
    return None


def _attrs_hide(tag: str, attrs: dict[str, str]) -> str | None:
    if tag in _NEVER_SHOWN:
        return _NEVER_SHOWN[tag]
    if "hidden" in attrs:
        return "the hidden attribute"
    style = attrs.get("style")
    if style:
        reason = _style_hides(style)
        if reason:
            return reason
    classes = set(attrs.get("class", "").lower().split())
    hiding = classes & _HIDING_CLASSES
    if hiding:
        return f"class {sorted(hiding)[0]!r}"
    if tag == "font" and attrs.get("size", "").strip() in ("0", "-7", "-6", "-5", "-4", "-3"):
        return f"<font size={attrs['size'].strip()}>"
    for prop in ("width", "height"):
        value = attrs.get(prop, "").strip()
        if value in ("0", "0px", "1", "1px") and tag in ("div", "span", "iframe", "img", "p", "a"):
            return f"{prop}={value}"
    return None


class _Anchor:
    __slots__ = ("attrs", "has_image", "hidden", "image_visible", "shows_element", "start", "tag", "text")

    def __init__(self, tag: str, attrs: dict[str, str], start: int, hidden: str | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.start = start
        self.hidden = hidden
        self.text: list[str] = []
        self.has_image = False
        self.image_visible = False
        #: A visible element inside (an icon: <svg>, <i class="fa ...">) gives the link a face.
        self.shows_element = False


class _Scanner(HTMLParser):
    """Finds links in raw HTML fed piece by piece; positions are offsets in the fed "virtual" text."""

    def __init__(self, virtual: str, on_link: _Collector) -> None:
        super().__init__(convert_charrefs=True)
        self.virtual = virtual
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", virtual)]
        #: Open elements, each with why it is hidden (its own reason or its parent's): the reason
        #: of the innermost is then one look-up, however deep unclosed tags nest.
        self.stack: list[tuple[str, str | None]] = []
        self.open_tags: dict[str, int] = {}
        self.anchor: _Anchor | None = None
        self.collector = on_link

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        # CPython raises AssertionError on "<![" without a keyword it knows ("<![@"); browsers
        # read such a section as a bogus comment up to the next ">", and so does this scanner.
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            return self.parse_bogus_comment(i, report)

    # -- positions -------------------------------------------------------------------------
    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[min(line - 1, len(self.line_starts) - 1)] + column

    def hidden_reason(self) -> str | None:
        return self.stack[-1][1] if self.stack else None

    # -- HTMLParser callbacks -------------------------------------------------------------
    def handle_starttag(self, tag: str, attr_list: list[tuple[str, str | None]]) -> None:
        attrs = {k.lower(): (v or "") for k, v in attr_list}
        start = self._offset()
        own = _attrs_hide(tag, attrs)
        if tag == "a":
            if self.anchor is not None:  # <a> cannot nest: the open one ends here
                self._close_anchor(start)
            if "href" in attrs:
                self.anchor = _Anchor(tag, attrs, start, own or self.hidden_reason())
        elif tag in ("area", "link") and "href" in attrs:
            end = start + len(self.get_starttag_text() or "")
            reason = "a <link> element, which shows nothing" if tag == "link" else "an image-map <area>"
            self.collector.html_link(tag, attrs, "", start, end, own or self.hidden_reason() or reason)
        elif tag in _ICON_TAGS and self.anchor is not None and not (own or self.hidden_reason()):
            self.anchor.shows_element = True
        elif tag == "img" and self.anchor is not None:
            self.anchor.has_image = True
            if not (own or self.hidden_reason()):
                self.anchor.image_visible = True
            alt = attrs.get("alt", "").strip()
            if alt:
                self.anchor.text.append(f" {alt} ")
        if tag not in _VOID:
            self.stack.append((tag, own or self.hidden_reason()))
            self.open_tags[tag] = self.open_tags.get(tag, 0) + 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.anchor is not None:
            start = self._offset()
            close = self.virtual.find(">", start)
            self._close_anchor(close + 1 if close >= 0 else start + 4)
        if not self.open_tags.get(tag):
            return  # an end tag nothing opened: searching the stack for it would cost its depth every time
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for closed, _ in self.stack[i:]:
                    self.open_tags[closed] -= 1
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if self.anchor is not None:
            self.anchor.text.append(data)

    def add_markdown_text(self, text: str) -> None:
        """Markdown between two inline HTML pieces: anchor text when an ``<a>`` is open."""
        if self.anchor is not None:
            self.anchor.text.append(_MD_RESIDUE_RE.sub("", text))

    def _close_anchor(self, end: int) -> None:
        anchor, self.anchor = self.anchor, None
        if anchor is None:
            return
        text = " ".join("".join(anchor.text).split())
        hidden = anchor.hidden
        if hidden is None and not text and not anchor.image_visible and not anchor.shows_element:
            hidden = "no visible text" if not anchor.has_image else "an invisible image"
        self.collector.html_link("a", anchor.attrs, text, anchor.start, end, hidden)

    def finish(self) -> None:
        self.close()
        if self.anchor is not None:
            self._close_anchor(len(self.virtual))


class _Collector:
    """Maps the scanner's virtual offsets back to the file and records links."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.links: list[LinkInfo] = []
        self.v_starts: list[int] = []
        self.f_starts: list[int] = []

    def file_offset(self, virtual: int) -> int:
        k = max(bisect.bisect_right(self.v_starts, virtual) - 1, 0)
        return self.f_starts[k] + (virtual - self.v_starts[k]) if self.v_starts else virtual

    def html_link(self, tag: str, attrs: dict[str, str], text: str, start: int, end: int, hidden: str | None) -> None:
        first = self.file_offset(start)
        last = self.file_offset(max(end - 1, start))
        self.links.append(
            LinkInfo(
                url=attrs.get("href", "").strip(),
                text=text or attrs.get("title", "").strip() or attrs.get("aria-label", "").strip(),
                kind="html",
                span=article_span(self.article, first, last + 1),
                offset=first,
                hidden=hidden,
                rel=frozenset(attrs.get("rel", "").lower().split()),
                element=tag,
            )
        )


def article_span(article: Article, start: int, end: int) -> Span:
    """The span of ``article.text[start:end]`` (``end`` past ``start``), in file lines and columns."""
    line, column = article.position(start)
    end_line, end_column = article.position(end - 1)
    return Span(line, column, end_line, end_column + 1)


def _linear(html: str) -> str:
    """``html`` as the standard parser reads in linear time: what it would rescan to the end for, blanked.

    The parser searches the rest of the text again from every ``<!--`` that is never closed and from
    every ``<`` after the last ``>``: quadratic on ``<!-- c`` repeated. An unclosed comment runs
    to the end (as in browsers) and such a ``<`` starts no tag; blanks keep every offset.
    """
    pos = 0
    while (start := html.find("<!--", pos)) >= 0:
        close = html.find("-->", start + 4)
        if close < 0:
            html = html[:start] + " " * (len(html) - start)
            break
        pos = close + 3
    last = html.rfind(">")
    if html.find("<", last + 1) >= 0:
        html = html[: last + 1] + html[last + 1 :].replace("<", " ")
    return html


def collect_links(article: Article) -> list[LinkInfo]:
    """All links of the article, in file order, with what hides them."""
    collector = _Collector(article)
    # Pieces of raw HTML in file order, with the Markdown text between inline pieces of one paragraph.
    pieces: list[tuple[int, str, bool]] = []  # (file offset, text, is_html)
    if article.kind == "markdown":
        fragments = sorted(article.html, key=lambda f: f.offset)
        for i, fragment in enumerate(fragments):
            if i and fragments[i - 1].inline and fragment.inline:
                prev = fragments[i - 1]
                gap_start = prev.offset + len(prev.html)
                gap = article.text[gap_start : fragment.offset]
                if gap and "\n\n" not in gap and gap_start <= fragment.offset:
                    pieces.append((gap_start, gap, False))
            pieces.append((fragment.offset, fragment.html, True))
    elif _PLAIN_HTML_LINK_RE.search(article.text):
        pieces.append((0, article.text, True))

    hidden_regions: list[tuple[int, int, str]] = []
    if pieces:
        virtual_parts = []
        pos = 0
        for offset, text, _ in pieces:
            collector.v_starts.append(pos)
            collector.f_starts.append(offset)
            virtual_parts.append(text)
            pos += len(text)
        scanner = _Scanner("".join(virtual_parts), collector)
        for index, (offset, text, is_html) in enumerate(pieces):
            if is_html:
                scanner.feed(_linear(text))
            else:
                scanner.add_markdown_text(text)
            reason = scanner.hidden_reason()
            if reason:
                # Until the next piece, the file's Markdown is inside a hidden element.
                region_end = pieces[index + 1][0] if index + 1 < len(pieces) else len(article.text)
                hidden_regions.append((offset + len(text) if is_html else offset, region_end, reason))
        scanner.finish()

    links = list(collector.links)
    for link in article.links:
        offset = article.offset_of(link.span.line, link.span.column)
        hidden = next((r for start, end, r in hidden_regions if start <= offset < end), None)
        links.append(LinkInfo(link.url, link.text, link.kind, link.span, offset, hidden))
    links.sort(key=lambda link: link.offset)
    return links
