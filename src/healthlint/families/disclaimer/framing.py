"""How a sentence frames a referral: as advice ("you should see a doctor"), against it ("you don't
need to see a doctor"), or as a story ("he decided not to see a doctor")."""

from __future__ import annotations

import re

from healthlint.families.disclaimer.patterns import fragment
from healthlint.regexcache import lazy

_APOS = fragment("APOS")
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
PROHIBITIVE_WITHOUT_RE = lazy(
    r"\b(?:don" + _APOS + r"t|do\s+not|never|should\s+not|shouldn" + _APOS + r"t|must\s+not|mustn" + _APOS + r"t|"
    r"avoid|not|no\s+one\s+should|nobody\s+should|(?:advis|warn|caution)(?:e|es|ed|s|ing)?\s+against|unsafe|"
    r"dangerous|risky|a\s+bad\s+idea)\b[^.;!?]{0,120}\bwithout(?:\s+first)?\s*$",
    re.IGNORECASE,
)
_POSITIVE_NEGATION_RE = lazy(
    r"\b(?:don" + _APOS + r"t|do\s+not|never)\s+(?:hesitate|forget|delay|wait)\s+to\s*$", re.IGNORECASE
)
NEGATED_AFTER_RE = lazy(
    r"[^.!?]{0,40}?\b(?:is|are|was|isn" + _APOS + r"t|aren" + _APOS + r"t)\s+(?:not\s+|rarely\s+|usually\s+not\s+|"
    r"often\s+)?(?:unnecessary|not\s+necessary|not\s+needed|pointless|a\s+waste|not\s+required|overkill|"
    r"not\s+worth|rarely\s+needed|seldom\s+needed)",
    re.IGNORECASE,
)
SPAM_FOOTER_RE = lazy(
    r"\b(?:contact\s+us|get\s+in\s+touch(?:\s+with\s+us)?|e-?mail\s+us|reach\s+(?:out\s+to\s+)?us|"
    r"(?:visit|check\s+out|go\s+to|stop\s+by)\s+(?:us|our|my)\b|(?:our|my)\s+(?:own\s+)?(?:web\s*-?\s*(?:site|page)|"
    r"site|blog|shop|store)\b|click\s+here|(?:where|wherever|how)\s+and\s+(?:how|where)\s+to\s+(?:use|employ|utilize|"
    r"make\s+use\s+of)|any\s+(?:questions|inquiries|queries|concerns)\s+(?:about|regarding|concerning|relating\s+to|"
    r"with\s+regards?\s+to)\s+(?:where|wherever|how|exactly\s+how)\b)",
    re.IGNORECASE,
)
TALK_RE = lazy(r"\b(?:talk|ask|consult|check|speak)\w*\s", re.IGNORECASE)


def frame(sentence: str, start: int) -> str | None:
    """How the words before a referral frame it: ``positive``, ``negative`` or None (no advice)."""
    prefix = sentence[max(0, start - 240) : start]  # every frame is local; a bounded window keeps this linear
    if _POSITIVE_NEGATION_RE.search(prefix) or PROHIBITIVE_WITHOUT_RE.search(prefix):
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


def narrative(sentence: str, end: int) -> bool:
    """Whether the clause before ``end`` tells a story ("he decided not to see a doctor") rather than advises."""
    return _NARRATIVE_RE.search(sentence, max(0, end - 240), end) is not None
