"""Slugs: the page name of each article, which can never leave the output folder.

A slug comes from front matter ``slug`` or, when there is none, from the file name.
A front matter slug is used exactly as written or refused; it is never silently
rewritten. From a file name, the only changes are lower case and spaces or dots
becoming hyphens (``Back Pain.md`` → ``back-pain``); a file name that still does not
make a valid slug is refused too. Refused slugs withhold the article (code HL020).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from healthlint.article import Article

#: Lowercase letters, digits, ``-`` and ``_``; starts and ends with a letter or digit.
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?$")
MAX_LENGTH = 100
#: Names of files the site itself needs.
RESERVED = frozenset({"index"})
#: Names Windows keeps for devices, whatever the extension: ``con.html`` cannot be written there.
WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"} | {f"{port}{n}" for port in ("com", "lpt") for n in range(10)}
)
SLUG_HINT = "use lowercase letters, digits, '-' and '_' (like back-pain-massage), at most 100 characters"


@dataclass(frozen=True)
class SlugProblem:
    """Why an article has no usable slug."""

    message: str
    suggestion: str
    #: True when the bad value is front matter ``slug`` (the finding points at that line).
    in_front_matter: bool


def slug_problem_for(value: str) -> str | None:
    """What is wrong with a slug, or None when it is fine."""
    if not value:
        return "is empty"
    if "/" in value or "\\" in value:
        return "is a path; a slug is one name, and must not contain '/' or '\\'"
    if value.startswith(".") or ".." in value:
        return "contains '.' or '..'; a slug must not point outside the site folder"
    if PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute() or ":" in value:
        return "is an absolute path or has a drive letter"
    if len(value) > MAX_LENGTH:
        return f"is {len(value)} characters long (at most {MAX_LENGTH})"
    if value in RESERVED:
        return f"is reserved for the site's own {value}.html"
    if value.lower() in WINDOWS_DEVICES:
        return "is the name of a Windows device; a page of that name cannot be written there"
    if value != value.lower() and SLUG_RE.match(value.lower()):
        return "has capital letters"
    if not SLUG_RE.match(value):
        return "has characters other than lowercase letters, digits, '-' and '_', or starts or ends with '-' or '_'"
    return None


def slug_from_file_name(path: str) -> str:
    """``articles/Back Pain.md`` → ``back-pain`` (lower case; spaces and dots become hyphens)."""
    stem = PurePath(path.replace("\\", "/")).stem
    return re.sub(r"[\s.]+", "-", stem.strip().lower())


def article_slug(article: Article) -> tuple[str | None, SlugProblem | None]:
    """The article's slug, or the problem that keeps it from having one."""
    raw = article.meta.get("slug")
    if raw is not None:
        if not isinstance(raw, str):
            return None, SlugProblem(
                f"front matter slug must be text, not {type(raw).__name__}",
                f'quote it, like slug: "{raw}"; {SLUG_HINT}',
                True,
            )
        why = slug_problem_for(raw)
        if why:
            return None, SlugProblem(f"slug {raw!r} {why}", SLUG_HINT, True)
        return raw, None
    derived = slug_from_file_name(article.path)
    why = slug_problem_for(derived)
    if why:
        name = PurePath(article.path.replace("\\", "/")).name
        return None, SlugProblem(
            f"file name {name!r} gives no usable slug ({derived!r} {why})",
            f"set 'slug:' in front matter or rename the file; {SLUG_HINT}",
            False,
        )
    return derived, None


def slug_line(article: Article) -> int:
    """The file line of the ``slug:`` key in front matter (1 when there is none)."""
    if article.meta_lines is None:
        return 1
    first, last = article.meta_lines
    for number in range(first + 1, last):
        if re.match(r"\s*['\"]?slug['\"]?\s*:", article.lines[number - 1]):
            return number
    return first
