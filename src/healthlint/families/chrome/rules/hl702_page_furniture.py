"""HL702 page-furniture: web-page furniture left in the text ('Skip to main content', 'Share this', image credits)."""

from healthlint import Rule, Severity
from healthlint.families.chrome.checks import check

SUMMARY = "Web-page furniture left in the text ('Skip to main content', 'Share this', image credits)"
DOC = """
## What it flags
Whole lines that are web-page furniture rather than article text: "Skip to main content",
"Advertisement", "Share this article", "Leave a reply", "Sign up for our newsletter", "Follow
us on …", "Contact Us", "Image courtesy of …", "This article is more than 1 year old".
Adjacent lines are reported together, and the message says what the lines are (share buttons,
a comment widget, an image credit…). Lines that head a block of titles are reported with that
block instead (HL703, or HL512 when the titles are teasers). This was HL514 `page-clutter`;
configurations and suppression comments naming HL514 still work, with a notice.

## Why it matters
The lines were copied with the article from a web page and mean nothing in the published
text. They are page chrome, not spam: a warning for an editor to delete, never a reason to
withhold the article.

## Example
```text
The drug lowered pain scores by a third.

Share this post

Side effects were mild.
```

## Instead
Delete the line.

## Options
None. The lines are listed in `healthlint/data/page_furniture.txt`; the names the message
gives them in `healthlint/families/chrome/data/furniture_kinds.tsv`.
"""

RULE = Rule("HL702", "page-furniture", SUMMARY, Severity.WARNING, check, DOC)
