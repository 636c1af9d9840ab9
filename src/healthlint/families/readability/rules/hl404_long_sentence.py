"""HL404 long-sentence."""

from __future__ import annotations

from collections.abc import Iterator

from healthlint import Hit, Rule, Severity, regexcache
from healthlint.article import Article
from healthlint.families.readability.analysis import Sentence
from healthlint.families.readability.context import analysis_of, options_of
from healthlint.rules import RuleContext

SUMMARY = "A sentence longer than 30 words"
DOC = """
## What it flags
A sentence of more than `max-sentence-words` words (30). Headings and list items count
as sentences of their own; abbreviations such as "e.g." and "Dr." do not end a sentence.
The suggestion points at a clause break near the middle where it could be split.

## Why it matters
Readers lose the thread of long sentences. Plain-language guidelines (CDC, NIH,
plainlanguage.gov) advise 15 to 20 words on average.

## Example
```markdown
Massage can ease back pain by loosening tight muscles and increasing blood flow to the
area, which may help with healing, although it is not a replacement for treatment from
your doctor when the pain is severe or lasts a long time.
```

## Instead
```markdown
Massage can ease back pain. It loosens tight muscles and brings more blood to the area,
which may help it heal. But it does not replace your doctor's care when the pain is
severe or lasts a long time.
```

## Options
`max-sentence-words` (30).
"""

_SPLIT_AT_RE = regexcache.compile(
    r";\s|,\s(?=(?:which|while|whereas|although|because|but|and|so|as|since)\b)|\s[-–—]\s"
)


def split_hint(p_text: str, sentence: Sentence) -> str:
    """Where a long sentence could be split: the clause break nearest its middle."""
    start, end = sentence.start, sentence.end
    middle = (start + end) // 2
    best: int | None = None
    for m in _SPLIT_AT_RE.finditer(p_text, start, end):
        if best is None or abs(m.start() - middle) < abs(best - middle):
            best = m.start()
    if best is None:
        return "split it into two or three sentences, one idea each"
    before = p_text[max(start, best - 30) : best].split()
    after = p_text[best : best + 40].lstrip(";,-–— ").split()
    if not before or not after:
        return "split it into two or three sentences, one idea each"
    return f"split it into two or three sentences, e.g. end one after '{before[-1]}' and start the next at '{after[0]}'"


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    limit = options_of(ctx).max_sentence_words
    for p in analysis_of(article, ctx).paragraphs:
        for s in p.sentences:
            if s.counts.words > limit:
                yield p.block.hit(
                    s.start,
                    s.end,
                    f"sentence of {s.counts.words} words (limit {limit})",
                    suggestion=split_hint(p.text, s),
                )


RULE = Rule("HL404", "long-sentence", SUMMARY, Severity.WARNING, check, DOC)
