"""HL506 foreign-script-anchor: link text in another writing system than the article."""

from healthlint import Rule, Severity
from healthlint.families.links.checks import check

SUMMARY = "Link text in another writing system than the article"
DOC = """
## What it flags
Links whose text is written in another script than the article: Korean, Chinese, Cyrillic or
Arabic link text in an English article (and the other way round). The article's script is the
one most of its letters use.

## Why it matters
Spammers inject links with keywords in the language of the market they sell to, such as a
Korean "massage site" keyword in an English article about back pain. A reader cannot even
tell what the link promises.

## Example
```markdown
For relaxation, try a [마사지사이트](https://massage-ads.example).
```

## Instead
Remove the link; if the source really is in another language, say so in the text and link
with a description readers understand.

## Options
None.
"""

RULE = Rule("HL506", "foreign-script-anchor", SUMMARY, Severity.WARNING, check, DOC)
