"""HL314 outdated-review: the last review or update is older than the allowed age (default 2 years)."""

from __future__ import annotations

from collections.abc import Iterator

from healthlint import Article, Hit, Rule, RuleContext, Severity

from ..dates import parse_date, today_or
from ..front_matter import options_if_applies, review_date

SUMMARY = "The last review or update is older than the allowed age (default 2 years)"
DOC = """
## What it flags
A review or update date (the most recent of the review-date keys) older than
`max-review-age-days` (730 days by default). The finding is on the key's line and says how
old the review is. The age is also in the JSON metrics as `review_age_days`.

## Why it matters
Two years is long enough for guidelines, doses and warnings to change.

## Example
```markdown
---
last_reviewed: 2019-03-01
---
```

## Instead
Have a clinician check the article against current guidance, then update the date:
```markdown
---
last_reviewed: 2025-02-10
---
```

## Options
`max-review-age-days` (default 730; 0 switches the check off); `as-of` (YYYY-MM-DD) checks
against a fixed day instead of today, for reproducible runs.
"""


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    options = options_if_applies(ctx)
    if options is None or options.max_review_age_days <= 0:
        return
    found = review_date(article, options)
    if found is None:
        return
    parsed, _ = parse_date(found[1])
    if parsed is None:
        return
    age = (today_or(options.as_of) - parsed).days
    ctx.metrics["review_age_days"] = age
    if age > options.max_review_age_days:
        yield article.line_hit(
            article.meta_line(found[0]),
            f"Last reviewed {parsed.isoformat()}, {_describe_age(age)} ago "
            f"(limit: {_describe_age(options.max_review_age_days)})",
            suggestion=f"Have the article reviewed against current evidence, then update {found[0]!r}.",
        )


def _describe_age(days: int) -> str:
    if days >= 365:
        years = days / 365.25
        return f"{years:.1f} years".replace(".0 ", " ")
    if days >= 60:
        return f"{days // 30} months"
    return f"{days} days"


RULE = Rule("HL314", "outdated-review", SUMMARY, Severity.WARNING, check, DOC)
