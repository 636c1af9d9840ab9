"""HL519 confirmed-spam: two sentences of one article, or one sure selling one, read like stripped-link spam."""

from collections.abc import Iterator

from healthlint import Article, Hit, Rule, RuleContext, Severity

SUMMARY = (
    "Two or more sentences, or one selling sentence with a high score, read like spam whose links were stripped: "
    "confirmed spam injection"
)
DOC = """
## What it flags
An article whose body (the first 80% of its blocks) holds at least two sentences or short
blocks that each reach HL517's spam score: product names dropped into unrelated advice, calls
to action, promo lines, keyword anchors and web addresses left behind when the links were
stripped. One such sentence is a warning (HL517) that an editor may overrule; two that read
like junk independently of each other are confirmed spam injection, and every such sentence of
the article is reported here instead of under HL517. One sentence suffices when it sells
(selling words or sales superlatives: "offer", "free", "gummies", "best", "proven" …) and its
spam score reaches a second, higher threshold fitted for it: a sales pitch the model is that
sure of is as certain as two junk sentences. A confident teaser that sells nothing ("RELATED:
…" pointing at another site) stays a warning. The back matter of an article (about the
publisher, contacts, legal statements) does not count.

## Why it matters
A page that carries injected spam in two places was taken from a link network or a content
farm, or its copy picked up someone else's advertising. Published, it sells a stranger's
product under your name and sends readers to it.

## Example
```text
Gentle stretching eases most morning stiffness.

FEATURED OFFER: Get The 7 Day Joint Reset Kit Free Today!

A warm shower helps too.

See your doctor if a joint is swollen and hot.

Stiffness that lasts for more than an hour can be a sign of arthritis.
```

## Instead
Delete every reported sentence, then read the article once more for junk the model did not
score: a source that carries injected spam in two places often carries more.

## Options
On by default, as an error: it withholds the article. Out of fold every labelled page it fired
on was spam (9 or 10 of the 33 spam pages, depending on how the folds are dealt; none of the 52
clean reputable pages; `bench/README.md`); HL517 warns on the rest. The one-sentence threshold
is package data beside the model's weights, fitted so that it withholds at most two of 837
careful documents (press releases, news stories, health answers). Turn it off with
`ignore = ["HL519"]`: the sentences are then reported by HL517, as warnings.
"""


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    # Imported on first use, as HL517's classifier is: registering the rule costs nothing when no HL5 rule runs.
    from healthlint.families.links.spamblocks import check_confirmed

    return check_confirmed(article, ctx)


RULE = Rule("HL519", "confirmed-spam", SUMMARY, Severity.ERROR, check, DOC)
