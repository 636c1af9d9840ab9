"""HL502 hidden-link: a link readers cannot see (display:none, zero size, off-screen, no text)."""

from healthlint import Rule, Severity
from healthlint.families.links.checks import check

SUMMARY = "A link readers cannot see (display:none, zero size, off-screen, no text)"
DOC = """
## What it flags
Links in raw HTML (and Markdown links inside hidden HTML) that a reader cannot see: an element
or ancestor with `display:none`, `visibility:hidden`, `opacity:0`, a zero font size, zero width or
height with `overflow:hidden`, off-screen positioning (`left:-9999px`, `text-indent:-9999px`),
`clip: rect(0 0 0 0)`, `transform: scale(0)`, transparent text, the `hidden` attribute, hiding
classes (`hidden`, `d-none`, `sr-only`, `visually-hidden`…), `<font size=0>`; links inside
`<noscript>` or `<template>`; `<a>` with no visible text or only an invisible image; and
`<link>`/`<area>` elements in the body. The message names the link's domain and what hides it.

## Why it matters
Hidden links exist only for search engines: they are the classic footprint of a hacked or
link-selling site, and search engines penalise the whole site for them.

## Example
```markdown
Gentle stretching helps.<span style="display:none"><a href="https://casino.example">casino</a></span>
```

## Instead
Delete the hidden markup. A link worth having is one readers can see and follow.

## Options
None; hidden links are flagged even to allowed domains.
"""

RULE = Rule("HL502", "hidden-link", SUMMARY, Severity.ERROR, check, DOC)
