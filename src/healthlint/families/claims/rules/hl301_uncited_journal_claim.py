"""HL301 uncited-journal-claim: a study claim that names a journal but cites no source."""

from __future__ import annotations

from healthlint import Rule, Severity

from ..checks import uncited_check

SUMMARY = "A study claim that names a journal but cites no source"
DOC = """
## What it flags
A sentence that rests a claim on a named journal ("a study published in the Journal of
Pain found…", "a JAMA study", "reported in The Lancet") with no citation: no link, bare URL,
DOI, PMID or PMCID, no footnote (`[^1]`) or numbered reference (`[1]`), and no front matter
`sources:` entry that names the journal. A marker whose reference list is missing or cut off
still cites the claim (HL307 points it out). The whole sentence is reported.

## Why it matters
Naming a journal borrows its authority. If readers cannot find the paper, they cannot check
that it exists or says what the article claims; spun and machine-written health pages invent
such studies all the time. HONcode (attribution) and the JAMA benchmarks require the source.

## Example
```markdown
A study published in the Journal of Back Care found that massage halves back pain.
```

## Instead
```markdown
A [2021 trial in the Journal of Back Care](https://doi.org/10.1234/jbc.2021.001) found
that weekly massage eased back pain for some people.
```
or a numbered reference: `…found that massage eased back pain [1].` with `1.` in a
`## References` list.

## Options
`journals` adds journal names (case-sensitive); `reference-headings` adds headings that
start a reference list. Links to any site count as a citation here; HL304 judges the site.
"""


MESSAGE = "Study claim names the journal {source!r} but cites no source"
SUGGESTION = "{cite_how_sentence}, or remove the claim."
check = uncited_check("journal", MESSAGE, SUGGESTION)

RULE = Rule("HL301", "uncited-journal-claim", SUMMARY, Severity.ERROR, check, DOC)
