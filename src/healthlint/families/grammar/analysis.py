"""What the grammar rules share: an article's LanguageTool result, and findings from its matches."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from healthlint import Article, Fix, Hit, RuleContext
from healthlint.families.grammar.classify import Kind, kind_of
from healthlint.families.grammar.match import LtMatch
from healthlint.families.grammar.prose import Located
from healthlint.families.grammar.session import ArticleGrammar, session_for


def article_grammar(article: Article, ctx: RuleContext) -> ArticleGrammar:
    """LanguageTool's result for the article (asked once, shared by the HL6 rules), with the run's notice."""
    session = session_for(ctx.config)
    result = ctx.shared("grammar.result", lambda: session.check_article(article))
    if result.status == "unavailable":  # notices are kept once per run
        ctx.notice(session.unavailable or "grammar not checked", code="HL003")
        if session.unconfigured:
            # Having no server is configuration (the result cache's key holds the config and the
            # HEALTHLINT_* variables, so setting a URL checks everything again), not an outage:
            # keep the result cacheable. An unreachable server leaves it incomplete.
            ctx.incomplete = False
    elif result.status == "failed":
        skipped = "; the rest of the run skips it" if session.broken else ""
        ctx.notice(f"grammar not checked on some articles: {session.failure}{skipped}", code="HL003")
    return result


def suggestion(match: LtMatch) -> str | None:
    choices = list(match.replacements[:5])
    if not choices:
        return None
    if choices == [""]:
        return "delete it"
    shown = ", ".join(f"'{c}'" for c in choices)
    return f"replace with {shown}" if len(choices) == 1 else f"replace with one of {shown}"


def hit(located: Located) -> Hit:
    """The finding for a located match: LanguageTool's message and rule id, its replacements as the suggestion."""
    match = located.match
    block = located.block
    fix = None
    if match.replacements:
        article = block.article
        first, last = block.offset(located.start), block.offset(located.end - 1)
        if article.text[first : last + 1] == block.text[located.start : located.end]:  # the span is exact
            fix = Fix(match.replacements[0], safe=False)
    return block.hit(
        located.start,
        located.end,
        f"{match.message} ({match.rule_id})",
        suggestion=suggestion(match),
        fix=fix,
    )


def hits_of_kind(
    article: Article, ctx: RuleContext, kind: Kind, skip: Callable[[Located], bool] | None = None
) -> Iterator[Hit]:
    """The article's findings of one kind (grammar, spelling, punctuation or style), but those ``skip`` leaves out."""
    for located in article_grammar(article, ctx).matches:
        if kind_of(located.match) == kind and not (skip and skip(located)):
            yield hit(located)


def glued_pair(located: Located) -> bool:
    """Whether LanguageTool's first fix of a misspelling only puts back a lost space ('symptomsthe')."""
    replacements = located.match.replacements
    if not replacements or replacements[0].count(" ") != 1:
        return False
    word = located.block.text[located.start : located.end]
    return replacements[0].replace(" ", "") == word
