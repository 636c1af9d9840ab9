"""HL401 reading-grade-above-target."""

from __future__ import annotations

from collections.abc import Iterator

from healthlint import Hit, Rule, Severity
from healthlint.article import Article
from healthlint.families.readability.context import analysis_of, options_of
from healthlint.families.readability.grading import OPTIONS_DOC, grade_hit, grade_problem_hits, graded_above
from healthlint.rules import RuleContext

SUMMARY = "The article reads above the target grade (default 8)"
DOC = f"""
## What it flags
An article whose reading grade (Flesch-Kincaid by default, SMOG on request) is above
the target grade, 8 unless configured. Grades are computed on the prose only: front
matter, code, URLs and tables are left out, and every heading and list item counts as a
sentence of its own. Articles of fewer than `min-words` words are not graded. When the
grade is also above the limit, HL402 reports it instead. The grades are always in the
JSON output's `metrics.readability`, finding or not.

## Why it matters
Patient materials should read at about a 6th to 8th grade level (AMA: 6th or lower; NIH
and MedlinePlus: 7th to 8th). Most adults read health information more easily at that
level, and readers with low health literacy cannot use it otherwise.

## Example
```markdown
Physiological mechanisms underlying musculoskeletal discomfort necessitate
comprehensive evaluation prior to therapeutic intervention.
```

## Instead
```markdown
Your doctor will want to find out what causes the pain before you start treatment.
```

## Options
{OPTIONS_DOC}
"""


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    analysis = analysis_of(article, ctx)
    yield from grade_problem_hits(article, analysis)
    grade = graded_above(analysis, analysis.target, options_of(ctx).min_words)
    if grade is None or (grade > analysis.limit and ctx.is_selected("HL402")):
        return  # HL402 reports a grade above the limit
    yield grade_hit(analysis, grade, analysis.target, f"the target of {analysis.target:g}")


RULE = Rule("HL401", "reading-grade-above-target", SUMMARY, Severity.WARNING, check, DOC)
