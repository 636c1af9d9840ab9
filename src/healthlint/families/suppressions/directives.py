"""Reading suppression comments, and deciding which findings they switch off."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from healthlint import Article, Finding, regexcache
from healthlint.article import Comment
from healthlint.rules import matches_prefix, redirected

_DIRECTIVE_RE = regexcache.compile(r"^\s*healthlint\s*:\s*(?P<body>.*?)\s*$", re.DOTALL | re.IGNORECASE)
_ACTION_RE = regexcache.compile(
    r"^(?P<action>disable-next-line|disable|enable)(?:\s*=\s*(?P<codes>.*))?$", re.DOTALL | re.IGNORECASE
)
#: A comment that means to be a directive and is not one: a misspelt name, or no colon ("healthlint disable=HL3").
_NEAR_MISS_RE = regexcache.compile(r"^\s*(?P<word>[a-z][\w-]*)\s*(?P<colon>:?)\s*(?:disable|enable)\b", re.IGNORECASE)
NAME = "healthlint"
_ACTION_WORD_RE = regexcache.compile(r"disable-next-line|disable|enable", re.IGNORECASE)
_CODE_RE = regexcache.compile(r"^[A-Z]{1,4}[0-9]{0,3}$")
ALL = ("",)  # the empty prefix matches every code


@dataclass(frozen=True)
class Directive:
    line: int
    end_line: int
    column: int
    action: str
    codes: tuple[str, ...]
    #: Notices for renamed codes the comment names (its codes are already the new ones).
    renamed: tuple[str, ...] = ()


def parse_directives(article: Article) -> tuple[list[Directive], list[tuple[Comment, str]]]:
    """The article's suppression comments, and the malformed ones with what is wrong."""
    directives: list[Directive] = []
    bad: list[tuple[Comment, str]] = []
    for comment in article.comments:
        m = _DIRECTIVE_RE.match(comment.text)
        if not m:
            problem = _near_miss(comment.text)
            if problem is not None:
                bad.append((comment, problem))
            continue
        # A reason follows ' -- ' (codes and actions never hold two hyphens in a row): it is for the reader.
        body = m.group("body").partition("--")[0].rstrip()
        action = _ACTION_RE.match(body)
        if not action:
            bad.append(
                (
                    comment,
                    f"cannot read suppression comment {body!r}; "
                    "use disable=CODES, enable=CODES or disable-next-line=CODES",
                )
            )
            continue
        raw = action.group("codes")
        codes = tuple(c.strip().upper() for c in (raw or "").replace(",", " ").split())
        wrong = [c for c in codes if not _CODE_RE.match(c)]
        if wrong and len(codes) > 1:  # words, as a reason written without ' -- ' ("disable=HL301 we checked it")
            what = f"{', '.join(wrong)} {'is not a rule code or prefix' if len(wrong) == 1 else 'are not rule codes'}"
            bad.append(
                (
                    comment,
                    f"{(raw or '').strip()!r} is not a list of rule codes ({what}); a reason goes after ' -- ',"
                    " as in disable=HL301 -- why",
                )
            )
            continue
        if wrong:
            bad.append((comment, f"{', '.join(wrong)} is not a rule code or prefix"))
            continue
        end_line = comment.line + comment.text.count("\n")
        current, renamed = redirected(codes)
        directives.append(
            Directive(
                comment.line,
                end_line,
                comment.column,
                action.group("action").lower(),
                tuple(current) or ALL,
                tuple(renamed),
            )
        )
    return directives, bad


def _near_miss(text: str) -> str | None:
    """What is wrong with a comment that reads as a directive with a misspelt name or no colon, else None.

    Such a comment switched nothing off without a word, which is what HL004 is for.
    """
    m = _NEAR_MISS_RE.match(text)
    if m is None:
        return None
    word = m.group("word")
    if word.lower() == NAME:
        return f"no colon after {word!r} (write {NAME}: disable=CODES): the comment switches nothing off"
    if word.lower() == NAME + "-":  # eslint's and markdownlint's way: healthlint-disable-next-line HL301
        action = _ACTION_WORD_RE.match(text, m.start("word") + len(word))
        written = word + (action.group(0) if action else "disable")
        what = action.group(0).lower() if action else "disable"
        return f"{written!r} is not a directive (write {NAME}: {what}=CODES): the comment switches nothing off"
    # A name one letter out is a typo when the rest reads as a directive (an action, then codes or nothing); a
    # comment that goes on in words is another tool's or a CMS's ('healthline: disable ads on this page').
    if difflib.SequenceMatcher(None, word.lower(), NAME).ratio() >= 0.8 and _reads_as_directive(text[m.end("colon") :]):
        return f"{word!r} is not {NAME!r}: the comment switches nothing off"
    return None


def _reads_as_directive(rest: str) -> bool:
    """Whether text after a name is an action with rule codes (or none), as after ``healthlint:``."""
    action = _ACTION_RE.match(rest.partition("--")[0].strip())
    if action is None:
        return False
    codes = (action.group("codes") or "").replace(",", " ").split()
    return all(_CODE_RE.match(code.upper()) for code in codes)


def suppressed(finding: Finding, directives: list[Directive], front_matter: tuple[int, int] | None = None) -> bool:
    """Whether the directives at or before a finding's line switch its code off.

    :param front_matter: the last line of the front matter, and the line of the article's first text: a finding
        in the front matter (HL311, HL313), where no comment can be, is switched off by the directives above
        the first text, as if it sat just above that text (and by a ``disable-next-line`` on the line before it).
    """
    line = next_line = finding.line
    if front_matter is not None and line <= front_matter[0]:
        line = max(line, front_matter[1] - 1)
        next_line = max(next_line, front_matter[1])  # disable-next-line just above the first text reaches it too
    off = False
    for d in directives:
        if d.line > line:
            break
        if d.action != "disable-next-line" and matches_prefix(finding.code, d.codes):
            off = d.action == "disable"
    if off:
        return True
    return any(
        d.action == "disable-next-line" and d.end_line + 1 == next_line and matches_prefix(finding.code, d.codes)
        for d in directives
    )
