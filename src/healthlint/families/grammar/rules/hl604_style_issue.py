"""HL604 style-issue: LanguageTool's style matches (wordiness, repetition)."""

from __future__ import annotations

from collections.abc import Iterator

from healthlint import Article, Hit, Rule, RuleContext, Severity
from healthlint.families.grammar.analysis import hits_of_kind
from healthlint.families.grammar.options import OPTIONS_DOC, SETUP_DOC


def check_style_issue(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    return hits_of_kind(article, ctx, "style")


DOC = f"""
## What it flags
LanguageTool's style matches (STYLE, REDUNDANCY, PLAIN_ENGLISH, REPETITIONS and similar
categories): wordy phrases, repeated sentence starts, redundant words. `picky = true`
turns on LanguageTool's stricter style rules.

## Why it matters
Wordy text is harder to read (see also HL405 for plain words).

## Example
```markdown
In order to reduce the pain, rest the back. Rest the back for two days.
```

## Instead
```markdown
To reduce the pain, rest your back for two days.
```

## Options
{OPTIONS_DOC} {SETUP_DOC}
"""


RULE = Rule(
    "HL604",
    "style-issue",
    "A style problem LanguageTool found (wordiness, repetition)",
    Severity.SUGGESTION,
    check_style_issue,
    DOC,
)
