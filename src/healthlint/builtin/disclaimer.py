"""Safety disclaimers (HL2xx): does the article tell readers when to see a health professional?

HONcode's *complementarity* principle: health information supports, and does not replace,
the relationship between a patient and their doctor. HL201 flags an article with no safety
statement at all (in its body, its front matter, or the site template declared in config);
HL202 flags sentences that talk readers out of professional care ("you don't need to see a
doctor"); HL203 flags advice to stop prescribed medicine.

A safety statement is recognised however it is phrased ("consult your doctor", "talk to a
qualified healthcare provider", "needs to be evaluated by a healthcare professional", "is
not a substitute for professional medical advice", "does not replace diagnosis or
prescribed treatment", "when to see a doctor", "call 911"), in any block (headings, list
items, FAQ answers, quotes, HTML), but not when it is negated or part of a spam footer.
Everything is regular expressions, compiled on first use, each behind a cheap substring check
that proves when it cannot match; nothing heavy is imported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from healthlint import Hit, Rule, Severity, hookimpl
from healthlint.article import Article, Block
from healthlint.config import Config, ConfigError
from healthlint.regexcache import LazyPattern, lazy
from healthlint.rules import RuleContext
from healthlint.text.sentences import split_sentences
from healthlint.text.tokens import folded

PLUGIN = "disclaimer"

DEFAULT_SUGGESTED_TEXT = (
    "This article is general information, not a substitute for professional medical advice. "
    "Talk to your doctor or another qualified health professional about your symptoms and "
    "before starting a new treatment."
)
DEFAULT_FRONT_MATTER_KEYS = ("disclaimer", "medical_disclaimer", "health_disclaimer", "safety_note")
_FALSEY = frozenset({"", "no", "none", "false", "off", "n/a", "-"})


@dataclass
class DisclaimerOptions:
    """``[tool.healthlint.plugins.disclaimer]``."""

    #: "always" (every article needs a safety statement) or "advice" (only articles that give advice).
    require: Literal["always", "advice"] = "always"
    #: The site's template prints a disclaimer on every page: true, or its text (which must read as one).
    site_disclaimer: bool | str = False
    #: Front matter keys whose value is (or declares) the article's disclaimer.
    front_matter_keys: list[str] = field(default_factory=lambda: list(DEFAULT_FRONT_MATTER_KEYS))
    #: The sentence HL201 suggests adding.
    suggested_text: str = DEFAULT_SUGGESTED_TEXT
    #: Articles shorter than this many words need no disclaimer (0: every article with prose does).
    min_words: int = 0


# -- Vocabulary ----------------------------------------------------------------------------

_APOS = r"[’']"
_PRO = (
    r"(?:(?:qualified|licensed|registered|certified|trusted|own|regular|usual|family|primary[- ]care|local|"
    r"trained|medical|health(?:[- ]?care)?|child" + _APOS + r"?s|baby" + _APOS + r"?s|treating|specialist)\s+)*"
    r"(?:doctors?|physicians?|GPs?|general\s+practitioners?|health\s*care\s+(?:providers?|professionals?|"
    r"practitioners?|teams?|workers?|provider\s+team)|health\s+(?:professionals?|practitioners?|providers?|"
    r"workers?|visitors?)|medical\s+(?:professionals?|practitioners?|providers?|doctors?|experts?|team|staff)|"
    r"providers?|clinicians?|pharmacists?|chemists?|nurses?(?:\s+practitioners?)?|specialists?|dentists?|"
    r"dermatologists?|p(?:a)?ediatricians?|obstetricians?|gyn(?:a)?ecologists?|midwi(?:fe|ves)|dietitians?|"
    r"dieticians?|physiotherapists?|physical\s+therapists?|occupational\s+therapists?|psychiatrists?|"
    r"psychologists?|mental\s+health\s+professionals?|surgeons?|cardiologists?|oncologists?|neurologists?|"
    r"orthop(?:a)?edists?|orthop(?:a)?edic\s+(?:surgeons?|specialists?)|rheumatologists?|endocrinologists?|"
    r"gastroenterologists?|urologists?|allergists?|optometrists?|ophthalmologists?|audiologists?|podiatrists?|"
    r"care\s+team|NHS\s+111|poison\s+control)"
)
_MEDICAL = (
    r"(?:medical|professional|doctors?|physicians?|diagnos[ie]s|diagnosis|treatments?|care|advice|consultations?|"
    r"health\s*care|clinicians?|prescri\w+|medications?|medicines?|providers?|examinations?|evaluations?|"
    r"interventions?|GPs?|pharmacists?|nurses?|specialists?)"
)
_REFER_VERB = (
    r"(?:consult(?:ing)?|talk(?:ing)?|speak(?:ing)?|see(?:ing)?|visit(?:ing)?|ask(?:ing)?|check(?:ing)?|"
    r"contact(?:ing)?|call(?:ing)?|tell(?:ing)?|inform(?:ing)?|let|notify|seek(?:ing)?|go(?:ing)?|"
    r"work(?:ing)?\s+(?:closely\s+)?with|confer|follow(?:ing)?|(?:make|book|schedule)\s+an\s+appointment)"
)
#: Up to four plain words between a verb and the professional ("talk to your family doctor"), no clause break
#: and no capitalised name ("visit the American Society of Plastic Surgeons" is not a referral).
_MID = r"(?:\s+(?!(?:and|but|or|because|while|there|which|who|that)\b)(?-i:[a-z’'][^\s.!?;:,]*|GP|NHS)){0,4}?"
#: Statements that need no framing: they are disclaimers by their wording.
_STATEMENT_RES = tuple(
    lazy(p, re.IGNORECASE)
    for p in (
        # "is not a substitute for professional medical advice", "not intended as a replacement for your doctor"
        r"(?:\bnot\b|n"
        + _APOS
        + r"t\b|\bnever\b|\bno\b)\s+(?:(?:intended|meant|designed|supposed)\s+(?:as|to\s+be)\s+|"
        r"(?:be\s+)?(?:used|considered|taken|seen)\s+as\s+|(?:a\s+)?(?:good|proper|real|safe)\s+)?(?:a\s+|an\s+)?"
        r"(?:substitutes?|replacements?|alternatives?)\s+(?:for|to)\s+(?:[\w’'-]+\s+){0,4}?" + _MEDICAL + r"\b",
        # "does not replace diagnosis", "mustn't replace medical care", "should never take the place of your doctor"
        r"(?:\bnot\b|n"
        + _APOS
        + r"t\b|\bnever\b)\s+(?:(?:intended|meant|designed|supposed)\s+to\s+|be\s+used\s+to\s+)?"
        r"(?:replace|substitute\s+for|take\s+the\s+place\s+of|be\s+used\s+(?:in\s+place\s+of|instead\s+of))\s+"
        r"(?:[\w’'-]+\s+){0,4}?" + _MEDICAL + r"\b",
        r"\bfor\s+(?:general\s+)?(?:informational|information|educational|education)\s+purposes\s+only\b",
        r"\b(?:is|are|was|does|do|should)\s+not\s+(?:intended|meant|designed)\s+(?:as|to\s+be|to)\b[^.!?]{0,60}?"
        r"\b(?:medical|professional|health)\s+(?:advice|diagnosis|treatment|care|consultation)",
        r"\b(?:not|n" + _APOS + r"t)\s+(?:\w+\s+){0,2}?(?:medical|professional|health)\s+advice\b",
        r"\byour\s+(?:own\s+)?" + _PRO + r"\s+(?:can|will|may|might|should|could)\s+(?:\w+\s+)?(?:help|advise|"
        r"recommend|decide|tell|determine|evaluate|check|assess|diagnose|suggest|work\s+with\s+you|discuss|"
        r"explain|answer|find|figure)\b",
        r"\bwhen\s+to\s+(?:see|call|contact|consult|visit|talk\s+to|get|seek|go\s+to)\b[^.!?]{0,40}?(?:"
        + _PRO
        + r"|\bmedical\b|\bhelp\b|\bcare\b|\bemergency\b)",
    )
)
#: Referrals that count only when framed as advice (imperative, modal, "it is advisable to"...).
_FRAMED_RES = tuple(
    lazy(p, re.IGNORECASE)
    for p in (
        r"\b" + _REFER_VERB + r"\b" + _MID + r"\s+" + _PRO + r"\b",
        r"\b(?:discuss(?:ing)?|report(?:ing)?|mention(?:ing)?|raise)\b(?:\s+[^\s.!?;:]+){1,8}?\s+(?:with|to)\s+"
        r"(?:(?:a|an|your|the|their|his|her)\s+)?" + _PRO + r"\b",
        r"\b(?:be|been|get|gets|getting|have\s+(?:it|this|them|that|these|those|symptoms)|has\s+(?:it|this))\s+"
        r"(?:\w+\s+)?(?:evaluated|examined|checked(?:\s+out)?|assessed|seen|diagnosed|treated|reviewed|"
        r"looked\s+at|monitored|investigated|managed|supervised|cleared|approved)\s+by\s+(?:(?:a|an|your|the|"
        r"their|his|her|our|one" + _APOS + r"s)\s+)?" + _PRO + r"\b",
        r"\b(?:seek|seeking|get|getting|find|obtain|obtaining|call\s+for|look\s+for)\s+(?:(?:immediate|prompt|"
        r"urgent|emergency|professional|qualified|expert|appropriate|proper|further|timely|personal(?:ized|ised)?|"
        r"individual)\s+)*(?:medical|professional|emergency|expert|qualified|clinical)\s+(?:advice|help|"
        r"attention|care|treatment|assistance|evaluation|guidance|input|opinion|supervision)\b",
        r"\b(?:seek|seeking|get|getting)\s+(?:immediate\s+|prompt\s+|urgent\s+)?(?:help|care|treatment)\s+"
        r"(?:from|at)\s+(?:(?:a|an|your|the)\s+)?(?:" + _PRO + r"|hospital|emergency)",
        r"\b(?:call|dial|phone|ring)\s+(?:911|999|112|000|111|(?:your\s+)?local\s+emergency\s+(?:number|services)|"
        r"(?:for\s+)?(?:an\s+)?ambulance|emergency\s+services)",
        r"\bgo\s+(?:straight\s+|directly\s+|immediately\s+|right\s+away\s+)?to\s+(?:the\s+|an\s+|your\s+"
        r"(?:nearest|local)\s+)?(?:emergency\s+(?:room|department)|ER\b|A&E|hospital|urgent\s+care)",
        r"\bunder\s+(?:the\s+)?(?:close\s+)?(?:supervision|guidance|care|direction|advice)\s+of\s+(?:(?:a|an|your|"
        r"their|the)\s+)?" + _PRO + r"\b|\b(?:medical|professional)\s+supervision\b",
    )
)
_CLAUSE_SPLIT_RE = lazy(r"[,;:—–(]")
_POSITIVE_FRAME_RE = lazy(
    r"(?:^|[,:;(—–]|\b(?:always|please|first|then|so|also|immediately|promptly|just|simply|still|but|"
    r"otherwise|instead|definitely|quickly|urgently|now))\s*$|"
    r"\b(?:should|must|needs?\s+to|ought\s+to|ha(?:ve|s)\s+to|(?:may|might)\s+(?:also\s+)?(?:want|wish|need)\s+to|"
    r"want\s+to|it" + _APOS + r"?s\s+(?:\w+\s+)?(?:important|advisable|best|wise|essential|crucial|recommended|"
    r"a\s+good\s+idea|vital|necessary|sensible|prudent|helpful|worth|key|smart)\s+(?:for\s+\w+\s+)?to|"
    r"it\s+is\s+(?:\w+\s+)?(?:important|advisable|best|wise|essential|crucial|recommended|a\s+good\s+idea|vital|"
    r"necessary|sensible|prudent|helpful|worth|key|smart)\s+(?:for\s+\w+\s+)?to|be\s+sure\s+to|"
    r"make\s+sure\s+(?:to|you|that\s+you)|remember\s+to|(?:don" + _APOS + r"t|do\s+not|never)\s+(?:hesitate|forget|"
    r"delay|wait)\s+to|feel\s+free\s+to|(?:we|i|experts?|doctors?|guidelines?)\s+(?:strongly\s+)?(?:recommend|"
    r"advise|suggest|encourage|urge)s?(?:\s+that)?(?:\s+you)?(?:\s+to)?|(?:is|are)\s+(?:strongly\s+)?"
    r"(?:recommended|advised|encouraged|urged)\s+to|(?:encouraged|advised|urged|recommended)\s+to|consider|"
    r"try\s+to|can|could|would\s+(?:be\s+wise\s+to|do\s+well\s+to)|best\s+to|better\s+to|important\s+to|"
    r"time\s+to|when\s+to|whether\s+to|how\s+to|before|without\s+first)"
    r"(?:\s+\w+ly)?(?:\s+(?:also|always|first|still|then|immediately|promptly))?\s*$",
    re.IGNORECASE,
)
_AND_OR_RE = lazy(r"\b(?:and|or)\s*$", re.IGNORECASE)
_ADVICE_CUE_RE = lazy(
    r"\b(?:should|must|need\s+to|needs\s+to|ought\s+to|important|crucial|essential|advisable|wise|best|always|please|"
    r"be\s+sure|make\s+sure|recommend\w*|advise\w*|encourage\w*|consider)\b",
    re.IGNORECASE,
)
# Any case: the imperative may open a clause after a comma ("If it hurts, stop and see a doctor").
_IMPERATIVE_START_RE = lazy(
    r"^\s*(?:Rest|Stop|Stay|Keep|Take|Try|Use|Apply|Drink|Eat|Avoid|Wait|Call|Go|Get|Lie|Sit|Ice|Raise|Elevate|Monitor|"
    r"Watch|Write|Note|Record|Book|Pause|Slow)\b",
    re.IGNORECASE,
)
#: A clause that is only a conjunction continues the clause before it (", stop, and ask a doctor").
_CONJUNCTION_ONLY_RE = lazy(r"\s*(?:and|or|then|and\s+then)\s*", re.IGNORECASE)
_GOVERNING_NEGATION_RE = lazy(
    r"(?:\b(?:don" + _APOS + r"t|do\s+not|doesn" + _APOS + r"t|does\s+not|didn" + _APOS + r"t|did\s+not|"
    r"won" + _APOS + r"t|will\s+not|never|needn" + _APOS + r"t|need\s+not|not|no|hardly|rarely|seldom)"
    r"(?:\s+(?:need|needs|have|has|to|go|going|bother|really|necessarily|usually|always|ever|even|necessary|"
    r"required|want|it|is|be|typically|generally|often|immediately|got|a|necessarily|ever))*"
    r"|\b(?:without|instead\s+of|rather\s+than|no\s+need\s+to|unnecessary\s+to|avoid|skip|forget\s+about)"
    r"(?:\s+(?:first|ever|even|having\s+to|the\s+need\s+to|needing\s+to))*)\s*$",
    re.IGNORECASE,
)
_PROHIBITIVE_WITHOUT_RE = lazy(
    r"\b(?:don" + _APOS + r"t|do\s+not|never|should\s+not|shouldn" + _APOS + r"t|must\s+not|mustn" + _APOS + r"t|"
    r"avoid|not|no\s+one\s+should|nobody\s+should|(?:advis|warn|caution)(?:e|es|ed|s|ing)?\s+against|unsafe|"
    r"dangerous|risky|a\s+bad\s+idea)\b[^.;!?]{0,120}\bwithout(?:\s+first)?\s*$",
    re.IGNORECASE,
)
_POSITIVE_NEGATION_RE = lazy(
    r"\b(?:don" + _APOS + r"t|do\s+not|never)\s+(?:hesitate|forget|delay|wait)\s+to\s*$", re.IGNORECASE
)
_NEGATED_AFTER_RE = lazy(
    r"[^.!?]{0,40}?\b(?:is|are|was|isn" + _APOS + r"t|aren" + _APOS + r"t)\s+(?:not\s+|rarely\s+|usually\s+not\s+|"
    r"often\s+)?(?:unnecessary|not\s+necessary|not\s+needed|pointless|a\s+waste|not\s+required|overkill|"
    r"not\s+worth|rarely\s+needed|seldom\s+needed)",
    re.IGNORECASE,
)
_NO_NEED_FOR_RE = lazy(
    r"\bno\s+need\s+(?:for|of)\s+(?:(?:a|an|your|the)\s+)?" + _PRO + r"\b|\b(?:don" + _APOS + r"t|do\s+not|"
    r"won" + _APOS + r"t|will\s+not|never)\s+(?:\w+\s+)?need\s+(?:(?:a|an|your|the|to\s+see\s+a)\s+)?" + _PRO + r"\b|"
    r"\b(?:skip|forget(?:\s+about)?|ditch|bypass|avoid)\s+(?:the|your|a)\s+(?:doctor|physician|GP|doctor"
    + _APOS
    + r"s\s+(?:office|visit|appointment))\b",
    re.IGNORECASE,
)
_STOP_MEDICINE_RE = lazy(
    r"\b(?:stop|quit|ditch|throw\s+away|get\s+off|come\s+off|give\s+up|replace|swap|skip|forget(?:\s+about)?|"
    r"cut\s+out|drop)\s+(?:taking\s+|using\s+)?(?:all\s+(?:of\s+)?)?(?:your|those|the|their|these)?\s*"
    r"(?:[\w-]+\s+){0,2}?(?:medications?|medicines?|meds|pills|prescriptions?|prescribed\s+\w+|drugs|insulin|"
    r"inhalers?|statins?|antidepressants?|painkillers|blood\s+thinners?|treatment)\b"
    r"|^\s*forget\s+(?:about\s+)?(?:pills|drugs|medicines?|medications?|painkillers)\b",
    re.IGNORECASE,
)
_SPAM_FOOTER_RE = lazy(
    r"\b(?:contact\s+us|get\s+in\s+touch(?:\s+with\s+us)?|e-?mail\s+us|reach\s+(?:out\s+to\s+)?us|"
    r"(?:visit|check\s+out|go\s+to|stop\s+by)\s+(?:us|our|my)\b|(?:our|my)\s+(?:own\s+)?(?:web\s*-?\s*(?:site|page)|"
    r"site|blog|shop|store)\b|click\s+here|(?:where|wherever|how)\s+and\s+(?:how|where)\s+to\s+(?:use|employ|utilize|"
    r"make\s+use\s+of)|any\s+(?:questions|inquiries|queries|concerns)\s+(?:about|regarding|concerning|relating\s+to|"
    r"with\s+regards?\s+to)\s+(?:where|wherever|how|exactly\s+how)\b)",
    re.IGNORECASE,
)
_PREFILTER_RE = lazy(
    r"doctor|physician|\bGPs?\b|provider|professional|practitioner|clinician|pharmacist|chemist|nurse|specialist|"
    r"dentist|ologist|iatrist|ician|therapist|midwi|dietitian|dietician|surgeon|orthop|care\s+team|"
    r"medical|substitut|replace|alternative|purposes\s+only|911|999|112|111|ambulance|emergency|hospital|A&E|"
    r"urgent\s+care|supervision|poison",
    re.IGNORECASE,
)
#: ``_PREFILTER_RE`` split in two: the alternatives that are plain words (checked as substrings of the
#: lower-cased block, which is far quicker than a case-insensitive scan) and the rest.
_PREFILTER_WORDS = (
    "doctor", "physician", "provider", "professional", "practitioner", "clinician", "pharmacist", "chemist", "nurse",
    "specialist", "dentist", "ologist", "iatrist", "ician", "therapist", "midwi", "dietitian", "dietician", "surgeon",
    "orthop", "medical", "substitut", "replace", "alternative", "911", "999", "112", "111", "ambulance", "emergency",
    "hospital", "a&e", "supervision", "poison",
)  # fmt: skip
_PREFILTER_REST_RE = lazy(r"\bGPs?\b|care\s+team|purposes\s+only|urgent\s+care", re.IGNORECASE)
_PREFILTER_REST_WORDS = ("gp", "team", "only", "urgent")
_STOP_WORD_RE = lazy(r"\bforget\b|\bstop\b|\bquit\b|\bditch", re.IGNORECASE)
_STOP_WORDS = ("forget", "stop", "quit", "ditch")

#: Words one of which (lower-cased) occurs in every match of ``_PRO``: a sentence with none of them
#: cannot name a professional, so the patterns built on ``_PRO`` are not tried.
_PRO_WORDS = (
    "doctor", "physician", "gp", "practitioner", "provider", "professional", "team", "worker", "visitor", "expert",
    "staff", "clinician", "pharmacist", "chemist", "nurse", "specialist", "dentist", "ologist", "ician", "midwi",
    "dietitian", "therapist", "iatrist", "surgeon", "orthop", "allergist", "optometrist", "nhs", "poison",
)  # fmt: skip
#: For each of ``_STATEMENT_RES`` and ``_FRAMED_RES``: groups of words; every match holds a word of each group.
_NOT = ("not", "n't", "n’t", "never")
_STATEMENT_WORDS: tuple[tuple[tuple[str, ...], ...], ...] = (
    (("no", *_NOT), ("substitute", "replacement", "alternative")),
    (_NOT, ("replace", "substitute", "place", "instead")),
    (("purposes",), ("only",)),
    (("not",), ("intended", "meant", "designed"), ("medical", "professional", "health")),
    (_NOT[:3], ("medical", "professional", "health"), ("advice",)),
    (("your",), _PRO_WORDS),
    (("when",), ("see", "call", "contact", "consult", "visit", "talk", "get", "seek", "go")),
)
_FRAMED_WORDS: tuple[tuple[tuple[str, ...], ...], ...] = (
    (
        (
            "consult", "talk", "speak", "see", "visit", "ask", "check", "contact", "call", "tell", "inform", "let",
            "notify", "seek", "go", "work", "confer", "follow", "appointment",
        ),
        _PRO_WORDS,
    ),
    (("discuss", "report", "mention", "raise"), ("with", "to"), _PRO_WORDS),
    (
        (
            "evaluated", "examined", "checked", "assessed", "seen", "diagnosed", "treated", "reviewed", "looked",
            "monitored", "investigated", "managed", "supervised", "cleared", "approved",
        ),
        ("by",),
        _PRO_WORDS,
    ),
    (
        ("seek", "get", "find", "obtain", "call", "look"),
        ("medical", "professional", "emergency", "expert", "qualified", "clinical"),
    ),
    (("seek", "get"), ("help", "care", "treatment"), (*_PRO_WORDS, "hospital", "emergency")),
    (("call", "dial", "phone", "ring"), ("911", "999", "112", "000", "111", "emergency", "ambulance")),
    (("go",), ("emergency", "er", "a&e", "hospital", "urgent")),
    (("under", "supervision"), (*_PRO_WORDS, "supervision")),
)  # fmt: skip
#: Every match of ``_NO_NEED_FOR_RE`` holds a word of each group.
_NO_NEED_WORDS = (("need", "skip", "forget", "ditch", "bypass", "avoid"), _PRO_WORDS)
#: Every match of ``_STOP_MEDICINE_RE`` holds a word of each group.
_STOP_MEDICINE_WORDS = (
    ("stop", "quit", "ditch", "throw", "off", "give", "replace", "swap", "skip", "forget", "cut", "drop"),
    (
        "medic", "meds", "pill", "prescri", "drug", "insulin", "inhaler", "statin", "antidepressant", "painkiller",
        "thinner", "treatment",
    ),
)  # fmt: skip
_TALK_RE = lazy(r"\b(?:talk|ask|consult|check|speak)\w*\s", re.IGNORECASE)


def _may_match(low: str | None, groups: tuple[tuple[str, ...], ...]) -> bool:
    """False only when ``low`` (see :func:`folded`) lacks every word of one group: the pattern cannot match."""
    return low is None or all(any(word in low for word in group) for group in groups)


_Groups = tuple[frozenset[str], ...]
#: The word groups above as sets, and every word of them (each looked for once per sentence).
_STATEMENT_SETS: tuple[_Groups, ...] = tuple(tuple(map(frozenset, groups)) for groups in _STATEMENT_WORDS)
_FRAMED_SETS: tuple[_Groups, ...] = tuple(tuple(map(frozenset, groups)) for groups in _FRAMED_WORDS)
_NO_NEED_SETS: _Groups = tuple(map(frozenset, _NO_NEED_WORDS))
_STOP_MEDICINE_SETS: _Groups = tuple(map(frozenset, _STOP_MEDICINE_WORDS))
_ALL_WORDS = tuple(
    sorted(
        {
            word
            for groups in (*_STATEMENT_SETS, *_FRAMED_SETS, _NO_NEED_SETS, _STOP_MEDICINE_SETS)
            for group in groups
            for word in group
        }
    )
)


def _has_all(present: frozenset[str] | None, groups: _Groups) -> bool:
    """:func:`_may_match` given the words of ``_ALL_WORDS`` that ``low`` holds (None: ``low`` was None)."""
    if present is None:
        return True
    for group in groups:  # noqa: SIM110 - a plain loop: no generator to build, 17 times a sentence
        if present.isdisjoint(group):
            return False
    return True


def _worth_reading(text: str) -> bool:
    """Whether a block may hold a statement: ``_PREFILTER_RE`` or a stop-your-medicine word."""
    low = folded(text)
    if low is None:
        return bool(_PREFILTER_RE.search(text) or _STOP_WORD_RE.search(text))
    return (
        any(word in low for word in _PREFILTER_WORDS)
        or (any(word in low for word in _PREFILTER_REST_WORDS) and _PREFILTER_REST_RE.search(text) is not None)
        or (any(word in low for word in _STOP_WORDS) and _STOP_WORD_RE.search(text) is not None)
    )


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
_REPORTED_SPEECH_RE = lazy(r"^\s*[\"“‘']|[\"”’']\s*,?\s*(?:he|she|they|\w+)\s+(?:said|says|added|explained)\b")


def _gives_advice(sentence: str) -> bool:
    if sentence.endswith("?") or _REPORTED_SPEECH_RE.search(sentence):
        return False
    if any(regex.search(sentence) for regex in _ADVICE_RES):
        return True
    return bool(
        _DOSE_RE.search(sentence) and _DOSE_ADVICE_RE.search(sentence) and not _STUDY_REPORT_RE.search(sentence)
    )


# -- Recognition ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    """A sentence that is (or argues against) a safety statement."""

    block: Block
    start: int
    end: int
    #: ``safety``: tells readers to see a professional; ``discourages``: talks them out of it;
    #: ``stop-medicine``: tells them to stop prescribed medicine.
    kind: str
    #: The words that decided it.
    evidence: str


def _frame(sentence: str, start: int) -> str | None:
    """How the words before a referral frame it: ``positive``, ``negative`` or None (no advice)."""
    prefix = sentence[max(0, start - 240) : start]  # every frame is local; a bounded window keeps this linear
    if _POSITIVE_NEGATION_RE.search(prefix) or _PROHIBITIVE_WITHOUT_RE.search(prefix):
        return "positive"
    parts = _CLAUSE_SPLIT_RE.split(prefix)
    clause = parts[-1] if parts else prefix
    if _GOVERNING_NEGATION_RE.search(clause):
        return "negative"
    if _POSITIVE_FRAME_RE.search(prefix):
        return "positive"
    if (not clause.strip() and (start <= 240 or len(parts) > 1)) or prefix.strip().endswith(":"):
        return "positive"
    if _CONJUNCTION_ONLY_RE.fullmatch(clause) and len(parts) > 1:
        clause = parts[-2] + clause
    joined = _AND_OR_RE.search(clause)
    if joined and (_ADVICE_CUE_RE.search(clause) or _IMPERATIVE_START_RE.match(clause)):
        return "positive"  # "it's crucial to rest and consult your doctor", "Rest and see a doctor"
    return None


_NARRATIVE_RE = lazy(
    r"\b(?:he|she|they|his|her|their|him|them|I|we|my|our)\b|\b(?:didn" + _APOS + r"t|did\s+not|wasn" + _APOS + r"t|"
    r"weren" + _APOS + r"t|hadn" + _APOS + r"t|had\s+not|couldn" + _APOS + r"t|could\s+not)\b"
)


def _narrative(sentence: str, end: int) -> bool:
    """Whether the clause before ``end`` tells a story ("he decided not to see a doctor") rather than advises."""
    return _NARRATIVE_RE.search(sentence, max(0, end - 240), end) is not None


def classify_sentence(sentence: str, words: tuple[str, ...] = _ALL_WORDS) -> tuple[str, str] | None:
    """``("safety" | "discourages" | "stop-medicine", evidence)`` for one sentence, or None.

    ``words``: the words of ``_ALL_WORDS`` the sentence may hold (see :func:`_words_in`).
    """
    low = folded(sentence)
    present = None if low is None else frozenset([word for word in words if word in low])
    may_stop = _has_all(present, _STOP_MEDICINE_SETS)
    may_no_need = _has_all(present, _NO_NEED_SETS)
    statements = [regex for regex, sets in zip(_STATEMENT_RES, _STATEMENT_SETS, strict=True) if _has_all(present, sets)]
    framed_res = [regex for regex, sets in zip(_FRAMED_RES, _FRAMED_SETS, strict=True) if _has_all(present, sets)]
    if not (may_stop or may_no_need or statements or framed_res):
        return None  # nothing below can match, so the spam footer check cannot change the answer
    if _SPAM_FOOTER_RE.search(sentence):
        return None
    stop = _STOP_MEDICINE_RE.search(sentence) if may_stop else None
    if stop:
        framed = _frame(sentence, stop.start())
        if framed == "positive" and not _TALK_RE.search(sentence):
            return "stop-medicine", stop.group(0)
    m = _NO_NEED_FOR_RE.search(sentence) if may_no_need else None
    if (
        m
        and not _PROHIBITIVE_WITHOUT_RE.search(sentence[max(0, m.start() - 240) : m.start()])
        and not _narrative(sentence, m.start())
    ):
        return "discourages", m.group(0)
    negative: str | None = None
    for regex in statements:
        m = regex.search(sentence)
        if m:
            return "safety", m.group(0)
    for regex in framed_res:
        for m in _overlapping(regex, sentence):
            framed = _frame(sentence, m.start())
            if framed == "negative" or _NEGATED_AFTER_RE.match(sentence, m.end(), m.end() + 120):
                if not _narrative(sentence, m.start()):
                    negative = negative or m.group(0)
                continue
            if framed == "positive":
                return "safety", m.group(0)
    if negative:
        return "discourages", negative
    return None


def _overlapping(regex: LazyPattern, text: str) -> Iterator[re.Match[str]]:
    """Matches starting at every position (a failed "get ... doctor" must not hide "talk to your doctor")."""
    pos = 0
    while pos < len(text):
        m = regex.search(text, pos)
        if m is None:
            return
        yield m
        pos = m.start() + 1


def is_safety_statement(text: str) -> bool:
    """Whether any sentence of ``text`` is a safety statement (used for front matter and config text)."""
    return any(
        (found := classify_sentence(text[a:b])) is not None and found[0] == "safety"
        for a, b in split_sentences(" ".join(text.split()))
    )


def _words_in(text: str) -> tuple[str, ...]:
    """The words of ``_ALL_WORDS`` in ``text``: all that a sentence of it can hold, since ``str.lower()``
    maps one character at a time (its one exception, capital sigma, becomes no letter of these words)."""
    low = folded(text)
    return _ALL_WORDS if low is None else tuple([word for word in _ALL_WORDS if word in low])


def find_statements(article: Article) -> list[Statement]:
    """Every safety statement, discouragement and stop-your-medicine sentence in the article body."""
    out: list[Statement] = []
    for block in article.blocks:
        text = block.text
        if not _worth_reading(text):
            continue
        words = _words_in(text)
        for start, end in split_sentences(text):
            found = classify_sentence(text[start:end], words)
            if found is not None:
                out.append(Statement(block, start, end, found[0], found[1]))
    return out


@dataclass
class DisclaimerAnalysis:
    statements: list[Statement]
    #: Where the safety statement was found: ``body``, ``front-matter``, ``config`` or None.
    source: str | None
    #: A front matter disclaimer key whose text is not a safety statement, with its value.
    bad_front_matter: tuple[str, str] | None
    advice: list[tuple[Block, int, int]]


def _front_matter(article: Article, keys: list[str]) -> tuple[str | None, tuple[str, str] | None]:
    wanted = {re.sub(r"[\s_-]+", "_", k.lower()) for k in keys}
    bad: tuple[str, str] | None = None
    for key, value in article.meta.items():
        if re.sub(r"[\s_-]+", "_", key.lower()) not in wanted:
            continue
        if value is True:
            return "front-matter", None
        if isinstance(value, str) and value.strip().lower() not in _FALSEY:
            text = value.strip()
            if len(text.split()) <= 3 or is_safety_statement(text):  # "standard", "medical": a template's name
                return "front-matter", None
            bad = (key, text)
        elif isinstance(value, list) and any(isinstance(v, str) and is_safety_statement(v) for v in value):
            return "front-matter", None
    return None, bad


def find_advice(article: Article, limit: int = 0) -> list[tuple[Block, int, int]]:
    """Sentences that give health advice (doses, "you should", imperatives, recommended treatments)."""
    out: list[tuple[Block, int, int]] = []
    for block in article.blocks:
        for start, end in split_sentences(block.text):
            if _gives_advice(block.text[start:end]):
                out.append((block, start, end))
                if limit and len(out) >= limit:
                    return out
    return out


def analyse(article: Article, options: DisclaimerOptions) -> DisclaimerAnalysis:
    statements = find_statements(article)
    source: str | None = None
    bad: tuple[str, str] | None = None
    if any(s.kind == "safety" for s in statements):
        source = "body"
    if source is None and article.meta:
        source, bad = _front_matter(article, options.front_matter_keys)
    if source is None and options.site_disclaimer not in (False, ""):
        source = "config"
    advice = find_advice(article) if options.require == "advice" else []
    return DisclaimerAnalysis(statements, source, bad, advice)


def _analysis(article: Article, ctx: RuleContext) -> DisclaimerAnalysis:
    options: DisclaimerOptions = ctx.options()
    result = ctx.shared("disclaimer:analysis", lambda: analyse(article, options))
    first = next((s for s in result.statements if s.kind == "safety"), None)
    ctx.metrics["safety_statement_line"] = first.block.span(first.start, first.end).line if first else None
    ctx.metrics["safety_statement_source"] = result.source
    if options.require == "advice":
        ctx.metrics["advice_sentences"] = len(result.advice)
    return result


# -- Checks ---------------------------------------------------------------------------------


def check_missing(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    options: DisclaimerOptions = ctx.options()
    if not article.blocks or article.word_count == 0 or article.word_count < options.min_words:
        return
    result = _analysis(article, ctx)
    if result.source is not None:
        return
    why = ""
    if options.require == "advice":
        if not result.advice:
            return
        block, start, end = result.advice[0]
        why = f" although it gives advice (line {block.span(start, end).line})"
    suggestion = f'Add a safety statement at the end of the article, e.g. "{options.suggested_text}"'
    if result.bad_front_matter is not None:
        key, _ = result.bad_front_matter
        yield article.line_hit(
            article.meta_line(key),
            f"Front matter {key!r} does not read as a safety statement{why}",
            suggestion=f'Say when to see a professional, e.g. "{options.suggested_text}"',
        )
        return
    last = article.blocks[-1]
    sentences = split_sentences(last.text)
    start, end = sentences[-1] if sentences else (0, len(last.text))
    yield last.hit(
        start,
        end,
        f"No safety statement telling readers when to see a health professional{why}; expected at the end",
        suggestion=suggestion,
    )


def check_discouraging(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    for s in _analysis(article, ctx).statements:
        if s.kind == "discourages":
            yield s.block.hit(
                s.start,
                s.end,
                f"Discourages professional care: {s.evidence!r}",
                suggestion="Tell readers when they should see a professional instead, e.g. "
                '"See a doctor if the pain lasts more than a few weeks or comes with fever, numbness or weakness."',
            )


def check_stop_medicine(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    for s in _analysis(article, ctx).statements:
        if s.kind == "stop-medicine":
            yield s.block.hit(
                s.start,
                s.end,
                f"Tells readers to stop or replace their medicine: {s.evidence!r}",
                suggestion='Say instead: "Do not stop or change a prescribed medicine without talking to your doctor."',
            )


# -- Registration -----------------------------------------------------------------------------

RULES = (
    Rule(
        code="HL201",
        name="missing-safety-disclaimer",
        summary="No statement telling readers when to see a health professional",
        severity=Severity.ERROR,
        check=check_missing,
        doc="""
## What it flags
An article with no safety statement anywhere: nothing like "consult your doctor", "talk to a
qualified healthcare provider", "needs to be evaluated by a healthcare professional", "when to
see a doctor", "call 911", "this is not a substitute for professional medical advice" or "does
not replace diagnosis or prescribed treatment". Statements count in any heading, paragraph,
list item, FAQ answer, quote or HTML block, across line breaks; they do not count when
negated ("you don't need to see a doctor") or inside a spam footer ("if you have any
questions … contact us on our web site"). A front matter `disclaimer:` (true, a template's
name, or text that reads as a safety statement) or a site-wide `site-disclaimer` in config
also counts. The finding sits on the article's last sentence, where the statement is
expected, and suggests one.

## Why it matters
HONcode's complementarity principle: health information must support, not replace, the
relationship with a professional. Readers act on health articles; they need to know when
self-care is not enough.

## Example
```markdown
Massage eases back pain by relaxing tight muscles. Book a session every week.
```

## Instead
```markdown
Massage eases back pain by relaxing tight muscles. See a doctor if the pain lasts more than
six weeks, wakes you at night, or comes with numbness or weakness.
```

## Options
`require` = "always" (default) or "advice" (only articles that give advice: doses, "you
should", imperatives, recommended treatments). `site-disclaimer` = true, or the text your
template prints on every page. `front-matter-keys` (default `disclaimer`,
`medical_disclaimer`, `health_disclaimer`, `safety_note`). `suggested-text`: the sentence
the suggestion offers. `min-words` (default 0): shorter articles need none.
""",
    ),
    Rule(
        code="HL202",
        name="discourages-medical-care",
        summary="A sentence that talks readers out of seeing a professional",
        severity=Severity.WARNING,
        check=check_discouraging,
        doc="""
## What it flags
Sentences that tell readers they need not, or should not, see a professional: "you don't
need to see a doctor", "there's no need to consult your GP", "skip the doctor's visit",
"treat it at home instead of seeing a doctor". "Don't stop your medicine without talking to
your doctor" and "don't hesitate to call your doctor" are safety advice, not flagged.

## Why it matters
Some back pain is a symptom of something serious (a fracture, an infection, nerve
compression). An article cannot examine the reader, so it must not rule out a professional
opinion.

## Example
```markdown
Most people with back pain don't need to see a doctor.
```

## Instead
```markdown
Most back pain gets better on its own, but see a doctor if it lasts more than six weeks or
comes with numbness, weakness, fever or trouble passing urine.
```

## Options
None.
""",
    ),
    Rule(
        code="HL203",
        name="advises-stopping-medication",
        summary="Tells readers to stop or replace prescribed medicine",
        severity=Severity.ERROR,
        check=check_stop_medicine,
        doc="""
## What it flags
Advice to stop, skip, replace or "forget" prescribed medicine: "you can stop taking your
arthritis medicine", "replace your blood pressure pills with beet juice", "Forget pills."
Reports of what study participants did ("patients who stopped taking statins") and warnings
("do not stop taking your medicine without talking to your doctor") are not flagged.

## Why it matters
Stopping some medicines suddenly (blood thinners, steroids, antidepressants, insulin, blood
pressure drugs) can be dangerous. Only the prescriber can judge it.

## Example
```markdown
Drink this tea every day and you can stop taking your arthritis medicine.
```

## Instead
```markdown
Some people find the tea soothing alongside their usual treatment. Do not stop or change a
prescribed medicine without talking to your doctor.
```

## Options
None.
""",
    ),
)


@hookimpl
def healthlint_register_options(register: Callable[[str, type[Any]], None]) -> None:
    register(PLUGIN, DisclaimerOptions)


@hookimpl
def healthlint_register_rules(register: Callable[[Rule], None]) -> None:
    for rule in RULES:
        register(rule)


@hookimpl
def healthlint_configure(config: Config) -> None:
    try:
        options: DisclaimerOptions = config.options_for(PLUGIN)
    except KeyError:
        return
    where = f"plugins.{PLUGIN}."
    if options.min_words < 0:
        raise ConfigError("must be 0 or more", config.source, where + "min-words")
    site = options.site_disclaimer
    if isinstance(site, str) and site.strip() and not is_safety_statement(site):
        raise ConfigError(
            "this text does not read as a safety statement (it should tell readers to see a health professional, "
            "or say it is not a substitute for medical advice); set site-disclaimer = true to declare the "
            "template's disclaimer without checking its words",
            config.source,
            where + "site-disclaimer",
        )
