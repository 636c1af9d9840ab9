"""HL504 commercial-spam-link: a link to a casino, loan, online pharmacy, replica or betting site."""

from healthlint import Rule, Severity
from healthlint.families.links.checks import check

SUMMARY = "A link to a casino, loan, online pharmacy, replica or betting site"
DOC = """
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
`trusted-domains`, `extend-trusted-domains` (in `[tool.healthlint]`): domains that are never flagged.
"""

RULE = Rule("HL504", "commercial-spam-link", SUMMARY, Severity.ERROR, check, DOC)
