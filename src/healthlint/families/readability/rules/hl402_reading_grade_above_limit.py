"""HL402 reading-grade-above-limit."""

from __future__ import annotations

from collections.abc import Iterator

from healthlint import Hit, Rule, Severity
from healthlint.article import Article
from healthlint.families.readability.context import analysis_of, options_of
from healthlint.families.readability.grading import OPTIONS_DOC, grade_hit, grade_problem_hits, graded_above
from healthlint.rules import RuleContext

SUMMARY = "The article reads above the hard limit (default grade 14)"
DOC = f"""
## What it flags
An article whose reading grade is above the hard limit, 14 unless configured: prose
most readers need a college education for. The message gives the grade, the suggestion
says whether long sentences, long words or both push it up.

## Why it matters
Text this hard fails the readers a health article is for. It must be rewritten before it
is published.

## Example
```markdown
Massage therapy exerts its beneficial effects through a combination of mechanical,
neurological and psychological processes that modulate nociceptive transmission.
```

## Instead
```markdown
Massage can ease pain in three ways. It loosens tight muscles. It calms the nerves that
carry pain signals. And it helps you relax.
```

## Options
{OPTIONS_DOC}
"""


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    analysis = analysis_of(article, ctx)
    if not ctx.is_selected("HL401"):
        yield from grade_problem_hits(article, analysis)
    grade = graded_above(analysis, analysis.limit, options_of(ctx).min_words)
    if grade is not None:
        yield grade_hit(
            analysis, grade, analysis.limit, f"the limit of {analysis.limit:g} (target {analysis.target:g})"
        )


RULE = Rule("HL402", "reading-grade-above-limit", SUMMARY, Severity.ERROR, check, DOC)
