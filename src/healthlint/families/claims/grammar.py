"""A general grammar of study claims, for sentences the worded patterns of ``data/`` do not match.

A claim is a research source (a study, trial, review, survey, analysis, researchers, scientists…,
also misspelt or spun: "researches", "investigates", "exploration") that reports something:

- the source, a few words, then a that-clause: "Research implies that", "Various investigates expose
  that" (any verb: a spinner swaps the verb, not the clause);
- the source, then a verb of looking or finding in the past or present: "Researchers examined data",
  "The scientists found out", "A study … states";
- the passive: "It has been shown by several trials";
- a frame: "according to researches", "there is research that", "there was a trial that was run",
  "per a 2013 study", "in the study, …".

A sentence whose source is anaphoric ("the study", "these researchers", "in the study") is a follow-up:
it continues the claim before it and shares its citations (see :func:`healthlint.families.claims.analysis`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from healthlint.regexcache import lazy

#: The words that name a research source (lower case), also as a spinner writes them ("researches").
SOURCE_WORDS = frozenset(
    [
        "study",
        "studies",
        "studys",
        "research",
        "researches",
        "researcher",
        "researchers",
        "trial",
        "trials",
        "review",
        "reviews",
        "survey",
        "surveys",
        "analyses",
        "analysis",
        "scientist",
        "scientists",
        "investigator",
        "investigators",
        "investigation",
        "investigations",
        "investigates",
        "experiment",
        "experiments",
        "exploration",
        "explorations",
        "paper",
        "papers",
    ]
)
_SOURCE = rf"(?P<src>(?:meta-)?(?:{'|'.join(sorted(SOURCE_WORDS, key=lambda w: (-len(w), w)))}))"
#: A word of the gap between a source and its verb; a number keeps its separators ("of 10,000 nurses").
_WORD = r"[\w’'-]+(?:[.,]\d+)*"
_MODS = r"(?:(?:[\w-]+|\d{4})\s+){0,3}?"
_LOOK_VERBS = (
    r"(?:found|find|finds|discovered|discovers|showed|shows|shown|examined|examines|analy[sz]ed|analy[sz]es|"
    r"witnessed|observed|observes|estimated|estimates|noted|notes|stated|states|say|says|said|reported|reports|"
    r"revealed|reveals|concluded|concludes|suggested|suggests|indicated|indicates|implied|implies|proved|proves|"
    r"proven|demonstrated|demonstrates|confirmed|confirms|measured|tracked|followed|compared|tested|looked\s+at|"
    r"learned|noticed|determined|linked|associated|helps?\s+us\s+understand|was\s+studying|were\s+studying|"
    r"has\s+come\s+out|have\s+come\s+out|came\s+out|link|links|tie|ties|tied|backs|"
    r"back\s+(?:up|this|that|the|these|it)\b)"
)
#: Before the source: what a figure means ("12/40 means that in a study of 40 children, 12 had it") explains a
#: notation by example and reports no study. A figure is required: "this means that a 2019 study found" reports one.
EXAMPLE_BEFORE = (
    r"\d\s*(?:/\s*\d|%|percent\b|(?:in|of|out\s+of)\s+\d)[^.;!?]{0,40}?\bmeans\s+that\s+(?:[\w-]+\s+){0,3}$"
)
#: Before the source: a denial, a plan, a condition or the speaker's own work is not a claim to cite.
_NEGATION_BEFORE_RE = lazy(
    r"\b(?:no|not|few|without|nor|neither|little|lack\s+of|absence\s+of|future|upcoming|planned|more|further|"
    r"if|whether|when|unless|our|my)\s+(?:[\w-]+\s+){0,3}$|n[’']t\s+(?:\w+\s+)?$|" + EXAMPLE_BEFORE,
    re.IGNORECASE,
)
_STOP_GAP_RE = lazy(
    r"\b(?:needed|need|needs|underway|planned|ongoing|will|would|could|should|must|might|hope|hopes|aim|aims|plan|"
    r"plans|try|tries|trying|designed|yet|not|never|failed|cannot|if|whether|to|n[’']t|"
    # a belief or a worry is not a finding: "Scientists worry that", "researchers suspected that"
    r"worry|worries|worried|fear|fears|feared|suspect|suspects|suspected|knew|wonder|wonders|wondered)\b",
    re.IGNORECASE,
)
#: A gap opening with one of these starts the reporting verb's own subject ("trials the subjects noticed").
_NEW_SUBJECT = frozenset({"the", "its", "their", "his", "her"})
_ANAPHORIC = r"(?:the|this|that|these|those|their|its|such|same|said)\s+"
#: The words right before a source that a claim takes in: up to three, after an anaphoric determiner.
_LEAD_RE = lazy(rf"\b(?P<det>{_ANAPHORIC})?(?:(?:[\w-]+|\d{{4}})\s+){{0,3}}$", re.IGNORECASE)
#: The rules that start at their source (their lead is read backwards, by :data:`_LEAD_RE`): a pattern that
#: opened with the lead's free words would try them at every word of every sentence.
_SOURCE_LED = frozenset({"that-clause", "reporting", "published-in", "verdict"})
#: Substrings one of which a sentence needs before a rule is tried (rules not named here are tried on every one).
#: What research "is" when a sentence rests on its verdict: "The research on this is consistent:".
_VERDICTS = (
    "clear",
    "consistent",
    "conclusive",
    "unequivocal",
    "overwhelming",
    "compelling",
    "convincing",
    "undeniable",
    "indisputable",
    "reassuring",
    "settled",
)
_CUES: dict[str, tuple[str, ...]] = {
    "passive": (
        "proved",
        "proven",
        "shown",
        "demonstrated",
        "established",
        "confirmed",
        "suggested",
        "reported",
        "backed",
        "supported",
        "documented",
    ),
    "according": ("according", "per "),
    "there-is": ("there",),
    "that-clause": ("that",),
    "published-in": ("published",),
    "verdict": _VERDICTS,
}
_RULES = (
    (
        "that-clause",
        lazy(
            # "studies published this week that might help you": "that" opens a relative clause, not a finding
            rf"\b{_SOURCE}\b(?P<gap>(?:\s+{_WORD}){{1,4}}?)\s+that\b"
            r"(?!\s+(?:might|may|could|will|would|can|should|must)\b)"
            # "research on other viruses that had been conducted at…": a relative clause about the research
            r"(?!\s+(?:(?:was|were|is|are|had|has|have)\s+(?:been\s+)?)?(?:conducted|done|carried|performed|run|"
            r"funded|sponsored)\b)",
            re.IGNORECASE,
        ),
    ),
    (
        "reporting",
        lazy(
            rf"\b{_SOURCE}\b(?P<gap>(?:\s+{_WORD}){{0,6}}?)\s+{_LOOK_VERBS}\b",
            re.IGNORECASE,
        ),
    ),
    (
        # the source's verdict: "The research on naps is consistent:", "Research is clear that"
        "verdict",
        lazy(
            rf"\b{_SOURCE}\b(?P<gap>(?:\s+{_WORD}){{0,4}}?)\s+(?:is|are|was|were|has\s+been|have\s+been|remains|remain)\s+"
            rf"(?:(?:now|very|quite|fairly|pretty|remarkably|increasingly|largely|strikingly)\s+)?(?:{'|'.join(_VERDICTS)})\b",
            re.IGNORECASE,
        ),
    ),
    (
        # "A study published in this week's Diabetes, Obesity and Metabolism found": a journal's name may hold commas
        "published-in",
        lazy(rf"\b{_SOURCE}\s+(?:was\s+|were\s+)?published\s+in\s+[^.;:!?]{{1,80}}?\s+{_LOOK_VERBS}\b", re.IGNORECASE),
    ),
    (
        "passive",
        lazy(
            r"\b(?:proved|proven|shown|demonstrated|established|confirmed|suggested|reported|backed|supported|"
            rf"documented)\s+(?:by|in)\s+(?P<det>{_ANAPHORIC})?{_MODS}{_SOURCE}\b",
            re.IGNORECASE,
        ),
    ),
    (
        "according",
        lazy(
            rf"\b(?:according\s+to\s+|per\s+(?=(?:a|an|one|the|this|that|\d{{4}})\s))(?P<det>{_ANAPHORIC})?{_MODS}{_SOURCE}\b",
            re.IGNORECASE,
        ),
    ),
    (
        "there-is",
        lazy(
            r"\bthere\s+(?:is|are|was|were|has\s+been|have\s+been)\s+(?:\w+\s+){0,3}?"
            rf"{_SOURCE}(?:\s+(?:and|or)\s+[\w-]+)?\s+(?:that|which|showing|suggesting|conducted|done|wherein|where|published)\b",
            re.IGNORECASE,
        ),
    ),
    ("in-the-study", lazy(rf"^\W*(?:in|from)\s+(?P<det>{_ANAPHORIC}){_MODS}{_SOURCE}\s*,", re.IGNORECASE)),
)
#: A pronoun that reports, right after a claim: "They found that", "It shows that".
_PRONOUN_RE = lazy(
    r"^\W*(?:(?:but|and|also|moreover|however|further|furthermore|additionally|in\s+addition)\W+)?"
    rf"(?:they|it|this|the\s+results?|the\s+findings?|the\s+data|participants|those\s+who)\s+{_LOOK_VERBS}\b",
    re.IGNORECASE,
)


class Match(NamedTuple):
    """A claim by the grammar: the ``rule`` that matched, the ``words`` that make the claim, and whether
    its source points back to a study named before (``follow_up``: "the study", "in the study")."""

    rule: str
    words: str
    follow_up: bool


def study_claim(sentence: str, sources: list[int] | None = None) -> Match | None:
    """The claim the sentence makes by the grammar, or None.

    ``sources``: :func:`source_starts` of the sentence, when the caller has them.
    """
    if sentence.rstrip("\"'”’) ").endswith("?"):
        return None
    if sources is None:
        sources = source_starts(sentence)
    if sources == []:
        return None  # every rule names a source
    low = sentence.lower()
    for rule, regex in _RULES:
        if rule in _CUES and not any(cue in low for cue in _CUES[rule]):
            continue
        if rule in _SOURCE_LED and sources is not None:
            found: Iterable[re.Match[str] | None] = (regex.match(sentence, at) for at in sources)
        else:
            found = regex.finditer(sentence)
        for m in found:
            if m is None or _NEGATION_BEFORE_RE.search(sentence, max(0, m.start("src") - 60), m.start("src")):
                continue
            gap = m.groupdict().get("gap") or ""
            if _STOP_GAP_RE.search(gap) or gap.strip()[:1].isupper():
                continue
            if rule == "reporting" and gap.split(None, 1)[:1] and gap.split(None, 1)[0].lower() in _NEW_SUBJECT:
                continue  # "during its trials the subjects noticed": the verb has a subject of its own
            start, det = m.start(), m.groupdict().get("det")
            if rule in _SOURCE_LED:
                lead = _LEAD_RE.search(sentence, max(0, start - 80), start)
                if lead is not None:
                    start, det = lead.start(), lead.group("det")
            follow_up = bool(det) or rule == "in-the-study"
            return Match(rule, " ".join(sentence[start : m.end()].strip(" ,;:").split()), follow_up)
    return None


def source_starts(text: str) -> list[int] | None:
    """Where a word that may be a research source starts in ``text`` (a stem of :data:`_STEMS` at a word's
    start), in order; None when its lower case does not keep its offsets (the caller reads all of it)."""
    low = text.lower()
    if len(low) != len(text):
        return None
    starts: list[int] = []
    for stem in _STEMS:
        at = low.find(stem)
        while at >= 0:
            if at == 0 or not low[at - 1].isalnum():
                starts.append(at)
            at = low.find(stem, at + 1)
    return sorted(starts)


def reports_back(sentence: str) -> bool:
    """Whether a sentence reports by pronoun ("They found that…"): a follow-up when a claim precedes it."""
    return _PRONOUN_RE.search(sentence) is not None


_STEMS = (
    "stud",
    "research",
    "trial",
    "review",
    "survey",
    "analys",
    "scientist",
    "investigat",
    "experiment",
    "explor",
    "paper",
)


_RESEARCH_NOUN_RE = lazy(
    r"\b(?:stud(?:y|ies)|research(?:ers?)?|trials?|reviews?|surveys?|(?:meta-)?analys[ie]s|scientists?|"
    r"investigators?|experiments?|papers?|journals?|findings)\b",
    re.IGNORECASE,
)
_TITLE_WORD_RE = lazy(r"[A-Za-z][\w’'-]*")


def names_research(sentence: str) -> bool:
    """Whether the sentence names research (a study, trial, researchers…), not only an organisation."""
    return _RESEARCH_NOUN_RE.search(sentence) is not None


def looks_like_title(sentence: str) -> bool:
    """A heading run into the text ("What the Study Says:", "Science-Backed Supplements"): not a claim."""
    stripped = sentence.strip()
    if not stripped or stripped[-1] in ".!?\"”'’)":
        return False
    words = _TITLE_WORD_RE.findall(stripped)
    small = {"a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "is", "are", "with", "by", "vs"}
    capitalised = [w for w in words if w.lower() not in small]
    return 0 < len(words) <= 12 and all(w[0].isupper() for w in capitalised)
