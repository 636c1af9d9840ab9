"""HL104: Medium and weak spinner phrases of the list, with an unsafe fix."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from healthlint import Fix, Hit, Rule, Severity

from ..shared import hit, listed_phrases

if TYPE_CHECKING:
    from healthlint.article import Article
    from healthlint.rules import RuleContext

SUMMARY = "A phrase typical of spun text that is occasionally plain English ('is just not')"
DOC = """
## What it flags
Medium and weak entries of the spinner phrase list: wording spinners produce that a
person writes now and then ("will not be always", "based mostly on", "one other",
"work finest"). The suggestion is the probable original; `--fix` does not apply it
(the fix is marked unsafe), since the phrase may be what the author meant.

## Why it matters
Alone it proves little; several in one article are a strong sign of spinning, and they
count towards HL101.

## Example
```text
Stretching will not be always enough, and it will probably also help to rest.
```

## Instead
```text
Stretching is not always enough, and it can also help to rest.
```

## Options
As for HL103 (`extra-phrases` with `strength = "medium"` or `"weak"`, `disabled-phrases`).
"""


def check_weak_phrase(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    for ev in listed_phrases(article, ctx, strong=False):
        message = f"possible spinner phrase {ev.text!r}: perhaps {ev.suggestion!r}"
        # The phrase may be what the author meant: --fix does not apply its rewrite.
        yield hit(ev, message, ev.suggestion, Fix(ev.fix, safe=False) if ev.fix else None)


RULE = Rule("HL104", "possible-spinner-phrase", SUMMARY, Severity.SUGGESTION, check_weak_phrase, DOC)
