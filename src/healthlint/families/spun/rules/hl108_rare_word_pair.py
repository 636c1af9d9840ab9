"""HL108: A word pair the web rarely uses while a synonym of one of its words makes a common pair."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from healthlint import Hit, Rule, Severity

from ..shared import analysis, analyzer
from ..trigram import likeliest_pair

if TYPE_CHECKING:
    from healthlint.article import Article
    from healthlint.rules import RuleContext

SUMMARY = "A word pair the web rarely uses while a synonym makes a common pair ('again ache' for 'back ache')"
DOC = """
## What it flags
In articles judged spun (HL101) or suspected spun (HL107) only: two adjacent common words
that web text seldom pairs (fewer than 100,000 times in about a trillion words) while a
thesaurus synonym of one of them, in any of its senses, makes a strong pair (a million
times or more). Word-for-word spinners swap a word for a synonym of another sense ("back"
becomes "again", "pressure" becomes "strain"), and these pairs are what is left. The
suggestion is the strong pair a trigram language model finds likeliest where the pair stands
(with the two words before it and the two after; without the model, the pair the web counts
make likeliest). No list is involved: the Moby thesaurus, wordsegment's web counts and CMU's
generic English trigram model decide (the share of unlisted pairs is one of the spin model's
signals).

## Why it matters
It points the editor at the passages to compare with the source; in clean prose such
pairs occur too (rare but right wordings), which is why they are shown only where the
whole article already looks spun.

## Example
```text
Sitting for hours can cause decrease again ache.
```

## Instead
```text
Sitting for hours can cause lower back ache.
```

## Options
None; ignore HL108 to hide these findings (they still count for the model).
"""


def check_rare_pairs(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    result = analysis(article, ctx)
    if not (result.verdict or result.suspected):
        return
    checker = analyzer()
    swaps = checker.swaps
    for block, start, end, x, y, around in checker.unlisted_pairs(b for b in article.blocks if b.text.strip()):
        if result.shows(block, start, end):
            continue
        original = likeliest_pair(swaps.restore_candidates(x, y), around)
        if original is None:
            continue
        text = block.text[start:end]
        message = f"{text!r} is rare on the web, while {original!r} is common: a synonym swap?"
        yield block.hit(start, end, message, suggestion=original)


RULE = Rule("HL108", "rare-word-pair", SUMMARY, Severity.SUGGESTION, check_rare_pairs, DOC)
