"""HL312 missing-medical-reviewer: front matter without a named medical reviewer (when required)."""

from __future__ import annotations

from collections.abc import Iterator

from healthlint import Article, Hit, Rule, RuleContext, Severity

from ..front_matter import check_person, meta_lookup, options_if_applies

SUMMARY = "Front matter without a named medical reviewer (when required)"
DOC = """
## What it flags
When `require-reviewer = true`: front matter without `reviewed_by` (or
`medically_reviewed_by`, `medical_reviewer`, `reviewer`), an empty one, or a generic one
("Editorial team").

## Why it matters
Publishers that promise medical review should show who did it, so readers can check the
reviewer's qualifications.

## Example
```markdown
---
author: Maya Lindqvist
reviewed_by: Editorial team
---
```

## Instead
```markdown
---
author: Maya Lindqvist
reviewed_by: Dr. Tomas Okafor, physiotherapist
---
```

## Options
`require-reviewer` (default false: off until a site opts in); `reviewer-keys`;
`check-metadata`; `metadata-in-plain-text`.
"""


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    options = options_if_applies(ctx)
    if options is None or not options.require_reviewer:
        return
    add = f"Add `{options.reviewer_keys[0]}` with the reviewing clinician's name and credentials."
    yield from check_person(
        article,
        meta_lookup(article, options.reviewer_keys),
        ("No medical reviewer in the front matter", add),
        ("{key!r} names no reviewer", add),
        (
            "Reviewer {name!r} is not a named person",
            "Name the clinician who reviewed the article, with their credentials.",
        ),
    )


RULE = Rule("HL312", "missing-medical-reviewer", SUMMARY, Severity.WARNING, check, DOC)
