"""HL105: Word pairs one thesaurus swap from an idiomatic pair."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from healthlint import Hit, Rule, Severity

from ..options import PLUGIN
from ..shared import analysis, hit

if TYPE_CHECKING:
    from healthlint.article import Article
    from healthlint.rules import RuleContext

SUMMARY = "A word pair one thesaurus swap from an idiomatic pair ('slightly than' for 'rather than')"
DOC = """
## What it flags
Two adjacent common words that web text almost never pairs (fewer than 100,000 times in
about a trillion words) while a close thesaurus synonym of one of them makes a strong
pair (a million times or more): "slightly than" (rather than), "such because" (such as).
No list is involved; the Moby thesaurus and wordsegment's web counts decide (a pair that
NIH consumer-health answers use, such as "help slow", is never one). By default
they are listed only in articles HL101 judges spun or HL107 suspects, where they show
what to rewrite.

## Why it matters
Spinners replace words one by one and break fixed pairs; this is how spinning is found
when no list knows the spinner.

## Example
```text
Choose a gentle stretch slightly than a hard one.
```

## Instead
```text
Choose a gentle stretch rather than a hard one.
```

## Options
`swap-findings`: `verdict` (default: in articles judged or suspected spun), `always`, or
`never` (they still count for HL101).
"""


def check_swaps(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    result = analysis(article, ctx)
    mode = ctx.options(PLUGIN).swap_findings
    if mode == "never" or (mode == "verdict" and not (result.verdict or result.suspected)):
        return
    for ev in result.swaps:
        message = f"{ev.text!r} is one thesaurus swap from {ev.suggestion!r} ({ev.detail!r} looks swapped)"
        yield hit(ev, message, ev.suggestion)


RULE = Rule("HL105", "thesaurus-swap", SUMMARY, Severity.SUGGESTION, check_swaps, DOC)
