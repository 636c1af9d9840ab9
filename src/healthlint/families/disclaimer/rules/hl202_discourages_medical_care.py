"""HL202 discourages-medical-care."""

from __future__ import annotations

from collections.abc import Iterator

from healthlint import Hit, Rule, Severity
from healthlint.article import Article
from healthlint.families.disclaimer.analysis import analysis_of
from healthlint.rules import RuleContext

SUMMARY = "A sentence that talks readers out of seeing a professional"
DOC = """
## What it flags
Sentences that tell readers they need not, or should not, see a professional: "you don't
need to see a doctor", "there's no need to consult your GP", "skip the doctor's visit",
"treat it at home instead of seeing a doctor". "Don't stop your medicine without talking to
your doctor" and "don't hesitate to call your doctor" are safety advice, not flagged.

## Why it matters
Some back pain is a symptom of something serious (a fracture, an infection, nerve
compression). An article cannot examine the reader, so it must not rule out a professional
opinion.

## Example
```markdown
Most people with back pain don't need to see a doctor.
```

## Instead
```markdown
Most back pain gets better on its own, but see a doctor if it lasts more than six weeks or
comes with numbness, weakness, fever or trouble passing urine.
```

## Options
None.
"""


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    for s in analysis_of(article, ctx).statements:
        if s.kind == "discourages":
            yield s.block.hit(
                s.start,
                s.end,
                f"Discourages professional care: {s.evidence!r}",
                suggestion="Tell readers when they should see a professional instead, e.g. "
                '"See a doctor if the pain lasts more than a few weeks or comes with fever, numbness or weakness."',
            )


RULE = Rule("HL202", "discourages-medical-care", SUMMARY, Severity.WARNING, check, DOC)
