"""HL315 malformed-date: a front matter date that cannot be read, is ambiguous or lies in the future."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from healthlint import Article, Hit, Rule, RuleContext, Severity

from ..dates import parse_date, today_or
from ..front_matter import norm_key, options_if_applies
from ..options import OTHER_DATE_KEYS

SUMMARY = "A front matter date that cannot be read, is ambiguous or lies in the future"
DOC = """
## What it flags
A date in the front matter (`date`, `published`, `last_reviewed`, `updated` and the other
date keys) that is not a date ("last spring", `2024`), does not exist (`2024-02-30`), is
ambiguous (`03/04/2024`), or lies in the future. The finding is on the key's line.

## Why it matters
A date nobody can read (or one in the future) tells readers nothing about how current the
advice is, and it silently switches off the outdated-review check (HL314).

## Example
```markdown
---
last_reviewed: 04/03/2024
---
```

## Instead
```markdown
---
last_reviewed: 2024-03-04
---
```

## Options
`review-date-keys` (dates that count as reviews); `as-of`; `check-metadata`;
`metadata-in-plain-text`.
"""


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    options = options_if_applies(ctx)
    if options is None or not article.meta:
        return
    keys = {norm_key(k) for k in [*options.review_date_keys, *OTHER_DATE_KEYS]}
    today = today_or(options.as_of)
    for key, value in article.meta.items():
        if norm_key(key) not in keys:
            continue
        parsed, problem = parse_date(value)
        line = article.meta_line(key)
        if problem:
            yield article.line_hit(line, f"Date in {key!r} {problem}", suggestion="Write dates as YYYY-MM-DD.")
        elif parsed is not None and parsed > today + dt.timedelta(days=1):
            yield article.line_hit(
                line,
                f"Date in {key!r} ({parsed.isoformat()}) is in the future",
                suggestion="Use the date the article was actually reviewed or updated.",
            )


RULE = Rule("HL315", "malformed-date", SUMMARY, Severity.WARNING, check, DOC)
