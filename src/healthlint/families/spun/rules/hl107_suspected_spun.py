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
Articles of 80 words or more whose spin model probability (see HL101) reaches the
suspicion threshold of `data/spun_model.json` but not the verdict: a few words that
common synonyms would fit far better, more odd word pairs than clean prose has, a
swap or a spinner phrase. Light spins (a handful of swaps in otherwise clean text) and
short texts land here. One finding per article, on its first line; HL108 then shows the
words to look at.

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
None: the threshold ships with the model's weights (rebuild them with
`scripts/train_spun_model.py`); ignore HL107 to switch the tier off.
"""


def check_suspected_spun(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    result = analysis(article, ctx)
    if not result.suspected:
        return
    message = "the article may be machine-spun: " + result.model_evidence()
    suggestion = "compare it with its source, and rewrite the passages the HL108 findings show"
    yield article_hit(article, message, suggestion)


RULE = Rule("HL107", "suspected-spun", SUMMARY, Severity.WARNING, check_suspected_spun, DOC)
