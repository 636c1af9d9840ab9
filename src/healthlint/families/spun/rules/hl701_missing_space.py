"""HL701: Two words glued together by a lost space, with the split as the suggestion."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from healthlint import Fix, Hit, Rule, Severity

from ..shared import analysis, hit

if TYPE_CHECKING:
    from healthlint.article import Article
    from healthlint.rules import RuleContext

SUMMARY = "Two words glued together by a lost space ('symptomsthe'), usually damage from copying text"
DOC = """
## What it flags
Lowercase tokens no dictionary knows that split into two common words the web writes side by
side, or into a common word and a function word: "symptomsthe", "sufferfrom". Text copied
from web pages or PDFs often loses the space at a line or tag boundary. The spun-text rules
(HL1) find these words with the same dictionaries but do not count them as spin: a lost space
is damage to the text, not a thesaurus rewrite. Tokens under six letters, a prefix and a word
("overactivation") and spellings only the web uses are left alone.

## Why it matters
Readers stumble over glued words, search engines do not match them, and they show that the
text was pasted without a proofread.

## Example
```text
Most people with a cold sufferfrom a sore throat first.
```

## Instead
```text
Most people with a cold suffer from a sore throat first.
```

## Options
`allow-words` and `word-lists` of the spun-text rules (`[tool.healthlint.plugins.spun]`):
words to accept.
"""


def check_missing_space(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    for ev in analysis(article, ctx).glued:
        # Not safe to apply unseen: a rare term can split into two common words.
        yield hit(
            ev,
            f"{ev.text!r} looks like two words missing a space: {ev.suggestion!r}?",
            ev.suggestion,
            Fix(ev.suggestion, safe=False),
        )


RULE = Rule("HL701", "missing-space", SUMMARY, Severity.WARNING, check_missing_space, DOC)
