"""HL004 bad-suppression-comment: a ``healthlint:`` comment that cannot be read."""

from __future__ import annotations

from collections.abc import Iterator

from healthlint import Article, Hit, Rule, RuleContext, Severity
from healthlint.families.suppressions.directives import parse_directives

SUMMARY = "A healthlint suppression comment that cannot be read"
DOC = """
## What it flags
An HTML comment that starts with `healthlint:` but is not one of the directives
healthlint understands, or names something that is not a rule code or prefix (a reason
written without ` -- ` before it, say); a comment that means to be a directive and is not
(`helthlint: disable=HL301`, `healthlint disable=HL301` without the colon, `healthlint-disable HL301`
as eslint writes it; a name one letter out followed by words, `healthline: disable ads`, is another
tool's comment and left alone); or a code or
prefix no rule has (`HL999`, `ACME102` where ACME101 is meant; not said while a plugin that
failed to load or was left out might have it). A comment
naming a renamed code (HL514, now HL702) is not malformed: it still switches the new code off,
and the run prints a one-line notice naming it.

## Why it matters
A mistyped suppression silently suppresses nothing, and the editor believes it does.

## Example
```markdown
<!-- healthlint: disabel=HL301 -->
```

## Instead
```markdown
<!-- healthlint: disable=HL301 -->
A claim we cite in the box below.
<!-- healthlint: enable=HL301 -->

<!-- healthlint: disable-next-line=HL4 -- a quote, kept as printed -->
One long sentence we keep on purpose.
```
`disable` without codes switches every rule off until `enable`.

## Options
None.
"""


def check_bad_suppression(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    directives, bad = parse_directives(article)
    for notice in dict.fromkeys(n for d in directives for n in d.renamed):
        # A renamed code still works (it is redirected): a notice for the run, not a finding.
        ctx.notice(f"suppression comment: {notice}", incomplete=False)
    for comment, message in bad:
        yield Hit(line=comment.line, column=comment.column, message=message)
    for directive in directives:
        unknown = [code for code in directive.codes if code and ctx.selection.names_rule(code) is False]
        if unknown:
            names = ", ".join(unknown)
            yield Hit(
                line=directive.line,
                column=directive.column,
                message=f"{names} {'names' if len(unknown) == 1 else 'name'} no rule, so the comment switches"
                " nothing off (see 'healthlint rules')",
                match=names,
            )


#: Suppression comments are HTML comments, which plain-text articles do not have.
KINDS = frozenset({"markdown"})

RULE = Rule("HL004", "bad-suppression-comment", SUMMARY, Severity.WARNING, check_bad_suppression, DOC, kinds=KINDS)
