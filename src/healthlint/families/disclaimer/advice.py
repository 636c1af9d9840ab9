"""Sentences that give health advice (doses, "you should", imperatives, recommended treatments)."""

from __future__ import annotations

import re

from healthlint.regexcache import lazy
from healthlint.text.tokens import folded

_DOSE_RE = lazy(
    r"\b\d+(?:[.,]\d+)?\s?(?:(?:-|to|–)\s?\d+(?:[.,]\d+)?\s?)?(?:mg|mcg|µg|μg|milligrams?|micrograms?|ml|milliliters?|"
    r"millilitres?|IU|international\s+units|tablets?|capsules?|drops?|teaspoons?|tablespoons?|tsp|tbsp|puffs?|"
    r"sprays?)\b|\b(?:once|twice|three\s+times|four\s+times|\d+\s+times)\s+(?:a|per|each)\s+(?:day|week)\b|"
    r"\bevery\s+\d+\s+(?:to\s+\d+\s+)?hours\b",
    re.IGNORECASE,
)
#: A dose given to the reader ("take 400 mg", "adults can take"), not one reported from a study.
_DOSE_ADVICE_RE = lazy(
    r"\b(?:take|taking|use|apply|drink|give|you|your|should|recommended\s+dose|maximum|do\s+not\s+exceed|adults|"
    r"children|no\s+more\s+than|up\s+to)\b",
    re.IGNORECASE,
)
_STUDY_REPORT_RE = lazy(
    r"\b(?:participants|patients|subjects|volunteers|received|were\s+given|took|group|groups|study|trial|"
    r"researchers|placebo|mice|rats)\b",
    re.IGNORECASE,
)
_ADVICE_RES = tuple(
    lazy(p)
    for p in (
        r"(?i)\byou\s+(?:should|must|need\s+to|ought\s+to|may\s+want\s+to|might\s+want\s+to|can\s+try|"
        r"could\s+try)\b|\b(?:we|i)\s+(?:recommend|suggest|advise)\b|\bit(?:[’']s|\s+is)\s+(?:best|important|"
        r"advisable|recommended|a\s+good\s+idea|wise)\s+to\b|\bmake\s+sure\s+(?:to|you)\b|\bbe\s+sure\s+to\b|"
        r"\btry\s+(?:taking|using|applying|adding|eating|drinking)\b|\b(?:daily\s+)?dosages?\b",
        r"^(?:[^:]{1,40}:\s+)?(?:(?:Always|Never|Just|Simply|Then|First|Also|Gently|Slowly)\s+)?(?:Take|Apply|Use|"
        r"Try|Avoid|Stop|Start|Eat|Drink|Add|Limit|Reduce|Increase|Cut|Switch|Consider|Stretch|Rest|Ice|Don[’']t|"
        r"Do\s+not|Keep|Get|Schedule|Book|Combine|Include|Choose|Skip|Replace|Exercise|Walk|Sleep|Breathe|Roll|"
        r"Place|Hold|Repeat|Focus|Steep|Mix|Soak|Wear|Lie|Sit|Stand|Lift|Bend|Begin|Chew|Swallow|Inhale|Rub|Warm|"
        r"Elevate|Wrap)\b(?!\s+(?:can|may|might|is|are|was|were|has|have|had|helps?|and|or|also|will|could|should|"
        r"does|do|up\s+with|the\s+brief)\b)",
        r"^(?:Tip|Tips|Pro\s+tip|Advice|Recommendation)s?\s*:",
        r"(?i)\b(?:best|recommended|effective|proven|natural|safe|good|great|ideal|top)\s+(?:\w+\s+)?(?:treatments?|"
        r"remed(?:y|ies)|cures?|ways?\s+to\s+(?:treat|relieve|ease|cure|get\s+rid\s+of|manage|reduce))\b|"
        r"\bhome\s+remed(?:y|ies)\b|\btreat(?:ing)?\s+(?:your|it|the\s+pain|symptoms)\s+(?:with|by|at\s+home)\b",
    )
)
#: Every match of the last of :data:`_ADVICE_RES` (a recommended treatment) holds one of these, in lower case.
_TREATMENT_WORDS = ("treat", "remed", "cure", "way")
_REPORTED_SPEECH_RE = lazy(r"^\s*[\"“‘']|[\"”’']\s*,?\s*(?:he|she|they|\w+)\s+(?:said|says|added|explained)\b")


def gives_advice(sentence: str) -> bool:
    if sentence.endswith("?") or _REPORTED_SPEECH_RE.search(sentence):
        return False
    if any(regex.search(sentence) for regex in _ADVICE_RES[:-1]):
        return True
    low = folded(sentence)  # the last pattern tries many words at every position: searched only where it can match
    if (low is None or any(word in low for word in _TREATMENT_WORDS)) and _ADVICE_RES[-1].search(sentence):
        return True
    return bool(
        _DOSE_RE.search(sentence) and _DOSE_ADVICE_RE.search(sentence) and not _STUDY_REPORT_RE.search(sentence)
    )
