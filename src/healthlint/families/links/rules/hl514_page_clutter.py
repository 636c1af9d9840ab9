"""HL514 page-clutter: web-page furniture left in the text ('Advertisement', 'Share this', 'Read more')."""

from healthlint import Rule, Severity
from healthlint.families.links.checks import check

SUMMARY = "Web-page furniture left in the text ('Advertisement', 'Share this', 'Read more')"
DOC = """
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
None. The list is in `healthlint/families/links/data/clutter.txt`.
"""

RULE = Rule("HL514", "page-clutter", SUMMARY, Severity.WARNING, check, DOC)
