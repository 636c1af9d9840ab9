"""Signs of the kinds of junk HL517 weighs, each a test of one sentence's words against the article's.

:mod:`spamfeatures` gathers the signs of one kind (what a stripped link leaves, navigation residue, a new name)
into one feature, so that a sign seen on few labelled pages is weighed by its kind.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from healthlint import regexcache
from healthlint.text.domains import DomainSet, normalize_domain

#: Characters stripped from the ends of a whitespace-separated token to get its word.
PUNCT = "\"'“”‘’()[]{}<>.,;:!?*…«»|/#–—-"
#: A capitalised word inside a sentence with a dose-like number after it ("… such as Brandex 100 …"); not a count
#: ("Founded 119 years ago"), a share, a phone number or a decimal. It opens with the capital and looks behind
#: from there, so the search skips to capitals instead of trying the look-behind at every character.
NAME_NUMBER_RE = regexcache.compile(
    r"([A-Z](?<=[\w,;:)]\s[A-Z])[a-z]+[a-z])\s+\d{2,3}(?:\s*mg)?\b(?![-–./:,]?\d)(?!\s*%)"
    r"(?!\s+(?:years?|percent|per|patients?|people|participants|subjects|days?|weeks?|months?|hours?|minutes?"
    r"|times|countries|cases|women|men|children|adults|to\s+\d)\b)"
)
#: Two words run together by a scraper (a widget's label glued to its text: "QuestionHow …"); a word start
#: written as a look-behind after the capital, for the same reason as :data:`NAME_NUMBER_RE`.
GLUED_RE = regexcache.compile(r"[A-Z](?<!\w[A-Z])[a-z]{3,}[A-Z][a-z]")
#: Words an injected anchor follows ("… a dermatologist at Brandex Clinic …", "… products like Brandex …"); not
#: "called", which introduces another name of the thing itself ("also called Calciferol").
_ANCHOR_LEADS = frozenset(("at", "like", "with", "from", "local", "try", "using"))
#: A line in capitals this long is a promo headline, not a heading ("SIDE EFFECTS", "WHEN TO CALL A DOCTOR").
_MIN_PROMO_WORDS = 5
#: A run of capitalised words this long inside a clause can be a keyword anchor in Title Case.
_MIN_KEYWORD_WORDS = 3
#: Words before a proper name: a determiner ("the Knee Care Programme"), a place's or an affiliation's preposition
#: ("in Salt Lake City", "of Mental Health Research"); a keyword dropped into a sentence has none of them.
_NAME_LEADS = frozenset(
    ("the", "a", "an", "this", "that", "these", "those", "our", "your", "their", "its", "his", "her")
) | frozenset(("in", "of", "for", "at", "from", "by", "to"))
#: A text with more than one in this many words capitalised is a title or a list of names.
_CAPITALISED_SHARE = 3


def fold(text: str) -> str:
    return text.lower().replace("’", "'")


def promo_headline(
    text: str, lowered: list[str], letters: int, unterminated: bool, selling: frozenset[str], dated: frozenset[str]
) -> bool:
    """A headline in capitals that promises or sells ("LOSE 10 POUNDS IN 3 WEEKS"): an article's heading in
    capitals is short ("SIDE EFFECTS") or carries neither a figure (but a list's number first: "5 FOODS THAT …")
    nor a ``selling`` word, and a release's embargo line in capitals gives a date (a ``dated`` word: a month, a
    weekday)."""
    return (
        unterminated
        and len(lowered) >= _MIN_PROMO_WORDS
        and text.isupper()
        and letters >= 2 * len(lowered)
        and (any(c.isdigit() for c in text.partition(" ")[2]) or not selling.isdisjoint(lowered))
        and dated.isdisjoint(lowered)
    )


def title_case_keyword(text: str, capitalised: int, count: Callable[[str], int], institution: frozenset[str]) -> bool:
    """A keyword anchor in Title Case dropped into a clause ("… and Knee Ease Blueprint Review relieve …").

    Three or more capitalised words with a lower-case word on each side and no punctuation between them and it,
    no determiner or a place's preposition before them (a proper name takes "the", follows "in" or starts a
    clause), in a sentence (not a Title Case line: over a third of its words capitalised), none an institution's word,
    and two of them words the article (``count``: folded word -> uses) uses nowhere else: a name the article is
    about recurs. ``capitalised``: how many words of ``text`` start with a capital (most sentences have too few).
    """
    if capitalised < _MIN_KEYWORD_WORDS:
        return False
    raw = text.split()
    if _CAPITALISED_SHARE * capitalised > len(raw):
        return False  # a title, a reference or a list of names, not a sentence
    run: list[str] = []
    for i, token in enumerate(raw[1:], 1):
        word = token.strip(PUNCT)
        inside = raw[i - 1] == raw[i - 1].strip(PUNCT)
        if word[:1].isupper() and not word.isupper() and (not run or inside):
            run.append(word)
            continue
        if len(run) >= _MIN_KEYWORD_WORDS and word[:1].islower() and inside:
            before = raw[i - len(run) - 1]
            folded = [fold(w) for w in run]
            if (
                before[:1].islower()
                and before == before.strip(PUNCT)
                and before not in _NAME_LEADS
                and institution.isdisjoint(folded)
                and sum(count(w) <= 1 for w in folded) >= 2
            ):
                return True
        run = []
    return False


def new_name_after(tokens: list[str], lowered: list[str], unseen: set[str]) -> bool:
    """A new capitalised name right after "at", "like", "with", "from" or "local", inside the sentence (anchor text)."""
    return any(
        before in _ANCHOR_LEADS and token[0].isupper() and word in unseen
        for before, token, word in zip(lowered[1:], tokens[2:], lowered[2:], strict=False)
    )


def unseen_name_with_number(text: str, unseen: set[str], numbered: frozenset[str]) -> bool:
    """A name the rest of the article never uses, with a number after it ("Brandex 100"), not a date or a section
    (``numbered`` words)."""
    for match in NAME_NUMBER_RE.finditer(text):
        name = match.group(1).lower()
        if name in unseen and name not in numbered:
            return True
    return False


def unseen_name_run(tokens: list[str], lowered: list[str], unseen: set[str], stop: frozenset[str]) -> bool:
    """Two or more capitalised words in a row, inside the unit, that the rest of the article never uses."""
    run = 0
    for i, (token, lower) in enumerate(zip(tokens, lowered, strict=True)):
        if i > 0 and token[0].isupper() and lower in unseen and lower not in stop:
            run += 1
            if run >= 2:
                return True
        elif not token.isdigit():
            run = 0
    return False


#: Determiners: a noun phrase starting right after a keyword collides with it ("… juice supplement a diverse range").
_DETERMINERS = frozenset(("a", "an", "the"))


def wedged_keyword(text: str, count: Callable[[str], int], stop: frozenset[str], product: frozenset[str]) -> bool:
    """A lowercase keyword anchor dropped into a clause where its grammar has no slot for it ("… and regular brandex
    juice physical activity"): a word the article uses nowhere else before a product noun, with no determiner or
    preposition before them to open a noun phrase, and a determiner or a content word straight after, so that two
    noun phrases collide. Punctuation anywhere in the run is a boundary."""
    raw = text.split()
    if product.isdisjoint(raw):
        return False
    for i in range(2, len(raw) - 1):
        if raw[i] not in product:
            continue
        before, keyword, after = raw[i - 2], raw[i - 1], raw[i + 1].rstrip(PUNCT)
        if not (keyword.isalpha() and keyword.islower() and before.isalpha() and before.islower()):
            continue
        if before in _NAME_LEADS or keyword in stop or len(keyword) <= 3 or count(keyword) > 1:
            continue
        if after.isalpha() and after.islower() and (after in _DETERMINERS or after not in stop):
            return True
    return False


#: Labels of a trusted domain that name no source: public suffixes and generic second levels ("nice.org.uk").
_SUFFIX_LABELS = frozenset(("gov", "edu", "int", "mil", "com", "org", "net", "co", "ac"))
#: An acronym this long or shorter, in capitals, is a source's initials ("NHS", "BMJ"); longer, a word shouted.
_MAX_ACRONYM = 5


def source_names(domains: Iterable[str]) -> frozenset[str]:
    """The names trusted ``domains`` give their sources: each label but the suffix ("medlineplus.gov" ->
    "medlineplus", "academic.oup.com" -> "academic", "oup"), as a name is compared: folded, spaces removed."""
    names: set[str] = set()
    for domain in domains:
        labels = normalize_domain(domain).split(".")[:-1]
        names.update(label for label in labels if len(label) > 2 and label not in _SUFFIX_LABELS)
    return frozenset(names)


def trusted_name_words(
    tokens: list[str], lowered: list[str], names: frozenset[str], stop: frozenset[str] = frozenset()
) -> set[str]:
    """The folded words of each run of capitalised words that holds a trusted source's name ("the MedlinePlus
    Medical Dictionary", "Mayo Clinic Diet"): a reference pointed at by name, not a new name or an anchor.

    The name is one word written as a name, not as an ordinary word ("MedlinePlus", "NHS"; a Title Case "Heart" or
    "Science" is the word, a capitalised "heart.org" no source), or two or three words run together ("Mayo Clinic").
    The sentence's first word belongs to a run only when it is the name ("Ask Mayo Clinic …" names no "ask").
    ``lowered``: the folded ``tokens``; only a sentence with a capitalised word a name can start with is searched (its
    first word only when not a ``stop`` word: "The" would send every sentence, so "The Lancet" first in one is missed).
    """
    starts = source_starts(names)
    if not any(
        w in starts and t[:1].isupper() and (i or w not in stop)
        for i, (t, w) in enumerate(zip(tokens, lowered, strict=True))
    ):
        return set()
    found: set[str] = set()
    run: list[str] = []
    first = 0  # where the current run starts in ``tokens``
    for i, token in enumerate([*tokens, ""]):
        word = token.strip(PUNCT)
        if word[:1].isupper():
            if not run:
                first = i
            run.append(word)
            if token == word:
                continue
        at = _source_at(run, names) if run else -1
        if at >= 0:
            found.update(fold(w) for w in run[1 if first == 0 and at > 0 else 0 :])
        run = []
    return found


def _source_at(run: list[str], names: frozenset[str]) -> int:
    """Where in ``run`` a trusted source's name starts, or -1."""
    for i, word in enumerate(run):
        if fold(word) in names and (
            (word.isupper() and len(word) <= _MAX_ACRONYM) or (not word.isupper() and not word[1:].islower())
        ):
            return i
        for k in (2, 3):
            if i + k <= len(run) and fold("".join(run[i : i + k])) in names:
                return i
    return -1


@functools.cache
def trusted_sources(trusted: DomainSet) -> frozenset[str]:
    """The names of the sources of a trusted list (:meth:`Config.trusted`: one object per configuration, so this
    is worked out once a run)."""
    return source_names(trusted.entries)


@functools.cache
def source_starts(names: frozenset[str]) -> frozenset[str]:
    """Every word a trusted source's name can start with (its prefixes of three letters or more): a sentence with
    none of them names no source, and :func:`trusted_name_words` is not asked."""
    return frozenset(name[:k] for name in names for k in range(3, len(name) + 1))


def glued(text: str, sourced: set[str]) -> bool:
    """Two words run together by a scraper, not a trusted source's name written as one ("MedlinePlus")."""
    for match in GLUED_RE.finditer(text):
        if not sourced:
            return True
        start = text.rfind(" ", 0, match.start()) + 1
        end = text.find(" ", match.end())
        if fold(text[start : len(text) if end < 0 else end].strip(PUNCT)) not in sourced:
            return True
    return False


#: A teaser's headline has at least this many words after its label ("READ MORE: <headline>"); a label with a source
#: ("Read more from <a news service>!") or a topic ("Related Issues") is shorter.
_MIN_HEADLINE_WORDS = 4
#: A line of a pasted list of other pages' headlines: one line of this many words, not ending like a sentence.
_HEADLINE_WORDS = range(3, 16)
#: A lead-in announces a list of other pages when it names them ("More links from this blog on sleep:").
_PAGE_WORDS = frozenset(("links", "articles", "posts", "stories"))
#: How many headline lines after such a lead-in make it a pasted list of other pages.
_MIN_LISTED_HEADLINES = 3
#: Where a sentence ends: a headline ends otherwise (or with "?" or "!").
_SENTENCE_END = (".", ";", ",")
_CLOSERS = "\"'”’)]"
#: What a one-word label may name before its colon ("FEATURED BOOK: <title>"); other words make a heading of it
#: ("Related conditions: …").
_POINTED_TO = frozenset(
    ("post", "posts", "article", "articles", "story", "stories", "read", "reading", "book", "books", "guide", "video")
)
#: Words after a longer label that make it a pointer, not a teaser of a headline ("Read more about …").
_POINTERS = frozenset(("about", "from", "on", "at", "in"))
#: Words after a label that make it a caption or a credit, page chrome ("Featured image: …"), not a teaser.
_MEDIA_WORDS = frozenset(
    ("image", "images", "photo", "photos", "picture", "video", "illustration", "graphic", "credit")
)


def headline_teaser(text: str, labels: tuple[tuple[str, ...], ...]) -> bool:
    """A line that labels another page's headline as a teaser: "READ MORE: <headline>", "See also <Headline>",
    "Related: <headline>", "FEATURED BOOK: <title>".

    ``labels``: the teaser labels (folded words). After the label comes a headline of :data:`_MIN_HEADLINE_WORDS`
    words or more that starts with a capital or a figure, and the line does not end like a sentence ("Learn more
    about the programme." is the article's own pointer); a label of a caption ("Featured image: …") is page chrome.
    A one-word label ("Related", "Featured") needs its colon, or a colon after a word naming what it points to
    ("FEATURED BOOK:", not "Related conditions:"); a longer one is a pointer, not a teaser, when "about", "from",
    "on", "at" or "in" follows it ("Read more about …").
    """
    if _ends_like_sentence(text):
        return False
    raw = text.split()
    lowered = [fold(token).strip(PUNCT) for token in raw]
    for label in labels:
        n = len(label)
        if tuple(lowered[:n]) != label or len(raw) < n + _MIN_HEADLINE_WORDS:
            continue
        if lowered[n] in _MEDIA_WORDS:
            return False
        if n == 1:
            # "Related:", or a label naming what it points to: "FEATURED BOOK:" (not "Related conditions:")
            named = raw[1].endswith(":") and lowered[1] in _POINTED_TO
            start = n + (0 if raw[0].endswith(":") else 1)
            labelled = raw[0].endswith(":") or named
        else:
            start = n
            labelled = lowered[n] not in _POINTERS  # "Read more about …", "Read more from …": a pointer, no headline
        headline = raw[start].lstrip(PUNCT)[:1] if start < len(raw) else ""
        # A headline starts with a capital or a figure ("See also: the section on dosing" points within the page).
        if not labelled or not (headline.isupper() or headline.isdigit()):
            return False
        return sum(any(c.isalpha() for c in token) for token in raw[n:]) >= _MIN_HEADLINE_WORDS
    return False


def headline_line(text: str) -> bool:
    """One line that reads as a headline: a few words, not ending like a sentence."""
    text = text.strip()
    return "\n" not in text and len(text.split()) in _HEADLINE_WORDS and not _ends_like_sentence(text)


def _ends_like_sentence(text: str) -> bool:
    return text.rstrip(_CLOSERS).endswith(_SENTENCE_END)


def list_of_pages(text: str, lowered: list[str], following: Iterable[str]) -> bool:
    """A lead-in that names other pages and ends with a colon, followed by a list of their headlines ("More links
    from this blog on sleep:" and three titles or more, each on a line of its own): a pasted related-post
    list. ``following``: the texts of the blocks after the lead-in's, in order."""
    if not text.endswith(":") or _PAGE_WORDS.isdisjoint(lowered):
        return False
    for listed, block in enumerate(following, 1):
        if not headline_line(block):
            return False
        if listed >= _MIN_LISTED_HEADLINES:
            return True
    return False
