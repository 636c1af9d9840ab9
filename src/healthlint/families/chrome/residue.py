"""Chatbot residue (HL704): the text of an assistant's exchange that is not the article's.

Four kinds, each a small grammar whose slots are filled from ``data/chatbot_cues.tsv``:

- ``reply``: the assistant's reply framing the writing it was asked for ("Okay, here's a 1,500-word article on
  ...", "Here is the revised version", "I've rewritten your text ..."). An acknowledgement followed by "here is"
  and a piece of writing counts at the article's opening; elsewhere the sentence must also say what the piece was
  made to be (a word count, "SEO", "structured for", "as requested"), be a new version of given text or hand the
  piece back as the asker's ("Here is your article ..."); a piece someone else made ("a guide my physio gave me")
  is not one;
- ``self``: the model speaking of itself as an AI or of its training ("as an AI language model, I ...",
  "my knowledge cutoff");
- ``leak``: the generator's prompt leaking through: its source ("based on the provided reference"), a template
  placeholder ("[Insert ...]", "[Your Name]"; not a form's field the reader fills in, "Put [your name] ..."), a
  template's instruction in parentheses ("(insert statistic here)"), a writing brief's label at the start of a line
  ("Meta description:"; "Call to action:" only beside such a label);
- ``offer``: the assistant's closing offer to revise ("Let me know if you'd like me to expand ...").

Quoted text is not residue: a match inside quotation marks, in a quoted block or after "says" / "such as" (an article
about chatbots quoting one) is skipped; code is not in the blocks' text at all. A finding covers the sentence that
holds the residue, at its exact place in the file (the blocks' shared text layer).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from healthlint import Hit, regexcache
from healthlint.article import Article, Block
from healthlint.regexcache import lazy
from healthlint.resources import data_lines

#: The kinds, in the order a sentence holding several is named by.
KINDS = ("reply", "self", "leak", "offer")
#: What each kind is, for the message.
WHAT = {
    "reply": "an assistant's reply introducing the text it was asked to write",
    "self": "a chatbot speaking of itself",
    "leak": "the generator's prompt or template leaking into the text",
    "offer": "an assistant's closing offer to revise its text",
}
#: What to do, for the suggestion.
TODO = {
    "reply": "Remove the assistant's reply",
    "self": "Remove what the chatbot says of itself",
    "leak": "Remove the prompt's words, or fill in the template's slots",
    "offer": "Remove the assistant's offer",
}
SUGGESTION = (
    "{todo}, then have an editor read the whole article: text published with a chatbot's side of the "
    "exchange in it was not read before it went out."
)
#: Words before which the article's opening ends: a reply framing without a stated purpose counts only there.
OPENING_WORDS = 60
#: A match preceded (in its sentence) by one of these is reported speech: an article quoting a chatbot.
_REPORTED = lazy(
    r"(?:\b(?:says?|said|saying|replies|replied|reply|respond(?:s|ed)?|answer(?:s|ed)?|writes?|wrote|such as|like|"
    r"phrases?|e\.g\.|for example|for instance|begins? with|starts? with|opens? with|read|reads|began|begins|"
    r"told(?:\s+(?:me|us|him|her|them))?|tells?(?:\s+(?:me|us|him|her|them))|warned|warns|added|adds)\b[\s:,–—-]*)$",
    re.IGNORECASE,
)
#: Quoted stretches of a block's text: code spans left in plain text, double quotes, and single quotes that open at a
#: word's start.
_QUOTED = lazy(
    r"`[^`]*(?:`|$)|“[^”]*(?:”|$)|\"[^\"]*(?:\"|$)|«[^»]*(?:»|$)|(?<!\w)['‘](?:[^'’]|['’](?=\w)){0,300}?['’](?!\w)"
)
_APOSTROPHE = "['’]"


@functools.cache
def _groups() -> dict[str, tuple[str, ...]]:
    """The groups of ``chatbot_cues.tsv``: name -> words (longest first, so "blog post" wins over "blog")."""
    groups: dict[str, tuple[str, ...]] = {}
    for line in data_lines("chatbot_cues.tsv", __package__):
        name, _, words = line.partition("\t")
        groups[name.strip()] = tuple(
            sorted({w.strip() for w in words.split("|") if w.strip()}, key=lambda w: (-len(w), w))
        )
    return groups


@functools.cache
def _words() -> dict[str, str]:
    """Each group as one alternation for the grammar's patterns."""
    return {
        name: "|".join(re.escape(w).replace(r"\ ", r"\s+").replace("'", _APOSTROPHE) for w in words)
        for name, words in _groups().items()
    }


@functools.cache
def _grammar() -> dict[str, tuple[re.Pattern[str], ...]]:
    """The patterns of each kind (compiled once per process)."""
    w = _words()
    a = _APOSTROPHE
    here = rf"(?:here{a}s|here\s+is|here\s+are|below\s+is|below\s+are|below\s+you(?:{a}ll|\s+will)\s+find)"
    det = r"(?:a|an|the|your|my|this|some)"
    # "a 1,500-word article", "a 2000+ word post", "800 words long": a length asked for, not "50 words to know"
    count = r"\d[\d,.]*\+?(?:-|\s)word\b|\d[\d,.]*\+?\s+words\s+(?:long|in\s+length)\b"
    purpose = (
        rf"(?:{count}|\bseo\b|\b(?:structured|optimi[sz]ed)\s+for\b|"
        r"\bas\s+(?:you\s+)?requested\b(?!\s+by\b)|\bper\s+your\s+request\b|\byou\s+(?:asked|requested)\b|"
        r"\bbased\s+on\s+your\b|\bkeyword|\bhuman-like\b|\bplagiarism\b)"
    )
    writing = rf"(?:{w['writing']})"
    # What follows a piece someone else made, or a piece that is a quantity: "a detailed guide my physio gave me",
    # "a guide from the NHS", "a piece of advice". An assistant's piece is followed by what it is on ("to", "on").
    theirs = (
        r"(?!(?<=piece)\s+of\b|\s+(?:that\s+|which\s+)?(?:my|our|his|her|their)\b|\s+(?:from|by)\b|"
        r"\s+(?:that\s+|which\s+)?(?:I|we|they|he|she)\s+(?:found|got|was\s+given|were\s+given|received|use|used|love)\b)"
    )
    # "Okay, here's a quick, 1,500-word, SEO-optimized article": up to 10 words between the determiner and the piece.
    piece = rf"{here}\s+{det}?\s*(?:[\w,'’+-]+\s+){{0,10}}?{writing}(?![\w-]){theirs}"
    # The bare opening form: what only a commissioned text is called, or any piece said to be made some way ("a
    # comprehensive guide", "an SEO-friendly overview"), where a blogger's "a quick guide" names what the reader gets.
    made = rf"(?<![\w-])(?:{w['spec']})(?![\w-])[\s,]+(?:[\w,'’+-]+\s+){{0,4}}?{writing}"
    artefact = rf"{here}\s+{det}?\s*(?:[\w,'’+-]+\s+){{0,10}}?(?:(?:{w['artefact']})(?![\w-])|{made}(?![\w-])){theirs}"
    # "Here is your article about ...": the piece handed back as the asker's, anywhere; the words between are its
    # description ("your revised, SEO-friendly article"), not a phrase leading to another noun ("your guide to the
    # article"); the piece is the phrase's head: punctuation or what it is on comes next, not a noun it describes
    # ("your draft care plan", "your weekly article roundup").
    head = (
        r"(?=\s*(?:[,.:;!?()\[\]—–\"“”]|$)|\s+(?:on|about|regarding|covering|of|for|to|that|which|with|as|in|"
        r"you|ready|based|written|optimi[sz]ed|structured|is|copy|text)\b)"
    )
    yours = (
        rf"{here}\s+your\s+(?:(?!(?:to|of|for|on|about|in|with|from|and|or)\b)[\w,'’+-]+\s+){{0,4}}?"
        rf"(?:{w['handed']})(?![\w-]){head}{theirs}"
    )
    revised = (
        rf"{here}\s+{det}\s+(?:[\w'’-]+\s+){{0,2}}?(?:{w['revised']})\s+(?:version|draft|text|copy|rewrite|article)\b"
        # "the updated version of our policy": a publisher's own page, not a new version of text handed over
        r"(?!\s+of\s+(?:our|this|his|her|their|its)\b)"
    )
    interjection = rf"^(?:(?:{w['interjection']})\b[\s,!.:;–—-]*)+"
    given = r"(?:text|content|passage|paragraph|draft|copy)\b"
    # What an offer to revise proposes: an editing verb, or making more of the writing ("add a section on ...",
    # "write a shorter version"); "create a meal plan for you" is a service, not an offer to revise.
    offer = (
        rf"(?:(?:{w['offer']})\b|(?:add|write|create|generate|draft|make|provide|include)\s+"
        rf"(?:a|an|another|more|some|the|any)?\s*(?:[\w-]+\s+){{0,3}}?(?:sections?|paragraphs?|introduction|"
        r"conclusion|version|examples?|references?|citations?|sources?|tone|social\s+media\s+(?:posts?|captions?)|"
        rf"{w['label']})(?![\w-])|make\s+(?:it|this|the\s+[\w-]+)\s+(?:more|less|shorter|longer)\b)"
        # Not one more whole piece ("write another article", "a follow-up post"): a blogger asks readers that too.
    )
    return {
        "reply": (
            regexcache.compile(rf"{interjection}(?P<weak>{artefact})", re.IGNORECASE),
            regexcache.compile(rf"(?:^|(?<=[\s,]))(?:(?:{w['interjection']})\b[\s,!.:;–—-]*)*{yours}", re.IGNORECASE),
            regexcache.compile(rf"^(?=.*{purpose})(?:(?:{w['interjection']})\b[\s,!.:;–—-]*)*{piece}", re.IGNORECASE),
            regexcache.compile(rf"(?:^|(?<=[\s,]))(?:(?:{w['interjection']})\b[\s,!.:;–—-]*)*{revised}", re.IGNORECASE),
            regexcache.compile(
                rf"\bI(?:{a}ve|\s+have)\s+(?:also\s+|now\s+)?(?:{w['revise']})\s+"
                # "your text", "the original / provided text": the text handed over; a bare "the text" is an editor's
                # note too ("I've edited the text for clarity"), unless what it was made for follows ("... for SEO")
                rf"(?:your\s+|the\s+(?:(?:original|provided|given|supplied)\s+(?={given})|(?={given}.*{purpose})))",
                re.IGNORECASE,
            ),
            regexcache.compile(
                rf"\bI(?:{a}ve|\s+have)\s+(?:crafted|generated)\s+{det}\s+(?:[\w,'’-]+\s+){{0,6}}?{writing}(?![\w-])",
                re.IGNORECASE,
            ),
        ),
        "self": (
            regexcache.compile(
                r"(?:^|(?<=[,;:]\s)|\b(?:however|but|and|because|since|so)\s+)as\s+(?:an\s+ai(?:\s+language\s+model|\s+assistant|\s+model|\s+chatbot|\s+system)?|"
                r"an?\s+(?:large\s+)?language\s+model)\b\s*,?\s*"
                rf"(?:I\b|I{a}m\b|my\b|me\b)",
                re.IGNORECASE,
            ),
            regexcache.compile(
                rf"\bI(?:{a}m|\s+am)\s+(?:just\s+|only\s+|simply\s+)?(?:an?\s+)(?:ai|artificial\s+intelligence|"
                r"ai\s+(?:language\s+model|assistant|model|chatbot)|(?:large\s+)?language\s+model|chatbot|ai)\b"
                # what a model says next: not "I'm an AI researcher", "a language model skeptic"
                r"(?=\s*(?:[,.;:!?)–—-]|$)|\s+(?:and|but|so|or|not|that|who|which|with|without|trained|developed|"
                r"created|built|designed|made|by|from|like)\b)",
                re.IGNORECASE,
            ),
            regexcache.compile(
                r"\b(?:my|as\s+of\s+my)\s+(?:last\s+)?(?:knowledge|training)(?:\s+data)?\s+(?:cutoff|cut-off|cut\s+off|"
                r"update)\b|\bas\s+of\s+my\s+last\s+update\b(?!\s+(?:to|of|on|for)\b)|\bmy\s+training\s+data\b",
                re.IGNORECASE,
            ),
            regexcache.compile(
                rf"\bI\s+(?:do\s+not|don{a}t|cannot|can{a}t|am\s+unable\s+to)\s+(?:browse|access|search)\s+the\s+"
                r"(?:internet|web)\b|\bI\s+(?:do\s+not|don['’]t)\s+have\s+(?:access\s+to\s+)?real-time\s+"
                r"(?:data|information|access)\b",
                re.IGNORECASE,
            ),
        ),
        "leak": (
            regexcache.compile(
                rf"\b(?:based\s+(?:solely\s+|only\s+)?on|according\s+to|in|from|per)\s+the\s+"
                rf"(?:provided|supplied)\s+(?:{w['source']})\b|"
                # "in the attached document" is a newsletter's email: only a prompt's source is "based on" it
                rf"\b(?:based\s+(?:solely\s+|only\s+)?on|according\s+to)\s+the\s+attached\s+(?:{w['source']})\b|"
                rf"\b(?:based\s+on|according\s+to)\s+the\s+given\s+(?:{w['source']})\b",
                re.IGNORECASE,
            ),
            regexcache.compile(
                rf"\bthe\s+(?:provided|supplied)\s+(?:{w['source']})\s+(?:does\s+not|doesn{a}t|did\s+not|states|says|"
                r"mentions|suggests|indicates|notes|highlights|emphasi[sz]es|explains|describes|lists|contains|"
                r"focuses|only)\b",
                re.IGNORECASE,
            ),
            regexcache.compile(
                r"\bthe\s+(?:text|passage|excerpt|article|reference|document|context|snippet|transcript)s?\s+"
                r"you\s+(?:have\s+)?(?:provided|gave|shared|supplied|pasted)\b",
                re.IGNORECASE,
            ),
            # a template's instruction in parentheses, the whole parenthesis: "(insert statistic here)", "(add source)";
            # not a clinical one ("(insert it at a right angle)", "(add sugar to taste)")
            regexcache.compile(
                r"\(\s*(?:insert|add|include|paste|cite)\s+(?:(?:an?|the|one|some|your|relevant|recent|real|"
                rf"supporting|credible|reliable)\s+)*(?:{w['template_item']})(?![\w-])"
                # the item heads what follows: a place or what it is of / on ("here", "to a study", "about ..."), not
                # a noun it describes ("a photo ID") nor the reader's own things ("to your chart", "of your meals")
                r"(?:\s+(?:here|below|above|later|needed|if\s+available)\b[^()\n]{0,20}|\s*:[^()\n]{0,60}|"
                r"\s+(?:about|on|for|from|of|to|showing|supporting|backing|proving|that|which|in|with)\b"
                r"(?![^()\n]*\byou(?:rs?)?\b)[^()\n]{0,60})?\s*[.!]?\s*\)",
                re.IGNORECASE,
            ),
            regexcache.compile(
                # a slot the reader fills in is a form's field: "Put [your name] on the list", "Enter [your email]"
                r"(?<!\bput\s)(?<!\benter\s)(?<!\btype\s)(?<!\bwrite\s)(?<!\bfill\sin\s)(?<!\badd\s)(?<!\bsign\s)"
                r"(?<!\bprint\s)"
                # "[Your Clinic Name]", "[Your Name, Title]", "[Your Name / Clinic Name]"
                rf"\[\s*(?:(?:{w['placeholder_open']})\b[^\[\]\n]{{1,60}}|(?-i:Your\s+[A-Z][\w'’-]*"
                r"(?:(?:\s+|\s*[,/|&]\s*|\s+(?:and|or)\s+)[A-Z][\w'’.-]*){0,4})|"
                rf"your\s+(?:[\w'’-]+\s+){{0,3}}?(?:{w['placeholder_field']})|(?:{w['placeholder_owner']})\s+"
                rf"(?:{w['placeholder_slot']}))\s*\]",
                re.IGNORECASE,
            ),
        ),
        "offer": (
            regexcache.compile(
                rf"\blet\s+me\s+know\s+if\s+(?:you(?:{a}d|\s+would)?\s+(?:like|want|need|prefer)\s+me\s+to\s+(?:also\s+)?"
                # what it offers is to revise: "to share my meal plan" is a blogger's
                rf"(?:{offer}|make\s+(?:any\s+)?(?:changes|adjustments|revisions|edits|tweaks))|"
                rf"you(?:{a}d|\s+would)\s+like\s+(?:any|to\s+(?:make|see|add|change))|"
                r"you\s+(?:need|want)\s+(?:any\s+)?(?:further\s+|more\s+)?(?:changes|adjustments|revisions|edits|modifications|"
                r"tweaks|a\s+(?:different|shorter|longer)\s+version)|"
                r"(?:any\s+)?(?:changes|adjustments|revisions|edits|modifications|tweaks)\s+are\s+needed|"
                r"(?:this|it)\s+(?:needs|requires)\s+(?:any\s+)?(?:changes|adjustments|revisions|edits|tweaks))",
                re.IGNORECASE,
            ),
            regexcache.compile(rf"\b(?:would|do)\s+you\s+(?:like|want)\s+me\s+to\s+(?:also\s+)?{offer}", re.IGNORECASE),
            regexcache.compile(
                rf"\bif\s+you(?:{a}d|\s+would)?\s+like,?\s+I\s+(?:can|could)\s+(?:also\s+)?{offer}", re.IGNORECASE
            ),
            regexcache.compile(
                r"\bfeel\s+free\s+to\s+(?:ask|request|let\s+me\s+know)(?:\s+me)?\s+(?:for|if|about)\s+"
                r"(?:you\s+(?:want|need|would\s+like|'d\s+like|’d\s+like)\s+)?(?:any\s+)?"
                r"(?:further\s+)?(?:changes|adjustments|revisions|edits|modifications|tweaks|a\s+rewrite|"
                r"a\s+revision|a\s+different\s+version)\b",
                re.IGNORECASE,
            ),
        ),
    }


#: Words (lower case) one of the grammar's patterns needs: a block holding none is not read further (most blocks are
#: not). Literal searches: one regular expression of every cue searched at every position cost as much as the
#: grammar itself.
_TRIGGERS = (
    " here's", " here’s", " here is", " here are", " below is", " below are", " below you",
    " i've", " i’ve", " i have",
    " an ai", " artificial intelligence", " language model", " chatbot",
    " my last", " my knowledge", " my training", " the internet", " the web", " real-time",
    " the provided", " the supplied", " the attached", " the given", " a language model", " large language",
    " you provided", " you have provided", " you gave", " you shared", " you supplied", " you pasted",
    "[", "(insert", "(add ", "(include", "(paste", "(cite",
    " let me know if", " like me to", " want me to", " like, i", " like i c", " feel free to",
)  # fmt: skip


def _triggered(text: str) -> tuple[bool, bool]:
    """Whether the block's text may hold a sentence of the grammar, and a brief's label."""
    lower = " " + text.lower()  # the triggers start at a word: " here is", not "there is"
    return any(t in lower for t in _TRIGGERS), any(
        label in lower for label in (*_groups()["label"], *_groups()["shared_label"])
    )


@functools.cache
def _label() -> re.Pattern[str]:
    """A writing brief's label at the start of a line, with something after it ("Meta description: ..."); the group
    ``shared`` holds a label marketing copy uses too ("Call to action: ...")."""
    w = _words()
    return regexcache.compile(rf"[\s*#>•-]*(?:(?P<shared>{w['shared_label']})|{w['label']})\s*:\s*\S", re.IGNORECASE)


@dataclass(frozen=True)
class Residue:
    """One sentence of residue: its place in its block's text and the kinds found in it."""

    block: Block
    start: int
    end: int
    kinds: tuple[str, ...]


def _quoted(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTED.finditer(text)]


def _reported(block: Block, start: int, match_start: int, quoted: list[tuple[int, int]]) -> bool:
    """Whether the match is quoted or reported speech: inside quotes (``quoted``: sorted, not overlapping), or
    introduced by "says", "such as" ... in its sentence (which starts at ``start``)."""
    before = bisect.bisect_right(quoted, (match_start, len(block.text))) - 1
    if before >= 0 and quoted[before][1] > match_start:
        return True
    return bool(_REPORTED.search(block.text[start:match_start]))


def _matches(block: Block, opening: bool) -> Iterator[tuple[str, int, int, int, int]]:
    """(kind, offset of the cue, start of the cue's sentence, start and end of the residue) of each cue in the block,
    offsets into its text.

    The residue is the cue's sentence (with an acknowledgement the splitter cut off before it); a brief's label is
    its line, of the kind "label" ("leak" to the reader), or "shared" for a label marketing copy uses too.
    """
    text = block.text
    grammar = _grammar()
    sentences, labels = _triggered(text)
    previous: int | None = None  # where the sentence before this one starts
    for start, end in block.sentences if sentences else ():
        # A reply is read with the acknowledgement the splitter made a sentence of ("Sure! Here's an article ..."):
        # the bare opening form needs it.
        acknowledged = _with_acknowledgement(text, previous, start)
        previous = start
        for kind in KINDS:
            cut = acknowledged if kind == "reply" else start
            sentence = text[cut:end]
            for pattern in grammar[kind]:
                for m in pattern.finditer(sentence):
                    if m.groupdict().get("weak") is not None and not opening:
                        continue
                    index = cut + m.start()
                    yield kind, index, start if index >= start else cut, cut, end
    # Labels: at the start of each of the block's source lines (a brief pasted as lines of one paragraph).
    if labels:
        starts = [a for a, _ in block.sentences]
        for start, end in _source_lines(block):
            label = _label().match(text, start, end)
            if label:
                # the sentence the line starts in may start on an earlier line
                within = bisect.bisect_right(starts, start) - 1
                kind = "shared" if label.group("shared") else "label"
                yield kind, start, starts[within] if within >= 0 else 0, start, end


def _source_lines(block: Block) -> list[tuple[int, int]]:
    """(start, end) in the block's text of each of its lines in the file."""
    if block.line == block.end_line:
        return [(0, len(block.text))]
    source = block.article.text
    cuts = [i for i, char in enumerate(block.text) if char == " " and source[block.offset(i)] == "\n"]
    return [(a, b) for a, b in zip([0, *(c + 1 for c in cuts)], [*cuts, len(block.text)], strict=True) if b > a]


def find_residue(article: Article) -> list[Residue]:
    """The article's sentences of chatbot residue, in order.

    A line holding only a shared label ("Call to action: ...") is residue only in an article that holds a brief's own
    label too.
    """
    found: list[tuple[Residue, bool]] = []  # and whether it is only a shared label
    brief = False  # whether the article holds a brief's own label
    words_before = 0
    for block in article.blocks:
        if block.kind == "blockquote" or not block.text:
            words_before += len(block.words())
            continue
        opening = words_before < OPENING_WORDS
        words_before += len(block.words())
        quoted: list[tuple[int, int]] | None = None
        spans: dict[tuple[int, int], list[str]] = {}
        for kind, index, sentence, start, end in _matches(block, opening):
            quoted = _quoted(block.text) if quoted is None else quoted
            if _reported(block, sentence, index, quoted):
                continue
            brief = brief or kind == "label"
            kinds = spans.setdefault((start, end), [])
            if kind not in kinds:
                kinds.append(kind)
        for (start, end), kinds in sorted(spans.items()):
            named = {"leak" if k in ("label", "shared") else k for k in kinds}
            residue = Residue(block, start, end, tuple(k for k in KINDS if k in named))
            found.append((residue, kinds == ["shared"]))
    return [residue for residue, shared in found if brief or not shared]


def _with_acknowledgement(text: str, previous: int | None, start: int) -> int:
    """Where the residue of the sentence at ``start`` starts: at ``previous`` (the start of the sentence before it)
    when that sentence is an acknowledgement the splitter cut off ("Sure!"), else at ``start``."""
    if previous is not None and _acknowledgement().fullmatch(text[previous:start].strip()):
        return previous
    return start


@functools.cache
def _acknowledgement() -> re.Pattern[str]:
    return regexcache.compile(rf"(?:(?:{_words()['interjection']})\b[\s,!.:;–—-]*)+", re.IGNORECASE)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def residue_hits(article: Article) -> Iterator[Hit]:
    """HL704's hits: one per sentence of residue, spanning the sentence."""
    for residue in find_residue(article):
        first = residue.kinds[0]
        what = "; ".join(WHAT[k] for k in residue.kinds)
        sentence = residue.block.text[residue.start : residue.end]
        yield residue.block.hit(
            residue.start,
            residue.end,
            f"chatbot residue ({what}): {_short(sentence)!r}",
            suggestion=SUGGESTION.format(todo=TODO[first]),
        )
