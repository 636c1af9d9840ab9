"""HL106: Words no dictionary knows, with their probable spelling."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from healthlint import Hit, Rule, Severity

from ..shared import analysis, hit

if TYPE_CHECKING:
    from healthlint.article import Article
    from healthlint.rules import RuleContext

SUMMARY = "A word no dictionary knows, with its probable spelling ('preferrred')"
DOC = """
## What it flags
Lowercase words absent from every dictionary healthlint loads (wordfreq, wordsegment,
pyspellchecker and the Moby thesaurus, about 500,000 words) for which a correction is
clear: a letter typed three times ("preferrred") or a typo one edit from a common word
("symtoms"). Capitalised words inside a sentence (names), acronyms, words with digits, text
that is not English, and unknown words without a clear correction are left alone, and so are
two kinds of real word no general dictionary lists: the adjective of a rare Greek or Latin
term ("clonic" from "clonus"), and half of a word split by a stray space ("dehy dration").
Two words missing a space ("symptomsthe") are HL701's: damage from copying text, not spin.

## Why it matters
Misspellings make health advice look careless, and spun or scraped text is full of them.

## Example
```text
A hard massage will not be preferrred for acute pain.
```

## Instead
```text
A hard massage is not ideal for acute pain.
```

## Options
`allow-words` (a list) and `word-lists` (files, one word per line): words to accept.
"""


def check_nonwords(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    for ev in analysis(article, ctx).nonwords:
        yield hit(ev, f"{ev.text!r} is not a word ({ev.detail}); did you mean {ev.suggestion!r}?", ev.suggestion)


RULE = Rule("HL106", "non-word", SUMMARY, Severity.WARNING, check_nonwords, DOC)
