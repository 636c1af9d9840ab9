"""One pass over an article for all HL5xx rules: every rule reports its share of the hits."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from healthlint import Fix, Hit, Span, regexcache
from healthlint.article import Article, Block
from healthlint.families.links import policy as pol
from healthlint.families.links.extract import LinkInfo, article_span, collect_links
from healthlint.families.links.footer import find_footer, find_residue, may_hold_footer
from healthlint.families.links.text import foreign_run, main_script, same_family
from healthlint.text.domains import DomainSet
from healthlint.text.pagelines import StrayBlock, page_lines

T = TypeVar("T")
_LINK_RULES = (
    "unsafe-link-scheme",
    "hidden-link",
    "denied-link-domain",
    "commercial-spam-link",
    "misleading-link",
    "foreign-script-anchor",
    "url-shortener",
    "paid-link",
    "tracking-parameters",
    "unlisted-link-domain",
    "link-density",
)
_SENTENCE_RULES = ("spam-footer", "link-residue")
#: Reasons that only matter for links that leave the page (an empty in-page ``<a href="#top">`` is harmless).
_EMPTY_REASONS = frozenset({"no visible text", "an invisible image"})
_STRAY_RULES = ("teaser-title-block", "off-topic-teaser")

#: Markdown links that markdown-it refuses to render (``[x](javascript:...)``) stay as text.
_MD_UNSAFE_TEXT_RE = regexcache.compile(
    r"\[[^\]\n]{0,200}\]\(\s*<?\s*(?:javascript|vbscript|livescript|data)\s*:[^)\n]*\)", re.IGNORECASE
)


@dataclass
class Analysis:
    """Hits by rule name, and numbers for the JSON metrics."""

    hits: dict[str, list[Hit]] = field(default_factory=lambda: defaultdict(list))
    metrics: dict[str, Any] = field(default_factory=dict)
    #: A part of the analysis that crashed, by the rule names it serves: those rules re-raise it
    #: (the host reports HL002 for them) while the other rules still report.
    errors: dict[str, Exception] = field(default_factory=dict)
    #: Lines of page chrome (navigation blocks, furniture lines): the chrome family's to report, never spam.
    chrome_lines: set[int] = field(default_factory=set)

    def run(self, names: tuple[str, ...], part: Callable[[], T], default: T) -> T:
        try:
            return part()
        except Exception as exc:  # one broken part must not silence the other rules
            for name in names:
                self.errors[name] = exc
            return default


def _hit(span: Span, message: str, match: str, suggestion: str, fix: Fix | None = None) -> Hit:
    return Hit(span.line, span.column, message, span.end_line, span.end_column, match, suggestion, fix)


def _link_hit(link: LinkInfo, message: str, suggestion: str, match: str | None = None) -> Hit:
    return _hit(link.span, message, match or link.url or link.text, suggestion)


def _whole_lines(article: Article, first: Block, last: Block) -> Span:
    """From the start of ``first``'s line to the end of ``last``'s."""
    return Span(first.line, 1, last.end_line, len(article.lines[last.end_line - 1]) + 1)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def analyse(article: Article, options: Any, trusted: DomainSet) -> Analysis:
    """Every HL5xx hit of the article; ``options`` are the links options, ``trusted`` the run's trusted domains."""
    result = Analysis()
    policy = pol.make_policy(
        trusted,
        tuple(options.deny_domains),
        tuple(options.site_domains),
        tuple(options.shorteners),
        tuple(options.commercial_keywords),
        options.default_deny_domains,
    )
    prose = " ".join(b.text for b in article.blocks)
    script = main_script(prose)
    links: list[LinkInfo] = result.run(_LINK_RULES + _SENTENCE_RULES, lambda: collect_links(article), [])
    outbound = result.run(
        _LINK_RULES, lambda: _check_links(article, links, policy, script, options, result), list[LinkInfo]()
    )
    result.run(("unsafe-link-scheme",), lambda: _check_markdown_text_links(article, result), None)
    result.run(_SENTENCE_RULES, lambda: _check_sentences(article, links, policy, script, result), None)
    stray_lines = result.run(_STRAY_RULES, lambda: _check_stray(article, result), 0)
    result.run(("link-density",), lambda: _check_density(article, outbound, options, result), None)
    result.metrics = {
        "links": len(links),
        "outbound_links": len(outbound),
        "hidden_links": sum(1 for link in links if link.hidden),
        "stray_lines": stray_lines,
    }
    return result


# -- Links --------------------------------------------------------------------------------


def _check_links(
    article: Article, links: list[LinkInfo], policy: pol.Policy, script: str | None, options: Any, result: Analysis
) -> list[LinkInfo]:
    hits = result.hits
    outbound: list[LinkInfo] = []
    for link in links:
        target = pol.parse_target(link.url)
        host = target.host
        where = host or _short(link.url, 40) or "an empty address"
        scheme = pol.unsafe_scheme(target, link.kind)
        if scheme:
            hits["unsafe-link-scheme"].append(
                _link_hit(
                    link,
                    f"{scheme}: link runs code or hides content instead of opening a page",
                    "Remove the link, or link to an ordinary https:// page.",
                )
            )
            continue
        if link.hidden and (target.web or link.hidden not in _EMPTY_REASONS):
            hits["hidden-link"].append(
                _link_hit(
                    link,
                    f"hidden link to {where} ({link.hidden})",
                    "Delete it: links readers cannot see are search-engine spam and get sites penalised.",
                )
            )
        if not target.web:
            continue
        internal = policy.site.match(host) is not None
        allowed = policy.allow.match(host) is not None
        denied = policy.deny.match(host)
        if denied and not internal:
            hits["denied-link-domain"].append(
                _link_hit(
                    link,
                    f"link to {host}, which is on the deny list ({denied})",
                    "Remove the link or replace it with a reputable source.",
                )
            )
        if not internal and not allowed and not denied:
            reason = pol.commercial_reason(host, link.text, policy)
            if reason:
                anchor = f" behind the text {_short(link.text, 40)!r}" if link.text and link.text != link.url else ""
                hits["commercial-spam-link"].append(
                    _link_hit(
                        link,
                        f"commercial spam link to {host}{anchor}: {reason}",
                        "Remove it: a health article does not send readers to casinos, loans, pills or replicas.",
                    )
                )
        _check_misleading(link, target, allowed or internal, hits)
        if script and link.text and link.kind not in ("bare", "autolink") and not (allowed or internal):
            run = foreign_run(link.text, script)
            anchor_script = main_script(link.text)
            if run and len(run) >= 2 and anchor_script and not same_family(anchor_script, script):
                hits["foreign-script-anchor"].append(
                    _link_hit(
                        link,
                        f"link text {_short(link.text, 30)!r} is in {anchor_script} script, the article in {script}",
                        "Injected links often carry keywords in another language; remove it unless the source "
                        "really is in that language (then say so in the text).",
                        match=link.text,
                    )
                )
        if policy.shorteners.match(host) and not allowed:
            hits["url-shortener"].append(
                _link_hit(
                    link,
                    f"shortened link ({host}) hides where it goes",
                    "Replace it with the full address of the page.",
                )
            )
        tracking, affiliate = pol.tracking_and_affiliate(target)
        paid = _paid_reason(link, host, affiliate)
        if paid:
            hits["paid-link"].append(
                _link_hit(
                    link,
                    f"paid link to {host}: {paid}",
                    'Disclose paid links and mark them rel="sponsored", or link to an independent source.',
                )
            )
        if tracking:
            hits["tracking-parameters"].append(_tracking_hit(article, link, tracking))
        if not internal and (not allowed or options.count_allowed_in_density) and link.kind != "image":
            outbound.append(link)
        if not internal and not allowed and not denied:
            hits["unlisted-link-domain"].append(
                _link_hit(
                    link,
                    f"link to {host}, which is not on the allowed list",
                    "Cite an allowed source, or add the domain to extend-trusted-domains once an editor has vetted it.",
                )
            )
    return outbound


def _check_misleading(link: LinkInfo, target: pol.Target, trusted: bool, hits: dict[str, list[Hit]]) -> None:
    if target.userinfo and "." in target.userinfo:
        hits["misleading-link"].append(
            _link_hit(
                link,
                f"the address starts with {target.userinfo}@ but goes to {target.host}",
                "Link to the real address; everything before @ is ignored by the browser.",
            )
        )
        return
    if trusted or link.kind in ("bare", "autolink") or not link.text:
        return
    shown = pol.shown_domain(link.text)
    if shown and pol.registrable(shown) != pol.registrable(target.host):
        hits["misleading-link"].append(
            _link_hit(
                link,
                f"the link text shows {shown} but the link goes to {target.host}",
                "Make the link text say where the link goes.",
            )
        )


def _paid_reason(link: LinkInfo, host: str, affiliate: list[str]) -> str | None:
    from healthlint.families.links.wordlists import affiliate_domains

    if affiliate:
        return "affiliate parameter " + ", ".join(sorted(set(affiliate)))
    network = affiliate_domains().match(host)
    if network:
        return f"{network} is an affiliate network"
    if "sponsored" in link.rel:
        return 'marked rel="sponsored"'
    if "dofollow" in link.rel:
        return 'rel="dofollow" (a value browsers ignore; link sellers use it)'
    return None


def _tracking_hit(article: Article, link: LinkInfo, names: list[str]) -> Hit:
    message = "tracking parameter" + ("s " if len(set(names)) > 1 else " ") + ", ".join(sorted(set(names)))
    suggestion = "Remove them: they track readers and make the same page look like many."
    # Fix the URL where it is written, when the file has it verbatim.
    source_end = article.offset_of(link.span.end_line, link.span.end_column)
    source = article.text[link.offset : source_end]
    raw = _raw_url_in(source, link.url)
    if raw is None:
        return _link_hit(link, message, suggestion)
    start = link.offset + source.find(raw)
    cleaned = pol.strip_params(raw, set(names))
    return _hit(article_span(article, start, start + len(raw)), message, raw, suggestion, Fix(cleaned, safe=True))


def _raw_url_in(source: str, url: str) -> str | None:
    if url and url in source:
        return url
    # Written with &amp; in HTML, or without the scheme the host added to a bare www. link.
    for variant in (url.replace("&", "&amp;"), url.removeprefix("http://")):
        if variant and variant in source:
            return variant
    return None


def _check_markdown_text_links(article: Article, result: Analysis) -> None:
    """``[text](javascript:...)``: markdown-it leaves it as text, other renderers make it a link."""
    if article.kind != "markdown":
        return
    for block in article.blocks:
        for m in _MD_UNSAFE_TEXT_RE.finditer(block.text):
            result.hits["unsafe-link-scheme"].append(
                block.hit(
                    m.start(),
                    m.end(),
                    "Markdown link with a script or data: address",
                    suggestion="Remove the link, or link to an ordinary https:// page.",
                )
            )


# -- Sentences: spam footers and call-to-action residue ----------------------------------------


def _check_sentences(
    article: Article, links: list[LinkInfo], policy: pol.Policy, script: str | None, result: Analysis
) -> None:
    for block in article.blocks:
        if block.kind in ("heading", "table_cell"):
            continue
        text = block.text
        footer_possible = may_hold_footer(text)
        for start, end in block.sentences:
            sentence = text[start:end]
            if len(sentence) < 12:
                continue

            def bonus(anchor: str, a_start: int, a_end: int, _block: Block = block, _base: int = start) -> int:
                return _anchor_bonus(article, _block, links, policy, script, anchor, _base + a_start, _base + a_end)

            footer = find_footer(sentence, bonus) if footer_possible else None
            if footer is not None:
                anchor = footer.anchor
                foreign = foreign_run(anchor, script) if script and anchor else None
                what = f" around {_short(anchor, 40)!r}" if anchor else ""
                extra = f" (a {main_script(foreign)}-script keyword)" if foreign else ""
                result.hits["spam-footer"].append(
                    block.hit(
                        start + footer.start,
                        start + footer.end,
                        f"spun spam footer{what}{extra}",
                        suggestion="Delete the sentence and its link: it is link spam, not part of the article.",
                        fix=Fix("", safe=False),
                    )
                )
                continue
            residue = find_residue(sentence)
            if residue is not None:
                cut = start + residue.start
                before = text[start:cut].rstrip()
                for connector in (" and", " or", ",", " &", " —", " –"):
                    if before.endswith(connector):
                        before = before[: -len(connector)].rstrip()
                        break
                cut_from = start + len(before)
                result.hits["link-residue"].append(
                    block.hit(
                        cut_from,
                        start + residue.end,
                        f"{residue.cta!r} at the end of a sentence about something else",
                        suggestion="It is probably the text of a removed spam link: delete it.",
                        fix=Fix("", safe=False),
                    )
                )


def _anchor_bonus(
    article: Article,
    block: Block,
    links: list[LinkInfo],
    policy: pol.Policy,
    script: str | None,
    anchor: str,
    start: int,
    end: int,
) -> int:
    bonus = 0
    if script:
        run = foreign_run(anchor, script)
        if run and len(run) >= 2:
            bonus += 2
    if not bonus and pol.commercial_reason("", anchor, policy):
        bonus += 2
    span = block.span(start, max(end, start + 1))
    first = article.offset_of(span.line, span.column)
    last = article.offset_of(span.end_line, span.end_column)
    if any(first <= link.offset < last and link.kind != "image" for link in links):
        bonus += 1
    return bonus


# -- Teaser and promo blocks ---------------------------------------------------------------------


def _check_stray(article: Article, result: Analysis) -> int:
    """Report the stray blocks that are spam; return how many lines all stray blocks cover.

    Navigation blocks and furniture lines are page chrome, reported by the chrome family (HL702,
    HL703): here their lines are only kept, so that HL517 does not report them as spam.
    """
    blocks, lone = page_lines(article)
    stray_lines = 0
    for block in blocks:
        first, last = block.first.block, block.last.block
        stray_lines += last.end_line - first.line + 1
        kind = block.kind
        if kind == "navigation":
            result.chrome_lines.update(range(first.line, last.end_line + 1))
        else:
            result.hits["off-topic-teaser" if kind == "off-topic-teaser" else "teaser-title-block"].append(
                _block_hit(article, block)
            )
    for unit in lone:
        result.chrome_lines.update(range(unit.block.line, unit.block.end_line + 1))
    return stray_lines


def _block_hit(article: Article, block: StrayBlock) -> Hit:
    first, last = block.first.block, block.last.block
    lines = last.end_line - first.line + 1
    span = f"lines {first.line}-{last.end_line}" if lines > 1 else f"line {first.line}"
    titles = [u for u in block.orphans if not u.excerpt]
    sample = ", ".join(repr(_short(u.text, 40)) for u in titles[:2])
    if block.error:
        message = f"off-topic teaser titles pasted into the article ({span}): {sample}"
        suggestion = "Delete the block: its titles have nothing to do with this article (related-post teasers)."
    else:
        message = f"teaser or promo titles of other posts pasted into the article ({span}): {sample}"
        suggestion = "Delete the block: it advertises other pages, it is not article text."
    return _hit(_whole_lines(article, first, last), message, " / ".join(u.text for u in block.orphans), suggestion)


# -- Density ------------------------------------------------------------------------------------


def _check_density(article: Article, outbound: list[LinkInfo], options: Any, result: Analysis) -> None:
    words = article.word_count
    limit = max(float(options.min_links_for_density), words * options.max_links_per_1000_words / 1000.0)
    if outbound and len(outbound) > limit:
        first, last = outbound[0].span, outbound[-1].span
        hit = _hit(
            Span(first.line, first.column, last.end_line, last.end_column),
            f"{len(outbound)} outbound links in {words} words (at most {int(limit)} for this length)",
            f"{len(outbound)} links",
            "Keep the links that support the text; a page stuffed with links reads as link spam.",
        )
        # About the whole article: a link or a paragraph added elsewhere leaves it the same finding.
        result.hits["link-density"].append(replace(hit, key="too many outbound links"))
