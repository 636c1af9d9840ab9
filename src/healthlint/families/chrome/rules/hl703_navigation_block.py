"""HL703 navigation-block: a menu, a related-links list or a repeated title pasted into the body."""

from healthlint import Rule, Severity
from healthlint.families.chrome.checks import check

SUMMARY = "A menu, a related-links list, a table of contents or a repeated title pasted into the body"
DOC = """
## What it flags
Runs of short title-like lines that are not part of the article's flow: site menus,
"related links" lists, table-of-contents widgets, a title printed twice, headings with
nothing of theirs under them. A line is part of the flow when it is the title, a heading
whose words come back in the paragraph after it (or a generic one such as "Introduction" or
"FAQs"), an item of a list that a sentence introduces ("…include:"), or a name in a contact
block. A heading that the sentence under it restates and goes on with ("If you feel sick" /
"If you feel sick, tell a grown-up.") is flow, and so are the rows of a plain-text table
(cells set apart by tabs or runs of spaces, next to a row of as many). The block is reported
once, from its first to its last line. Blocks of teaser or promo titles of other posts are
spam, not navigation: HL512 reports those (HL513 when they are off topic). This was the
navigation part of HL512 `stray-title-block`; configurations and suppression comments naming
HL512 still cover it, with a notice.

## Why it matters
Pasted navigation breaks the article for readers and screen readers. It is page chrome, not
spam: a warning for an editor to delete, never a reason to withhold the article.

## Example
```text
Massage eases tension in the back muscles.

Sleep positions for back pain
Standing desks
Choosing a mattress

Heat and cold both have a place in recovery.
```

## Instead
Delete the block. If the lines are headings, give each its own paragraph; if they are a list,
introduce it with a sentence.

## Options
None.
"""

RULE = Rule("HL703", "navigation-block", SUMMARY, Severity.WARNING, check, DOC)
