"""HL507 url-shortener: a shortened link (bit.ly, tinyurl...) that hides where it goes."""

from healthlint import Rule, Severity
from healthlint.families.links.checks import check

SUMMARY = "A shortened link (bit.ly, tinyurl...) that hides where it goes"
DOC = """
## What it flags
Links through URL shorteners (bit.ly, tinyurl.com, t.co, goo.gl, ow.ly, cutt.ly, amzn.to and
about 50 more), which hide the destination from readers and editors.

## Why it matters
An editor cannot check a source they cannot see, shortened links break when the service
closes, and spam uses them to get past domain filters.

## Example
```markdown
See the [trial results](https://bit.ly/3xYz12).
```

## Instead
```markdown
See the [trial results](https://doi.org/10.1001/jama.2017.0001).
```

## Options
`shorteners` (list, default `[]`): more shortener domains.
"""

RULE = Rule("HL507", "url-shortener", SUMMARY, Severity.WARNING, check, DOC)
