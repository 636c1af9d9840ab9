"""HL505 misleading-link: link text that shows one site while the link goes to another."""

from healthlint import Rule, Severity
from healthlint.families.links.checks import check

SUMMARY = "Link text that shows one site while the link goes to another"
DOC = """
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
`trusted-domains`, `extend-trusted-domains` (in `[tool.healthlint]`), `site-domains`: links there
are not checked.
"""

RULE = Rule("HL505", "misleading-link", SUMMARY, Severity.ERROR, check, DOC)
