"""HL303 vague-research-claim: an appeal to unnamed research without a citation."""

from __future__ import annotations

from collections.abc import Iterator

from healthlint import Article, Hit, Rule, RuleContext, Severity

from ..analysis import CITE_HOW, uncited_claims, unresolved_note


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    for claim in uncited_claims(ctx, "vague"):
        yield claim.hit(
            f"{claim.source!r} appeals to research without citing it{unresolved_note(claim)}",
            f"Name and {CITE_HOW}; or say plainly what is known without leaning on unnamed studies.",
        )


RULE = Rule(
    code="HL303",
    name="vague-research-claim",
    summary="An appeal to unnamed research without a citation",
    severity=Severity.WARNING,
    check=check,
    doc="""
## What it flags
Sentences that lean on research without naming or citing it: "studies show", "research
suggests", "scientists say", "a recent study found", "according to research", "clinically
proven", "has been shown to", "recommended in clinical guidelines", "a robust body of
scientific evidence". Cautious statements ("more research is needed", "there is no
evidence that…", "studies have not shown…") and questions are not flagged; nor are
follow-up mentions ("the study found") once the study itself was introduced.

## Why it matters
"Studies show" is the commonest way health copy makes an opinion sound like a fact.
Readers cannot weigh evidence they cannot see.

## Example
```markdown
Research shows that magnesium cures night cramps.
```

## Instead
```markdown
In a [2020 Cochrane review](https://doi.org/10.1002/14651858.CD000000), magnesium did
not reliably prevent night cramps in older adults.
```

## Options
None of its own; citations are recognised as for HL301.
""",
)
