"""HL303 vague-research-claim: an appeal to unnamed research without a citation."""

from __future__ import annotations

from healthlint import Rule, Severity

from ..checks import uncited_check

SUMMARY = "An appeal to unnamed research without a citation"
DOC = """
## What it flags
Sentences that lean on research without naming or citing it: "studies show", "research
suggests", "scientists say", "according to research", "a robust body of clinical research",
"proven in trials", also in a rewriter's wording ("Researches say", "Exploration exhibits").
The report of one particular study ("a recent study found", "in a 2019 trial") is HL308. A
follow-up ("The researchers found…", "They found that…") shares the cited or uncited status
of the claim it continues. Cautious statements ("more research is needed", "there is no
evidence that…", "studies have not shown…") and questions are not flagged, nor are appeals
that name no study, trial, review or researcher ("clinically proven", "has been shown to",
"experts say", "science-backed"): there is nothing to cite. A page that lists its studies as
full references (authors, year, title), under a heading or not, cites them, and so does a page
with a References, Sources or Bibliography section that is empty or holds a source.

## Why it matters
"Studies show" is the commonest way health copy makes an opinion sound like a fact.
Readers cannot weigh evidence they cannot see.

## Example
```markdown
Research shows that magnesium cures night cramps.
```

## Instead
```markdown
In a [2020 Cochrane review](https://doi.org/10.1002/14651858.CD000000), magnesium did
not reliably prevent night cramps in older adults.
```

## Options
None of its own; citations are recognised as for HL301.
"""


MESSAGE = "{source!r} appeals to research without citing it"
SUGGESTION = "Name and {cite_how}; or say plainly what is known without leaning on unnamed studies."
check = uncited_check("vague", MESSAGE, SUGGESTION)

RULE = Rule("HL303", "vague-research-claim", SUMMARY, Severity.WARNING, check, DOC)
