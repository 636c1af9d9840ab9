"""Whether an article gives treatment advice: a logistic model over article-level features.

The features count what advice looks like on a page (sentences :func:`.advice.gives_advice`
accepts, imperative sentence starts, second-person directives, doses, remedy words) against
what reporting looks like (study words). The weights are fitted by ``scripts/train_advice.py``
and shipped as ``data/advice_model.json``; nothing here is tuned by hand.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from healthlint.families.disclaimer.advice import gives_advice
from healthlint.regexcache import lazy
from healthlint.resources import read_data

_IMPERATIVE_RE = lazy(
    r"^(?:[^:]{1,40}:\s+)?(?:(?:Always|Never|Just|Simply|Then|First|Also|Gently|Slowly|Instead|So)\s*,?\s+)?"
    r"(?:Take|Apply|Use|Try|Avoid|Stop|Start|Eat|Drink|Add|Limit|Reduce|Increase|Cut|Switch|Consider|Stretch|"
    r"Rest|Ice|Don[’']t|Do\s+not|Keep|Get|Schedule|Book|Combine|Include|Choose|Skip|Replace|Exercise|Walk|"
    r"Sleep|Breathe|Roll|Place|Hold|Repeat|Focus|Steep|Mix|Soak|Wear|Lie|Sit|Stand|Lift|Bend|Begin|Chew|"
    r"Swallow|Inhale|Rub|Warm|Elevate|Wrap|Make|Watch|Stay|Talk|See|Ask|Check|Eliminate|Lose|Quit|Massage|"
    r"Remember|Be|Give|Let|Find|Follow|Practice|Practise|Aim|Opt|Go|Look|Have|Maintain|Monitor)\b"
)
_SECOND_PERSON_RE = lazy(r"\b(?:you|your|yourself)\b", re.IGNORECASE)
_DIRECTIVE_RE = lazy(
    r"\b(?:you\s+(?:should|must|need\s+to|can|could|may\s+want|might\s+want|will\s+want|ought)|"
    r"(?:try|avoid|take|apply|stop|limit|reduce|drink|eat|use|quit|skip|add)\s+(?:to\s+)?(?:a|an|the|some|your|"
    r"more|less|any|it|them|this|these|foods?|\w+ing)\b)",
    re.IGNORECASE,
)
_DOSE_RE = lazy(
    r"\b\d+(?:[.,]\d+)?\s?(?:mg|mcg|µg|μg|milligrams?|micrograms?|ml|IU|tablets?|capsules?|drops?|teaspoons?|"
    r"tablespoons?|tsp|tbsp|grams?|g|cups?|glasses?|minutes?)\b|\b(?:once|twice|\d+\s+times)\s+(?:a|per|each)\s+"
    r"(?:day|week)\b",
    re.IGNORECASE,
)
_REMEDY_RE = lazy(
    r"\b(?:remed(?:y|ies)|relie(?:f|ve|ves)|ease|soothe|treat(?:s|ed|ing|ment|ments)?|cure|help(?:s|ful)?|"
    r"prevent|manage|tips?|ways?\s+to|home|natural(?:ly)?|supplements?|diet|exercises?)\b",
    re.IGNORECASE,
)
_REPORT_RE = lazy(
    r"\b(?:stud(?:y|ies)|research(?:ers)?|trials?|survey|participants|according\s+to|reported|found\s+that|"
    r"published|journal|percent|%|statistics|estimates?|million|causes?|symptoms?\s+(?:include|are)|is\s+a|"
    r"are\s+a|defined)\b",
    re.IGNORECASE,
)
_CONDITIONAL_IMPERATIVE_RE = lazy(
    r"^(?:If|When|Once|Before|After|Whenever)\b[^,]{3,120},\s*(?:then\s+)?(?:try|take|apply|use|avoid|stop|start|"
    r"eat|drink|add|limit|reduce|cut|keep|get|have|make|rest|ice|do\s+not|don[’']t|consider|ask|talk|see|call|"
    r"contact|visit|seek|speak|check|wear|choose|switch)\b",
    re.IGNORECASE,
)
_TREATMENT_RE = lazy(
    r"\b(?:medicines?|medications?|drugs?|statins?|pills?|creams?|ointments?|therap(?:y|ies)|capsules?|tablets?|"
    r"teas?|oils?|vitamins?|herbs?|herbal|doses?|dosages?|painkillers?|ibuprofen|paracetamol|acetaminophen|"
    r"antihistamines?|inhalers?|injections?)\b",
    re.IGNORECASE,
)
_HELPS_RE = lazy(
    r"\b(?:help(?:s|ing)?|can|may|will|to)\s+(?:you\s+)?(?:reduce|lower|relieve|ease|prevent|manage|treat|improve|"
    r"control|fight|combat|soothe|heal|cure|boost|lose|burn)\b",
    re.IGNORECASE,
)
_REFERRAL_RE = lazy(
    r"\b(?:doctor|GP|physician|pharmacist|nurse|dermatologist|dentist|specialist|emergency|999|911|111|"
    r"health\s*care\s+(?:provider|professional))s?\b",
    re.IGNORECASE,
)
_WORD_RE = lazy(r"\w+")

#: The features, in the order of the model's weights.
FEATURES = (
    "advice_share",
    "advice_sentences",
    "imperative_share",
    "imperatives",
    "second_person_per_100_words",
    "directives",
    "doses",
    "remedy_per_100_words",
    "report_per_100_words",
    "log_words",
    "conditional_imperatives",
    "treatment_per_100_words",
    "helps_per_100_words",
    "referrals",
)


def features(sentences: Sequence[str]) -> list[float]:
    """The feature vector of an article given as its sentences (in :data:`FEATURES` order)."""
    n = max(1, len(sentences))
    words = max(1, sum(len(_WORD_RE.findall(s)) for s in sentences))
    advice = sum(gives_advice(s) for s in sentences)
    imperatives = sum(bool(_IMPERATIVE_RE.search(s.strip())) for s in sentences if not s.rstrip().endswith("?"))
    second = sum(len(_SECOND_PERSON_RE.findall(s)) for s in sentences)
    directives = sum(len(_DIRECTIVE_RE.findall(s)) for s in sentences)
    doses = sum(len(_DOSE_RE.findall(s)) for s in sentences)
    remedy = sum(len(_REMEDY_RE.findall(s)) for s in sentences)
    report = sum(len(_REPORT_RE.findall(s)) for s in sentences)
    conditional = sum(bool(_CONDITIONAL_IMPERATIVE_RE.search(s.strip())) for s in sentences)
    treatment = sum(len(_TREATMENT_RE.findall(s)) for s in sentences)
    helps = sum(len(_HELPS_RE.findall(s)) for s in sentences)
    referrals = sum(bool(_REFERRAL_RE.search(s)) for s in sentences)
    return [
        advice / n,
        math.log1p(advice),
        imperatives / n,
        math.log1p(imperatives),
        100 * second / words,
        math.log1p(directives),
        math.log1p(doses),
        100 * remedy / words,
        100 * report / words,
        math.log(words),
        math.log1p(conditional),
        100 * treatment / words,
        100 * helps / words,
        math.log1p(referrals),
    ]


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
    model = _model()
    return probability(features(sentences), model) >= float(model["threshold"])
