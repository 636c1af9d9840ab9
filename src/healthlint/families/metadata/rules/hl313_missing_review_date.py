"""HL313 missing-review-date: front matter without a last-reviewed or updated date."""

from __future__ import annotations

from collections.abc import Iterator

from healthlint import Article, Hit, Rule, RuleContext, Severity

from ..front_matter import missing_hit, options_if_applies, review_date

SUMMARY = "Front matter without a last-reviewed or updated date"
DOC = """
## What it flags
Front matter with none of `last_reviewed`, `reviewed`, `review_date`, `updated`,
`last_updated`, `modified` (dashes, underscores and case do not matter). A publication
`date` alone does not say whether the content is still current.

## Why it matters
Medical advice changes. The JAMA benchmarks (currency) ask that readers can see when a page
was last checked.

## Example
```markdown
---
title: Heat or ice for back pain?
date: 2019-05-02
---
```

## Instead
```markdown
---
title: Heat or ice for back pain?
date: 2019-05-02
last_reviewed: 2025-01-20
---
```

## Options
`require-review-date` (default true); `review-date-keys`; `check-metadata`;
`metadata-in-plain-text`.
"""


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    options = options_if_applies(ctx)
    if options is None or not options.require_review_date:
        return
    if review_date(article, options) is None:
        keys = " or ".join(f"`{k}`" for k in options.review_date_keys[:2])
        yield missing_hit(
            article,
            "No review date in the front matter",
            f"Add {keys} (YYYY-MM-DD) so readers can see how current the article is.",
        )


RULE = Rule("HL313", "missing-review-date", SUMMARY, Severity.WARNING, check, DOC)
