"""The claims family's words and patterns, read from ``data/`` and compiled on first use.

Every pattern list lives in a data file with the words that guard it in the same record
(``research_claims.toml``, ``vague_claims.toml``, ``overclaims.toml``); word lists that are
patterns themselves (finding verbs, research cues) are turned into their pattern here, so no
word set has to be kept in step with a regular expression by hand.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from healthlint.article import Block
from healthlint.regexcache import LazyPattern, lazy
from healthlint.resources import data_lines, read_data
from healthlint.text.tokens import word_set

from .options import ClaimsOptions

TOKEN_RE = lazy(r"[^\W_]+")


def block_tokens(block: Block) -> set[str]:
    """``set(TOKEN_RE.findall(block.text))``, from the words the host has found already (:meth:`Block.words`,
    which the engine reads for every article): they are these tokens joined by apostrophes or hyphens."""
    found = block.words()
    joined = " ".join(found)
    if "-" in joined or "'" in joined or "’" in joined:
        return set(joined.replace("-", " ").replace("'", " ").replace("’", " ").split())
    return set(found)


#: Capitalised words of a journal's or an institution's name.
_CAP = r"[A-Z][\w'’&\-]*"
_JOURNAL_WORD = r"(?:Journal|Annals|Archives|Proceedings)"
_JOURNAL_GENERIC = rf"(?:{_CAP}\s+){{0,3}}{_JOURNAL_WORD}\b(?:\s+(?:of|on|for|in|and|&|the|{_CAP}))*"
_JOURNAL_LOWER = rf"\bjournal\s+({_CAP}(?:\s+(?:of|on|for|in|and|&|the|{_CAP}))*)"
#: Words every generic journal name holds (as written).
GENERIC_JOURNAL_WORDS = frozenset({"Journal", "Annals", "Archives", "Proceedings"})
_FRAGMENT_RE = lazy(r"\{([a-z][a-z-]*)\}")


@dataclass(frozen=True)
class OverclaimSpec:
    """One kind of overclaiming (a record of ``overclaims.toml``, or a word from ``extend-overclaims``)."""

    label: str
    regex: LazyPattern
    #: What to say instead (shown in the suggestion).
    calmer: str
    #: Replacement for the matched words in a rewritten sentence; None when no word swap reads well.
    rewrite: str | None
    #: Skip when a negation comes just before ("is not a miracle fix").
    negatable: bool
    #: Lower-case words one of which every match holds.
    words: frozenset[str]


@dataclass(frozen=True)
class VaguePattern:
    """An appeal to unnamed research (a record of ``vague_claims.toml``)."""

    regex: LazyPattern
    #: Lower-case words one of which every match holds.
    words: frozenset[str]
    #: A second such set (empty: none).
    also: frozenset[str]


@dataclass(frozen=True)
class Vocabulary:
    """Everything the claim finder matches, for one set of options."""

    journal_known: LazyPattern
    journal_strict: LazyPattern
    journal_generic: LazyPattern
    journal_lower: LazyPattern
    institution_claim: LazyPattern
    institution_weak: LazyPattern
    finding: LazyPattern
    research_cue: LazyPattern
    vague: tuple[VaguePattern, ...]
    overclaims: tuple[OverclaimSpec, ...]
    chronic: LazyPattern
    allow_overclaims: frozenset[str]
    reference_heading: LazyPattern
    #: Word guards: lower-case words one of which a sentence needs before the patterns are tried.
    claim_words: frozenset[str]
    overclaim_words: frozenset[str]
    finding_words: frozenset[str]
    research_cue_words: frozenset[str]
    #: Substrings one of which every match of ``journal_strict`` holds.
    strict_cues: tuple[str, ...]
    #: Words (as written) of the journals and institutions: one of them is in every name match.
    strict_words: frozenset[str]
    known_words: frozenset[str]
    institution_words: frozenset[str]
    #: The verbs of ``institution_claim`` and the nouns and people of ``institution_weak``.
    institution_verbs: frozenset[str]
    institution_weak_words: frozenset[str]
    #: Every claim the finder reports holds one of these words (as written) or one of ``vague_words``.
    classify_cased: frozenset[str]
    vague_words: frozenset[str]


def _alternation(names: Iterable[str]) -> str:
    """A regular expression for any of ``names``, longest first; white space inside a name is any white space."""
    unique = sorted({n for n in names if n}, key=lambda n: (-len(n), n))
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in unique) or r"(?!x)x"


def _choice(phrases: Iterable[str]) -> str:
    """``a|b|c`` for word phrases, in the order given."""
    return "|".join(re.escape(p).replace(r"\ ", r"\s+").replace(r"\-", "-") for p in phrases)


def _last_words(phrases: Iterable[str]) -> frozenset[str]:
    return frozenset(p.split()[-1] for p in phrases)


def _first_word(name: str) -> str:
    words: list[str] = TOKEN_RE.findall(name)
    if len(words) > 1 and words[0] in ("The", "the"):
        return words[1]
    return words[0] if words else name


_LEADING_WORDS_RE = lazy(r"^(?:(?:The|A|An|In|This|That|Another|One|Recent|Published|According)\s+)+")
_TRAILING_WORDS_RE = lazy(r"(?:\s+(?:of|on|for|in|and|&|the))+$")


def clean_name(name: str) -> str:
    """A journal's or institution's name as matched, without the words around it ("The", "of the")."""
    name = " ".join(name.split())
    name = _TRAILING_WORDS_RE.sub("", name)
    stripped = _LEADING_WORDS_RE.sub("", name)
    return stripped or name


@cache
def _table(name: str) -> dict[str, Any]:
    return tomllib.loads(read_data(name, __package__))


def _pattern(value: str | list[str], fragments: dict[str, str]) -> str:
    text = value if isinstance(value, str) else "".join(value)
    return _FRAGMENT_RE.sub(lambda m: fragments[m.group(1)], text)


@cache
def _overclaim_specs() -> tuple[OverclaimSpec, ...]:
    return tuple(
        OverclaimSpec(
            record["label"],
            lazy(_pattern(record["pattern"], {}), re.IGNORECASE),
            record["calmer"],
            record.get("rewrite"),
            record.get("negatable", True),
            word_set(record["words"]),
        )
        for record in _table("overclaims.toml")["overclaim"]
    )


@cache
def _vague_patterns() -> tuple[VaguePattern, ...]:
    table = _table("vague_claims.toml")
    fragments = {key: _pattern(value, {}) for key, value in table["fragments"].items()}
    return tuple(
        VaguePattern(
            lazy(_pattern(record["pattern"], fragments), re.IGNORECASE),
            word_set(record["words"]),
            word_set(record.get("also", "")),
        )
        for record in table["vague"]
    )


def _extra_overclaim(term: str) -> OverclaimSpec | None:
    words = TOKEN_RE.findall(term.lower())
    if not words:
        return None
    pattern = rf"\b{re.escape(term.strip())}\b"
    return OverclaimSpec(
        term.strip().lower(),
        lazy(pattern, re.IGNORECASE),
        "say what the evidence shows",
        None,
        True,
        frozenset(words[:1]),
    )


def vocabulary(options: ClaimsOptions) -> Vocabulary:
    """The words and patterns for one set of options (built once per distinct set)."""
    return _vocabulary(
        tuple(options.journals),
        tuple(options.institutions),
        tuple(options.extend_overclaims),
        tuple(options.allow_overclaims),
        tuple(options.chronic_conditions),
        tuple(options.reference_headings),
    )


@lru_cache(maxsize=16)
def _vocabulary(
    journals: tuple[str, ...],
    institutions: tuple[str, ...],
    extend_overclaims: tuple[str, ...],
    allow_overclaims: tuple[str, ...],
    chronic: tuple[str, ...],
    reference_headings: tuple[str, ...],
) -> Vocabulary:
    claims = _table("research_claims.toml")
    listed = [*data_lines("journals.txt", __package__), *journals]
    strict = [n[1:] for n in listed if n.startswith("!")]
    known = [n for n in listed if not n.startswith("!")]
    institution_names = [*data_lines("institutions.txt", __package__), *institutions]
    generic = claims["generic-institution"]
    inst = _alternation(institution_names)
    inst_any = rf"(?:{inst}|{_pattern(generic['pattern'], {'cap': _CAP})})"
    context = claims["institution-context"]
    study_noun = f"(?:{_choice(context['study-nouns'])})"
    institution_claim = lazy(
        rf"(?i:according\s+to\s+)(?:(?i:a|an|the|new|recent|latest)\s+)*(?:(?i:study|report|survey|data|research|"
        rf"guidelines|figures|estimates|statistics|analysis|review|researchers|experts|scientists)\s+"
        rf"(?i:from|by|of|at)\s+(?:the\s+)?)?(?P<i2>{inst_any})"
        rf"|(?<![\w-])(?P<i3>{inst})\s+(?i:{_choice(context['verbs'])})\b"
    )
    institution_weak = lazy(
        rf"\b(?i:a|an|the|one|another|new|recent|\d{{4}})\s+(?i:new\s+|recent\s+|large\s+)?(?P<i1>{inst_any})"
        rf"(?i:-led|-funded|-based)?\s+(?i:{study_noun})\b"
        rf"|(?<![\w-])(?P<i4>{inst_any})\s+(?i:{_choice(context['subjects'])})\b"
        rf"|\b(?i:(?:{_choice(context['people'])}))\s+(?:[\w’'-]+\s+){{0,2}}?(?i:at|from|of|with|led\s+by|based\s+at)\s+"
        rf"(?:the\s+)?(?P<i5>{inst_any})"
        rf"|\b{study_noun}\s+(?:by|at|from|conducted\s+at|carried\s+out\s+at|led\s+by)\s+(?:the\s+)?"
        rf"(?P<i6>{inst_any})"
    )
    cues = claims["journal-context"]
    strict_before = (
        rf"(?i:(?:{_choice(cues['published'])})\s+"
        r"(?:(?:online|today|recently|this\s+\w+|last\s+\w+|earlier\s+this\s+\w+)\s+)*in|"
        rf"(?:{_choice(cues['sources'])})\s+"
        r"(?:published\s+)?in|according\s+to|journal)\s+(?:the\s+)?(?i:journal\s+)?"
    )
    strict_after = rf"\s+(?i:{_choice(cues['after'])})\b"
    strict_words = frozenset(_first_word(n) for n in strict)
    known_words = frozenset(_first_word(n) for n in known)
    institution_words = word_set(generic["words"]) | {_first_word(n) for n in institution_names}
    vague = _vague_patterns()
    overclaims = list(_overclaim_specs())
    overclaims.extend(spec for spec in map(_extra_overclaim, extend_overclaims) if spec is not None)
    headings = [re.escape(h.strip().rstrip(":")) for h in reference_headings if h.strip()]
    finding_words = word_set(claims["finding-verbs"])
    research_cue_words = word_set(claims["research-cues"])
    vague_words = frozenset().union(*(v.words for v in vague))
    return Vocabulary(
        journal_known=lazy(rf"(?<![\w-])(?:{_alternation(known)})(?![\w-])"),
        journal_strict=lazy(
            rf"{strict_before}(?P<s1>{_alternation(strict)})(?![\w-])"
            rf"|\b(?i:a|an|the|one|another|new|recent)\s+(?P<s2>{_alternation(strict)}){strict_after}"
        ),
        journal_generic=lazy(_JOURNAL_GENERIC),
        journal_lower=lazy(_JOURNAL_LOWER),
        institution_claim=institution_claim,
        institution_weak=institution_weak,
        finding=lazy(rf"\b(?:{_alternation(finding_words)})\b", re.IGNORECASE),
        research_cue=lazy(rf"\b(?:{_alternation(research_cue_words)})\b", re.IGNORECASE),
        vague=vague,
        overclaims=tuple(overclaims),
        chronic=lazy(
            rf"\b(?:{_alternation([*data_lines('chronic_conditions.txt', __package__), *chronic])})\b", re.IGNORECASE
        ),
        allow_overclaims=frozenset(a.strip().lower() for a in allow_overclaims if a.strip()),
        reference_heading=(
            lazy(rf"^\s*(?:{'|'.join(headings)})\s*:?\s*$", re.IGNORECASE) if headings else lazy(r"(?!x)x")
        ),
        claim_words=word_set(claims["claim-words"]) | {_first_word(n).lower() for n in known + strict},
        overclaim_words=frozenset(w for spec in overclaims for w in spec.words),
        finding_words=finding_words,
        research_cue_words=research_cue_words,
        strict_cues=(*cues["published"], *cues["sources"], *cues["after"], "according", "journal"),
        strict_words=strict_words,
        known_words=known_words,
        institution_words=institution_words,
        institution_verbs=frozenset(v.split()[0] for v in context["verbs"]),
        institution_weak_words=frozenset(context["study-nouns"])
        | _last_words(context["people"])
        | frozenset(context["subjects"]),
        classify_cased=strict_words | known_words | GENERIC_JOURNAL_WORDS | {"journal"} | institution_words,
        vague_words=vague_words,
    )
