"""HL602 spelling-error: LanguageTool's spelling matches, when healthlint's own HL1 rules do not run."""

from __future__ import annotations

from collections.abc import Iterator

from healthlint import Article, Hit, Rule, RuleContext, Severity
from healthlint.families.grammar.analysis import article_grammar, glued_pair, hits_of_kind
from healthlint.families.grammar.options import OPTIONS_DOC, SETUP_DOC

DOC = f"""
## What it flags
LanguageTool's spelling matches (category TYPOS, rules MORFOLOGIK_RULE_* and
HUNSPELL_RULE). With `spelling = "auto"` (the default) they are left out when
healthlint's HL1 rules run, which report misspelled and garbled words themselves, so a
word is not flagged twice. `spelling = "on"` always reports them, `"off"` never. A word
whose only fix is a lost space ('symptomsthe') is left to HL701 whenever HL701 runs.

## Why it matters
Misspellings look careless, and in health text they can change a drug or condition name.

## Example
```markdown
Stretch gentely before you start.
```

## Instead
```markdown
Stretch gently before you start.
```

## Options
{OPTIONS_DOC} {SETUP_DOC}
"""


def check_spelling_error(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    spelling = ctx.options().spelling
    if spelling == "off" or (spelling == "auto" and ctx.selection.any_selected("HL1")):
        article_grammar(article, ctx)  # the run's notice, if grammar is not checked
        return iter(())
    # HL701 reports words glued by a lost space, whatever LanguageTool says of them
    return hits_of_kind(article, ctx, "spelling", glued_pair if ctx.is_selected("HL701") else None)


RULE = Rule(
    "HL602",
    "spelling-error",
    "A spelling mistake LanguageTool found (when HL1 rules do not run)",
    Severity.WARNING,
    check_spelling_error,
    DOC,
)
