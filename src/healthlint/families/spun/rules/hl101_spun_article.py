"""HL101: The article reads as machine-spun: one finding per article, on its first line."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from healthlint import Hit, Rule, Severity

from ..shared import analysis, article_hit

if TYPE_CHECKING:
    from healthlint.article import Article
    from healthlint.rules import RuleContext

SUMMARY = "The article reads as machine-spun (thesaurus-rewritten) text"
DOC = """
## What it flags
Articles that read as machine-spun, on any of three measures calibrated on clean health
prose (937 articles, 410,000 words, none of which is flagged):

- **List-free score**: how unlikely the article's list-free evidence is for clean prose
  of its length, as -log10 of a chance, summed over three independent signals: the
  number of distinct thesaurus swaps (clean prose: 0.068 per 100 words), of garbled
  words (at most 1 per 100,000 words), and the odd-pair share (below; capped at 2.5).
  Clean prose peaks at 3.6; the verdict needs 5. A long article with a few more swaps
  than usual plus a garbled word is caught even when no spinner phrase list knows it.

- **Evidence density**: garbled words (HL102, 3 points each), thesaurus swaps (HL105,
  1 point), strong spinner phrases (HL103, 2 points) and possible ones (HL104, 1 or 0.5),
  each distinct one counted once, per 100 words (texts under 250 words count as 250).
  Clean prose peaks at 1.2; the verdict needs 1.8.
- **Odd word pairs**: the share of adjacent common-word pairs that web text does not use
  while swapping one word for a near-synonym gives a pair it does use ("slightly than" for
  "rather than"). Clean prose: about 12%. A thesaurus rewrite breaks the pairs on both
  sides of every swapped word; the verdict needs the share's lower 95% bound to reach 20%.

None of the measures needs a list: garbled words, swaps and odd pairs come from the Moby
thesaurus and word and word-pair frequencies; the phrase list only adds evidence where it
matches. One finding per article, on its first line. Every article's JSON
`metrics.spun` holds both measures, their thresholds and the counts.

## Why it matters
Spun text is stolen text made unreadable. Health readers cannot tell "the reply is
sure" from advice, and search engines demote whole sites for it. It must not be
published.

## Example
```text
Massage may also help in lots of cases, slightly than medication, and it will probably
reduce undermendacity pressure within the muscle tissues.
```

## Instead
Rewrite the article from its source or by hand. The other HL1 findings show the
probable original wording of each spun passage.

## Options
`verdict-threshold` (default 1.8 points per 100 words), `odd-pair-threshold` (default
0.2, compared with the lower 95% bound of the odd-pair share), `list-free-threshold`
(default 5.0), `verdict-min-words` (default 80: shorter texts get metrics but no verdict
on evidence density or the list-free score).
"""


def check_spun_article(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    result = analysis(article, ctx)
    if not result.verdict:
        return
    parts = []
    for n, label in (
        (len(result.garbled), "garbled word"),
        (len(result.phrases), "spinner phrase"),
        (len(result.swaps), "thesaurus swap"),
    ):
        if n:
            parts.append(f"{n} {label}{'' if n == 1 else 's'}")
    reasons = []
    if result.verdict_by_density:
        reasons.append(
            f"{result.density:.1f} points of spin evidence per 100 words (clean prose stays below"
            f" {result.threshold:g}): {', '.join(parts)}"
        )
    if result.verdict_by_odd_pairs:
        reasons.append(
            f"{result.odd_rate:.0%} of its word pairs ({result.odd_pairs} of {result.pairs}) are odd pairs one"
            f" synonym away from common ones (clean prose: about 12%, never surely above {result.odd_threshold:.0%})"
        )
    if result.verdict_by_list_free_score and not reasons:
        evidence = [
            f"{len(result.swap_keys)} thesaurus swap{'' if len(result.swap_keys) == 1 else 's'}",
            f"{len(result.garbled)} garbled word{'' if len(result.garbled) == 1 else 's'}",
            f"{result.odd_rate:.0%} odd word pairs",
        ]
        reasons.append(
            f"{', '.join(evidence)} in {result.words} words, far more than clean prose shows (list-free score"
            f" {result.list_free_score:.1f}; clean prose stays below {result.list_free_threshold:g})"
        )
    if result.verdict_by_model and not reasons:
        reasons.append(result.model_evidence())
    message = "the article reads as machine-spun: " + "; and ".join(reasons)
    suggestion = (
        "do not publish spun text; rewrite it from the original source (the findings below show"
        " the probable original wording)"
    )
    yield article_hit(article, message, suggestion, key="machine-spun article")


RULE = Rule("HL101", "spun-article", SUMMARY, Severity.ERROR, check_spun_article, DOC)
