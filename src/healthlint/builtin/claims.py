"""Study claims, overclaiming, currency and authorship (HL3xx).

HONcode's *justifiability* and *attribution* and the JAMA benchmarks' *attribution* and
*currency*, as far as a program can check them:

- sentences that lean on research ("a study in the Journal of Pain found", "a Harvard
  study", "studies show", "clinically proven") and cite nothing (HL301-HL303), or cite
  only a non-scholarly page (HL304);
- HealthNewsReview's red-flag words ("miracle", "breakthrough", "cures arthritis",
  "no side effects") (HL305);
- front matter without an author, a medical reviewer or a review date, a review date
  that is too old, and dates that cannot be read (HL311-HL315).

Everything here is regular expressions and set lookups; each pattern is compiled on first use
(:func:`healthlint.regexcache.lazy`) and tried only when cheap word checks say a sentence could match.
Sentences come from the shared text layer (:mod:`healthlint.text.sentences`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from healthlint import Hit, Rule, Severity, hookimpl
from healthlint.article import Article, Block, Link, Span
from healthlint.config import Config, ConfigError
from healthlint.regexcache import LazyPattern, lazy
from healthlint.resources import data_lines
from healthlint.rules import RuleContext
from healthlint.text.sentences import split_sentences
from healthlint.text.tokens import folded
from healthlint.text.tokens import word_set as _words

PLUGIN = "claims"


# -- Word lists ---------------------------------------------------------------------------


def _alternation(names: Iterable[str]) -> str:
    unique = sorted({n for n in names if n}, key=lambda n: (-len(n), n))
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in unique) or r"(?!x)x"


#: Domains whose pages count as a scholarly or authoritative source (subdomains included).
DEFAULT_SCHOLARLY_DOMAINS = (
    "doi.org",
    "pubmed.ncbi.nlm.nih.gov",
    "ncbi.nlm.nih.gov",
    "nih.gov",
    "cdc.gov",
    "fda.gov",
    "medlineplus.gov",
    "clinicaltrials.gov",
    "who.int",
    "nice.org.uk",
    "nhs.uk",
    "cochrane.org",
    "cochranelibrary.com",
    "europepmc.org",
    "ema.europa.eu",
    "nejm.org",
    "thelancet.com",
    "jamanetwork.com",
    "bmj.com",
    "nature.com",
    "science.org",
    "cell.com",
    "sciencedirect.com",
    "springer.com",
    "wiley.com",
    "tandfonline.com",
    "sagepub.com",
    "oup.com",
    "plos.org",
    "frontiersin.org",
    "biomedcentral.com",
    "mdpi.com",
    "karger.com",
    "lww.com",
    "acpjournals.org",
    "ahajournals.org",
    "diabetesjournals.org",
    "annfammed.org",
    "aafp.org",
    "cmaj.ca",
    "mja.com.au",
    "jstor.org",
    "medrxiv.org",
    "biorxiv.org",
    "arxiv.org",
)

_REF_HEADING_RE = lazy(
    r"^\s*(?:references?|reference\s+list|sources?|sources\s+and\s+references|references\s+and\s+sources|"
    r"bibliography|citations?|works\s+cited|literature(?:\s+cited)?|footnotes|notes|end\s*notes|"
    r"further\s+reading|studies\s+cited|scientific\s+references|research)\s*:?\s*$",
    re.IGNORECASE,
)
_FOOTNOTE_DEF_RE = lazy(r"^\[\^([^\]\s]+)\]:", re.MULTILINE)
_FOOTNOTE_REF_RE = lazy(r"\[\^([^\]\s]+)\](?!:)")
_NUMBERED_REF_RE = lazy(r"\[(\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)\]")
_SUPERSCRIPT_RE = lazy(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_SUPERSCRIPT_DIGITS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")
_DOI_RE = lazy(r"\b(?:doi:\s*|doi\.org/)?10\.\d{4,9}/[^\s\"<>]+", re.IGNORECASE)
_PMID_RE = lazy(r"\bPMID:?\s*\d{5,9}\b|\bPMC\s?\d{5,9}\b|\bPMCID:?\s*PMC\d{5,9}\b", re.IGNORECASE)
_AUTHOR_YEAR_RE = lazy(
    r"\(?\b([A-Z][a-z'’\-]+)(?:\s+et\s+al\.?|\s+and\s+colleagues|\s+(?:and|&)\s+[A-Z][a-z'’\-]+)?,?\s+\(?((?:19|20)\d{2})[a-z]?\)?"
)
_PANDOC_CITE_RE = lazy(r"\[(?:[^\]]*?;\s*)?@([\w:.#$%&\-+?<>~/]+)")
_ENTRY_NUMBER_RE = lazy(r"^\s*\[?(\d{1,3})[\].):]?\s")
_HTML_A_RE = lazy(r"<a\s[^>]*?href\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)
_HTML_SUP_RE = lazy(r"<sup\b", re.IGNORECASE)
_SOURCES_KEYS = ("sources", "references", "citations", "bibliography", "studies")

# -- Research claims ------------------------------------------------------------------------

_CAP = r"[A-Z][\w'’&\-]*"
_JOURNAL_WORD = r"(?:Journal|Annals|Archives|Proceedings)"
_JOURNAL_GENERIC = rf"(?:{_CAP}\s+){{0,3}}{_JOURNAL_WORD}\b(?:\s+(?:of|on|for|in|and|&|the|{_CAP}))*"
_JOURNAL_LOWER = rf"\bjournal\s+({_CAP}(?:\s+(?:of|on|for|in|and|&|the|{_CAP}))*)"
_RESEARCH_CUE_RE = lazy(
    r"\b(?:published|publish(?:es|ing)?|study|studies|research|trials?|paper|reports?|reported|review|"
    r"analysis|meta-analysis|found|finds|show(?:s|ed|n)?|suggest(?:s|ed)?|indicat(?:es|ed)|demonstrat(?:es|ed)|"
    r"according|appear(?:s|ed|ing)|findings|results|data|evidence|concluded|researchers|authors|scientists|"
    r"article)\b",
    re.IGNORECASE,
)
_STRICT_BEFORE = (
    r"(?i:(?:published|appeared|appearing|reported|presented|printed|featured|described)\s+"
    r"(?:(?:online|today|recently|this\s+\w+|last\s+\w+|earlier\s+this\s+\w+)\s+)*in|"
    r"(?:study|studies|research|paper|report|review|trial|article|analysis|meta-analysis|findings|results|data)\s+"
    r"(?:published\s+)?in|according\s+to|journal)\s+(?:the\s+)?(?i:journal\s+)?"
)
_STRICT_AFTER = r"\s+(?i:study|studies|paper|report|review|trial|article|analysis|meta-analysis|editorial)\b"
_FINDING_RE = lazy(
    r"\b(?:found|finds?|show(?:s|ed|n)?|suggest(?:s|ed)?|report(?:s|ed)?|indicat(?:es|ed)|demonstrat(?:es|ed)|"
    r"prov(?:es|ed|en)|confirm(?:s|ed)?|reveal(?:s|ed)?|discover(?:s|ed)?|conclud(?:es|ed)|link(?:s|ed)|"
    r"associated|recommend(?:s|ed)?|according|estimat(?:es|ed)|observed|identified|determined|"
    r"concluded|cut|reduced|lowered|improved|increased|doubled|halved)\b",
    re.IGNORECASE,
)
_INST_GENERIC = (
    rf"University\s+of\s+{_CAP}(?:[\s-]+(?:at\s+|in\s+)?{_CAP})*|"
    rf"(?:{_CAP}\s+){{1,3}}(?:University|Institute|Clinic|Hospital|Medical\s+Center|Medical\s+Centre|"
    rf"School\s+of\s+Medicine|Medical\s+School|Health\s+System|Cancer\s+Center|Cancer\s+Centre)\b|"
    rf"(?:American|National|European|British|Royal|International|World|Canadian|Australian)\s+"
    rf"(?:Academy|College|Association|Society|Institutes?|Federation|Council|Board|Foundation)\s+of\s+{_CAP}"
    rf"(?:\s+(?:and|&|of)\s+{_CAP}|\s+{_CAP})*"
)
_PEOPLE = (
    r"(?:researchers|scientists|investigators|experts|doctors|physicians|a\s+team|the\s+team|team|study\s+authors|"
    r"authors)"
)
_STUDY_NOUN = r"(?:study|studies|research|trial|trials|survey|report|review|analysis|paper|experiment)"

_V_MODS = (
    r"(?:(?:several|many|numerous|multiple|some|recent|new|newer|current|previous|past|prior|various|countless|"
    r"other|further|extensive|emerging|early|preliminary|large|small|major|clinical|scientific|medical|"
    r"independent|peer[- ]reviewed|published|randomi[sz]ed|controlled|human|animal|observational|modern|"
    r"existing|decades\s+of|years\s+of|a\s+number\s+of|a\s+few|a\s+lot\s+of|lots\s+of|hundreds\s+of|"
    r"dozens\s+of|\d+)\s+)*"
)
_V_NOUN = (
    r"(?:studies|research|trials|evidence|science|data|scientists|researchers|experts|investigators|reviews|"
    r"meta-analyses|experiments|surveys)"
)
_V_INDEF = (
    r"(?:a|an|one|another|two|three|four|five|several|recent)\s+(?:(?:[\w-]+|\d{4})\s+){0,3}?"
    r"(?:study|trial|survey|review|meta-analysis|systematic\s+review|analysis|paper|experiment|report)"
)
_V_VERB = (
    r"(?:show|shows|showed|shown|prove|proves|proved|proven|suggest|suggests|suggested|indicate|indicates|"
    r"indicated|demonstrate|demonstrates|demonstrated|confirm|confirms|confirmed|reveal|reveals|revealed|find|"
    r"finds|found|support|supports|supported|conclude|concludes|concluded|report|reports|reported|establish|"
    r"establishes|established|point(?:s|ed)?\s+to|back(?:s|ed)?\s+up|link(?:s|ed)|associate(?:s|d)|"
    r"observe(?:s|d)|document(?:s|ed)|agree|agrees|agreed|say|says|recommend|recommends|recommended|"
    r"provide(?:s|d)?\s+(?:\w+\s+){0,2}?(?:support|evidence|proof))"
)
_VAGUE_PATTERNS = (
    rf"\b{_V_MODS}(?:{_V_NOUN}|{_V_INDEF})\b(?P<gap>(?:\s+[\w’'\-]+){{0,8}}?)\s+{_V_VERB}\b",
    r"\bthere\s+(?:is|are)\s+(?:now\s+)?(?:some|growing|strong|good|solid|clear|compelling|ample|mounting|"
    r"considerable|increasing|substantial|scientific|clinical|research|a\s+lot\s+of|plenty\s+of|much)\s+"
    r"(?:\w+\s+)?evidence\b",
    r"\b(?:a\s+)?(?:robust|large|growing|strong|substantial|solid|significant|considerable|vast|extensive|"
    r"increasing|overwhelming|compelling|ample|sizeable|sizable|impressive|wealth|mountain)\s+(?:body|amount|"
    r"number|wealth|base|of)\s+(?:of\s+)?(?:\w+\s+){0,2}?(?:evidence|research|studies|literature|data|trials)\b",
    r"\baccording\s+to\s+(?:(?:recent|new|the\s+latest|current|some|many|several|numerous|scientific|medical|"
    r"clinical|published)\s+)*(?:research|studies|(?:a|one|another)\s+(?:(?:[\w-]+|\d{4})\s+){0,2}?"
    r"(?:study|trial|survey|review|report|analysis|meta-analysis)|scientists|researchers|experts|science|"
    r"(?:the\s+)?(?:latest\s+)?(?:evidence|research|data|science))\b",
    r"\b(?:clinically|scientifically|medically|experimentally)[\s-]+(?:proven|proved|tested|shown|validated|"
    r"backed|supported|studied|demonstrated)\b",
    r"\b(?:proven|backed|supported|validated|confirmed)\s+by\s+(?:science|research|studies|clinical\s+"
    r"(?:studies|trials|research|evidence)|scientific\s+(?:studies|evidence|research)|(?:numerous|many|"
    r"several|multiple)\s+studies|doctors|experts)\b",
    r"\b(?:science|research|study|studies)-(?:backed|based|proven|supported)\b",
    r"\b(?:recommended|endorsed|included|supported)\s+(?:\w+\s+){0,2}?(?:in|by)\s+(?:(?:the|current|clinical|"
    r"medical|national|international|official|practice|treatment|most|many|several)\s+)*guidelines\b",
    r"\b(?:clinical|medical|current|treatment|practice|national|international|official)\s+guidelines\s+"
    r"(?:now\s+)?(?:recommend|suggest|advise|support|endorse|say|state|call\s+for)\b",
    r"\b(?:has|have|had)\s+(?:also\s+|repeatedly\s+|consistently\s+)?been\s+(?:scientifically\s+|"
    r"clinically\s+|repeatedly\s+|consistently\s+)?(?:shown|proven|proved|demonstrated|found)\s+to\b",
    r"\b(?:is|are|was|were)\s+(?:scientifically\s+|clinically\s+)?(?:shown|proven|proved|demonstrated)\s+to\b",
    r"(?:^|[,;:]\s*)(?:in|from)\s+(?:a|one|another|two|three|several|many|some|recent|numerous|multiple)\s+"
    r"(?:(?!(?:the|a|an|of|after|before|with|by|for|to|that|which|who|statement|interview|press)\b)(?:[\w-]+|\d{4})\s+)"
    r"{0,3}?(?:study|studies|trial|trials|survey|review|meta-analysis|analysis|experiment)\b",
)
#: Words between a research noun and its verb that make the sentence a plan, a hope or a denial.
_GAP_STOP_RE = lazy(
    r"\b(?:needed|need|needs|underway|planned|ongoing|will|would|could|should|must|might|hope|hopes|hoped|"
    r"aim|aims|plan|plans|try|tries|trying|designed|set|yet|not|never|failed|fail|fails|n't|cannot|can|is|are|"
    r"other)\b"
    r"|n[’']t\b",
    re.IGNORECASE,
)
_GAP_VERB_OK_RE = lazy(r"^\s*(?:(?:have|has|had|also|consistently|repeatedly|now|recently|all)\s+)*$", re.I)
_NEGATED_BEFORE_RE = lazy(
    r"(?:\b(?:no|not|few|without|nor|neither|little|limited|lack\s+of|absence\s+of|future|upcoming|planned)\s+"
    r"(?:\w+\s+)?|n[’']t\s+(?:\w+\s+)?)$",
    re.IGNORECASE,
)
_FUTURE_STUDY_RE = lazy(r"\b(?:future|upcoming|planned|further|larger|more)\s+(?:\w+\s+)?(?:stud|trial|research)", re.I)

# -- Overclaiming ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Overclaim:
    pattern: str
    label: str
    #: What to say instead (shown in the suggestion).
    calmer: str
    #: Replacement for the matched words in a rewritten sentence; None when no word swap reads well.
    rewrite: str | None = None
    #: Skip when a negation comes just before ("is not a miracle fix").
    negatable: bool = True
    #: Lower-case words one of which must occur for the pattern to be tried (a fast pre-check).
    guard: frozenset[str] = frozenset()


_OVERCLAIM_SPECS = (
    _Overclaim(
        r"\bmiracle[- ](?:cures?|drugs?|pills?|remed(?:y|ies)|treatments?|fix(?:es)?|foods?|supplements?|workers?|"
        r"oils?|teas?|herbs?|products?|solutions?|diets?|ingredients?)\b",
        "miracle",
        'name the benefit the evidence shows, e.g. "may ease … for some people"',
        None,
    ),
    _Overclaim(
        r"\bmiracles?\b|\bmiraculous(?:ly)?\b", "miracle", 'say what it may help with, and for whom ("may help")'
    ),
    _Overclaim(
        r"\b(?:wonder[- ](?:drug|cure|pill|food|herb)s?|magic\s+bullets?|silver\s+bullets?|cure-alls?|panaceas?|"
        r"holy\s+grail)\b",
        "cure-all",
        'say what it may help with ("one option that may help")',
        "useful option",
    ),
    _Overclaim(
        r"\b(?:(?:major|real|huge|big|medical|scientific|true|important)\s+)?break-?throughs?\b"
        r"(?!\s+(?:(?:therapy|device)\b[^.;]{0,60}?\b(?:designations?|status)|designations?|pain|bleeding|"
        r"infections?|cases?|seizures?|symptoms?|cancer\s+pain|nausea|vomiting|varicella|disease|dose|doses))",
        "breakthrough",
        'describe the result plainly ("new", "a promising early result")',
        "new finding",
    ),
    _Overclaim(
        r"\bgame[- ]?chang(?:er|ers|ing)\b", "game-changer", 'describe the result plainly ("potentially useful")'
    ),
    _Overclaim(r"\brevolutionary\b|\brevolutioni[sz](?:e|es|ed|ing)\b", "revolutionary", 'say "new" or what changes'),
    _Overclaim(r"\bground-?breaking\b", "groundbreaking", 'say "new"', "new"),
    _Overclaim(
        r"\b(?:landmark|historic)\s+(?:study|trial|discovery|finding|findings|result|results|achievement)\b|"
        r"\bparadigm[- ]shift(?:ing)?\b|\bunprecedented\s+(?:results?|success|benefits?|efficacy|improvements?)\b|"
        r"\btransformative\b|\bworld[- ]first\b|\bblockbuster\b|"
        r"\b(?:huge|giant|major|quantum|big)\s+leap(?:\s+forward)?\b|"
        r"\b(?:greatest|biggest)\s+(?:\w+\s+)?(?:discover(?:y|ies)|advances?|breakthroughs?)\b|"
        r"\b(?:major|significant|giant|huge|important|big)\s+(?:step\s+forward|advance|milestone)\b",
        "hype",
        "describe the size of the effect and how sure it is",
    ),
    _Overclaim(
        r"\b(?:can|will|may|could|might|to)\s+(?:completely\s+|permanently\s+|finally\s+|actually\s+)?cure\b|"
        r"\bcures\b|\bcured\s+(?:my|her|his|their|your)\b|\bcure\s+(?:for|of)\b|\b(?:the|a|permanent|natural|"
        r"total|complete)\s+cure\b",
        "cure",
        'say it "may ease" or "can help manage" the condition',
        None,
    ),
    _Overclaim(
        r"\bguarantee[sd]?\b|\bguaranteeing\b",
        "guaranteed",
        'say "may" and for whom it tends to work',
    ),
    _Overclaim(
        r"\b(?:100\s?%|100\s+percent|one\s+hundred\s+percent|completely|totally|perfectly|absolutely|entirely|"
        r"utterly|fully)\s+(?:safe|harmless|risk[- ]free|natural\s+and\s+safe)\b|\brisk[- ]free\b|"
        r"\bsafe\s+for\s+(?:everyone|everybody|anyone|all\s+ages)\b",
        "100% safe",
        "say it is generally safe for most people, and name the known risks",
        "generally safe for most people",
    ),
    _Overclaim(
        r"\b(?:no|zero|without(?:\s+any)?|free\s+(?:of|from)(?:\s+any)?|none\s+of\s+the)\s+(?:known\s+|harmful\s+|"
        r"negative\s+|adverse\s+|nasty\s+|unpleasant\s+)?side[- ]effects\b(?!\s+or\s+(?:just|only|very)?\s*(?:a\s+few|"
        r"mild|minor))|\bside[- ]effect[- ]free\b",
        "no side effects",
        "name the known side effects, even if they are mild and rare",
        "few known side effects",
    ),
    _Overclaim(
        r"\binstant(?:ly)?\s+(?:relief|cure|results?|fix|pain\s+relief|healing)\b|"
        r"\bpermanent(?:ly)?\s+(?:cure|relief|fix|results?)\b|\bcures?\s+(?:instantly|overnight|permanently)\b",
        "instant or permanent relief",
        "say how soon and how long relief usually lasts, and for whom",
        None,
    ),
    _Overclaim(
        r"\bworks\s+for\s+(?:everyone|everybody|anyone|all)\b|\bworks\s+every\s+time\b|\bnever\s+fails\b|"
        r"\b100\s?%\s+(?:effective|success|successful|results)\b|\b100\s+percent\s+(?:effective|successful)\b",
        "works for everyone",
        'say it "works for some people"',
        "works for some people",
    ),
    _Overclaim(
        r"\b(?:secret|hidden)\s+(?:remedy|cure|trick|formula)\b|\bdoctors\s+hate\b|\bone\s+weird\s+trick\b|"
        r"\bbig\s+pharma\s+(?:doesn[’']t|does\s+not|don[’']t)\s+want\b",
        "sales hype",
        "drop the sales language and say what the evidence shows",
        negatable=False,
    ),
)
_OVERCLAIM_GUARDS = {
    "miracle": "miracle miracles miraculous miraculously",
    "cure-all": "wonder magic silver cure cures panacea panaceas holy",
    "breakthrough": "breakthrough breakthroughs break",
    "game-changer": "game gamechanger gamechangers gamechanging",
    "revolutionary": "revolutionary revolutionize revolutionise revolutionizes revolutionises revolutionized "
    "revolutionised revolutionizing revolutionising",
    "groundbreaking": "groundbreaking ground",
    "hype": "landmark historic paradigm unprecedented transformative first blockbuster leap greatest biggest step "
    "advance milestone",
    "cure": "cure cures cured",
    "guaranteed": "guarantee guarantees guaranteed guaranteeing",
    "100% safe": "safe harmless risk",
    "no side effects": "side",
    "instant or permanent relief": "instant instantly permanent permanently",
    "works for everyone": "works fails 100",
    "sales hype": "secret hidden doctors weird pharma",
}
_OVERCLAIMS: tuple[_Overclaim, ...] = tuple(
    _Overclaim(o.pattern, o.label, o.calmer, o.rewrite, o.negatable, _words(_OVERCLAIM_GUARDS[o.label]))
    for o in _OVERCLAIM_SPECS
)
_OVERCLAIM_NEGATION_RE = lazy(
    r"(?:\b(?:no|not|never|neither|nor|hardly|rarely|without|isn[’']t|aren[’']t|wasn[’']t|cannot|far\s+from|"
    r"rather\s+than|instead\s+of|than|nothing|nobody|none|hope(?:s|d)?\s+(?:for|of|to\s+find)|search(?:ing)?\s+for|"
    r"look(?:ing)?\s+for|quest\s+for|find(?:ing)?|toward|towards|closer\s+to|road\s+to|path\s+to|race\s+for|"
    r"cannot\s+be|can't\s+be)\b|n[’']t)(?:\s+[\w’'-]+){0,4}?\s*$",
    re.IGNORECASE,
)
_NEGATED_GUARANTEE_RE = lazy(r"\b(?:no|not|never|can't|cannot|n[’']t)\s+(?:\w+\s+)?$", re.IGNORECASE)
_POSSIBLE_RE = lazy(r"\b(?:may|might|can|could|some\s+(?:people|patients))\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_GOAL_RE = lazy(r"\b(?:prevention|treatment|diagnosis|detection|research)\s*,?\s+(?:and|or)\s+(?:a\s+)?$", re.I)
_CURE_VERB_RE = lazy(r"\bcure[sd]?\b", re.IGNORECASE)
_CURABLE_RE = lazy(
    r"\b(?:hepatitis\s+c|hep\s+c|infections?|strep|uti|pneumonia|tuberculosis|tb|malaria|syphilis|gonorrh(?:o)?ea|"
    r"chlamydia|scurvy|rickets|lice|scabies|warts?|athlete'?s\s+foot)\b",
    re.IGNORECASE,
)
_GENERIC_CONDITION_RE = lazy(
    r"\b(?:all|any|every|most)\s+(?:\w+\s+)?(?:diseases?|illness(?:es)?|ailments?|conditions?)\b|\beverything\b", re.I
)

# -- Metadata (currency and authorship) -----------------------------------------------------

DEFAULT_AUTHOR_KEYS = ("author", "authors", "byline", "written_by", "writer")
DEFAULT_REVIEWER_KEYS = (
    "reviewed_by",
    "medically_reviewed_by",
    "medical_reviewer",
    "reviewer",
    "fact_checked_by",
    "medical_review_by",
)
DEFAULT_REVIEW_DATE_KEYS = (
    "last_reviewed",
    "reviewed",
    "review_date",
    "reviewed_on",
    "date_reviewed",
    "medically_reviewed",
    "last_medically_reviewed",
    "updated",
    "last_updated",
    "date_updated",
    "updated_at",
    "modified",
    "last_modified",
    "date_modified",
)
DEFAULT_OTHER_DATE_KEYS = ("date", "published", "publish_date", "date_published", "published_at", "created", "pubdate")
_GENERIC_BYLINES = frozenset(
    {
        "admin",
        "administrator",
        "staff",
        "staff writer",
        "staff writers",
        "editor",
        "editors",
        "the editors",
        "our editors",
        "editorial",
        "editorial team",
        "editorial staff",
        "editorial board",
        "team",
        "our team",
        "the team",
        "content team",
        "web team",
        "health team",
        "medical team",
        "webmaster",
        "guest",
        "guest author",
        "guest writer",
        "anonymous",
        "unknown",
        "user",
        "author",
        "writer",
        "contributor",
        "contributors",
        "wordpress",
        "root",
        "test",
        "tbd",
        "todo",
        "n/a",
        "none",
        "null",
    }
)
_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        )
    )
    for name in names
}
_ISO_RE = lazy(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_YEAR_MONTH_RE = lazy(r"^(\d{4})-(\d{1,2})$")
_DMY_WORDS_RE = lazy(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_MDY_WORDS_RE = lazy(r"^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_NUMERIC_RE = lazy(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


# -- Options --------------------------------------------------------------------------------


@dataclass
class ClaimsOptions:
    """``[tool.healthlint.plugins.claims]``."""

    #: Domains that count as scholarly or authoritative sources; replaces the built-in list.
    scholarly_domains: list[str] = field(default_factory=lambda: list(DEFAULT_SCHOLARLY_DOMAINS))
    #: More scholarly domains, added to ``scholarly-domains``.
    extend_scholarly_domains: list[str] = field(default_factory=list)
    #: More journal names to recognise (case-sensitive), e.g. a specialty's journals.
    journals: list[str] = field(default_factory=list)
    #: More institutions to recognise as named sources (case-sensitive).
    institutions: list[str] = field(default_factory=list)
    #: Headings that start a reference list that ``[1]`` can point into, added to the built-in ones.
    reference_headings: list[str] = field(default_factory=list)
    #: Overclaiming words or phrases this site accepts (matched case-insensitively), e.g. ["breakthrough"].
    allow_overclaims: list[str] = field(default_factory=list)
    #: More words or phrases to flag as overclaiming (case-insensitive).
    extend_overclaims: list[str] = field(default_factory=list)
    #: More long-term conditions that must not be promised a "cure".
    chronic_conditions: list[str] = field(default_factory=list)
    #: Which articles HL311-HL315 check: "front-matter" (those that have it), "always", or "off".
    check_metadata: Literal["front-matter", "always", "off"] = "front-matter"
    #: Also check plain-text articles' metadata (they rarely have front matter).
    metadata_in_plain_text: bool = False
    require_author: bool = True
    require_reviewer: bool = False
    require_review_date: bool = True
    #: A review or update date older than this many days is stale (HL314).
    max_review_age_days: int = 730
    author_keys: list[str] = field(default_factory=lambda: list(DEFAULT_AUTHOR_KEYS))
    reviewer_keys: list[str] = field(default_factory=lambda: list(DEFAULT_REVIEWER_KEYS))
    review_date_keys: list[str] = field(default_factory=lambda: list(DEFAULT_REVIEW_DATE_KEYS))
    #: Check dates against this day (YYYY-MM-DD) instead of today, for reproducible runs.
    as_of: str = ""


def _options(ctx: RuleContext) -> ClaimsOptions:
    options: ClaimsOptions = ctx.options()
    return options


# -- Lexicons (compiled once per option set) -------------------------------------------------


_TOKEN_RE = lazy(r"[^\W_]+")
_CLAIM_WORDS = _words(
    """
    study studies studied research researchers researcher trial trials evidence science scientific scientists
    scientist data expert experts investigators journal annals archives proceedings published publishes proven
    proved shown demonstrated guideline guidelines according review reviews analysis analyses meta survey surveys
    experiment experiments report reports reported found finds recommend recommends recommended suggest suggests
    suggested estimates estimated concluded warns warned advises advised clinically medically experimentally
    backed supported validated confirmed endorsed shows showed paper literature says
    """
)
_INSTITUTION_WORDS = _words(
    "University Institute Institutes Clinic Hospital Medical School Health Cancer Academy College Association "
    "Society Federation Council Board Foundation Centre Center"
)
_VAGUE_GUARDS = (
    "studies research trials evidence science data scientists researchers experts investigators reviews analyses "
    "experiments surveys study trial survey review analysis paper experiment report",
    "evidence",
    "evidence research studies literature data trials",
    "according",
    "clinically scientifically medically experimentally",
    "proven backed supported validated confirmed",
    "backed based proven supported",
    "guidelines",
    "guidelines",
    "shown proven proved demonstrated found",
    "shown proven proved demonstrated",
    "study studies trial trials survey review meta analysis experiment",
)


def _first_word(name: str) -> str:
    words: list[str] = _TOKEN_RE.findall(name)
    if len(words) > 1 and words[0] in ("The", "the"):
        return words[1]
    return words[0] if words else name


@dataclass(frozen=True)
class _Lexicon:
    journal_known: LazyPattern
    journal_strict: LazyPattern
    journal_generic: LazyPattern
    journal_lower: LazyPattern
    institution_claim: LazyPattern
    institution_weak: LazyPattern
    vague: tuple[LazyPattern, ...]
    overclaims: tuple[tuple[_Overclaim, LazyPattern], ...]
    chronic: LazyPattern
    allow_overclaims: frozenset[str]
    reference_heading: LazyPattern
    #: Word guards: lower-case words one of which a sentence needs before the patterns are tried.
    claim_words: frozenset[str]
    overclaim_words: frozenset[str]
    strict_words: frozenset[str]
    known_words: frozenset[str]
    institution_words: frozenset[str]
    vague_guards: tuple[frozenset[str], ...]
    #: Every claim :func:`_classify` finds holds one of these words (as written) or one of ``vague_words``.
    classify_cased: frozenset[str]
    #: The words of all ``vague_guards``.
    vague_words: frozenset[str]


@lru_cache(maxsize=16)
def _lexicon(
    journals: tuple[str, ...],
    institutions: tuple[str, ...],
    extend_overclaims: tuple[str, ...],
    allow_overclaims: tuple[str, ...],
    chronic: tuple[str, ...],
    reference_headings: tuple[str, ...],
) -> _Lexicon:
    listed = [*data_lines("claims_journals.txt"), *journals]
    strict = [n[1:] for n in listed if n.startswith("!")]
    known = [n for n in listed if not n.startswith("!")]
    inst = _alternation([*data_lines("claims_institutions.txt"), *institutions])
    inst_any = rf"(?:{inst}|{_INST_GENERIC})"
    institution_claim = lazy(
        rf"(?i:according\s+to\s+)(?:(?i:a|an|the|new|recent|latest)\s+)*(?:(?i:study|report|survey|data|research|"
        rf"guidelines|figures|estimates|statistics|analysis|review|researchers|experts|scientists)\s+"
        rf"(?i:from|by|of|at)\s+(?:the\s+)?)?(?P<i2>{inst_any})"
        rf"|(?<![\w-])(?P<i3>{inst})\s+(?i:found|finds|showed|shows|reported|reports|recommends|recommended|suggests|"
        rf"suggested|estimates|estimated|concluded|warns|warned|advises|advised|says\s+that)\b"
    )
    institution_weak = lazy(
        rf"\b(?i:a|an|the|one|another|new|recent|\d{{4}})\s+(?i:new\s+|recent\s+|large\s+)?(?P<i1>{inst_any})"
        rf"(?i:-led|-funded|-based)?\s+(?i:{_STUDY_NOUN})\b"
        rf"|(?<![\w-])(?P<i4>{inst_any})\s+(?i:researchers|scientists|investigators|experts|doctors|physicians|team|"
        rf"study|studies|research|report|trial|survey)\b"
        rf"|\b(?i:{_PEOPLE})\s+(?:[\w’'-]+\s+){{0,2}}?(?i:at|from|of|with|led\s+by|based\s+at)\s+(?:the\s+)?"
        rf"(?P<i5>{inst_any})"
        rf"|\b{_STUDY_NOUN}\s+(?:by|at|from|conducted\s+at|carried\s+out\s+at|led\s+by)\s+(?:the\s+)?"
        rf"(?P<i6>{inst_any})"
    )
    strict_words = frozenset(_first_word(n) for n in strict)
    known_words = frozenset(_first_word(n) for n in known)
    institution_words = _INSTITUTION_WORDS | {
        _first_word(n) for n in [*data_lines("claims_institutions.txt"), *institutions]
    }
    vague_guards = tuple(_words(g) for g in _VAGUE_GUARDS)
    overclaims = [(o, lazy(o.pattern, re.IGNORECASE)) for o in _OVERCLAIMS]
    for term in extend_overclaims:
        words = _TOKEN_RE.findall(term.lower())
        if words:
            pattern = rf"\b{re.escape(term.strip())}\b"
            spec = _Overclaim(pattern, term.strip().lower(), "say what the evidence shows", guard=frozenset(words[:1]))
            overclaims.append((spec, lazy(pattern, re.IGNORECASE)))
    headings = [re.escape(h.strip().rstrip(":")) for h in reference_headings if h.strip()]
    ref_heading = lazy(rf"^\s*(?:{'|'.join(headings)})\s*:?\s*$", re.IGNORECASE) if headings else lazy(r"(?!x)x")
    return _Lexicon(
        journal_known=lazy(rf"(?<![\w-])(?:{_alternation(known)})(?![\w-])"),
        journal_strict=lazy(
            rf"{_STRICT_BEFORE}(?P<s1>{_alternation(strict)})(?![\w-])"
            rf"|\b(?i:a|an|the|one|another|new|recent)\s+(?P<s2>{_alternation(strict)}){_STRICT_AFTER}"
        ),
        journal_generic=lazy(_JOURNAL_GENERIC),
        journal_lower=lazy(_JOURNAL_LOWER),
        institution_claim=institution_claim,
        institution_weak=institution_weak,
        vague=tuple(lazy(p, re.IGNORECASE) for p in _VAGUE_PATTERNS),
        overclaims=tuple(overclaims),
        chronic=lazy(
            rf"\b(?:{_alternation([*data_lines('claims_chronic_conditions.txt'), *chronic])})\b", re.IGNORECASE
        ),
        allow_overclaims=frozenset(a.strip().lower() for a in allow_overclaims if a.strip()),
        reference_heading=ref_heading,
        claim_words=_CLAIM_WORDS | {_first_word(n).lower() for n in known + strict},
        overclaim_words=frozenset(w for o, _ in overclaims for w in o.guard),
        strict_words=strict_words,
        known_words=known_words,
        institution_words=institution_words,
        vague_guards=vague_guards,
        classify_cased=strict_words | known_words | _GENERIC_JOURNAL_WORDS | {"journal"} | institution_words,
        vague_words=frozenset().union(*vague_guards),
    )


def _lexicon_for(options: ClaimsOptions) -> _Lexicon:
    return _lexicon(
        tuple(options.journals),
        tuple(options.institutions),
        tuple(options.extend_overclaims),
        tuple(options.allow_overclaims),
        tuple(options.chronic_conditions),
        tuple(options.reference_headings),
    )


# -- Analysis --------------------------------------------------------------------------------


@dataclass
class Citation:
    """Something in or next to a claim that lets a reader find its source."""

    #: ``link``, ``html-link``, ``doi``, ``pmid``, ``footnote``, ``reference``, ``author-year``, ``sources``.
    kind: str
    text: str
    url: str | None = None
    scholarly: bool = True
    span: Span | None = None


@dataclass
class Claim:
    """A sentence that leans on research."""

    block: Block
    start: int
    end: int
    #: ``journal``, ``institution`` or ``vague``.
    kind: str
    #: The journal or institution named, or the words that appeal to research.
    source: str
    citations: list[Citation] = field(default_factory=list)
    #: Citation markers that point nowhere ("[3]" with no reference 3).
    unresolved: list[str] = field(default_factory=list)
    #: Position of the sentence among all the article's sentences.
    seq: int = 0

    @property
    def sentence(self) -> str:
        return self.block.text[self.start : self.end]


@dataclass
class Overclaim:
    block: Block
    start: int
    end: int
    sentence: tuple[int, int]
    spec: _Overclaim


@dataclass
class _References:
    has_section: bool = False
    numbers: set[int] = field(default_factory=set)
    footnotes: set[str] = field(default_factory=set)
    #: Lower-cased text of each entry in a References section and in front matter ``sources``.
    entries: list[str] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    skip_blocks: set[int] = field(default_factory=set)


@dataclass
class Analysis:
    claims: list[Claim]
    overclaims: list[Overclaim]
    references: _References


@lru_cache(maxsize=16)
def _domains(domains: tuple[str, ...], extend: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(d.lower().strip().lstrip(".") for d in [*domains, *extend])


def analyse(article: Article, options: ClaimsOptions) -> Analysis:
    """Find every research claim and overclaim in an article, with the citations of each claim."""
    lex = _lexicon_for(options)
    refs = _references(article, lex)
    domains = _domains(tuple(options.scholarly_domains), tuple(options.extend_scholarly_domains))
    anchors = _html_anchors(article)
    links = [link for link in article.links if link.kind != "image"]
    claims: list[Claim] = []
    overclaims: list[Overclaim] = []
    seq = 0
    for index, block in enumerate(article.blocks):
        if index in refs.skip_blocks:
            continue
        text = block.text
        cased_block = set(_TOKEN_RE.findall(text))
        lower = set(map(str.lower, cased_block))
        want_claims = block.kind != "heading" and not lex.claim_words.isdisjoint(lower)
        want_over = not lex.overclaim_words.isdisjoint(lower)
        if not (want_claims or want_over):
            continue
        sentences = split_sentences(text)
        if not want_over and lex.classify_cased.isdisjoint(cased_block) and lex.vague_words.isdisjoint(lower):
            seq += len(sentences)  # no sentence can hold a claim (see _classify), but each one counts
            continue
        # The block's words that could make a sentence of it worth reading. Whole words of a sentence
        # are substrings of its lower-case form when they are ASCII (str.lower() maps one character
        # at a time, capital sigma aside), so a sentence holding none of them needs no tokens.
        needed = (lower & lex.claim_words if want_claims else set()) | (
            lower & lex.overclaim_words if want_over else set()
        )
        pre_check = all(word.isascii() for word in needed)
        for k, (start, end) in enumerate(sentences):
            seq += 1
            sentence = text[start:end]
            if pre_check:
                low = sentence.lower()
                if not any(word in low for word in needed):
                    continue
            cased = set(_TOKEN_RE.findall(sentence))
            words = set(map(str.lower, cased))
            if want_over and not lex.overclaim_words.isdisjoint(words):
                overclaims.extend(_find_overclaims(block, start, end, sentence, lex, words))
            if not want_claims or lex.claim_words.isdisjoint(words) or sentence.rstrip("\"'”’)").endswith("?"):
                continue
            found = _classify(sentence, lex, cased, words)
            if found is None:
                continue
            kind, source = found
            claim = Claim(block, start, end, kind, source, seq=seq)
            _cite(claim, article, refs, links, anchors, domains, lex)
            if not claim.citations and k + 1 < len(sentences):
                # A short citation-only sentence right after the claim ("Source: doi:10...").
                n_start, n_end = sentences[k + 1]
                follower = Claim(block, n_start, n_end, kind, source)
                if len(text[n_start:n_end].split()) <= 12:
                    _cite(follower, article, refs, links, anchors, domains, lex)
                    claim.citations = follower.citations
            claims.append(claim)
    _cite_nearby(claims)
    return Analysis(claims, overclaims, refs)


_ONE_STUDY_RE = lazy(
    r"\b(?:a|an|one|another|this)\s+(?:[\w-]+\s+){0,3}?(?:study|trial|review|analysis|meta-analysis|paper|report)\b",
    re.IGNORECASE,
)


def _cite_nearby(claims: list[Claim]) -> None:
    """A news-style lede ("a new study suggests…") is cited by the cited mention of the study that follows it."""
    for i, claim in enumerate(claims):
        if claim.citations or claim.kind != "vague" or not _ONE_STUDY_RE.search(claim.source):
            continue
        for other in claims[i + 1 :]:
            if other.seq - claim.seq > 3:
                break
            if other.citations and other.kind in ("journal", "institution"):
                claim.citations.append(
                    Citation("nearby", other.source, None, all(c.scholarly for c in other.citations))
                )
                break


def _classify(sentence: str, lex: _Lexicon, cased: set[str], words: set[str]) -> tuple[str, str] | None:
    """``(kind, source)`` when the sentence leans on research, else None."""
    if lex.classify_cased.isdisjoint(cased) and lex.vague_words.isdisjoint(words):
        return None  # no journal's or institution's word, no research word: no pattern below can match
    low = folded(sentence)
    journal = _journal_in(sentence, lex, cased, words, low)
    if journal:
        return "journal", journal
    if not lex.institution_words.isdisjoint(cased):
        # Whole-word sets stand for the case-insensitive patterns only where folded() does (low not None).
        m = (
            lex.institution_claim.search(sentence)
            if _may_hold(low, _INSTITUTION_CLAIM_CUES)
            and (low is None or "according" in low or not _INSTITUTION_VERBS.isdisjoint(words))
            else None
        )
        if m:
            return "institution", _clean_name(next(g for g in m.groups() if g))
        # The finding verb first: it is the cheaper test of the two, and both must hold.
        m = (
            lex.institution_weak.search(sentence)
            if (low is None or not (_FINDING_WORDS.isdisjoint(words) or _INSTITUTION_WEAK_WORDS.isdisjoint(words)))
            and _FINDING_RE.search(sentence)
            else None
        )
        if m:
            return "institution", _clean_name(next(g for g in m.groups() if g))
    for guard, needles, verbs, pattern in zip(lex.vague_guards, _VAGUE_NEEDLES, _VAGUE_VERBS, lex.vague, strict=True):
        if (
            guard.isdisjoint(words)
            or (verbs and low is not None and verbs.isdisjoint(words))
            or not _may_hold(low, needles)
        ):
            continue
        for m in pattern.finditer(sentence):
            if _vague_counts(sentence, m):
                return "vague", " ".join(m.group(0).strip(" ,;:").split())
    return None


def _may_hold(low: str | None, needles: tuple[str, ...]) -> bool:
    """False only when ``low`` (see :func:`folded`) has none of ``needles``: the pattern they guard cannot match."""
    return low is None or not needles or any(needle in low for needle in needles)


#: Substrings one of which every match of the ``_VAGUE_PATTERNS`` of the same index holds (none: no check).
#: The first pattern needs one of its verbs ("studies show"), which most sentences that mention research lack.
_VAGUE_NEEDLES: tuple[tuple[str, ...], ...] = (
    (
        "show", "prove", "suggest", "indicate", "demonstrate", "confirm", "reveal", "find", "found", "support",
        "conclude", "report", "establish", "point", "back", "link", "associate", "observe", "document", "agree",
        "say", "recommend", "provide",
    ),
    *((),) * (len(_VAGUE_PATTERNS) - 1),
)  # fmt: skip
#: For the ``_VAGUE_PATTERNS`` of the same index, words one of which every match holds (lower case, as a whole
#: word): the first pattern's verbs. A word set can stand for ``re.IGNORECASE`` only when :func:`folded` can.
_VAGUE_VERBS: tuple[frozenset[str], ...] = (
    _words(
        """
        show shows showed shown prove proves proved proven suggest suggests suggested indicate indicates indicated
        demonstrate demonstrates demonstrated confirm confirms confirmed reveal reveals revealed find finds found
        support supports supported conclude concludes concluded report reports reported establish establishes
        established point points pointed back backs backed links linked associates associated observes observed
        documents documented agree agrees agreed say says recommend recommends recommended provide provides provided
        """
    ),
    *(frozenset(),) * (len(_VAGUE_PATTERNS) - 1),
)
#: Whole words (lower case), one of which every match of ``_FINDING_RE`` holds.
_FINDING_WORDS = _words(
    """
    found find finds show shows showed shown suggest suggests suggested report reports reported indicates indicated
    demonstrates demonstrated proves proved proven confirm confirms confirmed reveal reveals revealed discover
    discovers discovered concludes concluded links linked associated recommend recommends recommended according
    estimates estimated observed identified determined cut reduced lowered improved increased doubled halved
    """
)
#: Whole words (lower case), one of which every match of ``_RESEARCH_CUE_RE`` holds.
_RESEARCH_CUE_WORDS = _words(
    """
    published publish publishes publishing study studies research trial trials paper report reports reported review
    analysis found finds show shows showed shown suggest suggests suggested indicates indicated demonstrates
    demonstrated according appear appears appeared appearing findings results data evidence concluded researchers
    authors scientists article
    """
)
#: Whole words (lower case), one of which every match of ``institution_claim`` without "according" holds (its verbs).
_INSTITUTION_VERBS = _words(
    "found finds showed shows reported reports recommends recommended suggests suggested estimates estimated "
    "concluded warns warned advises advised says"
)
#: Whole words (lower case), one of which every match of ``institution_weak`` holds (its nouns and people).
_INSTITUTION_WEAK_WORDS = _words(
    "study studies research trial trials survey report review analysis paper experiment researchers scientists "
    "investigators experts doctors physicians team authors"
)
#: Substrings one of which every match of ``institution_claim`` holds ("according to", "<name> found").
_INSTITUTION_CLAIM_CUES = (
    "according", "found", "finds", "show", "report", "recommend", "suggest", "estimat", "conclud", "warn", "advis",
    "says",
)  # fmt: skip
#: Substrings one of which every match of the journal-name-plus-cue pattern (``journal_strict``) holds.
_STRICT_CUES = (
    "published", "appear", "presented", "printed", "featured", "described", "stud", "research", "paper", "report",
    "review", "trial", "article", "analys", "finding", "result", "data", "according", "journal", "editorial",
)  # fmt: skip


_NOT_JOURNALS = lazy(
    r"(?:Wall\s+Street|Milwaukee|Atlanta|Providence|Albuquerque|Winston-Salem|Lincoln|Sacramento|Kansas\s+City|"
    r"Ottawa|Edmonton|Montreal|Business|Daily|Evening|Morning|Sunday)\s+Journal|Journal[- ](?:Constitution|Sentinel|"
    r"Star|News|Gazette|Record|Times|Inquirer|Register)"
)


def _journal_in(sentence: str, lex: _Lexicon, cased: set[str], words: set[str], low: str | None) -> str | None:
    if not lex.strict_words.isdisjoint(cased) and _may_hold(low, _STRICT_CUES):
        for m in lex.journal_strict.finditer(sentence):
            group = "s1" if m.group("s1") else "s2"
            if not _part_of_longer_name(sentence, m.start(group), m.end(group)):
                return m.group(group)
    generic = not _GENERIC_JOURNAL_WORDS.isdisjoint(cased)
    known = not lex.known_words.isdisjoint(cased)
    lower = "journal" in cased
    if (
        not (generic or known or lower)
        or (low is not None and _RESEARCH_CUE_WORDS.isdisjoint(words))
        or not _RESEARCH_CUE_RE.search(sentence)
    ):
        return None
    for flag, regex in ((generic, lex.journal_generic), (known, lex.journal_known)):
        if not flag:
            continue
        for m in regex.finditer(sentence):
            name = _clean_name(m.group(0))
            if regex is lex.journal_known and _NAME_BEFORE_RE.search(sentence, max(0, m.start() - 60), m.start()):
                continue  # "American College of Rheumatology"
            if name and name not in _GENERIC_JOURNAL_WORDS and not _NOT_JOURNALS.search(m.group(0)):
                return name
    if lower:
        found = lex.journal_lower.search(sentence)
        if found:
            return _clean_name(found.group(1))
    return None


_GENERIC_JOURNAL_WORDS = frozenset({"Journal", "Annals", "Archives", "Proceedings"})
_NAME_BEFORE_RE = lazy(r"[A-Z][\w'’&-]*\s+(?:of|for|on)\s+(?:the\s+)?$")
_NAME_AFTER_RE = lazy(r"\s+(?:[A-Z][a-z]|&\s+[A-Z])")


def _part_of_longer_name(sentence: str, start: int, end: int) -> bool:
    """ "American College of Rheumatology", "Healthcare Bluebook": a journal's name inside another name."""
    return bool(
        _NAME_BEFORE_RE.search(sentence, max(0, start - 60), start) or _NAME_AFTER_RE.match(sentence, end, end + 3)
    )


_LEADING_WORDS_RE = lazy(r"^(?:(?:The|A|An|In|This|That|Another|One|Recent|Published|According)\s+)+")
_TRAILING_WORDS_RE = lazy(r"(?:\s+(?:of|on|for|in|and|&|the))+$")


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    name = _TRAILING_WORDS_RE.sub("", name)
    stripped = _LEADING_WORDS_RE.sub("", name)
    return stripped or name


_ANAPHORA_RE = lazy(r"\b(?:the|this|that|these|those|their|its|our|his|her|such|same)\s+$", re.IGNORECASE)
_INFINITIVE_GAP_RE = lazy(r"^\s+to\s*$|\s(?:to|that)\s*$", re.IGNORECASE)


def _vague_counts(sentence: str, m: re.Match[str]) -> bool:
    before = sentence[max(0, m.start() - 60) : m.start()]
    if _NEGATED_BEFORE_RE.search(before):
        return False
    if _ANAPHORA_RE.search(before):
        return False  # "the researchers found": a study introduced earlier, where the citation belongs
    if _FUTURE_STUDY_RE.search(m.group(0)[:40]):
        return False
    if re.match(r"(?i)(?:evidence|data|signs?)\s+of\b", m.group(0)) or re.match(
        r"(?i)\s*(?:evidence|data)\s+of\b", sentence[m.start() : m.start() + 20]
    ):
        return False  # "evidence of infection": a clinical sign, not research
    gap = m.groupdict().get("gap")
    if gap and gap.strip()[:1].isupper():
        return False  # "the Health & Science Department receives": a name, not research
    if gap and _INFINITIVE_GAP_RE.search(gap):
        return False  # "a large trial to prove", "a trial that says"
    # "trials are needed to confirm", "studies have not shown", "researchers hope to find"
    return not (gap and _GAP_STOP_RE.search(gap) and not _GAP_VERB_OK_RE.match(gap))


#: A sentence that repeats hype words hundreds of times (keyword stuffing) is reported a few times, not hundreds.
_MAX_OVERCLAIMS_PER_SENTENCE = 5


def _find_overclaims(
    block: Block, start: int, end: int, sentence: str, lex: _Lexicon, words: set[str]
) -> Iterator[Overclaim]:
    taken: list[tuple[int, int]] = []
    for spec, regex in lex.overclaims:
        if spec.guard.isdisjoint(words):
            continue
        for m in regex.finditer(sentence):
            if len(taken) >= _MAX_OVERCLAIMS_PER_SENTENCE:
                return
            a, b = m.start(), m.end()
            if any(a < y and x < b for x, y in taken):
                continue
            if m.group(0).lower() in lex.allow_overclaims or spec.label in lex.allow_overclaims:
                continue
            if spec.negatable and _OVERCLAIM_NEGATION_RE.search(sentence[max(0, a - 80) : a]):
                continue
            if spec.label == "cure" and not _cure_overclaims(sentence, a, b, lex):
                continue
            if spec.label == "guaranteed" and _NEGATED_GUARANTEE_RE.search(sentence[max(0, a - 40) : a]):
                continue
            if spec.label == "no side effects" and _POSSIBLE_RE.search(sentence[max(0, a - 40) : a]):
                continue  # "you may have no side effects": a possibility, not a promise
            if spec.label == "cure" and _GOAL_RE.search(sentence[max(0, a - 30) : a]):
                continue  # "the prevention and cure of cancer": a goal, not a claim
            taken.append((a, b))
            yield Overclaim(block, start + a, start + b, (start, end), spec)


def _cure_overclaims(sentence: str, a: int, b: int, lex: _Lexicon) -> bool:
    """A "cure" is overclaiming when what it cures is a long-term condition (or everything)."""
    after = sentence[b : b + 80]
    before = sentence[max(0, a - 80) : a]
    window = after if not after.strip(" ,.;:").lower().startswith(("it", "them")) else before + after
    if _CURABLE_RE.search(after[:40]):
        return False
    return bool(lex.chronic.search(window) or _GENERIC_CONDITION_RE.search(window) or lex.chronic.search(before[-60:]))


# -- Citations -------------------------------------------------------------------------------


def _references(article: Article, lex: _Lexicon) -> _References:
    refs = _References()
    refs.footnotes = set(_FOOTNOTE_DEF_RE.findall(article.text))
    section_level: int | None = None
    index_in_section = 0
    for index, block in enumerate(article.blocks):
        text = block.text
        heading_like = block.kind == "heading" or (
            block.kind in ("paragraph", "html") and len(text) < 40 and text.rstrip(":").strip() == text.strip(" :")
        )
        if heading_like and (_REF_HEADING_RE.match(text) or lex.reference_heading.match(text)):
            refs.has_section = True
            section_level = block.level if block.kind == "heading" else 7
            index_in_section = 0
            refs.skip_blocks.add(index)
            continue
        if section_level is not None:
            if block.kind == "heading" and (block.level <= section_level or section_level == 7):
                section_level = None
            else:
                refs.skip_blocks.add(index)
                index_in_section += 1
                number = _entry_number(article, block)
                refs.numbers.add(number if number is not None else index_in_section)
                refs.entries.append(text.lower())
                continue
        if _FOOTNOTE_DEF_RE.match(text):
            refs.skip_blocks.add(index)
            refs.entries.append(text.lower())
    for key in _SOURCES_KEYS:
        value = article.meta.get(key)
        for entry in value if isinstance(value, list) else [value] if value else []:
            refs.entries.append(_flatten(entry).lower())
            if isinstance(entry, dict):
                for k in ("id", "key", "citekey", "label"):
                    if entry.get(k):
                        refs.keys.add(str(entry[k]))
    return refs


def _entry_number(article: Article, block: Block) -> int | None:
    line = article.lines[block.line - 1] if 0 < block.line <= article.last_line else ""
    for candidate in (line.lstrip(" >-*+"), block.text):
        m = _ENTRY_NUMBER_RE.match(candidate)
        if m:
            return int(m.group(1))
    return None


def _flatten(value: Any) -> str:
    if isinstance(value, dict):
        return " ".join(_flatten(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return " ".join(_flatten(v) for v in value)
    return "" if value is None else str(value)


def _html_anchors(article: Article) -> list[tuple[int, str]]:
    """File offsets and targets of HTML ``<a href>`` and ``<sup>`` tags (``"<sup>"`` as the target)."""
    out: list[tuple[int, str]] = []
    for fragment in article.html:
        for m in _HTML_A_RE.finditer(fragment.html):
            out.append((fragment.offset + m.start(), m.group(1)))
        for m in _HTML_SUP_RE.finditer(fragment.html):
            out.append((fragment.offset + m.start(), "<sup>"))
    return out


def _overlaps(span: Span, other: Span) -> bool:
    """Whether two file spans share a character (a link around the sentence or inside it)."""
    return (other.line, other.column) < (span.end_line, span.end_column) and (span.line, span.column) < (
        other.end_line,
        other.end_column,
    )


def _cite(
    claim: Claim,
    article: Article,
    refs: _References,
    links: Sequence[Link],
    anchors: Sequence[tuple[int, str]],
    domains: tuple[str, ...],
    lex: _Lexicon,
) -> None:
    block, sentence = claim.block, claim.sentence
    span = block.span(claim.start, claim.end)
    for link in links:
        if _overlaps(span, link.span):
            claim.citations.append(Citation("link", link.text, link.url, _scholarly(link.url, domains), link.span))
    if anchors:
        first = article.offset_of(span.line, span.column)
        last = article.offset_of(span.end_line, span.end_column)
        for offset, target in anchors:
            if first <= offset < last:
                if target == "<sup>":
                    if refs.has_section or refs.footnotes:
                        claim.citations.append(Citation("reference", "<sup>"))
                else:
                    claim.citations.append(Citation("html-link", target, target, _scholarly(target, domains)))
    for m in _DOI_RE.finditer(sentence):
        claim.citations.append(Citation("doi", m.group(0)))
    for m in _PMID_RE.finditer(sentence):
        claim.citations.append(Citation("pmid", m.group(0)))
    for m in _FOOTNOTE_REF_RE.finditer(sentence):
        if m.group(1) in refs.footnotes:
            claim.citations.append(Citation("footnote", m.group(0)))
        else:
            claim.unresolved.append(m.group(0))
    for m in _NUMBERED_REF_RE.finditer(sentence):
        numbers = _numbers(m.group(1))
        if refs.has_section and numbers & refs.numbers:
            claim.citations.append(Citation("reference", m.group(0)))
        else:
            claim.unresolved.append(m.group(0))
    for m in _SUPERSCRIPT_RE.finditer(sentence):
        numbers = _numbers(m.group(0).translate(_SUPERSCRIPT_DIGITS))
        if refs.has_section and numbers & refs.numbers:
            claim.citations.append(Citation("reference", m.group(0)))
    for m in _PANDOC_CITE_RE.finditer(sentence):
        if m.group(1) in refs.keys:
            claim.citations.append(Citation("sources", m.group(0)))
        else:
            claim.unresolved.append(m.group(0))
    if refs.entries:
        for m in _AUTHOR_YEAR_RE.finditer(sentence):
            surname, year = m.group(1).lower(), m.group(2)
            if any(surname in entry and year in entry for entry in refs.entries):
                claim.citations.append(Citation("author-year", m.group(0)))
        if claim.kind in ("journal", "institution"):
            name = claim.source.lower()
            if any(name in entry for entry in refs.entries):
                claim.citations.append(Citation("sources", claim.source))
        else:
            low = sentence.lower()
            for entry in refs.entries:
                for name_match in lex.journal_generic.finditer(entry.title()):
                    name = _clean_name(name_match.group(0)).lower()
                    if len(name) > 12 and name in low:
                        claim.citations.append(Citation("sources", name))


def _numbers(spec: str) -> set[int]:
    out: set[int] = set()
    for part in re.split(r"\s*,\s*", spec):
        bounds = re.split(r"\s*[–-]\s*", part)
        try:
            if len(bounds) == 2:
                low, high = int(bounds[0]), int(bounds[1])
                if 0 <= high - low <= 50:
                    out.update(range(low, high + 1))
            elif bounds[0]:
                out.add(int(bounds[0]))
        except ValueError:
            continue
    return out


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def _scholarly(url: str, domains: tuple[str, ...]) -> bool:
    """Whether a link points at a scholarly or authoritative source (or inside the article)."""
    if (
        not url
        or url.startswith(("#", "/", "./", "../", "mailto:"))
        or ("://" not in url and not url.startswith("www."))
    ):
        return True  # in-page anchors and relative links lead to the article's own reference list
    lowered = url.lower()
    if "/doi/10." in lowered or "doi=10." in lowered or _PMID_RE.search(url):
        return True
    host = _host(url)
    return any(host == d or host.endswith("." + d) for d in domains if d)


# -- Metadata ----------------------------------------------------------------------------------


def _norm_key(key: str) -> str:
    return re.sub(r"[\s_-]+", "_", key.strip().lower())


def _meta_lookup(article: Article, keys: Sequence[str]) -> tuple[str, Any] | None:
    """The first front matter key (by the order of ``keys``) present, with its value."""
    by_norm = {_norm_key(k): k for k in article.meta}
    for key in keys:
        real = by_norm.get(_norm_key(key))
        if real is not None:
            return real, article.meta[real]
    return None


def _person_names(value: Any) -> list[str]:
    if isinstance(value, dict):
        for k in ("name", "full_name", "display_name", "title"):
            if isinstance(value.get(k), str):
                return [value[k]]
        return []
    if isinstance(value, (list, tuple)):
        return [n for v in value for n in _person_names(v)]
    if isinstance(value, str):
        return [value]
    return []


def parse_date(value: Any) -> tuple[dt.date | None, str | None]:
    """Read a front matter date: ``(date, None)`` or ``(None, what is wrong)``."""
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, bool) or value is None:
        return None, "is empty" if value is None else "is not a date"
    if isinstance(value, (int, float)):
        return None, f"{value!r} is not a date; write it as YYYY-MM-DD"
    if not isinstance(value, str):
        return None, "is not a date; write it as YYYY-MM-DD"
    text = value.strip()
    if not text:
        return None, "is empty"
    try:
        m = _ISO_RE.match(text)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), None
        m = _YEAR_MONTH_RE.match(text)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), 1), None
        m = _DMY_WORDS_RE.match(text)
        if m and m.group(2).lower() in _MONTHS:
            return dt.date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1))), None
        m = _MDY_WORDS_RE.match(text)
        if m and m.group(1).lower() in _MONTHS:
            return dt.date(int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2))), None
        m = _NUMERIC_RE.match(text)
        if m:
            a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if a > 12 >= b:
                return dt.date(year, b, a), None
            if b > 12 >= a:
                return dt.date(year, a, b), None
            return None, f"{text!r} is ambiguous (day/month or month/day?); write it as YYYY-MM-DD"
    except ValueError:
        return None, f"{text!r} is not a real date"
    return None, f"{text!r} is not a date healthlint can read; write it as YYYY-MM-DD"


def _as_of(options: ClaimsOptions) -> dt.date:
    if options.as_of:
        parsed, _ = parse_date(options.as_of)
        if parsed:
            return parsed
    return dt.date.today()


def _metadata_applies(article: Article, options: ClaimsOptions) -> bool:
    if options.check_metadata == "off":
        return False
    if article.kind == "text" and not options.metadata_in_plain_text:
        return False
    return not (options.check_metadata == "front-matter" and article.meta_lines is None)


def _missing_hit(article: Article, message: str, suggestion: str) -> Hit:
    line = article.meta_lines[0] if article.meta_lines else 1
    return article.line_hit(line, message, suggestion=suggestion)


def _is_generic_byline(name: str) -> bool:
    low = " ".join(name.lower().replace(".", " ").split())
    return low in _GENERIC_BYLINES or not any(ch.isalpha() for ch in low)


# -- Checks -----------------------------------------------------------------------------------


def _analysis(article: Article, ctx: RuleContext) -> Analysis:
    options = _options(ctx)
    result = ctx.shared("claims:analysis", lambda: analyse(article, options))
    claims = result.claims
    ctx.metrics["study_claims"] = len(claims)
    ctx.metrics["uncited_study_claims"] = sum(1 for c in claims if not c.citations)
    ctx.metrics["overclaims"] = len(result.overclaims)
    return result


_CITE_HOW = "link the study (DOI or PubMed link), or add a numbered reference such as [1] to a References section"


def _unresolved_note(claim: Claim) -> str:
    if not claim.unresolved:
        return ""
    markers = ", ".join(dict.fromkeys(claim.unresolved))
    return f"; {markers} points to no reference"


def check_journal_claims(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    for claim in _analysis(article, ctx).claims:
        if claim.kind == "journal" and not claim.citations:
            yield claim.block.hit(
                claim.start,
                claim.end,
                f"Study claim names the journal {claim.source!r} but cites no source{_unresolved_note(claim)}",
                suggestion=f"{_CITE_HOW[0].upper()}{_CITE_HOW[1:]}, or remove the claim.",
            )


def check_institution_claims(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    for claim in _analysis(article, ctx).claims:
        if claim.kind == "institution" and not claim.citations:
            yield claim.block.hit(
                claim.start,
                claim.end,
                f"Finding attributed to {claim.source!r} without a source{_unresolved_note(claim)}",
                suggestion=f"Link the study or the {claim.source} page it comes from; {_CITE_HOW}.",
            )


def check_vague_claims(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    for claim in _analysis(article, ctx).claims:
        if claim.kind == "vague" and not claim.citations:
            yield claim.block.hit(
                claim.start,
                claim.end,
                f"{claim.source!r} appeals to research without citing it{_unresolved_note(claim)}",
                suggestion=f"Name and {_CITE_HOW}; or say plainly what is known without leaning on unnamed studies.",
            )


def check_weak_citations(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    options = _options(ctx)
    preferred = ", ".join(
        d
        for d in ("doi.org", "pubmed.ncbi.nlm.nih.gov", "nih.gov", "cdc.gov", "who.int", "nice.org.uk", "cochrane.org")
        if d in options.scholarly_domains
    )
    for claim in _analysis(article, ctx).claims:
        if not claim.citations or any(c.scholarly for c in claim.citations):
            continue
        hosts = ", ".join(dict.fromkeys(_host(c.url or "") or (c.url or "?") for c in claim.citations))
        cited = next((c for c in claim.citations if c.span is not None), None)
        suggestion = "Cite the study itself or an authoritative source" + (f" ({preferred})" if preferred else "") + "."
        message = f"Study claim cites a non-scholarly source ({hosts})"
        if cited is not None and cited.span is not None:
            s = cited.span
            yield Hit(s.line, s.column, message, s.end_line, s.end_column, cited.text or cited.url, suggestion)
        else:
            yield claim.block.hit(claim.start, claim.end, message, suggestion=suggestion)


def check_overclaims(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    for found in _analysis(article, ctx).overclaims:
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
        lex = _lexicon_for(_options(ctx))
        if not lex.overclaim_words.isdisjoint(w.lower() for w in _TOKEN_RE.findall(title)):
            line = article.meta_line("title")
            for spec, regex in lex.overclaims:
                m = regex.search(title)
                if m and not (
                    spec.negatable and _OVERCLAIM_NEGATION_RE.search(title[max(0, m.start() - 80) : m.start()])
                ):
                    if spec.label == "cure" and not _cure_overclaims(title, m.start(), m.end(), lex):
                        continue
                    if m.group(0).lower() in lex.allow_overclaims or spec.label in lex.allow_overclaims:
                        continue
                    yield article.line_hit(
                        line, f"Overclaiming in the title: {m.group(0)!r}", suggestion=f"Calmer: {spec.calmer}."
                    )
                    break


def _shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def check_author(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    options = _options(ctx)
    if not options.require_author or not _metadata_applies(article, options):
        return
    found = _meta_lookup(article, options.author_keys)
    names = [n.strip() for n in _person_names(found[1])] if found else []
    names = [n for n in names if n]
    if not names:
        keys = " or ".join(f"`{k}`" for k in options.author_keys[:2])
        if found:
            yield article.line_hit(
                article.meta_line(found[0]),
                f"Front matter {found[0]!r} names no author",
                suggestion="Give the author's name (and credentials).",
            )
        else:
            yield _missing_hit(
                article, "No author in the front matter", f"Add {keys} with the writer's name (and credentials)."
            )
        return
    generic = [n for n in names if _is_generic_byline(n)]
    if found is not None and len(generic) == len(names):
        yield article.line_hit(
            article.meta_line(found[0]),
            f"Author {generic[0]!r} is not a named person",
            suggestion="Name the person who wrote the article, with their credentials.",
        )


def check_reviewer(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    options = _options(ctx)
    if not options.require_reviewer or not _metadata_applies(article, options):
        return
    found = _meta_lookup(article, options.reviewer_keys)
    names = [n.strip() for n in _person_names(found[1])] if found else []
    names = [n for n in names if n]
    if found is None or not names:
        line = article.meta_line(found[0]) if found else None
        message = "No medical reviewer in the front matter" if found is None else f"{found[0]!r} names no reviewer"
        suggestion = f"Add `{options.reviewer_keys[0]}` with the reviewing clinician's name and credentials."
        yield (
            article.line_hit(line, message, suggestion=suggestion)
            if line
            else _missing_hit(article, message, suggestion)
        )
        return
    if all(_is_generic_byline(n) for n in names):
        yield article.line_hit(
            article.meta_line(found[0]),
            f"Reviewer {names[0]!r} is not a named person",
            suggestion="Name the clinician who reviewed the article, with their credentials.",
        )


def _review_date(article: Article, options: ClaimsOptions) -> tuple[str, Any] | None:
    """The review/update key with the most recent readable date (or the first key when none reads)."""
    by_norm = {_norm_key(k): k for k in article.meta}
    present = [by_norm[_norm_key(k)] for k in options.review_date_keys if _norm_key(k) in by_norm]
    if not present:
        return None
    best: tuple[str, Any] | None = None
    best_date: dt.date | None = None
    for key in dict.fromkeys(present):
        parsed, _ = parse_date(article.meta[key])
        if parsed is not None and (best_date is None or parsed > best_date):
            best, best_date = (key, article.meta[key]), parsed
    return best or (present[0], article.meta[present[0]])


def check_review_date(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    options = _options(ctx)
    if not options.require_review_date or not _metadata_applies(article, options):
        return
    if _review_date(article, options) is None:
        keys = " or ".join(f"`{k}`" for k in options.review_date_keys[:2])
        yield _missing_hit(
            article,
            "No review date in the front matter",
            f"Add {keys} (YYYY-MM-DD) so readers can see how current the article is.",
        )


def check_outdated(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    options = _options(ctx)
    if not _metadata_applies(article, options) or options.max_review_age_days <= 0:
        return
    found = _review_date(article, options)
    if found is None:
        return
    parsed, _ = parse_date(found[1])
    if parsed is None:
        return
    today = _as_of(options)
    age = (today - parsed).days
    ctx.metrics["review_age_days"] = age
    if age > options.max_review_age_days:
        yield article.line_hit(
            article.meta_line(found[0]),
            f"Last reviewed {parsed.isoformat()}, {_describe_age(age)} ago "
            f"(limit: {_describe_age(options.max_review_age_days)})",
            suggestion=f"Have the article reviewed against current evidence, then update {found[0]!r}.",
        )


def _describe_age(days: int) -> str:
    if days >= 365:
        years = days / 365.25
        return f"{years:.1f} years".replace(".0 ", " ")
    if days >= 60:
        return f"{days // 30} months"
    return f"{days} days"


def check_dates(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    options = _options(ctx)
    if not article.meta or not _metadata_applies(article, options):
        return
    keys = {_norm_key(k) for k in [*options.review_date_keys, *DEFAULT_OTHER_DATE_KEYS]}
    today = _as_of(options)
    for key, value in article.meta.items():
        if _norm_key(key) not in keys:
            continue
        parsed, problem = parse_date(value)
        line = article.meta_line(key)
        if problem:
            yield article.line_hit(line, f"Date in {key!r} {problem}", suggestion="Write dates as YYYY-MM-DD.")
        elif parsed is not None and parsed > today + dt.timedelta(days=1):
            yield article.line_hit(
                line,
                f"Date in {key!r} ({parsed.isoformat()}) is in the future",
                suggestion="Use the date the article was actually reviewed or updated.",
            )


# -- Registration ------------------------------------------------------------------------------

_OPTIONS_COMMON = "Options are set in `[tool.healthlint.plugins.claims]`."

RULES = (
    Rule(
        code="HL301",
        name="uncited-journal-claim",
        summary="A study claim that names a journal but cites no source",
        severity=Severity.ERROR,
        check=check_journal_claims,
        doc="""
## What it flags
A sentence that rests a claim on a named journal ("a study published in the Journal of
Pain found…", "a JAMA study", "reported in The Lancet") with no citation: no link, bare URL,
DOI, PMID or PMCID, no footnote (`[^1]`), no numbered reference (`[1]`) that resolves to a
References or Sources section, and no front matter `sources:` entry that names the journal.
The whole sentence is reported.

## Why it matters
Naming a journal borrows its authority. If readers cannot find the paper, they cannot check
that it exists or says what the article claims; spun and machine-written health pages invent
such studies all the time. HONcode (attribution) and the JAMA benchmarks require the source.

## Example
```markdown
A study published in the Journal of Back Care found that massage halves back pain.
```

## Instead
```markdown
A [2021 trial in the Journal of Back Care](https://doi.org/10.1234/jbc.2021.001) found
that weekly massage eased back pain for some people.
```
or a numbered reference: `…found that massage eased back pain [1].` with `1.` in a
`## References` list.

## Options
`journals` adds journal names (case-sensitive); `reference-headings` adds headings that
start a reference list. Links to any site count as a citation here; HL304 judges the site.
""",
    ),
    Rule(
        code="HL302",
        name="uncited-institution-claim",
        summary="A finding attributed to a named institution without a source",
        severity=Severity.WARNING,
        check=check_institution_claims,
        doc="""
## What it flags
A sentence that attributes a finding or a recommendation to a named university, hospital or
agency ("a Harvard study", "researchers at the Mayo Clinic found", "according to the CDC")
with no citation (see HL301 for what counts).

## Why it matters
An institution's name makes a claim sound settled, but institutions publish many studies and
pages; without a link readers cannot tell which one, or whether it says this.

## Example
```markdown
A Harvard study showed that ten minutes of stretching prevents back pain.
```

## Instead
```markdown
A [Harvard study of 300 office workers](https://pubmed.ncbi.nlm.nih.gov/12345678/) found
that daily stretching was linked to fewer back-pain days.
```

## Options
`institutions` adds names (case-sensitive) to the built-in list; "University of X",
"X Institute", "X Clinic" and national academies and associations are recognised without it.
""",
    ),
    Rule(
        code="HL303",
        name="vague-research-claim",
        summary="An appeal to unnamed research without a citation",
        severity=Severity.WARNING,
        check=check_vague_claims,
        doc="""
## What it flags
Sentences that lean on research without naming or citing it: "studies show", "research
suggests", "scientists say", "a recent study found", "according to research", "clinically
proven", "has been shown to", "recommended in clinical guidelines", "a robust body of
scientific evidence". Cautious statements ("more research is needed", "there is no
evidence that…", "studies have not shown…") and questions are not flagged; nor are
follow-up mentions ("the study found") once the study itself was introduced.

## Why it matters
"Studies show" is the commonest way health copy makes an opinion sound like a fact.
Readers cannot weigh evidence they cannot see.

## Example
```markdown
Research shows that magnesium cures night cramps.
```

## Instead
```markdown
In a [2020 Cochrane review](https://doi.org/10.1002/14651858.CD000000), magnesium did
not reliably prevent night cramps in older adults.
```

## Options
None of its own; citations are recognised as for HL301.
""",
    ),
    Rule(
        code="HL304",
        name="non-scholarly-citation",
        summary="A study claim whose only citation is a non-scholarly page",
        severity=Severity.SUGGESTION,
        check=check_weak_citations,
        doc="""
## What it flags
A research claim whose links all point to sites that are not scholarly or authoritative
sources (a blog, a shop, a news aggregator), rather than to the study (doi.org, PubMed, the
journal) or an agency such as nih.gov, cdc.gov, who.int, nice.org.uk or cochrane.org. The
link is reported.

## Why it matters
A link to a page that repeats the claim is not a source. Pointing at the study itself lets
readers and editors check it.

## Example
```markdown
Studies show [turmeric eases joint pain](https://wellness-blog.example/turmeric).
```

## Instead
```markdown
A [2016 meta-analysis](https://pubmed.ncbi.nlm.nih.gov/27533649/) found turmeric extracts
eased joint pain a little in small trials.
```

## Options
`scholarly-domains` (replaces the built-in list of domains; subdomains count) and
`extend-scholarly-domains` (adds to it).
""",
    ),
    Rule(
        code="HL305",
        name="overclaiming-language",
        summary="Sensational or absolute health claims (miracle, breakthrough, cure, no side effects)",
        severity=Severity.WARNING,
        check=check_overclaims,
        doc="""
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
""",
    ),
    Rule(
        code="HL311",
        name="missing-author",
        summary="Front matter without a named author",
        severity=Severity.WARNING,
        check=check_author,
        doc="""
## What it flags
An article whose front matter has no `author` (or `authors`, `byline`, `written_by`), an
empty one, or only a generic byline such as "admin", "Staff writer" or "Editorial team".

## Why it matters
The JAMA benchmarks and HONcode ask that readers can see who wrote health information and
what qualifies them.

## Example
```markdown
---
title: Heat or ice for back pain?
author: admin
---
```

## Instead
```markdown
---
title: Heat or ice for back pain?
author: Maya Lindqvist, RN
---
```

## Options
`require-author` (default true); `author-keys`; `check-metadata` ("front-matter": only
articles that have front matter, the default; "always"; "off"); `metadata-in-plain-text`
(default false).
""",
    ),
    Rule(
        code="HL312",
        name="missing-medical-reviewer",
        summary="Front matter without a named medical reviewer (when required)",
        severity=Severity.WARNING,
        check=check_reviewer,
        doc="""
## What it flags
When `require-reviewer = true`: front matter without `reviewed_by` (or
`medically_reviewed_by`, `medical_reviewer`, `reviewer`), an empty one, or a generic one
("Editorial team").

## Why it matters
Publishers that promise medical review should show who did it, so readers can check the
reviewer's qualifications.

## Example
```markdown
---
author: Maya Lindqvist
reviewed_by: Editorial team
---
```

## Instead
```markdown
---
author: Maya Lindqvist
reviewed_by: Dr. Tomas Okafor, physiotherapist
---
```

## Options
`require-reviewer` (default false: off until a site opts in); `reviewer-keys`;
`check-metadata`; `metadata-in-plain-text`.
""",
    ),
    Rule(
        code="HL313",
        name="missing-review-date",
        summary="Front matter without a last-reviewed or updated date",
        severity=Severity.WARNING,
        check=check_review_date,
        doc="""
## What it flags
Front matter with none of `last_reviewed`, `reviewed`, `review_date`, `updated`,
`last_updated`, `modified` (dashes, underscores and case do not matter). A publication
`date` alone does not say whether the content is still current.

## Why it matters
Medical advice changes. The JAMA benchmarks (currency) ask that readers can see when a page
was last checked.

## Example
```markdown
---
title: Heat or ice for back pain?
date: 2019-05-02
---
```

## Instead
```markdown
---
title: Heat or ice for back pain?
date: 2019-05-02
last_reviewed: 2025-01-20
---
```

## Options
`require-review-date` (default true); `review-date-keys`; `check-metadata`;
`metadata-in-plain-text`.
""",
    ),
    Rule(
        code="HL314",
        name="outdated-review",
        summary="The last review or update is older than the allowed age (default 2 years)",
        severity=Severity.WARNING,
        check=check_outdated,
        doc="""
## What it flags
A review or update date (the most recent of the review-date keys) older than
`max-review-age-days` (730 days by default). The finding is on the key's line and says how
old the review is. The age is also in the JSON metrics as `review_age_days`.

## Why it matters
Two years is long enough for guidelines, doses and warnings to change.

## Example
```markdown
---
last_reviewed: 2019-03-01
---
```

## Instead
Have a clinician check the article against current guidance, then update the date:
```markdown
---
last_reviewed: 2025-02-10
---
```

## Options
`max-review-age-days` (default 730; 0 switches the check off); `as-of` (YYYY-MM-DD) checks
against a fixed day instead of today, for reproducible runs.
""",
    ),
    Rule(
        code="HL315",
        name="malformed-date",
        summary="A front matter date that cannot be read, is ambiguous or lies in the future",
        severity=Severity.WARNING,
        check=check_dates,
        doc="""
## What it flags
A date in the front matter (`date`, `published`, `last_reviewed`, `updated` and the other
date keys) that is not a date ("last spring", `2024`), does not exist (`2024-02-30`), is
ambiguous (`03/04/2024`), or lies in the future. The finding is on the key's line.

## Why it matters
A date nobody can read (or one in the future) tells readers nothing about how current the
advice is, and it silently switches off the outdated-review check (HL314).

## Example
```markdown
---
last_reviewed: 04/03/2024
---
```

## Instead
```markdown
---
last_reviewed: 2024-03-04
---
```

## Options
`review-date-keys` (dates that count as reviews); `as-of`; `check-metadata`;
`metadata-in-plain-text`.
""",
    ),
)


@hookimpl
def healthlint_register_options(register: Callable[[str, type[Any]], None]) -> None:
    register(PLUGIN, ClaimsOptions)


@hookimpl
def healthlint_register_rules(register: Callable[[Rule], None]) -> None:
    for rule in RULES:
        register(rule)


@hookimpl
def healthlint_configure(config: Config) -> None:
    try:
        options: ClaimsOptions = config.options_for(PLUGIN)
    except KeyError:
        return
    where = f"plugins.{PLUGIN}."
    if options.max_review_age_days < 0:
        raise ConfigError("must be 0 (off) or a number of days", config.source, where + "max-review-age-days")
    if options.as_of:
        parsed, problem = parse_date(options.as_of)
        if parsed is None:
            raise ConfigError(f"{problem}", config.source, where + "as-of")
    for keys, required in (
        ("author-keys", options.require_author),
        ("reviewer-keys", options.require_reviewer),
        ("review-date-keys", options.require_review_date),
    ):
        if required and not getattr(options, keys.replace("-", "_")):
            raise ConfigError("must list at least one key", config.source, where + keys)
