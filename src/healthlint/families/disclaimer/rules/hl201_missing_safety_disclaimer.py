"""HL201 missing-safety-disclaimer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from healthlint import Hit, Rule, Severity
from healthlint.article import Article
from healthlint.families.disclaimer.options import DisclaimerOptions
from healthlint.rules import RuleContext

SUMMARY = "No statement telling readers when to see a health professional"
DOC = """
## What it flags
An article that gives treatment advice (by default; every article with `require = "always"`)
with no safety statement anywhere: nothing like "consult your doctor", "talk to a
qualified healthcare provider", "needs to be evaluated by a healthcare professional", "when to
see a doctor", "call 911", "this is not a substitute for professional medical advice" or "does
not replace diagnosis or prescribed treatment", nor any sentence that pairs a health
professional with a referral, consultation or "not advice" cue ("it might be sensible to see
a psychologist", "for educational purposes only"). Statements count in any heading, paragraph,
list item, FAQ answer, quote or HTML block, across line breaks; they do not count when
negated ("you don't need to see a doctor") or inside a spam footer ("if you have any
questions … contact us on our web site"). A front matter `disclaimer:` (true, a template's
name, or text that reads as a safety statement) or a site-wide `site-disclaimer` in config
also counts. The finding sits on the article's last sentence, where the statement is
expected, and suggests one.

## Why it matters
HONcode's complementarity principle: health information must support, not replace, the
relationship with a professional. Readers act on health articles; they need to know when
self-care is not enough.

## Example
```markdown
Massage eases back pain by relaxing tight muscles. Book a session every week.
```

## Instead
```markdown
Massage eases back pain by relaxing tight muscles. See a doctor if the pain lasts more than
six weeks, wakes you at night, or comes with numbness or weakness.
```

## Options
`require` = "advice" (default: only articles that a fitted model of the whole article
judges to give treatment advice, reported as the `gives_treatment_advice` metric) or
"always" (every article). `site-disclaimer` = true, or the text your
template prints on every page. `front-matter-keys` (default `disclaimer`,
`medical_disclaimer`, `health_disclaimer`, `safety_note`). `suggested-text`: the sentence
the suggestion offers. `min-words` (default 0): shorter articles need none.
"""


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    options: DisclaimerOptions = ctx.options()
    if not article.blocks or article.word_count == 0 or article.word_count < options.min_words:
        return
    from healthlint.families.disclaimer.analysis import analysis_of  # on first use: see ..checks

    result = analysis_of(article, ctx)
    if result.source is not None:
        return
    why = ""
    if options.require == "advice":
        if not result.advice:
            return
        block, start, end = result.advice[0]
        # Where no sentence was found to give advice, the model judged the opening as a whole: no line to name.
        located = f" (line {block.span(start, end).line})" if result.advice_located else ""
        why = f" although it gives {'advice' if located else 'treatment advice'}{located}"
    suggestion = f'Add a safety statement at the end of the article, e.g. "{options.suggested_text}"'
    if result.bad_front_matter is not None:
        key, _ = result.bad_front_matter
        hit = article.line_hit(
            article.meta_line(key),
            f"Front matter {key!r} does not read as a safety statement{why}",
            suggestion=f'Say when to see a professional, e.g. "{options.suggested_text}"',
        )
        yield replace(hit, key=f"front matter {key} is no safety statement")
        return
    last = article.blocks[-1]
    sentences = last.sentences
    start, end = sentences[-1] if sentences else (0, len(last.text))
    hit = last.hit(
        start,
        end,
        f"No safety statement telling readers when to see a health professional{why}; expected at the end",
        suggestion=suggestion,
    )
    # A judgement of the whole article: its identity is not the last sentence or the advice's line.
    yield replace(hit, key="no safety statement")


RULE = Rule("HL201", "missing-safety-disclaimer", SUMMARY, Severity.ERROR, check, DOC)
