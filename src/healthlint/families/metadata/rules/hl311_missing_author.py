"""HL311 missing-author: front matter without a named author."""

from __future__ import annotations

from collections.abc import Iterator

from healthlint import Article, Hit, Rule, RuleContext, Severity

from ..front_matter import check_person, meta_lookup, options_if_applies

SUMMARY = "Front matter without a named author"
DOC = """
## What it flags
An article whose front matter has no `author` (or `authors`, `byline`, `written_by`), an
empty one, or only a generic byline such as "admin", "Staff writer" or "Editorial team".

## Why it matters
The JAMA benchmarks and HONcode ask that readers can see who wrote health information and
what qualifies them.

## Example
```markdown
---
title: Heat or ice for back pain?
author: admin
---
```

## Instead
```markdown
---
title: Heat or ice for back pain?
author: Maya Lindqvist, RN
---
```

## Options
`require-author` (default true); `author-keys`; `check-metadata` ("front-matter": only
articles that have front matter, the default; "always"; "off"); `metadata-in-plain-text`
(default false).
"""


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    options = options_if_applies(ctx)
    if options is None or not options.require_author:
        return
    keys = " or ".join(f"`{k}`" for k in options.author_keys[:2])
    yield from check_person(
        article,
        meta_lookup(article, options.author_keys),
        ("No author in the front matter", f"Add {keys} with the writer's name (and credentials)."),
        ("Front matter {key!r} names no author", "Give the author's name (and credentials)."),
        ("Author {name!r} is not a named person", "Name the person who wrote the article, with their credentials."),
    )


RULE = Rule("HL311", "missing-author", SUMMARY, Severity.WARNING, check, DOC)
