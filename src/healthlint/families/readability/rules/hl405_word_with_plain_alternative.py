"""HL405 word-with-plain-alternative."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from itertools import compress

from healthlint import Fix, Hit, Rule, Severity
from healthlint.article import Article
from healthlint.families.readability.context import analysis_of, options_of
from healthlint.families.readability.plain_words import PlainEntry, plain_words_for
from healthlint.rules import RuleContext

SUMMARY = "A word or phrase with a plainer alternative"
DOC = """
## What it flags
Words and phrases with everyday alternatives, from the plain-language list healthlint
ships (about 580 entries: "alleviate" -> ease, "utilize" -> use, "exacerbate" -> worsen,
"musculoskeletal" -> muscle and bone, "prior to" -> before) and your additions.
Inflected forms count ("alleviating", "exacerbates"). Where the word is in its dictionary
form, the finding carries a fix (not applied by `--fix`, since the swap may need a
rewording).

## Why it matters
Medical and official words make health text harder than it needs to be. The plain word
is usually shorter, better known, and just as exact.

## Example
```markdown
Utilize a heating pad to alleviate discomfort prior to exercising.
```

## Instead
```markdown
Use a heating pad to ease the pain before you exercise.
```

## Options
`plain-words` adds entries (`{"leverage" = "use", "myocardial infarction" = ["heart attack"]}`),
`plain-words-files` adds TSV files (`term<TAB>alternative, alternative<TAB>note`), and
`allow-words` drops shipped entries your site accepts.
"""


def _match_case(replacement: str, original: str) -> str:
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


@lru_cache(maxsize=4096)
def _plain_suggestion(entry: PlainEntry, exact: bool) -> str:
    alternatives = ", ".join(f"'{a}'" for a in entry.alternatives)
    suggestion = f"try {alternatives}"
    if not exact:
        suggestion += f" (for '{entry.term}', adapting the form)"
    if entry.note:
        suggestion += f"; {entry.note}"
    return suggestion


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    analysis = analysis_of(article, ctx)
    table = plain_words_for(ctx.config, options_of(ctx))
    firsts = table.phrase_starts
    starts = table.starts
    phrases = table.phrases
    words = table.words
    for p in analysis.paragraphs:
        text = p.text
        for s in p.sentences:
            sentence_words = s.words
            if starts.isdisjoint(sentence_words):
                continue  # many sentences: no word of the list, no phrase start
            layout: tuple[list[str], list[int]] | None = None
            last = len(sentence_words) - 1
            skip_to = 0
            # The positions of the words that may start a finding, found in C (most words are not).
            for i in compress(range(len(sentence_words)), map(starts.__contains__, sentence_words)):
                if i < skip_to:
                    continue
                word = sentence_words[i]
                found: tuple[int, PlainEntry, bool] | None = None
                candidates = phrases.get(f"{word} {sentence_words[i + 1]}") if i < last and word in firsts else None
                for phrase, entry in candidates or ():
                    n = len(phrase)
                    if tuple(sentence_words[i : i + n]) != phrase:
                        continue
                    if layout is None:
                        layout = s.layout()
                    gaps = layout[0]
                    if all(gaps[2 * (i + k)].isspace() for k in range(1, n)):  # one phrase: only spaces between
                        found = (i + n - 1, entry, phrase == tuple(entry.term.split()))
                        break
                if found is None:
                    single = words.get(word)
                    if single is not None:
                        found = (i, single[0], single[1])
                if found is None:
                    continue
                stop_index, entry, exact = found
                skip_to = stop_index + 1  # the words of a phrase are not looked up again
                if layout is None:
                    layout = s.layout()
                start = layout[1][2 * i + 1]
                stop = layout[1][2 * stop_index + 2]
                original = text[start:stop]
                suggestion = _plain_suggestion(entry, exact)
                fix = Fix(_match_case(entry.alternatives[0], original), safe=False) if exact else None
                yield p.block.hit(
                    start, stop, f"'{original}' has a plainer alternative", suggestion=suggestion, fix=fix
                )


RULE = Rule("HL405", "word-with-plain-alternative", SUMMARY, Severity.SUGGESTION, check, DOC)
