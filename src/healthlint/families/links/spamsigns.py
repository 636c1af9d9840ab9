"""Signs of the kinds of junk HL517 weighs, each a test of one sentence's words against the article's.

:mod:`spamfeatures` gathers the signs of one kind (what a stripped link leaves, navigation residue, a new name)
into one feature, so that a sign seen on few labelled pages is weighed by its kind.
"""

from __future__ import annotations

from collections.abc import Callable

from healthlint import regexcache

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
