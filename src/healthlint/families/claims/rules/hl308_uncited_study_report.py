"""HL308 uncited-study-report: one particular study reported without a citation."""

from __future__ import annotations

from healthlint import Rule, Severity

from ..checks import uncited_check

SUMMARY = "A report of one particular study that cites it nowhere"
DOC = """
## What it flags
A sentence that reports the finding of one study, trial or review that the writer has in
mind but neither names nor cites: "a 2019 study found", "in a small trial of 60 runners…",
"results from a large study showed", "a recent review concluded". A follow-up ("The
researchers found…") shares the cited or uncited status of the report it continues; a page
that lists its studies as full references, or has a References, Sources or Bibliography
section that is empty or holds a source (its list cut off, or a pointer to it left), cites
them, and so does a cited mention of the same study within the next three sentences (see
HL301 for what counts as a citation). A figure explained by example ("40/40 means that in a
study of 40 children every child had it") reports no study. Appeals to research in general
("studies show", "research suggests") are HL303.

## Why it matters
A single study is a checkable fact: one citation lets readers see who was studied, how
many and what was really found. Left out, the study cannot be told apart from one that
never existed, which is why editors hold such an article until the source is there.

## Example
```markdown
A 2021 study found that ten minutes of stretching a day halves back pain.
```

## Instead
```markdown
A [2021 trial of 120 office workers](https://pubmed.ncbi.nlm.nih.gov/12345678/) found
fewer days of back pain with ten minutes of daily stretching.
```

## Options
None of its own; citations are recognised as for HL301.
"""


MESSAGE = "{source!r} reports a study without citing it"
SUGGESTION = "Say which study it was and {cite_how}; or leave the claim out."
check = uncited_check("study", MESSAGE, SUGGESTION)

RULE = Rule("HL308", "uncited-study-report", SUMMARY, Severity.ERROR, check, DOC)
