"""HL202 discourages-medical-care."""

from __future__ import annotations

from healthlint import Rule, Severity
from healthlint.families.disclaimer.checks import statement_check

SUMMARY = "A sentence that talks readers out of seeing a professional"
DOC = """
## What it flags
Sentences that tell readers they need not, or should not, see a professional: "you don't
need to see a doctor", "there's no need to consult your GP", "skip the doctor's visit",
"treat it at home instead of seeing a doctor". "Don't stop your medicine without talking to
your doctor" and "don't hesitate to call your doctor" are safety advice, not flagged.

## Why it matters
Some back pain is a symptom of something serious (a fracture, an infection, nerve
compression). An article cannot examine the reader, so it must not rule out a professional
opinion.

## Example
```markdown
Most people with back pain don't need to see a doctor.
```

## Instead
```markdown
Most back pain gets better on its own, but see a doctor if it lasts more than six weeks or
comes with numbness, weakness, fever or trouble passing urine.
```

## Options
None.
"""


MESSAGE = "Discourages professional care: {evidence!r}"
SUGGESTION = (
    "Tell readers when they should see a professional instead, e.g. "
    '"See a doctor if the pain lasts more than a few weeks or comes with fever, numbness or weakness."'
)
check = statement_check("discourages", MESSAGE, SUGGESTION)

RULE = Rule("HL202", "discourages-medical-care", SUMMARY, Severity.WARNING, check, DOC)
