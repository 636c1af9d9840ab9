"""HL509 tracking-parameters: a link with tracking parameters (utm_*, fbclid, gclid...)."""

from healthlint import Rule, Severity
from healthlint.families.links.checks import check

SUMMARY = "A link with tracking parameters (utm_*, fbclid, gclid...)"
DOC = """
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
"""

RULE = Rule("HL509", "tracking-parameters", SUMMARY, Severity.SUGGESTION, check, DOC)
