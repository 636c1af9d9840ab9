"""Whether an article gives treatment advice: a logistic model over article-level features.

The features say what kind of sentences the article is made of: sentences that tell the reader to do
something about a health problem (a modal or an imperative before an action verb), recommendations in the
third person or the passive, sentences naming a remedy and what it eases, against sentences that describe
care instead of giving it ("treatment may include", "doctors may prescribe") and a provider describing its own
service ("our specialists offer", "book an appointment"); and a few word counts (second person, benefit words,
prohibitions, doses). Not counted as imperatives: a verb of the list used as a noun ("Rest is the first treatment"), a
heading in title case, page chrome ("Skip to content") and referrals ("See a GP"), which send the reader to
care instead of telling them how to treat anything. Their vocabulary and patterns are
``data/advice_features.toml``; each pattern runs only on sentences holding one of its words. The weights are
fitted by ``scripts/train_advice.py`` and shipped as ``data/advice_model.json``; nothing here is tuned by hand.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cache
from typing import Any

from healthlint.regexcache import LazyPattern, lazy
from healthlint.resources import read_data
from healthlint.text.tokens import folded

_PUNCTUATION = ".,;:!?()[]{}\"“”‘'*•·–—-/…"
#: Units of a dose ("400 mg", "2 teaspoons"), counted where they are words or end a number ("400mg").
_UNITS = frozenset(
    [
        *("mg", "mg.", "mg,", "mcg", "µg", "μg", "milligrams", "micrograms", "ml", "iu", "tablet", "tablets"),
        *("capsule", "capsules", "drops", "teaspoon", "teaspoons", "tablespoon", "tablespoons", "tsp", "tbsp"),
        *("grams", "g", "cups", "glasses"),
    ]
)
#: A word that is a number with a unit glued to it ("400mg", "2.5ml"): digits, stops and commas from its
#: start, then a unit to its end. It opens with a digit, so the search skips to the digits of the text. Its
#: units are in a fixed order (a set's order changes with each process), so the regex cache keeps one program.
_GLUED_DOSE_RE = lazy(
    r"[0-9](?<!\S[0-9])[0-9.,]*(?:"
    + "|".join(re.escape(unit) for unit in sorted(_UNITS, key=lambda unit: (-len(unit), unit)))
    + r")(?!\S)"
)
_BULLETS = "•·‣▪●◦○■□*-–— \t"
#: What a list item's marker leaves before its sentence ("2. Apply ...", "• Rest ...").
_MARKERS = _BULLETS + "0123456789.)"
#: Everything but letters and the apostrophe, for cutting a sentence into its words with str.split. The
#: other characters of ASCII, Latin-1 and general punctuation map to themselves: str.translate raises and
#: catches a LookupError for each character its table lacks.
_NOT_WORDS: dict[int, int | str] = {
    **{code: code for code in (*range(0x250), *range(0x2000, 0x2070))},
    **{ord(char): " " for char in '.,;:!?()[]{}"“”‘*•·‣▪●◦○■□–—-/…0123456789%+=<>&#@|_~^`$'},
    ord("’"): "'",
}
#: The same cut as bytes of UTF-8, with the non-ASCII characters it changes replaced first
#: (:func:`_sentence_words`): a byte table runs in C, where a table of characters looks every character
#: of a sentence holding a curly quote up in a dict.
_NOT_WORD_BYTES = bytes(
    ord(_NOT_WORDS[code]) if isinstance(_NOT_WORDS[code], str) else code  # type: ignore[arg-type]
    for code in range(128)
) + bytes(range(128, 256))
_NOT_WORD_CHARS = tuple(
    (chr(code), value) for code, value in _NOT_WORDS.items() if code > 127 and isinstance(value, str)
)


@dataclass(frozen=True)
class Vocabulary:
    name: str
    per_100_words: bool
    #: Its words as they occur in the text split at white space: alone, before a comma or before a stop.
    words: frozenset[str]
    #: Each phrase after a space ("twice a day." holds " twice a day"), and its first word (a phrase is
    #: counted only when its first word occurs).
    phrases: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SentencePattern:
    regex: LazyPattern
    #: Searched only in a sentence holding one of these words (empty: any sentence of its kind) ...
    words: frozenset[str]
    #: ... or, if this is not None, only in one that opens with one of these words or holds a short label.
    opening: frozenset[str] | None
    #: Every match opens with one of these (lower case), so the pattern is tried only where one of them
    #: occurs (empty: searched everywhere); a case-insensitive search tries every position of a sentence.
    starts: tuple[str, ...] = ()

    def found_in(self, text: str, low: str | None) -> bool:
        """Whether the pattern matches ``text``, whose :func:`folded` form is ``low``."""
        if not self.starts or low is None or len(low) != len(text):
            return self.regex.search(text) is not None
        match = self.regex.match
        for word in self.starts:
            at = low.find(word)
            while at >= 0:
                if match(text, at):
                    return True
                at = low.find(word, at + 1)
        return False


@dataclass(frozen=True)
class SentenceKind:
    name: str
    #: A sentence is searched only when it holds one of these words (every match of a pattern holds one).
    words: frozenset[str]
    patterns: tuple[SentencePattern, ...]
    #: Counted as a share of the article's sentences, else as log(1 + count).
    share: bool
    #: A sentence holding one of these words is not of the kind ("studies suggest that" is no recommendation).
    unless: frozenset[str] = frozenset()

    def matches(self, text: str, words: AbstractSet[str], first: str, low: str | None = None) -> bool:
        """Whether ``text`` (its words, its first word in lower case, its :func:`folded` form) is a sentence
        of this kind."""
        for pattern in self.patterns:
            if pattern.opening is not None:
                if first not in pattern.opening and ":" not in text[:42]:
                    continue
            elif pattern.words and words.isdisjoint(pattern.words):
                continue
            if pattern.found_in(text, low if low is not None else folded(text)):
                return True
        return False


def _alternatives(words: Sequence[str]) -> str:
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


def _kind(record: dict[str, Any]) -> SentenceKind:
    words = record["words"].split()
    action = _alternatives(words)
    patterns = tuple(
        SentencePattern(
            lazy(
                "".join(p["regex"]).replace("{action}", action).replace("{noun_cue}", _NOUN_CUE_RE),
                re.IGNORECASE,
            ),
            frozenset(p.get("words", "").split()),
            frozenset([*words, *p["opening"].split()]) if "opening" in p else None,
            tuple(p.get("starts", "").split()),
        )
        for p in record["pattern"]
    )
    return SentenceKind(
        record["name"],
        frozenset([*words, *record.get("also", "").split()]),
        patterns,
        record["scale"] == "share",
        frozenset(record.get("unless", "").split()),
    )


_DATA: dict[str, Any] = tomllib.loads(read_data("advice_features.toml", __package__))
_NOUN_CUES = frozenset(_DATA["sentence_start"]["noun_cues"].split())
_NOUN_CUE_RE = _alternatives(sorted(_NOUN_CUES))
_NAVIGATION = frozenset(_DATA["sentence_start"]["navigation"].split())
_VOCABULARIES = tuple(
    Vocabulary(
        r["name"],
        r["scale"] == "per_100_words",
        frozenset(w + end for w in r.get("words", "").split() for end in ("", ",", ".")),
        tuple((f" {p}", p.split()[0]) for p in r.get("phrases", ())),
    )
    for r in _DATA["feature"]
)
_KINDS = tuple(_kind(r) for r in _DATA["sentence"])
_KIND_WORDS = frozenset().union(*(k.words for k in _KINDS))
_REMEDIES = frozenset(_DATA["remedy_effect"]["remedies"].split())
_EFFECTS = frozenset(_DATA["remedy_effect"]["effects"].split())
_REPORTING = frozenset(_DATA["remedy_effect"]["reporting"].split())
#: Every word a sentence's words are compared with: a sentence keeps only these of its words.
_SENTENCE_WORDS = _KIND_WORDS.union(
    *(pattern.words for kind in _KINDS for pattern in kind.patterns),
    *(kind.unless for kind in _KINDS),
    _REMEDIES,
    _EFFECTS,
    _REPORTING,
    _NAVIGATION,
)
_IMPERATIVES = frozenset(_DATA["sentence_start"]["imperatives"].split())
_CONDITIONS = frozenset(_DATA["sentence_start"]["conditions"].split())

#: Every word the counts over the whole opening look for (units, the vocabularies' words, their phrases'
#: first words): the opening keeps only these of its words.
_COUNTED_WORDS = _UNITS.union(
    *(v.words for v in _VOCABULARIES), (first for v in _VOCABULARIES for _, first in v.phrases)
)

#: The features, in the order of the model's weights.
FEATURES = (
    "imperative_share",
    *(f"{k.name}_share" if k.share else f"{k.name}s" for k in _KINDS),
    "remedy_effects",
    "doses",
    *(f"{v.name}_per_100_words" if v.per_100_words else v.name for v in _VOCABULARIES),
)


def _first_word(text: str) -> str:
    words = text.split(None, 1)
    return words[0].strip(_PUNCTUATION).lower().replace("’", "'") if words else ""


def _opens_with_verb(text: str) -> bool:
    """Whether ``text`` opens with a verb of :data:`_IMPERATIVES` used as one: not a noun before a verb
    ("Rest is the first treatment") and not a heading in title case ("Sleep Problems")."""
    if _first_word(text) not in _IMPERATIVES:
        return False
    words = text.split(None, 2)
    if len(words) > 1 and words[1].strip(_PUNCTUATION).lower() in _NOUN_CUES:
        return False
    return not _is_heading(text)


def _is_heading(text: str) -> bool:
    """A short line in title case without a closing stop ("Sleep Problems", "Stretch Marks")."""
    text = text.strip()
    words = text.split()
    return (
        len(words) <= 6
        and not text.endswith((".", "!"))
        and all(word[0].isupper() for word in words if len(word) > 3 and word[0].isalpha())
    )


def _opens_with_imperative(sentence: str) -> tuple[bool, bool]:
    """Whether the sentence opens with an imperative, and whether it does so after an "If …," clause."""
    sentence = sentence.lstrip(_BULLETS)
    if not sentence or sentence.rstrip().endswith("?"):
        return False, False
    if sentence[0].isupper() and _opens_with_verb(sentence):
        return True, False
    label = sentence.find(":", 0, 42)
    if label > 0 and _opens_with_verb(sentence[label + 1 :].lstrip()):
        return True, False
    if _first_word(sentence) in _CONDITIONS:
        comma = sentence.find(",", 0, 160)
        if comma > 0 and _opens_with_verb(sentence[comma + 1 :].lstrip()):
            return False, True
    return False, False


def features(sentences: Sequence[str]) -> list[float]:
    """The feature vector of an article given as its sentences (in :data:`FEATURES` order)."""
    return _read(sentences)[0]


def _sentence_words(lows: list[str]) -> list[str]:
    """Each lower-case sentence with every character but letters and the apostrophe made a space (as
    ``str.translate(_NOT_WORDS)``), cut in one pass over the whole opening."""
    joined = "\x00".join(lows)
    if joined.count("\x00") != len(lows) - 1:
        return [low.translate(_NOT_WORDS) for low in lows]  # a sentence holds the separator
    if not joined.isascii():
        for char, value in _NOT_WORD_CHARS:
            if char in joined:
                joined = joined.replace(char, value)
    data = joined.encode("utf-8", "surrogatepass").translate(_NOT_WORD_BYTES)
    return data.decode("utf-8", "surrogatepass").split("\x00") if lows else []


def _read(sentences: Sequence[str]) -> tuple[list[float], int | None]:
    """The feature vector, and the index of the first sentence that gives advice, else of the first that
    opens with an imperative (or None)."""
    imperatives = effects = 0
    kinds = [0] * len(_KINDS)
    first_advice: int | None = None
    first_imperative: int | None = None
    lows = [sentence.lower() for sentence in sentences]
    for index, (sentence, cut) in enumerate(zip(sentences, _sentence_words(lows), strict=True)):
        tokens = cut.split()
        if not tokens:
            continue
        first = tokens[0]
        # only a sentence whose first word is a verb of the list, or that holds a label or opens a condition,
        # can open with an imperative
        candidate = first in _IMPERATIVES or first in _CONDITIONS or ":" in sentence[:42]
        words = _SENTENCE_WORDS.intersection(tokens)
        if candidate and _opens_with_imperative(sentence)[0]:
            if not words.isdisjoint(_NAVIGATION):
                continue  # page chrome ("Skip to content", "Click to share")
            imperatives += 1
            if first_imperative is None:
                first_imperative = index
        if sentence.rstrip().endswith("?"):
            continue
        if first in _IMPERATIVES and _is_heading(sentence.lstrip(_BULLETS)):
            continue
        if not words.isdisjoint(_KIND_WORDS):
            text = sentence.replace("’", "'").strip().lstrip(_MARKERS)
            low = folded(text)
            for k, kind in enumerate(_KINDS):
                if (
                    not words.isdisjoint(kind.words)
                    and words.isdisjoint(kind.unless)
                    and kind.matches(text, words, first, low)
                ):
                    kinds[k] += 1
                    if k == 0 and first_advice is None:
                        first_advice = index
        if not (words.isdisjoint(_REMEDIES) or words.isdisjoint(_EFFECTS)) and words.isdisjoint(_REPORTING):
            effects += 1
    low = "\n".join(lows).replace("’", "'")
    tokens = low.split()
    present = _COUNTED_WORDS.intersection(tokens)
    # a word's count only for the few words of a list that occur (cheaper than counting every word)
    count = tokens.count
    words_total = max(1, len(tokens))
    # a dose: a unit after a number, or glued to it ("400mg")
    doses = sum(map(count, _UNITS & present))
    doses += len(_GLUED_DOSE_RE.findall(low))
    n = max(1, len(sentences))
    out = [imperatives / n]
    out += [c / n if kind.share else math.log1p(c) for c, kind in zip(kinds, _KINDS, strict=True)]
    out += [math.log1p(effects), math.log1p(doses)]
    for vocabulary in _VOCABULARIES:
        found = sum(map(count, vocabulary.words & present))
        found += sum(low.count(p) for p, first in vocabulary.phrases if first in present)
        out.append(100 * found / words_total if vocabulary.per_100_words else math.log1p(found))
    return out, first_advice if first_advice is not None else first_imperative


@cache
def _model() -> dict[str, Any]:
    model: dict[str, Any] = json.loads(read_data("advice_model.json", __package__))
    if tuple(model["features"]) != FEATURES:
        raise ValueError("data/advice_model.json was fitted on other features: run scripts/train_advice.py")
    return model


def probability(vector: Sequence[float], model: dict[str, Any] | None = None) -> float:
    """The model's probability that an article with these features gives treatment advice."""
    model = model or _model()
    z = float(model["bias"]) + sum(
        w * (x - m) / s for w, x, m, s in zip(model["weights"], vector, model["mean"], model["scale"], strict=True)
    )
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def gives_treatment_advice(sentences: Sequence[str]) -> bool:
    """Whether the article (its sentences) tells readers what to do about a health problem."""
    return judge(sentences)[0]


def judge(sentences: Sequence[str]) -> tuple[bool, int | None]:
    """Whether the article gives treatment advice, and the index of its first advice sentence (where a
    finding can point), or None."""
    model = _model()
    vector, first_advice = _read(sentences)
    return probability(vector, model) >= float(model["threshold"]), first_advice
