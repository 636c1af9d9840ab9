"""HL306 unlinked-agency-statistic: a figure or recommendation attributed to an agency, with no link to it."""

from __future__ import annotations

from healthlint import Rule, Severity

from ..checks import uncited_check

SUMMARY = "A statistic or recommendation attributed to an agency without a link"
DOC = """
## What it flags
A sentence that attributes a statistic, a definition or a recommendation to a named agency or
organisation ("The CDC reports that 1 in 3 adults…", "according to the NHS", "WHO estimates")
without a link, where no study, trial or research is named (those are HL302).

## Why it matters
Agency figures are usually sound, but they change from year to year; a link lets readers check
the number and see how recent it is. It is not a study claim, so it does not withhold the article.

## Example
```markdown
According to the CDC, one in three adults does not get enough sleep.
```

## Instead
```markdown
According to the [CDC](https://www.cdc.gov/sleep/data-research/facts-stats/adults-sleep-facts-and-stats.html),
one in three adults does not get enough sleep.
```

## Options
None; the institutions recognised are those of HL302 (its `institutions` option adds names).
"""

MESSAGE = "Figure or advice attributed to {source!r} without a link to it"
SUGGESTION = "Link the {source} page or report it comes from."
check = uncited_check("agency", MESSAGE, SUGGESTION)

RULE = Rule("HL306", "unlinked-agency-statistic", SUMMARY, Severity.SUGGESTION, check, DOC)
