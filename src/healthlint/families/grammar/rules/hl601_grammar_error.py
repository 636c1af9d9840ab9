"""HL601 grammar-error: LanguageTool's grammar matches."""

from __future__ import annotations

from collections.abc import Iterator

from healthlint import Article, Hit, Rule, RuleContext, Severity
from healthlint.families.grammar.analysis import hits_of_kind
from healthlint.families.grammar.options import OPTIONS_DOC, SETUP_DOC

DOC = f"""
## What it flags
LanguageTool's grammar matches (categories GRAMMAR, CONFUSED_WORDS, COLLOCATIONS,
SEMANTICS, NONSTANDARD_PHRASES, MISC and any category healthlint does not sort
elsewhere), at the line and column of the words in the file. The message ends with
LanguageTool's rule id; its replacements are the suggestion.

## Why it matters
Grammar errors make health advice harder to follow and less trustworthy.

## Example
```markdown
Massage help the muscles to relax.
```

## Instead
```markdown
Massage helps the muscles relax.
```

## Options
{OPTIONS_DOC} {SETUP_DOC}
"""


def check_grammar_error(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    return hits_of_kind(article, ctx, "grammar")


RULE = Rule("HL601", "grammar-error", "A grammar error LanguageTool found", Severity.WARNING, check_grammar_error, DOC)
