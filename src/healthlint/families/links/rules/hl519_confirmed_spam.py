"""HL519 confirmed-spam: two or more sentences of one article read like spam whose links were stripped."""

from collections.abc import Iterator

from healthlint import Article, Hit, Rule, RuleContext, Severity

SUMMARY = "Two or more sentences read like spam whose links were stripped: confirmed spam injection"
DOC = """
## What it flags
An article whose body (the first 80% of its blocks) holds at least two sentences or short
blocks that each reach HL517's spam score: product names dropped into unrelated advice, calls
to action, promo lines, keyword anchors and web addresses left behind when the links were
stripped. One such sentence is a warning (HL517) that an editor may overrule; two that read
like junk independently of each other are confirmed spam injection, and every such sentence of
the article is reported here instead of under HL517. The back matter of an article (about the
publisher, contacts, legal statements) does not count towards the two.

## Why it matters
A page that carries injected spam in two places was taken from a link network or a content
farm, or its copy picked up someone else's advertising. Published, it sells a stranger's
product under your name and sends readers to it.

## Example
```text
Gentle stretching eases most morning stiffness.

FEATURED OFFER: Get The 7 Day Joint Reset Kit Free Today!

A warm shower helps too.

BEST DEALS: Order Brandex Flex Joint Gummies Now And Save!

See your doctor if a joint is swollen and hot.

Stiffness that lasts for more than an hour can be a sign of arthritis.
```

## Instead
Delete every reported sentence, then read the article once more for junk the model did not
score: a source that carries injected spam in two places often carries more.

## Options
On by default, as an error: it withholds the article. Out of fold every labelled page it fired
on was spam (4 of 4, none of the 52 clean reputable pages; `bench/README.md`); it finds few
spam pages, and HL517 warns on the rest. Turn it off with `ignore = ["HL519"]`: the sentences
are then reported by HL517, as warnings.
"""


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    # Imported on first use, as HL517's classifier is: registering the rule costs nothing when no HL5 rule runs.
    from healthlint.families.links.spamblocks import check_confirmed

    return check_confirmed(article, ctx)


RULE = Rule("HL519", "confirmed-spam", SUMMARY, Severity.ERROR, check, DOC)
