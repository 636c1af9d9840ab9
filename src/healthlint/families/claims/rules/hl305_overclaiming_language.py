"""HL305 overclaiming-language: sensational or absolute health claims (miracle, breakthrough, cure, no side effects)."""

from __future__ import annotations

from collections.abc import Iterator

from healthlint import Article, Hit, Rule, RuleContext, Severity

SUMMARY = "Sensational or absolute health claims (miracle, breakthrough, cure, no side effects)"
DOC = """
## What it flags
HealthNewsReview.org's red-flag words: "miracle", "breakthrough", "game-changer",
"revolutionary", "groundbreaking", "cure" for a long-term condition ("cures arthritis",
"a cure for back pain"), "guaranteed", "100% safe", "no side effects", "instant relief",
"works for everyone", and sales hype ("doctors hate this"). Negated uses ("a foam roller is not a
miracle fix", "there is no cure for arthritis") are fine, as are medical terms
("breakthrough pain", "Breakthrough Therapy designation"). The front matter title is checked
too. The suggestion gives a calmer wording.

## Why it matters
Sensational words promise more than any treatment delivers and push readers away from
care that works. HealthNewsReview rated releases and stories down for exactly these words.

## Example
```markdown
This herbal tea is a miracle cure for arthritis, with no side effects.
```

## Instead
```markdown
In small studies, ginger tea eased arthritis pain a little for some people; it can upset
the stomach.
```

## Options
`allow-overclaims` lists words this site accepts (e.g. `["breakthrough"]`);
`extend-overclaims` adds words; `chronic-conditions` adds conditions that must not be
promised a cure.
"""


def check(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    from ..analysis import analysis_for  # on first use: see ..checks
    from ..overclaims import find_overclaims
    from ..vocabulary import TOKEN_RE, vocabulary

    for found in analysis_for(ctx).overclaims:
        block = found.block
        words = block.text[found.start : found.end]
        spec = found.spec
        suggestion = f"Calmer: {spec.calmer}."
        if spec.rewrite is not None:
            s_start, s_end = found.sentence
            rewritten = block.text[s_start : found.start] + spec.rewrite + block.text[found.end : s_end]
            suggestion += f' For example: "{_shorten(rewritten)}"'
        yield block.hit(found.start, found.end, f"Overclaiming: {words!r}", suggestion=suggestion)
    title = article.meta.get("title")
    if isinstance(title, str) and article.meta_lines:
        vocab = vocabulary(ctx.options())
        # The title goes through the body's filter, and one finding is enough for a line.
        for spec, a, b in find_overclaims(title, vocab, {w.lower() for w in TOKEN_RE.findall(title)}):
            yield article.line_hit(
                article.meta_line("title"),
                f"Overclaiming in the title: {title[a:b]!r}",
                suggestion=f"Calmer: {spec.calmer}.",
            )
            break


def _shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


RULE = Rule("HL305", "overclaiming-language", SUMMARY, Severity.WARNING, check, DOC)
