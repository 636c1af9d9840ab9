"""HL109: A word the language model finds far less likely in its context than one of its thesaurus synonyms."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from healthlint import Fix, Hit, Rule, Severity

from ..shared import analysis, hit

if TYPE_CHECKING:
    from healthlint.article import Article
    from healthlint.rules import RuleContext

SUMMARY = "A word far less likely in context than its thesaurus synonym ('lower again pain' for 'lower back pain')"
DOC = """
## What it flags
With the deeper stage on (`deep = true`) only: a word for which a small language model,
reading the text before it, gives one of the word's thesaurus synonyms far more probability
than the word itself, while the web pair counts agree with the synonym on the word's right.
A spinner swaps words one at a time for synonyms, so the swapped word is the one the context
did not expect, and the likeliest synonym is the probable original. A small regression fitted
on thesaurus substitutions over clean text (`scripts/train_deep_swaps.py`,
`data/deep_swap_model.json`) decides which words to list.

Adjacent swapped words are one finding, and so is a swapped word with the word beside it
that pairs far more often with the original on the web ('again pain' for 'back pain'). The
suggestion is the flagged phrase rewritten, every swapped word replaced by its probable
original (chosen by the model from the left, and by the web pairs with the next word), so
it is also the quick fix (not a safe one: check it). A second original nearly as likely is
named in the message.

## Why it matters
It points the editor at the very words to put back, not only at the article: a page the
stage judges spun (HL101) or suspects (HL107) lists its swapped words here.

## Example
```text
Desk workers often get lower again pain after a long week.
```

## Instead
```text
Desk workers often get lower back pain after a long week.
```

## Options
`deep = true` to run the stage; `swap-findings` (shared with HL105): `verdict` (default:
in articles judged or suspected spun, at a lower threshold), `always` (every article, at a
threshold that keeps clean prose almost free of them; the whole article is then read by the
language model, which costs about 7 ms of CPU per token), or `never`.
"""


def check_swapped_words(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    for ev in analysis(article, ctx).lm_swaps:
        message = f"{ev.text!r} reads like a thesaurus swap of {ev.suggestion!r} ({ev.detail})"
        # The suggestion is the span rewritten, so it is also the (unsafe: a probable original) quick fix.
        yield hit(ev, message, ev.suggestion, Fix(ev.suggestion, safe=False))


RULE = Rule("HL109", "swapped-word", SUMMARY, Severity.SUGGESTION, check_swapped_words, DOC)
