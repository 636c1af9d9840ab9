"""HL001 unreadable-article: the problems met while reading and parsing the file."""

from __future__ import annotations

from collections.abc import Iterator

from healthlint import Article, Hit, Rule, RuleContext, Severity

SUMMARY = "The file cannot be read or parsed as an article"
DOC = """
## What it flags
A file that is not an article healthlint can read: binary data, bytes that are not
UTF-8 (or UTF-16/32 with a byte-order mark), front matter that is not valid YAML, is not
a mapping, or is never closed. The finding names the line (and column) of the problem.
Also Markdown with more inline markup or table cells than an article of its length may hold
(1 MB of `[`, say): parsing it could take minutes, so from the paragraph or table row named
on it is read as plain text.

## Why it matters
What healthlint cannot read it cannot check, and what it cannot check must not be
published as if it had passed.

## Example
```markdown
---
title: "Back pain
---
```

## Instead
Save the file as UTF-8 and close the front matter with `---`:
```markdown
---
title: "Back pain"
---
```

## Options
None. Undecodable bytes are replaced and the rest of the article is still checked.
"""


def check_unreadable_article(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    for problem in article.problems:
        yield Hit(line=problem.line, column=problem.column, message=problem.message)


RULE = Rule("HL001", "unreadable-article", SUMMARY, Severity.ERROR, check_unreadable_article, DOC)
