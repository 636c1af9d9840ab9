"""HL306 unlinked-agency-statistic: a figure or recommendation attributed to an agency, with no link to it."""

from __future__ import annotations

from collections.abc import Iterator

from healthlint import Article, Hit, Rule, RuleContext, Severity

from ..analysis import uncited_claims


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    for claim in uncited_claims(ctx, "agency"):
        yield claim.hit(
            f"Figure or advice attributed to {claim.source!r} without a link to it",
            f"Link the {claim.source} page or report it comes from.",
        )


RULE = Rule(
    code="HL306",
    name="unlinked-agency-statistic",
    summary="A statistic or recommendation attributed to an agency without a link",
    severity=Severity.SUGGESTION,
    check=check,
    doc="""
## What it flags
A sentence that attributes a statistic, a definition or a recommendation to a named agency or
organisation ("The CDC reports that 1 in 3 adults…", "according to the NHS", "WHO estimates")
without a link, where no study, trial or research is named (those are HL302).

## Why it matters
Agency figures are usually sound, but they change from year to year; a link lets readers check
the number and see how recent it is. It is not a study claim, so it does not withhold the article.

## Example
```markdown
According to the CDC, one in three adults does not get enough sleep.
```

## Instead
```markdown
According to the [CDC](https://www.cdc.gov/sleep/data-research/facts-stats/adults-sleep-facts-and-stats.html),
one in three adults does not get enough sleep.
```

## Options
None; the institutions recognised are those of HL302 (its `institutions` option adds names).
""",
)
