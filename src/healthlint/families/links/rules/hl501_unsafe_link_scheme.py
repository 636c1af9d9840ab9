"""HL501 unsafe-link-scheme: a javascript:, vbscript: or data: link."""

from healthlint import Rule, Severity
from healthlint.families.links.checks import check

SUMMARY = "A javascript:, vbscript: or data: link"
DOC = """
## What it flags
Links whose address runs code or carries a whole document instead of opening a page:
`javascript:`, `vbscript:` and `data:` (in Markdown links, raw HTML `<a href>`, and Markdown
links that markdown-it refuses to render but other renderers would). Spaces or line breaks
hidden inside the scheme (`java script:`) do not help. Inline images with a
`data:image/png` (gif, jpeg, webp, avif) address are allowed.

## Why it matters
A script link in a published article is an attack on its readers, and a `data:` link can show a
fake page under the site's name. No health article needs one.

## Example
```markdown
Read the [full guide](javascript:window.location='https://spam.example').
```

## Instead
```markdown
Read the [full guide](https://www.nhs.uk/conditions/back-pain/).
```

## Options
None; this rule cannot be relaxed by the allow list.
"""

RULE = Rule("HL501", "unsafe-link-scheme", SUMMARY, Severity.ERROR, check, DOC)
