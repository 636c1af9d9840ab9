"""HL503 denied-link-domain: a link to a domain on the deny list."""

from healthlint import Rule, Severity
from healthlint.families.links.checks import check

SUMMARY = "A link to a domain on the deny list"
DOC = """
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
"""

RULE = Rule("HL503", "denied-link-domain", SUMMARY, Severity.ERROR, check, DOC)
