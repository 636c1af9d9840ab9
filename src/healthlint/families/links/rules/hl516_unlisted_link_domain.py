"""HL516 unlisted-link-domain: a link to a domain that is not on the allow list (opt-in)."""

from healthlint import Rule, Severity
from healthlint.families.links.checks import check

SUMMARY = "A link to a domain that is not on the allow list (opt-in)"
DOC = """
## What it flags
Off by default; select it (`extend-select = ["HL516"]`) for a strict editorial policy: every
outbound link to a domain that is neither trusted (the shipped scholarly and agency list, or
`trusted-domains` and `extend-trusted-domains` in `[tool.healthlint]`) nor your own (`site-domains`).

## Why it matters
Some publishers only cite vetted sources; this makes every other link a decision an editor
has to take.

## Example
```markdown
See this [blog post](https://someones-blog.example/back-pain).
```

## Instead
Cite a vetted source, or add the domain to `extend-trusted-domains`.

## Options
`trusted-domains`, `extend-trusted-domains` (in `[tool.healthlint]`), `site-domains`.
"""

RULE = Rule("HL516", "unlisted-link-domain", SUMMARY, Severity.WARNING, check, DOC, enabled_by_default=False)
