"""HL515 link-density: too many outbound links for the article's length."""

from healthlint import Rule, Severity
from healthlint.families.links.checks import check

SUMMARY = "Too many outbound links for the article's length"
DOC = """
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
"""

RULE = Rule("HL515", "link-density", SUMMARY, Severity.WARNING, check, DOC)
