"""HL302 uncited-institution-claim: a finding attributed to a named institution without a source."""

from __future__ import annotations

from healthlint import Rule, Severity

from ..checks import uncited_check

SUMMARY = "A finding attributed to a named institution without a source"
DOC = """
## What it flags
A sentence that attributes a study's finding to a named university, hospital or agency ("a
Harvard study", "researchers at the Mayo Clinic found", "according to a CDC survey") with no
citation (see HL301 for what counts). An agency's figure or advice in a sentence that names no
study or research ("according to the CDC, one in four adults…") is HL306.

## Why it matters
An institution's name makes a claim sound settled, but institutions publish many studies and
pages; without a link readers cannot tell which one, or whether it says this.

## Example
```markdown
A Harvard study showed that ten minutes of stretching prevents back pain.
```

## Instead
```markdown
A [Harvard study of 300 office workers](https://pubmed.ncbi.nlm.nih.gov/12345678/) found
that daily stretching was linked to fewer back-pain days.
```

## Options
`institutions` adds names (case-sensitive) to the built-in list; "University of X",
"X Institute", "X Clinic" and national academies and associations are recognised without it.
"""


MESSAGE = "Finding attributed to {source!r} without a source"
SUGGESTION = "Link the study or the {source} page it comes from; {cite_how}."
check = uncited_check("institution", MESSAGE, SUGGESTION)

RULE = Rule("HL302", "uncited-institution-claim", SUMMARY, Severity.ERROR, check, DOC)
