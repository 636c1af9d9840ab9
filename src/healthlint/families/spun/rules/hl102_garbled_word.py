"""HL102: Words garbled by a spinner's substring swap, with the word they were."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from healthlint import Hit, Rule, Severity

from ..shared import analysis, hit

if TYPE_CHECKING:
    from healthlint.article import Article
    from healthlint.rules import RuleContext

SUMMARY = "A word garbled by a spinner's substring swap ('undermendacity' for 'underlying')"
DOC = """
## What it flags
A token no dictionary knows that splits into part of a common word plus a thesaurus
synonym of the rest, so that swapping the synonym back restores the word:
"undermendacity" is "under" + "mendacity", and "mendacity" is a synonym of "lying".
The message names the restored word and the swap. Rare real words, medical terms, typos
of common words, words glued by a missing space and regular derivations ("nonmeat") are
left alone (typos and glued words are HL106's).

## Why it matters
Substring-replacing spinners leave these behind; a reader cannot decode them.

## Example
```text
Massage cannot fix every undermendacity cause of back pain.
```

## Instead
```text
Massage cannot fix every underlying cause of back pain.
```

## Options
`allow-words` and `word-lists`: words never reported (a drug or brand name that happens
to look garbled).
"""


def check_garbled(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    for ev in analysis(article, ctx).garbled:
        yield hit(ev, f"garbled word {ev.text!r}: probably {ev.suggestion!r} ({ev.detail})", ev.suggestion)


RULE = Rule("HL102", "garbled-word", SUMMARY, Severity.WARNING, check_garbled, DOC)
