"""HL513 off-topic-teaser: teaser titles that have nothing to do with the article."""

from healthlint import Rule, Severity
from healthlint.families.links.checks import check

SUMMARY = "Teaser titles that have nothing to do with the article"
DOC = """
## What it flags
A block of stray title lines (see HL703) whose titles share no meaningful word with the article: teaser
titles of unrelated posts, often each followed by the first words of its excerpt cut off
mid-word. At least two such titles, and two thirds of the block, must be off-topic.

## Why it matters
Off-topic teasers are not an editing slip: they are pasted page furniture or link-farm
content, and a reader of an article on back pain has no use for a teaser about glial cells.

## Example
```text
How Tides Shape Coastal Wetlands
How Tides Shape Coastal Wetlands Coastal wetlands are among the most prod
-
Choosing a Laptop for Video Editing on a Budget
Choosing a Laptop for Video Editing on a Budget When it comes to
```

## Instead
Delete the block.

## Options
None.
"""

RULE = Rule("HL513", "off-topic-teaser", SUMMARY, Severity.ERROR, check, DOC)
