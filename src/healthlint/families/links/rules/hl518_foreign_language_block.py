"""HL518 foreign-language-block: a passage in another language than the rest of the article."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from healthlint import Hit, Rule, Severity

if TYPE_CHECKING:
    from healthlint.article import Article
    from healthlint.rules import RuleContext

SUMMARY = "A passage in another language than the rest of the article (injected foreign-language spam)"
DOC = """
## What it flags
Paragraphs, list items, headings and quotes written in another language than most of the
article: an Indonesian gambling advert or a Russian pharmacy offer pasted into an English
article about back pain. The language of each block is identified by Google's Compact Language
Detector 2 (the `pycld2` package, which ships its tables); a block is judged only when it has
at least ten words and 40 letters and the detector is sure of it. Latin is never foreign here
(species names, medical terms).

## Why it matters
Spam networks inject text in the language of the market they sell to; nobody who reads the
article in its own language can tell what the passage promises, and search engines see a page
that sells something else.

## Example
```markdown
A short walk every hour eases the stiffness of long days at a desk.

Dapatkan diskon besar untuk obat herbal terbaik di toko kami, kunjungi situs kami sekarang juga.
```

## Instead
Delete the passage. If a quotation in another language belongs in the article, keep it and
give its translation; then ignore HL518 on that line.

## Options
None.
"""


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    from healthlint.families.links.language import foreign_blocks  # CLD2 is loaded by the runs that use it

    for found in foreign_blocks(article.blocks):
        block = found.block
        message = f"this passage is in {found.language}, the article in {found.article_language}"
        yield block.hit(0, len(block.text), message)


RULE = Rule("HL518", "foreign-language-block", SUMMARY, Severity.WARNING, check, DOC)
