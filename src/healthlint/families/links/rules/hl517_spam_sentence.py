"""HL517 spam-sentence: a sentence or short block that reads like spam whose link was stripped."""

from healthlint import Rule, Severity
from healthlint.families.links.spamblocks import check

SUMMARY = "A sentence or short block that reads like spam whose link was stripped"
DOC = """
## What it flags
Sentences and short blocks that read like injected junk even though no link is left: calls to
action ("Click here to download"), promo and teaser lines ("READ MORE: …", "Featured book: …"),
product names with a dose dropped into unrelated advice, capitalised names the rest of the
article never uses, selling words and sales superlatives. A logistic model scores every
sentence from such cues (the weights are package data, fitted by
`scripts/train_spam_blocks.py` on hand-labelled web pages and cross-validated by site); a
sentence at or above the shipped threshold is reported with the cues that weighed most.

## Why it matters
Articles copied from the web lose their links on the way, but not the anchor text, the promo
boxes and the teasers around them. Left in, they advertise someone else's product in your
article and make careful advice read like a content farm.

## Example
```text
Gentle stretching eases most morning stiffness. FEATURED OFFER: Get The 7 Day Joint Reset Kit
Free Today!
```

## Instead
Delete the sentence, or rewrite it as the article's own advice without the product or the
call to action.

## Options
On by default, as a warning (it never withholds an article). Most sentences are ordinary prose
and are not scored at all; a sentence is scored when it opens with a call to action, carries
selling words, a web address, a separator, a new name with a dose, or a new name told to the
reader. Out of fold it finds about a third of the spam pages it was measured on, at about
three-quarter precision (`bench/README.md`); turn it off with `ignore = ["HL517"]`.
"""

RULE = Rule("HL517", "spam-sentence", SUMMARY, Severity.WARNING, check, DOC)
