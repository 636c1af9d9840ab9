"""HL519 confirmed-spam: two sentences of one article, one sure selling one, or a teaser of other pages' headlines."""

from collections.abc import Iterator

from healthlint import Article, Hit, Rule, RuleContext, Severity

SUMMARY = (
    "Two or more sentences, one selling sentence with a high score, or a teaser of other pages' headlines read like "
    "spam whose links were stripped: confirmed spam injection"
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
sure of is as certain as two junk sentences. One sentence suffices too when it puts another
page's headline into the body as a teaser: a teaser label with a headline after it ("READ MORE:
<headline>", "See also <Headline>", "Related: <headline>"), or a lead-in that names other pages
("More links from this blog on sleep:") with three headlines or more on the lines under it.
A confident teaser with no headline that sells nothing ("Read more from …!") stays a warning.
The back matter of an article (about the publisher, contacts, legal statements, related links)
does not count.

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
on was spam (12 or 13 of the 33 spam pages, depending on how the folds are dealt; none of the 52
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
