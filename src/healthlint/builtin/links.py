"""HL5xx: spam, stray and injected links.

Spam reaches health articles three ways: links (hidden, commercial, misleading, shortened,
paid), spun spam footers whose link may be gone but whose sentence stays, and blocks of
navigation or "related post" titles pasted into the body. One analysis per article
(:func:`healthlint.builtin._links.analysis.analyse`) feeds every rule here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from healthlint import Hit, Rule, Severity, hookimpl
from healthlint.article import Article
from healthlint.rules import RuleContext

PLUGIN = "links"


@dataclass
class LinksOptions:
    """``[tool.healthlint.plugins.links]``."""

    #: Domains that are always fine (added to the built-in scholarly and agency list).
    allow_domains: list[str] = field(default_factory=list)
    #: Domains that must never be linked (HL503).
    deny_domains: list[str] = field(default_factory=list)
    #: The publication's own domains: links there are internal, never spam, never outbound.
    site_domains: list[str] = field(default_factory=list)
    #: Use the built-in allow list (doi.org, nih.gov, cdc.gov, who.int, journals, .gov, .edu...).
    default_allow_domains: bool = True
    #: Use the built-in deny list (ad-supported link shorteners).
    default_deny_domains: bool = True
    #: More URL-shortener domains for HL507.
    shorteners: list[str] = field(default_factory=list)
    #: More commercial-spam words for HL504 (each is spam on its own, in a domain or link text).
    commercial_keywords: list[str] = field(default_factory=list)
    #: HL515: outbound links allowed per 1000 words...
    max_links_per_1000_words: float = 20.0
    #: ...but never fewer than this many.
    min_links_for_density: int = 8
    #: Count links to allowed domains (citations) towards HL515 too.
    count_allowed_in_density: bool = False


def _analysis(article: Article, ctx: RuleContext) -> Any:
    from healthlint.builtin._links.analysis import analyse

    result = ctx.shared("links.analysis", lambda: analyse(article, ctx.options(PLUGIN)))
    ctx.metrics.update(result.metrics)
    return result


def _check_for(name: str) -> Callable[[Article, RuleContext], Iterator[Hit]]:
    def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
        result = _analysis(article, ctx)
        if name in result.errors:
            raise result.errors[name]
        yield from result.hits.get(name, ())

    check.__name__ = "check_" + name.replace("-", "_")
    return check


def _rule(code: str, name: str, summary: str, severity: Severity, doc: str, *, enabled: bool = True) -> Rule:
    return Rule(
        code=code,
        name=name,
        summary=summary,
        severity=severity,
        check=_check_for(name),
        doc=doc,
        enabled_by_default=enabled,
    )


RULES = (
    _rule(
        "HL501",
        "unsafe-link-scheme",
        "A javascript:, vbscript: or data: link",
        Severity.ERROR,
        """
## What it flags
Links whose address runs code or carries a whole document instead of opening a page:
`javascript:`, `vbscript:` and `data:` (in Markdown links, raw HTML `<a href>`, and Markdown
links that markdown-it refuses to render but other renderers would). Spaces or line breaks
hidden inside the scheme (`java script:`) do not help. Inline images with a
`data:image/png` (gif, jpeg, webp, avif) address are allowed.

## Why it matters
A script link in a published article is an attack on its readers, and a `data:` link can show a
fake page under the site's name. No health article needs one.

## Example
```markdown
Read the [full guide](javascript:window.location='https://spam.example').
```

## Instead
```markdown
Read the [full guide](https://www.nhs.uk/conditions/back-pain/).
```

## Options
None; this rule cannot be relaxed by the allow list.
""",
    ),
    _rule(
        "HL502",
        "hidden-link",
        "A link readers cannot see (display:none, zero size, off-screen, no text)",
        Severity.ERROR,
        """
## What it flags
Links in raw HTML (and Markdown links inside hidden HTML) that a reader cannot see: an element
or ancestor with `display:none`, `visibility:hidden`, `opacity:0`, a zero font size, zero width or
height with `overflow:hidden`, off-screen positioning (`left:-9999px`, `text-indent:-9999px`),
`clip: rect(0 0 0 0)`, `transform: scale(0)`, transparent text, the `hidden` attribute, hiding
classes (`hidden`, `d-none`, `sr-only`, `visually-hidden`…), `<font size=0>`; links inside
`<noscript>` or `<template>`; `<a>` with no visible text or only an invisible image; and
`<link>`/`<area>` elements in the body. The message names the link's domain and what hides it.

## Why it matters
Hidden links exist only for search engines: they are the classic footprint of a hacked or
link-selling site, and search engines penalise the whole site for them.

## Example
```markdown
Gentle stretching helps.<span style="display:none"><a href="https://casino.example">casino</a></span>
```

## Instead
Delete the hidden markup. A link worth having is one readers can see and follow.

## Options
None; hidden links are flagged even to allowed domains.
""",
    ),
    _rule(
        "HL503",
        "denied-link-domain",
        "A link to a domain on the deny list",
        Severity.ERROR,
        """
## What it flags
Links to a domain on the deny list, or to any of its subdomains: the built-in list
(ad-supported link shorteners such as adf.ly or shorte.st) plus the domains in `deny-domains`.

## Why it matters
Editors keep a list of sites that must never be linked (competitors caught selling links,
content farms, sources that were retracted). The gate enforces it on every article.

## Example
```markdown
More tips at [our partner](https://adf.ly/abc123).
```

## Instead
Link to the source itself, or to a reputable source on the same subject.

## Options
`deny-domains` (list of domains, default `[]`): added to the built-in list.
`default-deny-domains` (default `true`): set `false` to use only your own list.
`site-domains` (default `[]`): your own domains are never denied.
""",
    ),
    _rule(
        "HL504",
        "commercial-spam-link",
        "A link to a casino, loan, online pharmacy, replica or betting site",
        Severity.ERROR,
        """
## What it flags
Links whose domain or link text sells something no health article links to: casinos, betting,
poker, payday loans, replicas, online pharmacies ("cheap pills", "buy … online", "without
prescription"), essay writing, escorts, porn. Strong words (casino, payday, viagra) are
enough on their own, even inside a run-together domain (`bestcasinobonus.example`); weak ones
(pharmacy, pills, loans) only together with a selling word (cheap, buy, online, discount).
Help-seeking words (therapy, addiction, helpline, warning, scam) clear a link: a problem-gambling
helpline or an FDA warning about fake online pharmacies is fine. Allowed domains are never
flagged. The message shows the domain and the link text that promised something else.

## Why it matters
This is the payload of link spam: the article lends its credibility to a commercial site, and
readers looking for health advice are sent to a casino or an unlicensed pharmacy.

## Example
```markdown
Many people find [relief for back pain](https://cheap-pills-online.example/) this way.
```

## Instead
Remove the link, or cite an independent source such as a guideline or a peer-reviewed study.

## Options
`commercial-keywords` (list, default `[]`): more words that mark a spam link on their own.
`allow-domains`: domains that are never flagged.
""",
    ),
    _rule(
        "HL505",
        "misleading-link",
        "Link text that shows one site while the link goes to another",
        Severity.ERROR,
        """
## What it flags
Links whose text shows a domain or address (`cdc.gov`, `https://www.who.int/…`) while the link
goes to a different site, and addresses that hide their real host behind `user@`
(`https://www.nih.gov@spam.example/`). Links to allowed and own domains are not checked.

## Why it matters
Readers trust a link because of what it says. A link that says "cdc.gov" and opens something
else is deception, whoever put it there.

## Example
```markdown
Source: [www.cdc.gov/backpain](https://back-pain-deals.example/).
```

## Instead
```markdown
Source: [www.cdc.gov/backpain](https://www.cdc.gov/backpain).
```

## Options
`allow-domains`, `site-domains`: links there are not checked.
""",
    ),
    _rule(
        "HL506",
        "foreign-script-anchor",
        "Link text in another writing system than the article",
        Severity.WARNING,
        """
## What it flags
Links whose text is written in another script than the article: Korean, Chinese, Cyrillic or
Arabic link text in an English article (and the other way round). The article's script is the
one most of its letters use.

## Why it matters
Spammers inject links with keywords in the language of the market they sell to, such as a
Korean "massage site" keyword in an English article about back pain. A reader cannot even
tell what the link promises.

## Example
```markdown
For relaxation, try a [마사지사이트](https://massage-ads.example).
```

## Instead
Remove the link; if the source really is in another language, say so in the text and link
with a description readers understand.

## Options
None.
""",
    ),
    _rule(
        "HL507",
        "url-shortener",
        "A shortened link (bit.ly, tinyurl...) that hides where it goes",
        Severity.WARNING,
        """
## What it flags
Links through URL shorteners (bit.ly, tinyurl.com, t.co, goo.gl, ow.ly, cutt.ly, amzn.to and
about 50 more), which hide the destination from readers and editors.

## Why it matters
An editor cannot check a source they cannot see, shortened links break when the service
closes, and spam uses them to get past domain filters.

## Example
```markdown
See the [trial results](https://bit.ly/3xYz12).
```

## Instead
```markdown
See the [trial results](https://doi.org/10.1001/jama.2017.0001).
```

## Options
`shorteners` (list, default `[]`): more shortener domains.
""",
    ),
    _rule(
        "HL508",
        "paid-link",
        "An affiliate or sponsored link",
        Severity.WARNING,
        """
## What it flags
Links that pay whoever placed them: affiliate parameters (`aff_id`, `clickid`, Amazon's `tag`,
ClickBank's `hop`…), affiliate-network redirects (Skimlinks, CJ, Rakuten, Awin, ShareASale,
Impact), links marked `rel="sponsored"`, and links marked `rel="dofollow"`, a value browsers
ignore that link sellers use.

## Why it matters
Health advice must not be shaped by commissions. Paid links need disclosure and
`rel="sponsored"`; unexplained affiliate links in a health article are a conflict of interest.

## Example
```markdown
I use [this foam roller](https://shop.example/roller?aff_id=4411).
```

## Instead
Link without the affiliate code, or disclose the relationship and mark the link
`rel="sponsored"`.

## Options
None.
""",
    ),
    _rule(
        "HL509",
        "tracking-parameters",
        "A link with tracking parameters (utm_*, fbclid, gclid...)",
        Severity.SUGGESTION,
        """
## What it flags
Tracking parameters in a link's query: `utm_*`, `fbclid`, `gclid`, `msclkid`, `mc_eid`,
`_hsenc` and similar. Where the address is written out in the file, the fix removes them and
keeps every other parameter (`healthlint check --fix`).

## Why it matters
They follow readers across sites, leak where a link was shared, and make one page look like
many to caches and search engines.

## Example
```markdown
[Guideline](https://www.nice.org.uk/guidance/ng59?utm_source=newsletter&utm_medium=email)
```

## Instead
```markdown
[Guideline](https://www.nice.org.uk/guidance/ng59)
```

## Options
None.
""",
    ),
    _rule(
        "HL510",
        "spam-footer",
        "A spun spam footer ('if you have any questions about … contact us at our web site')",
        Severity.ERROR,
        """
## What it flags
The sentence link spammers append to articles, in any of its spun forms. The frame is
recognised, not one string: "if you have any questions about where and how to use X, you can
contact us at our web site" becomes "should you have any concerns concerning wherever and
the way to make use of X, you can call us at the web page"; "if you liked
this article and you would like to receive more info about X, please visit our web site";
"here is more info regarding X, look into our own web-page". Each slot lists the words
spinners put there; a sentence whose slots match in order, with spinner-only wording, a
keyword in another script or a link in the X slot adding weight, is a footer. It is found in
plain text too, where the link itself was stripped and only its anchor text is left. An
ordinary "For more information, visit our web site" is not a footer.

## Why it matters
The footer is how link spam gets its keyword and link into the article. Published, it marks
the page as spam to search engines and as junk to readers.

## Example
```text
Should you have any queries relating to where by and how to utilize spa coupons, you
possibly can contact us at our own web-page.
```

## Instead
Delete the sentence (and its link). `--fix` does not apply this fix on its own (it is
marked unsafe); check that nothing else goes with it.

## Options
None. The slot vocabulary is in `healthlint/data/links_footer_grammar.txt`.
""",
    ),
    _rule(
        "HL511",
        "link-residue",
        "'get in touch' / 'click here' left at the end of an unrelated sentence",
        Severity.WARNING,
        """
## What it flags
A call to action ("get in touch", "click here", "visit our site", "contact us", "read more")
stuck on the end of a sentence about something else, with no word about contacting, visiting
or reading in it: the anchor text of an injected link whose link was removed. Sentences that
are instructions anyway ("If you have questions, get in touch.", "Please contact us.") pass.

## Why it matters
The sentence no longer makes sense, and it shows readers the article was tampered with.

## Example
```text
Heat relaxes the muscles around the spine and get in touch.
```

## Instead
```text
Heat relaxes the muscles around the spine.
```

## Options
None.
""",
    ),
    _rule(
        "HL512",
        "stray-title-block",
        "Navigation, related-post titles or a repeated title pasted into the body",
        Severity.WARNING,
        """
## What it flags
Runs of short title-like lines that are not part of the article's flow: site navigation,
"related posts" lists, a title printed twice, headings with nothing of theirs under them. A
line is part of the flow when it is the title, a heading whose words come back in the
paragraph after it (or a generic one such as "Introduction" or "FAQs"), an item of a list that
a sentence introduces ("…include:"), or a name in a contact block. The block is reported once,
from its first to its last line.

## Why it matters
Pasted navigation breaks the article for readers and screen readers, and repeats keywords the
way spam pages do.

## Example
```text
Massage eases tension in the back muscles.

Sleep positions for back pain
Standing desks
Choosing a mattress

Heat and cold both have a place in recovery.
```

## Instead
Delete the block. If the lines are headings, give each its own paragraph; if they are a list,
introduce it with a sentence.

## Options
None.
""",
    ),
    _rule(
        "HL513",
        "off-topic-teaser",
        "Teaser titles that have nothing to do with the article",
        Severity.ERROR,
        """
## What it flags
A stray block (see HL512) whose titles share no meaningful word with the article: teaser
titles of unrelated posts, often each followed by the first words of its excerpt cut off
mid-word. At least two such titles, and two thirds of the block, must be off-topic.

## Why it matters
Off-topic teasers are not an editing slip: they are pasted page furniture or link-farm
content, and a reader of an article on back pain has no use for a teaser about glial cells.

## Example
```text
How Tides Shape Coastal Wetlands
How Tides Shape Coastal Wetlands Coastal wetlands are among the most prod
-
Choosing a Laptop for Video Editing on a Budget
Choosing a Laptop for Video Editing on a Budget When it comes to
```

## Instead
Delete the block.

## Options
None.
""",
    ),
    _rule(
        "HL514",
        "page-clutter",
        "Web-page furniture left in the text ('Advertisement', 'Share this', 'Read more')",
        Severity.WARNING,
        """
## What it flags
Whole lines that are web-page furniture rather than article text: "Advertisement", "AD",
"Related", "Read more", "Share this article", "Sign up for our newsletter", "Follow us on …",
"This article is more than 1 year old", "Enlarge this image". Adjacent lines are reported
together. Lines that head a block of titles are reported with that block (HL512) instead.

## Why it matters
They were copied with the article from a web page and mean nothing in the published text.

## Example
```text
The drug lowered pain scores by a third.

Advertisement

Side effects were mild.
```

## Instead
Delete the line.

## Options
None. The list is in `healthlint/data/links_clutter.txt`.
""",
    ),
    _rule(
        "HL515",
        "link-density",
        "Too many outbound links for the article's length",
        Severity.WARNING,
        """
## What it flags
More outbound links than the article's length can carry: by default more than 20 per 1000
words, and never fewer than 8 allowed. Links to allowed domains (citations of journals and
agencies), your own domains and images do not count. The finding spans the first to the last
outbound link.

## Why it matters
A short article stuffed with links is a link farm, not advice; it also reads badly.

## Example
A 300-word article with 12 links to shops and blogs.

## Instead
Keep the few links that support a statement, preferably to primary sources.

## Options
`max-links-per-1000-words` (default `20.0`), `min-links-for-density` (default `8`),
`count-allowed-in-density` (default `false`), `site-domains`.
""",
    ),
    _rule(
        "HL516",
        "unlisted-link-domain",
        "A link to a domain that is not on the allow list (opt-in)",
        Severity.WARNING,
        """
## What it flags
Off by default; select it (`extend-select = ["HL516"]`) for a strict editorial policy: every
outbound link to a domain that is neither allowed (the built-in scholarly and agency list plus
`allow-domains`) nor your own (`site-domains`).

## Why it matters
Some publishers only cite vetted sources; this makes every other link a decision an editor
has to take.

## Example
```markdown
See this [blog post](https://someones-blog.example/back-pain).
```

## Instead
Cite a vetted source, or add the domain to `allow-domains`.

## Options
`allow-domains`, `default-allow-domains`, `site-domains`.
""",
        enabled=False,
    ),
)


@hookimpl
def healthlint_register_options(register: Callable[[str, type[Any]], None]) -> None:
    register(PLUGIN, LinksOptions)


@hookimpl
def healthlint_register_rules(register: Callable[[Rule], None]) -> None:
    for rule in RULES:
        register(rule)
