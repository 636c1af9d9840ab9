"""HL108: Words that a common synonym would fit far better, in articles judged or suspected spun."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from healthlint import Hit, Rule, Severity

from ..shared import analysis, hit

if TYPE_CHECKING:
    from healthlint.article import Article
    from healthlint.rules import RuleContext

SUMMARY = "A word a common synonym would fit far better between its neighbours ('physical indolence')"
DOC = """
## What it flags
In articles judged spun (HL101) or suspected (HL107), each content word for which a
thesaurus synonym is at least 30 times likelier between the same neighbours, going by
web word-pair counts: "physical indolence" (physical inactivity), "blood strain" (blood
pressure). The suggestion is the probable original wording. No list is involved.

## Why it matters
A spinner swaps words one at a time for synonyms that do not fit their neighbours; these
are the places to rewrite.

## Example
```text
Physical indolence raises the danger of heart disease.
```

## Instead
```text
Physical inactivity raises the risk of heart disease.
```

## Options
None. Articles neither judged nor suspected spun get no HL108 findings (clean prose
has a few such words too).
"""


def check_displaced_words(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    result = analysis(article, ctx)
    if not (result.verdict or result.suspected):
        return
    for ev in result.displaced:
        yield hit(
            ev, f"{ev.text!r} fits its neighbours poorly: probably {ev.word!r} ({ev.suggestion!r})", ev.suggestion
        )


RULE = Rule("HL108", "displaced-word", SUMMARY, Severity.SUGGESTION, check_displaced_words, DOC)
