"""HL517 spam-sentence: a sentence or short block that reads like spam whose link was stripped."""

from collections.abc import Iterator

from healthlint import Article, Hit, Rule, RuleContext, Severity

SUMMARY = "A sentence or short block that reads like spam whose link was stripped"
DOC = """
## What it flags
Sentences and short blocks that read like injected junk even though no link is left: calls to
action ("Click here to download"), promo and teaser lines ("READ MORE: …", "Featured book: …"),
product names with a dose dropped into unrelated advice, new names recommended to the reader,
selling words, sales superlatives and web addresses left in the text. A sentence is scored only
when a cheap test finds such a cue in it; a logistic model scores it from general features (the
weights are package data, fitted by `scripts/train_spam_blocks.py` on hand-labelled web pages
and cross-validated by site), and a sentence at or above the shipped threshold is reported with
the cues that weighed most.

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
On by default, as a warning: it points an editor at the sentence and never withholds an
article. Out of fold it finds 25 of the 33 spam pages it was measured on, on their labelled
evidence, at 87% page precision (`bench/README.md`), and it also warns on boilerplate of
careful publishers (press-release "About us" and forward-looking-statement blocks). When the
body of an article holds two such sentences, one that sells with a very high score, or one that
puts another page's headline into it as a teaser ("READ MORE: <headline>"), HL519 (an error)
reports them instead. Turn it off with `ignore = ["HL517"]`.
"""


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    # The classifier and its word lists are imported on first use, as the link analysis is (see ..checks):
    # registering the rule costs nothing when no HL5 rule runs.
    from healthlint.families.links.spamblocks import check as spam_check

    return spam_check(article, ctx)


RULE = Rule("HL517", "spam-sentence", SUMMARY, Severity.WARNING, check, DOC)
