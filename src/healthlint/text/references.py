"""A full bibliographic reference as a block of its own: what the claims family counts as a source and the
grammar family does not send to LanguageTool (a reference's title keeps its source's capitals and its
authors' initials, which a grammar checker reads as errors of prose)."""

from __future__ import annotations

from healthlint.regexcache import lazy

#: A full reference as a paragraph of its own: authors then a year ("Lee, H., & Diaz, M. (2019). Title…",
#: "Lee H, Diaz M. Title. J Sleep Res. 2019;28:…"), numbered or bulleted as plain text keeps it ("- Lee H, …").
#: The first author's initials end in a full stop, a comma, "&", "and" before the next name, or "et al.": prose
#: that opens with a word and a capital letter ("Vitamin D levels fell … (2021).") is no reference.
FULL_REFERENCE_RE = lazy(
    r"^\s*(?:\[?\d{1,3}[\].)]?\s+|[-*•]\s+)?[A-Z][\w'’-]+,?\s+(?:[A-Z]\.?\s*){0,2}[A-Z]"
    r"(?:\.?\s*(?:,|&|and\s+[A-Z]|et\s+al\b)|\.\s)"
    r"[^\n]{0,300}?(?:\((?:19|20)\d{2}[a-z]?\)|\b(?:19|20)\d{2}\s*;\s*\d)"
)
#: Longer blocks are prose that happens to open like a reference.
MAX_REFERENCE_CHARS = 600


def full_reference(text: str) -> bool:
    """Whether a block's text is one full reference (authors, then a year), not prose."""
    return len(text) < MAX_REFERENCE_CHARS and bool(FULL_REFERENCE_RE.match(text))
