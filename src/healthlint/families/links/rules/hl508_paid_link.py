"""HL508 paid-link: an affiliate or sponsored link."""

from healthlint import Rule, Severity
from healthlint.families.links.checks import check

SUMMARY = "An affiliate or sponsored link"
DOC = """
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
"""

RULE = Rule("HL508", "paid-link", SUMMARY, Severity.WARNING, check, DOC)
