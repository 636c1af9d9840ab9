"""HL603 punctuation-error: LanguageTool's punctuation, capitalization and typography matches."""

from __future__ import annotations

from collections.abc import Iterator

from healthlint import Article, Hit, Rule, RuleContext, Severity
from healthlint.families.grammar.analysis import hits_of_kind
from healthlint.families.grammar.options import OPTIONS_DOC, SETUP_DOC


def check_punctuation_error(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    return hits_of_kind(article, ctx, "punctuation")


DOC = f"""
## What it flags
LanguageTool's matches in the PUNCTUATION, TYPOGRAPHY, CASING and COMPOUNDING
categories: missing commas, a sentence that starts in lower case, "e-mail" vs "email".

## Why it matters
Small slips add up to text that reads as unedited.

## Example
```markdown
if the pain gets worse call your doctor.
```

## Instead
```markdown
If the pain gets worse, call your doctor.
```

## Options
{OPTIONS_DOC} {SETUP_DOC}
"""


RULE = Rule(
    "HL603",
    "punctuation-error",
    "A punctuation, capitalization or typography problem LanguageTool found",
    Severity.SUGGESTION,
    check_punctuation_error,
    DOC,
)
