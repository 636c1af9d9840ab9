"""HL510 spam-footer: a spun spam footer ('if you have any questions about … contact us at our web site')."""

from healthlint import Rule, Severity
from healthlint.families.links.checks import check

SUMMARY = "A spun spam footer ('if you have any questions about … contact us at our web site')"
DOC = """
## What it flags
The sentence link spammers append to articles, in any of its spun forms. The frame is
recognised, not one string: "if you have any questions about where and how to use X, you can
contact us at our web site" becomes "should you have any concerns concerning wherever and
the way to make use of X, you can call us at the web page"; "if you liked
this article and you would like to receive more info about X, please visit our web site";
"here is more info regarding X, look into our own web-page". Each slot lists the words
spinners put there; a sentence whose slots match in order, with spinner-only wording, a
keyword in another script or a link in the X slot adding weight, is a footer. It is found in
plain text too, where the link itself was stripped and only its anchor text is left. An
ordinary "For more information, visit our web site" is not a footer.

## Why it matters
The footer is how link spam gets its keyword and link into the article. Published, it marks
the page as spam to search engines and as junk to readers.

## Example
```text
Should you have any queries relating to where by and how to utilize spa coupons, you
possibly can contact us at our own web-page.
```

## Instead
Delete the sentence (and its link). `--fix` does not apply this fix on its own (it is
marked unsafe); check that nothing else goes with it.

## Options
None. The slot vocabulary is in `healthlint/families/links/data/footer_grammar.txt`.
"""

RULE = Rule("HL510", "spam-footer", SUMMARY, Severity.ERROR, check, DOC)
