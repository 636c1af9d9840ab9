"""HL307 unresolved-citation-marker: a study claim's citation marker with no reference behind it."""

from __future__ import annotations

from collections.abc import Iterator

from healthlint import Article, Hit, Rule, RuleContext, Severity

SUMMARY = "A study claim's citation marker that points to no reference ('[3]' with no reference list)"
DOC = """
## What it flags
A study claim cited with a numbered marker (`[3]`, `[2-4]`, a number that lost its
superscript: "…within three months.1"), an author–year citation ("(Lee et al., 2021)") or a
footnote (`[^9]`) that points to nothing in the article: there is no References / Sources
section, the section has no matching entry, or the footnote has no definition. The claim's
sentence is reported with the markers that point nowhere.

## Why it matters
The marker shows the writer cited the claim, so HL301-HL303 and HL308 accept it; but readers cannot
follow it. Text copied from a web page loses its reference list more often than its
markers, and a list cut short drops its last entries.

## Example
```markdown
A trial in the Journal of Back Care found that massage eased back pain [1].
```
(with no References section below it)

## Instead
```markdown
A trial in the Journal of Back Care found that massage eased back pain [1].

### References

1. Lee H, Diaz M. Weekly massage for chronic back pain. J Back Care. 2021;12:40-48.
```

## Options
`reference-headings` adds headings that start a reference list (shared with HL301).
"""


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    from ..analysis import analysis_for  # on first use: see ..checks

    analysis = analysis_for(ctx)
    refs = analysis.references
    for claim in analysis.claims:
        if not claim.unresolved:
            continue
        markers = ", ".join(f"'{marker}'" for marker in dict.fromkeys(claim.unresolved))
        if all(m.startswith("[^") for m in claim.unresolved):
            why = "no footnote definition"
        elif refs.has_section or refs.entries:
            why = "no matching entry in the reference list"
        else:
            why = "the article has no reference list"
        yield claim.hit(
            f"Citation marker {markers} points to no reference: {why}",
            "Put back the reference list (or the footnote definitions) the markers point to, or link the study.",
        )


RULE = Rule("HL307", "unresolved-citation-marker", SUMMARY, Severity.SUGGESTION, check, DOC)
