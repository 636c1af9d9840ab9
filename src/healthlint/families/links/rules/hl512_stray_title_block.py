"""HL512 stray-title-block: navigation, related-post titles or a repeated title pasted into the body."""

from healthlint import Rule, Severity
from healthlint.families.links.checks import check

SUMMARY = "Navigation, related-post titles or a repeated title pasted into the body"
DOC = """
## What it flags
Runs of short title-like lines that are not part of the article's flow: site navigation,
"related posts" lists, a title printed twice, headings with nothing of theirs under them. A
line is part of the flow when it is the title, a heading whose words come back in the
paragraph after it (or a generic one such as "Introduction" or "FAQs"), an item of a list that
a sentence introduces ("…include:"), or a name in a contact block. The block is reported once,
from its first to its last line.

## Why it matters
Pasted navigation breaks the article for readers and screen readers, and repeats keywords the
way spam pages do.

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

RULE = Rule("HL512", "stray-title-block", SUMMARY, Severity.WARNING, check, DOC)
