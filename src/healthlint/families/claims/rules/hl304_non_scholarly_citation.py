"""HL304 non-scholarly-citation: a study claim whose only citation is a non-scholarly page."""

from __future__ import annotations

from collections.abc import Iterator

from healthlint import Article, Hit, Rule, RuleContext, Severity

SUMMARY = "A study claim whose only citation is a non-scholarly page"
DOC = """
## What it flags
A research claim whose links all point to sites that are not scholarly or authoritative
sources (a blog, a shop, a news aggregator), rather than to the study (doi.org, PubMed, the
journal) or an agency such as nih.gov, cdc.gov, who.int, nice.org.uk or cochrane.org. The
link is reported.

## Why it matters
A link to a page that repeats the claim is not a source. Pointing at the study itself lets
readers and editors check it.

## Example
```markdown
Studies show [turmeric eases joint pain](https://wellness-blog.example/turmeric).
```

## Instead
```markdown
A [2016 meta-analysis](https://pubmed.ncbi.nlm.nih.gov/27533649/) found turmeric extracts
eased joint pain a little in small trials.
```

## Options
`trusted-domains` in `[tool.healthlint]` (replaces the shipped list of domains,
`healthlint/data/trusted_domains.txt`; subdomains count) and `extend-trusted-domains` (adds
to it). The same list decides which links HL5xx trusts and which links publish follows.
"""

#: The sources the suggestion names, when they are trusted.
_PREFERRED = ("doi.org", "pubmed.ncbi.nlm.nih.gov", "nih.gov", "cdc.gov", "who.int", "nice.org.uk", "cochrane.org")


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    from ..analysis import analysis_for  # on first use: see ..checks
    from ..citations import host_of

    trusted = ctx.config.trusted()
    preferred = ", ".join(d for d in _PREFERRED if d in trusted)
    for claim in analysis_for(ctx).claims:
        if not claim.citations or any(c.scholarly for c in claim.citations):
            continue
        hosts = ", ".join(dict.fromkeys(host_of(c.url or "") or (c.url or "?") for c in claim.citations))
        cited = next((c for c in claim.citations if c.span is not None), None)
        suggestion = "Cite the study itself or an authoritative source" + (f" ({preferred})" if preferred else "") + "."
        message = f"Study claim cites a non-scholarly source ({hosts})"
        if cited is not None and cited.span is not None:
            s = cited.span
            yield Hit(s.line, s.column, message, s.end_line, s.end_column, cited.text or cited.url, suggestion)
        else:
            yield claim.block.hit(claim.start, claim.end, message, suggestion=suggestion)


RULE = Rule("HL304", "non-scholarly-citation", SUMMARY, Severity.SUGGESTION, check, DOC)
