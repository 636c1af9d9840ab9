"""HL103: Strong spinner phrases of the list, with a safe fix to the original wording."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from healthlint import Fix, Hit, Rule, Severity

from ..shared import hit, listed_phrases

if TYPE_CHECKING:
    from healthlint.article import Article
    from healthlint.rules import RuleContext

SUMMARY = "A phrase spinners produce and careful writers never do ('the reply is sure')"
DOC = """
## What it flags
Strong entries of healthlint's versioned list of spinner phrases
(`healthlint/families/spun/data/phrases.tsv`): word-for-word substitutions such as "the reply is
sure" (the answer is yes), "slightly than" (rather than), "pores and skin most cancers"
(skin cancer), "one of the crucial popular" (one of the most popular). None of them
occurs in 410,000 words of clean health prose. Each finding carries the original wording
as its suggestion and as a safe fix: `healthlint check --fix` applies it.

## Why it matters
One such phrase proves the passage was machine-rewritten, and it reads as nonsense, so it
blocks publishing (an error) until it is fixed.

## Example
```text
In most cases the reply is sure, slightly than a maybe.
```

## Instead
```text
In most cases the answer is yes, rather than a maybe.
```

## Options
`extra-phrases`: your own (strength `strong` by default), e.g.
`{ phrase = "well being dangers", expected = "health risks" }` or
`{ pattern = '\\bsteamed stomach\\b', expected = "upset stomach", replacement = "upset stomach" }`.
`disabled-phrases`: ids of shipped phrases to switch off.
"""


def check_strong_phrase(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    for ev in listed_phrases(article, ctx, strong=True):
        fix = Fix(ev.fix, safe=True) if ev.fix else None
        yield hit(ev, f"spinner phrase {ev.text!r}: probably {ev.suggestion!r}", ev.suggestion, fix)


RULE = Rule("HL103", "spinner-phrase", SUMMARY, Severity.ERROR, check_strong_phrase, DOC)
