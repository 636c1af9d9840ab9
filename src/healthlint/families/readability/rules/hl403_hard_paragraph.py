"""HL403 hard-paragraph."""

from __future__ import annotations

from collections.abc import Iterator

from healthlint import Hit, Rule, Severity
from healthlint.article import Article
from healthlint.families.readability.context import analysis_of, options_of
from healthlint.families.readability.grading import why_hard
from healthlint.rules import RuleContext

SUMMARY = "A paragraph reads above the hard limit"
DOC = """
## What it flags
The paragraphs that push the article's grade up most: paragraphs of at least
`paragraph-min-words` words (40) whose own grade is above the article's limit (14 unless
configured), hardest first, at most `max-paragraphs` (3) per article. Each finding
covers the paragraph and says whether its sentences or its words are too long.

## Why it matters
An editor told "grade 16" needs to know where to start. A few dense paragraphs often
carry most of the difficulty.

## Example
A 120-word paragraph of four sentences averaging 30 words, a third of its words with
three or more syllables: grade 18.

## Instead
Break it into shorter paragraphs with shorter sentences, and swap long words for
everyday ones (see HL405).

## Options
`paragraph-min-words` (40), `max-paragraphs` (3, 0 for all), and the limit: `max-grade`
(14) or the article's front matter `healthlint: {reading-grade-limit: 16}`.
"""


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    options = options_of(ctx)
    analysis = analysis_of(article, ctx)
    graded = [
        (grade, p)
        for p in analysis.paragraphs
        if p.grades is not None and (grade := p.grades.grade(analysis.formula)) is not None and grade > analysis.limit
    ]
    graded.sort(key=lambda item: -item[0])
    if options.max_paragraphs:
        graded = graded[: options.max_paragraphs]
    for grade, p in sorted(graded, key=lambda item: item[1].block.line):
        why = why_hard(p.counts)
        suggestion = (why + ". " if why else "") + "Split sentences and swap long words for short ones"
        yield p.block.hit(
            p.sentences[0].start,
            p.sentences[-1].end,
            f"paragraph reads at grade {grade:.1f} ({p.counts.words} words), above the limit of {analysis.limit:g}",
            suggestion=suggestion,
        )


RULE = Rule("HL403", "hard-paragraph", SUMMARY, Severity.SUGGESTION, check, DOC)
