"""HL512 teaser-title-block: teaser or promo titles of other posts pasted into the body."""

from healthlint import Rule, Severity
from healthlint.families.links.checks import check

SUMMARY = "Teaser or promo titles of other posts pasted into the body"
DOC = """
## What it flags
A block of short title-like lines outside the article's flow (see HL703) that advertises other
pages: a title with the first words of its excerpt cut off under it, titles cut off with an
ellipsis ("Unusual way to sleep better…"), or a call to action among the lines ("Click here to
download", "Buy now", "Get your free …"). Teasers that have nothing to do with the article are
HL513 (an error). Until this version HL512 `stray-title-block` also reported menus, related-links
lists and repeated titles: those are page chrome, now HL703 `navigation-block`, and a
configuration or suppression comment naming HL512 covers both codes (with a notice).

## Why it matters
Teaser and promo blocks are how content farms and link sellers send readers elsewhere; in a
health article they read as advertising the publisher did not write.

## Example
```text
Massage eases tension in the back muscles.

The Complete Guide to a Pain-Free Back
Click here to download

Heat and cold both have a place in recovery.
```

## Instead
Delete the block.

## Options
None.
"""

RULE = Rule("HL512", "teaser-title-block", SUMMARY, Severity.WARNING, check, DOC)
