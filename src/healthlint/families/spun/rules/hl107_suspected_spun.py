"""HL107: The article may be machine-spun: the spin model's moderate evidence, short of HL101's verdict."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from healthlint import Hit, Rule, Severity

from ..shared import analysis, article_hit

if TYPE_CHECKING:
    from healthlint.article import Article
    from healthlint.rules import RuleContext

SUMMARY = "The article may be machine-spun: moderate evidence, short of the spun verdict (HL101)"
DOC = """
## What it flags
Articles of 80 words or more (50 or more with `deep = true`) whose spin model probability
(see HL101) reaches the suspicion threshold of `data/spun_model.json` (with `deep = true`, of
the stacked model, whose tiers for texts of 50-79 words are their own) but not the verdict:
more word pairs that the web never uses while a synonym of one of the words makes a common
pair ("again ache" for "back ache") than clean prose has, odd and unlisted word pairs,
uncommon words, swaps. Light spins and short texts land here. One finding per article, on its first
line; the HL105 swaps and HL103/HL104 phrases then show the passages to look at.

## Why it matters
A lightly spun page is still stolen text; an editor should read it against its source
before it is published.

## Example
```text
Physical indolence and a poor regime raise the danger of sort 2 diabetes, and the
degree of thickness keeps climbing in most nations.
```

## Instead
```text
Physical inactivity and a poor diet raise the risk of type 2 diabetes, and the obesity
rate keeps climbing in most countries.
```

## Options
`suspect-threshold` (default: the model's own, chosen for 90% precision out of fold on
real pages); rebuild the weights with `scripts/train_spun_model.py`; ignore HL107 to
switch the tier off.
"""


def check_suspected_spun(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    result = analysis(article, ctx)
    if not result.suspected:
        return
    message = "the article may be machine-spun: " + result.model_evidence()
    suggestion = "compare it with its source, and rewrite the passages the other HL1 findings show"
    yield article_hit(article, message, suggestion, key="possibly machine-spun article")


RULE = Rule("HL107", "suspected-spun", SUMMARY, Severity.WARNING, check_suspected_spun, DOC)
