"""Spun text (HL1xx): garbled words, spinner phrases, thesaurus swaps, non-words and the article verdict.

Article spinners rewrite stolen text word by word with a thesaurus ("the answer is yes"
becomes "the reply is sure", "underlying" becomes "undermendacity"). The rules share one
analysis per article (:mod:`healthlint.spun.analysis`); the word data behind it is loaded
only when an HL1 rule runs, from a compact index cached on disk.

This module imports nothing heavy: the engine lives in :mod:`healthlint.spun`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from healthlint import Fix, Hit, Rule, Severity, hookimpl
from healthlint.config import Config, ConfigError
from healthlint.rules import RuleContext, RuleSelector

if TYPE_CHECKING:
    from healthlint.article import Article
    from healthlint.spun.analysis import Analysis, Analyzer, Evidence, Settings

PLUGIN = "spun"


@dataclass
class SpunOptions:
    """``[tool.healthlint.plugins.spun]``."""

    #: Your own spinner phrases: tables with ``phrase`` (plain words) or ``pattern`` (a regex),
    #: ``expected`` (the original wording), optional ``replacement`` and ``strength``.
    extra_phrases: list[dict[str, str]] = field(default_factory=list)
    #: Ids of shipped phrases to switch off (see ``healthlint rules HL103``).
    disabled_phrases: list[str] = field(default_factory=list)
    #: Words never reported as garbled or misspelled (brand names, terms of art).
    allow_words: list[str] = field(default_factory=list)
    #: Files of allowed words, one per line (``#`` comments), relative to the config file.
    word_lists: list[str] = field(default_factory=list)
    #: Spin evidence per 100 words from which the whole article is judged spun (HL101).
    verdict_threshold: float = 1.8
    #: Articles with fewer words get metrics but no verdict.
    verdict_min_words: int = 80
    #: Share of odd word pairs (one near-synonym away from a common pair) from which the article
    #: is judged spun on that signal alone (HL101); compared with the share's lower 95% bound.
    odd_pair_threshold: float = 0.2
    #: List-free score (-log10 of the chance of so many swaps, garbled words and odd pairs in
    #: clean prose of the article's length) from which the article is judged spun (HL101).
    list_free_threshold: float = 5.0
    #: When to list thesaurus swaps (HL105): ``verdict`` (only in articles judged spun),
    #: ``always`` or ``never``.
    swap_findings: Literal["verdict", "always", "never"] = "verdict"


@hookimpl
def healthlint_register_options(register: Callable[[str, type[Any]], None]) -> None:
    register(PLUGIN, SpunOptions)


# -- Settings, compiled once per run -----------------------------------------------------------

_SETTINGS: dict[int, tuple[SpunOptions, Settings]] = {}


def _resolve(config: Config, name: str) -> Path:
    path = Path(name).expanduser()
    return path if path.is_absolute() else config.root / path


def compile_settings(options: SpunOptions, config: Config | None = None) -> Settings:
    """Turn the options into what the analysis uses. :raises ConfigError: naming the bad key."""
    from healthlint.spun.analysis import Settings
    from healthlint.spun.phrases import PhraseBook, PhraseError, builtin_phrases, config_phrases

    source = config.source if config else None
    where = f"plugins.{PLUGIN}"
    if options.verdict_threshold <= 0:
        raise ConfigError("must be a positive number", source, f"{where}.verdict-threshold")
    if options.verdict_min_words < 0:
        raise ConfigError("must not be negative", source, f"{where}.verdict-min-words")
    if not 0 < options.odd_pair_threshold <= 1:
        raise ConfigError("must be a share between 0 and 1", source, f"{where}.odd-pair-threshold")
    if options.list_free_threshold <= 0:
        raise ConfigError("must be a positive number", source, f"{where}.list-free-threshold")
    _, shipped = builtin_phrases()
    known_ids = {p.id for p in shipped}
    unknown = [i for i in options.disabled_phrases if i not in known_ids]
    if unknown:
        raise ConfigError(
            f"unknown phrase id {unknown[0]!r} (see data/spun/phrases.tsv or 'healthlint rules HL103')",
            source,
            f"{where}.disabled-phrases",
        )
    try:
        extra = config_phrases(options.extra_phrases)
    except PhraseError as exc:
        raise ConfigError(str(exc), source, where) from None
    disabled = set(options.disabled_phrases)
    allow = {w.strip().lower().replace("’", "'") for w in options.allow_words if w.strip()}
    for name in options.word_lists:
        path = _resolve(config, name) if config else Path(name)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read word list {name!r}: {exc}", source, f"{where}.word-lists") from None
        for line in text.splitlines():
            word = line.split("#", 1)[0].strip().lower()
            if word:
                allow.add(word)
    book = PhraseBook([p for p in shipped if p.id not in disabled] + extra)
    return Settings(
        book=book,
        allow=frozenset(allow),
        threshold=options.verdict_threshold,
        min_words=options.verdict_min_words,
        odd_threshold=options.odd_pair_threshold,
        list_free_threshold=options.list_free_threshold,
    )


def settings_for(options: SpunOptions, config: Config | None = None) -> Settings:
    cached = _SETTINGS.get(id(options))
    if cached is not None and cached[0] is options:
        return cached[1]
    settings = compile_settings(options, config)
    if len(_SETTINGS) > 16:
        _SETTINGS.clear()
    _SETTINGS[id(options)] = (options, settings)
    return settings


@hookimpl
def healthlint_configure(config: Config) -> None:
    """Reject options that cannot work, and a missing word data source if an HL1 rule will run."""
    try:
        options: SpunOptions = config.options_for(PLUGIN)
    except KeyError:
        return
    settings_for(options, config)
    selector = RuleSelector(config.select, config.extend_select, config.ignore)
    if any(selector.selected(rule) for rule in RULES):
        # The index itself opens with the first article that needs it (about 20 ms): a run whose
        # results all come from the result cache never needs it, and with --jobs the first
        # article is checked before the workers are forked, so they inherit it. What can be
        # checked cheaply is checked now, so a broken installation is one clear error.
        from healthlint.spun import lexicon

        missing = [name for name, version in lexicon.source_versions().items() if version == "missing"]
        if missing:
            raise ConfigError(
                f"the spun-text rules (HL1) cannot load their word data: {', '.join(missing)} not installed "
                "(reinstall healthlint, or ignore HL1)"
            )


# -- Analysis shared by the rules --------------------------------------------------------------

_ANALYZER: Analyzer | None = None


def analyzer() -> Analyzer:
    global _ANALYZER
    if _ANALYZER is None:
        from healthlint.spun.analysis import Analyzer

        _ANALYZER = Analyzer()
    return _ANALYZER


def analysis(article: Article, ctx: RuleContext) -> Analysis:
    def run() -> Analysis:
        options: SpunOptions = ctx.options(PLUGIN)
        result = analyzer().analyze(article, settings_for(options, ctx.config))
        ctx.metrics["spun"] = result.metrics()
        return result

    return ctx.shared("spun.analysis", run)


def _hit(ev: Evidence, message: str, suggestion: str, fix: Fix | None = None) -> Hit:
    return ev.block.hit(ev.start, ev.end, message, suggestion=suggestion, fix=fix)


# -- Checks ----------------------------------------------------------------------------------


def check_spun_article(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    result = analysis(article, ctx)
    if not result.verdict:
        return
    parts = []
    for n, label in (
        (len(result.garbled), "garbled word"),
        (len(result.phrases), "spinner phrase"),
        (len(result.swaps), "thesaurus swap"),
    ):
        if n:
            parts.append(f"{n} {label}{'' if n == 1 else 's'}")
    first = next((b for b in article.blocks if b.text.strip()), None)
    reasons = []
    if result.verdict_by_density:
        reasons.append(
            f"{result.density:.1f} points of spin evidence per 100 words (clean prose stays below"
            f" {result.threshold:g}): {', '.join(parts)}"
        )
    if result.verdict_by_odd_pairs:
        reasons.append(
            f"{result.odd_rate:.0%} of its word pairs ({result.odd_pairs} of {result.pairs}) are odd pairs one"
            f" synonym away from common ones (clean prose: about 12%, never surely above {result.odd_threshold:.0%})"
        )
    if result.verdict_by_list_free_score and not reasons:
        evidence = [
            f"{len(result.swap_keys)} thesaurus swap{'' if len(result.swap_keys) == 1 else 's'}",
            f"{len(result.garbled)} garbled word{'' if len(result.garbled) == 1 else 's'}",
            f"{result.odd_rate:.0%} odd word pairs",
        ]
        reasons.append(
            f"{', '.join(evidence)} in {result.words} words, far more than clean prose shows (list-free score"
            f" {result.list_free_score:.1f}; clean prose stays below {result.list_free_threshold:g})"
        )
    message = "the article reads as machine-spun: " + "; and ".join(reasons)
    suggestion = (
        "do not publish spun text; rewrite it from the original source (the findings below show"
        " the probable original wording)"
    )
    if first is None:
        yield article.line_hit(article.body_start_line, message, suggestion=suggestion)
        return
    end = first.text.find(" ", 40)
    yield first.hit(0, end if end > 0 else len(first.text), message, suggestion=suggestion)


def check_garbled(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    for ev in analysis(article, ctx).garbled:
        yield _hit(
            ev,
            f"garbled word {ev.text!r}: probably {ev.suggestion!r} ({ev.detail})",
            ev.suggestion,
        )


def check_strong_phrase(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    for ev in analysis(article, ctx).phrases:
        if ev.phrase is None or ev.phrase.strength != "strong":
            continue
        fix = Fix(ev.fix, safe=True) if ev.fix else None
        yield _hit(ev, f"spinner phrase {ev.text!r}: probably {ev.suggestion!r}", ev.suggestion, fix)


def check_weak_phrase(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    for ev in analysis(article, ctx).phrases:
        if ev.phrase is None or ev.phrase.strength == "strong":
            continue
        fix = Fix(ev.fix, safe=False) if ev.fix else None
        yield _hit(ev, f"possible spinner phrase {ev.text!r}: perhaps {ev.suggestion!r}", ev.suggestion, fix)


def check_swaps(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    result = analysis(article, ctx)
    mode = ctx.options(PLUGIN).swap_findings
    if mode == "never" or (mode == "verdict" and not result.verdict):
        return
    for ev in result.swaps:
        yield _hit(
            ev,
            f"{ev.text!r} is one thesaurus swap from {ev.suggestion!r} ({ev.detail!r} looks swapped)",
            ev.suggestion,
        )


def check_nonwords(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    for ev in analysis(article, ctx).nonwords:
        yield _hit(ev, f"{ev.text!r} is not a word ({ev.detail}); did you mean {ev.suggestion!r}?", ev.suggestion)


# -- Rules --------------------------------------------------------------------------------------

SPUN_ARTICLE = Rule(
    code="HL101",
    name="spun-article",
    summary="The article reads as machine-spun (thesaurus-rewritten) text",
    severity=Severity.ERROR,
    check=check_spun_article,
    doc="""
## What it flags
Articles that read as machine-spun, on any of three measures calibrated on clean health
prose (937 articles, 410,000 words, none of which is flagged):

- **List-free score**: how unlikely the article's list-free evidence is for clean prose
  of its length, as -log10 of a chance, summed over three independent signals: the
  number of distinct thesaurus swaps (clean prose: 0.068 per 100 words), of garbled
  words (at most 1 per 100,000 words), and the odd-pair share (below; capped at 2.5).
  Clean prose peaks at 3.6; the verdict needs 5. A long article with a few more swaps
  than usual plus a garbled word is caught even when no spinner phrase list knows it.

- **Evidence density**: garbled words (HL102, 3 points each), thesaurus swaps (HL105,
  1 point), strong spinner phrases (HL103, 2 points) and possible ones (HL104, 1 or 0.5),
  each distinct one counted once, per 100 words (texts under 250 words count as 250).
  Clean prose peaks at 1.2; the verdict needs 1.8.
- **Odd word pairs**: the share of adjacent common-word pairs that web text does not use
  while swapping one word for a near-synonym gives a pair it does use ("slightly than" for
  "rather than"). Clean prose: about 12%. A thesaurus rewrite breaks the pairs on both
  sides of every swapped word; the verdict needs the share's lower 95% bound to reach 20%.

None of the measures needs a list: garbled words, swaps and odd pairs come from the Moby
thesaurus and word and word-pair frequencies; the phrase list only adds evidence where it
matches. One finding per article, on its first line. Every article's JSON
`metrics.spun` holds both measures, their thresholds and the counts.

## Why it matters
Spun text is stolen text made unreadable. Health readers cannot tell "the reply is
sure" from advice, and search engines demote whole sites for it. It must not be
published.

## Example
```text
Massage may also help in lots of cases, slightly than medication, and it will probably
reduce undermendacity pressure within the muscle tissues.
```

## Instead
Rewrite the article from its source or by hand. The other HL1 findings show the
probable original wording of each spun passage.

## Options
`verdict-threshold` (default 1.8 points per 100 words), `odd-pair-threshold` (default
0.2, compared with the lower 95% bound of the odd-pair share), `list-free-threshold`
(default 5.0), `verdict-min-words` (default 80: shorter texts get metrics but no verdict
on evidence density or the list-free score).
""",
)

GARBLED_WORD = Rule(
    code="HL102",
    name="garbled-word",
    summary="A word garbled by a spinner's substring swap ('undermendacity' for 'underlying')",
    severity=Severity.WARNING,
    check=check_garbled,
    doc="""
## What it flags
A token no dictionary knows that splits into part of a common word plus a thesaurus
synonym of the rest, so that swapping the synonym back restores the word:
"undermendacity" is "under" + "mendacity", and "mendacity" is a synonym of "lying".
The message names the restored word and the swap. Rare real words, medical terms, typos
of common words, words glued by a missing space and regular derivations ("nonmeat") are
left alone (typos and glued words are HL106's).

## Why it matters
Substring-replacing spinners leave these behind; a reader cannot decode them.

## Example
```text
Massage cannot fix every undermendacity cause of back pain.
```

## Instead
```text
Massage cannot fix every underlying cause of back pain.
```

## Options
`allow-words` and `word-lists`: words never reported (a drug or brand name that happens
to look garbled).
""",
)

SPINNER_PHRASE = Rule(
    code="HL103",
    name="spinner-phrase",
    summary="A phrase spinners produce and careful writers never do ('the reply is sure')",
    severity=Severity.ERROR,
    check=check_strong_phrase,
    doc="""
## What it flags
Strong entries of healthlint's versioned list of spinner phrases
(`healthlint/data/spun/phrases.tsv`): word-for-word substitutions such as "the reply is
sure" (the answer is yes), "slightly than" (rather than), "pores and skin most cancers"
(skin cancer), "one of the crucial popular" (one of the most popular). None of them
occurs in 410,000 words of clean health prose. Each finding carries the original wording
as its suggestion and as a safe fix: `healthlint check --fix` applies it.

## Why it matters
One such phrase proves the passage was machine-rewritten, and it reads as nonsense, so it
blocks publishing (an error) until it is fixed.

## Example
```text
In most cases the reply is sure, slightly than a maybe.
```

## Instead
```text
In most cases the answer is yes, rather than a maybe.
```

## Options
`extra-phrases`: your own (strength `strong` by default), e.g.
`{ phrase = "well being dangers", expected = "health risks" }` or
`{ pattern = '\\bsteamed stomach\\b', expected = "upset stomach", replacement = "upset stomach" }`.
`disabled-phrases`: ids of shipped phrases to switch off.
""",
)

POSSIBLE_SPINNER_PHRASE = Rule(
    code="HL104",
    name="possible-spinner-phrase",
    summary="A phrase typical of spun text that is occasionally plain English ('is just not')",
    severity=Severity.SUGGESTION,
    check=check_weak_phrase,
    doc="""
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
""",
)

THESAURUS_SWAP = Rule(
    code="HL105",
    name="thesaurus-swap",
    summary="A word pair one thesaurus swap from an idiomatic pair ('slightly than' for 'rather than')",
    severity=Severity.SUGGESTION,
    check=check_swaps,
    doc="""
## What it flags
Two adjacent common words that web text almost never pairs (fewer than 100,000 times in
about a trillion words) while a close thesaurus synonym of one of them makes a strong
pair (a million times or more): "slightly than" (rather than), "such because" (such as).
No list is involved; the Moby thesaurus and wordsegment's web counts decide. By default
they are listed only in articles HL101 judges spun, where they show what to rewrite.

## Why it matters
Spinners replace words one by one and break fixed pairs; this is how spinning is found
when no list knows the spinner.

## Example
```text
Choose a gentle stretch slightly than a hard one.
```

## Instead
```text
Choose a gentle stretch rather than a hard one.
```

## Options
`swap-findings`: `verdict` (default), `always`, or `never` (they still count for HL101).
""",
)

NON_WORD = Rule(
    code="HL106",
    name="non-word",
    summary="A word no dictionary knows, with its probable spelling ('preferrred')",
    severity=Severity.WARNING,
    check=check_nonwords,
    doc="""
## What it flags
Lowercase words absent from every dictionary healthlint loads (wordfreq, wordsegment,
pyspellchecker and the Moby thesaurus, about 500,000 words) for which a correction is
clear: a letter typed three times ("preferrred"), two words missing a space
("symptomsthe"), or a typo one edit from a common word ("symtoms"). Capitalised words
inside a sentence (names), acronyms, words with digits, text that is not English, and
unknown words without a clear correction are left alone.

## Why it matters
Misspellings make health advice look careless, and spun or scraped text is full of them.

## Example
```text
A hard massage will not be preferrred for acute pain.
```

## Instead
```text
A hard massage is not ideal for acute pain.
```

## Options
`allow-words` (a list) and `word-lists` (files, one word per line): words to accept.
""",
)

RULES = (SPUN_ARTICLE, GARBLED_WORD, SPINNER_PHRASE, POSSIBLE_SPINNER_PHRASE, THESAURUS_SWAP, NON_WORD)


@hookimpl
def healthlint_register_rules(register: Callable[[Rule], None]) -> None:
    for rule in RULES:
        register(rule)
