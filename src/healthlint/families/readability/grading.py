"""The article-wide grade findings (HL401, HL402): where they sit and what they suggest."""

from __future__ import annotations

from collections.abc import Iterator

from healthlint import Hit
from healthlint.article import Article
from healthlint.families.readability.analysis import META_TARGET, Analysis
from healthlint.families.readability.scoring import Counts

OPTIONS_DOC = """`[tool.healthlint.plugins.readability]`: `target-grade` (8), `max-grade` (14),
`grade-formula` (`"flesch-kincaid"` or `"smog"`), `min-words` (100), `engine`
(`"healthlint"` or `"textstat"`). Per article, front matter `reading-grade: 10` sets the
target and `reading-grade-limit: 16` the limit (also under a `healthlint:` mapping, which wins)."""


def graded_above(analysis: Analysis, threshold: float, min_words: int) -> float | None:
    """The article's grade when it is above ``threshold`` and the article is long enough to grade."""
    grade = analysis.grade
    if grade is None or analysis.counts.words < min_words or grade <= threshold:
        return None
    return grade


def grade_hit(analysis: Analysis, grade: float, threshold: float, above: str) -> Hit:
    """A finding over the whole prose: it reads at ``grade``, above ``above`` (the target or the limit).

    Its baseline key is the formula and ``threshold`` (as the matched text was before keys
    existed: the fingerprints are unchanged), so an edit that moves the grade (but not past a
    threshold) is not "new".
    """
    first = analysis.paragraphs[0]
    last = analysis.paragraphs[-1]
    start = first.block.span(first.sentences[0].start, first.sentences[0].start + 1)
    end = last.block.span(last.sentences[-1].end - 1, last.sentences[-1].end)
    return Hit(
        line=start.line,
        column=start.column,
        end_line=end.end_line,
        end_column=end.end_column,
        message=f"reads at grade {grade:.1f} ({_formula_name(analysis.formula)}), above {above}",
        key=f"{analysis.formula} grade above {threshold:g}",
        suggestion=_grade_suggestion(analysis),
    )


def _formula_name(formula: str) -> str:
    return "SMOG" if formula == "smog" else "Flesch-Kincaid"


def why_hard(counts: Counts) -> str:
    """What makes prose hard: long sentences, long words, or both."""
    wps = counts.words_per_sentence
    poly = 100 * counts.polysyllables / counts.words if counts.words else 0
    parts = []
    if wps > 20:
        parts.append(f"sentences average {wps:.0f} words (aim for 15-20)")
    if poly > 12:
        parts.append(f"{poly:.0f}% of words have 3+ syllables (aim for under 10%)")
    return "; ".join(parts)


def _grade_suggestion(analysis: Analysis) -> str:
    why = why_hard(analysis.counts)
    advice = "split long sentences and use everyday words; HL403 and HL404 show where to start"
    return f"{why}. {advice[0].upper()}{advice[1:]}" if why else advice[0].upper() + advice[1:]


def grade_problem_hits(article: Article, analysis: Analysis) -> Iterator[Hit]:
    """The front matter grades that could not be read, at their lines."""
    for message, line in analysis.problems:
        yield article.line_hit(line, message, suggestion=f"write a number, like '{META_TARGET}: 10'")
