"""HL511 link-residue: 'get in touch' / 'click here' left at the end of an unrelated sentence."""

from healthlint import Rule, Severity
from healthlint.families.links.checks import check

SUMMARY = "'get in touch' / 'click here' left at the end of an unrelated sentence"
DOC = """
## What it flags
A call to action ("get in touch", "click here", "visit our site", "contact us", "read more")
stuck on the end of a sentence about something else, with no word about contacting, visiting
or reading in it: the anchor text of an injected link whose link was removed. Sentences that
are instructions anyway ("If you have questions, get in touch.", "Please contact us.") pass.

## Why it matters
The sentence no longer makes sense, and it shows readers the article was tampered with.

## Example
```text
Heat relaxes the muscles around the spine and get in touch.
```

## Instead
```text
Heat relaxes the muscles around the spine.
```

## Options
None.
"""

RULE = Rule("HL511", "link-residue", SUMMARY, Severity.WARNING, check, DOC)
