"""Citations: the article's reference list, and what in or next to a claim lets a reader find its source."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from healthlint.article import Article, Block, Link, Span
from healthlint.regexcache import lazy
from healthlint.resources import data_lines
from healthlint.text.domains import DomainSet
from healthlint.text.references import FULL_REFERENCE_RE, full_reference

from .model import Citation, Claim, References
from .vocabulary import Vocabulary, clean_name

#: The headings of a list of the page's sources proper.
_SOURCES_HEADINGS = (
    r"references?|reference\s+list|sources?|sources\s+and\s+references|references\s+and\s+sources|"
    r"bibliography|citations?|works\s+cited|literature\s+cited|studies\s+cited|scientific\s+references"
)
_SOURCES_HEADING_RE = lazy(rf"^\s*(?:{_SOURCES_HEADINGS})\s*:?\s*$", re.IGNORECASE)
#: Every heading of a section whose blocks are no claims: the sources' and those of notes and reading lists.
_REF_HEADING_RE = lazy(
    rf"^\s*(?:{_SOURCES_HEADINGS}|literature|footnotes|notes|end\s*notes|further\s+reading|research)\s*:?\s*$",
    re.IGNORECASE,
)
#: What a sources section's entry holds when it is one: an address, a DOI or PubMed id, a pointer to a
#: bibliography or reference list, a publication's marks ("et al.", "(2019)", "2019;5", "journal", "vol."). A section
#: headed "Sources" that holds only prose ("food sources of vitamin D") lists no sources.
_SOURCE_LIKE_RE = lazy(
    r"https?://|\bwww\.|\bdoi\b|\b10\.\d{4,9}/|\bpmid\b|bibliograph|\breferences?\b|\bretrieved\b|\baccessed\b|"
    r"\badapted\s+from\b|\bet\s+al\b|\((?:19|20)\d{2}[a-z]?\)|\b(?:19|20)\d{2}\s*[;:]\s*\d|\bjournal\b|\bvol\.",
    re.IGNORECASE,
)
_FOOTNOTE_DEF_RE = lazy(r"^\[\^([^\]\s]+)\]:", re.MULTILINE)
_FOOTNOTE_REF_RE = lazy(r"\[\^([^\]\[\s]+)\](?!:)")
_NUMBERED_REF_RE = lazy(r"\[(\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)\]")
_SUPERSCRIPT_RE = lazy(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+")
_SUPERSCRIPT_DIGITS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")
#: A digit of any script, as ``\d`` matches it: every pattern of a numbered or dated citation needs one.
_DIGIT_RE = lazy(r"\d")
_DOI_RE = lazy(r"\b(?:doi:\s*|doi\.org/)?10\.\d{4,9}/[^\s\"<>]+", re.IGNORECASE)
_PMID_RE = lazy(r"\bPMID:?\s*\d{5,9}\b|\bPMC\s?\d{5,9}\b|\bPMCID:?\s*PMC\d{5,9}\b", re.IGNORECASE)
_AUTHOR_YEAR_RE = lazy(
    r"\(?\b([A-Z][a-z'’\-]+)(?:\s+et\s+al\.?|\s+and\s+colleagues|\s+(?:and|&)\s+[A-Z][a-z'’\-]+)?,?\s+\(?((?:19|20)\d{2})[a-z]?\)?"
)
_PANDOC_CITE_RE = lazy(r"\[(?:[^\]\[]*?;\s*)?@([\w:.#$%&\-+?<>~/]+)")
#: An author-date citation a writer means as one: in brackets "(Lee et al., 2021)", "(Lee & Diaz 2019; …)",
#: or narrative with its year in brackets "Lee and colleagues (2021)". Looser forms only count when
#: they match an entry of the article's reference list (``_AUTHOR_YEAR_RE``).
_CITED_AUTHOR_YEAR_RE = lazy(
    r"\((?:[^()]{0,80}?;\s*)?(?:see\s+)?([A-Z][A-Za-z'’\-]+)(?:\s+et\s+al\.?|\s+(?:and|&)\s+[A-Z][A-Za-z'’\-]+)?"
    r",?\s+((?:19|20)\d{2})[a-z]?\s*(?=[;,)]|:\s*\d)"
    r"|\b([A-Z][A-Za-z'’\-]+)(?:\s+et\s+al\.?|\s+(?:and|&)\s+[A-Z][A-Za-z'’\-]+|\s+and\s+colleagues)?"
    r"\s+\(((?:19|20)\d{2})[a-z]?\)"
)
#: Words before a year that make a date, not an author ("(January 2021)", "Since (2019)").
_NOT_AUTHORS = frozenset(data_lines("date_words.txt", __package__))
#: A reference printed inline: journal, then year;volume:pages ("(Eur Heart J 2019;40:3-9)", "JAMA. 2020;323(5):…").
_INLINE_REFERENCE_RE = lazy(r"\b(?:19|20)\d{2}\s*;\s*\d{1,4}\s*(?:\([^()\s]{1,8}\))?\s*:")
#: A reference number that lost its superscript at the end of a sentence: "three months1." or "three months.1".
_FLATTENED_MARKER_RE = lazy(
    r"(?<=[a-z]{3})(\d{1,2}(?:[,–-]\d{1,2})*)[.;:]?[\"”’)]*\s*$"
    r"|(?<=[a-z]{3}[.,])(\d{1,2}(?:[,–-]\d{1,2})*)(?=\s+[A-Z“\"]|\s*$)"
)
_ENTRY_NUMBER_RE = lazy(r"^\s*\[?(\d{1,3})[\].):]?\s")
_HTML_A_RE = lazy(r"<a\s[^>]*?href\s*=\s*[\"']?([^\"'\s>]+)", re.IGNORECASE)
_HTML_SUP_RE = lazy(r"<sup\b", re.IGNORECASE)
_SOURCES_KEYS = ("sources", "references", "citations", "bibliography", "studies")


def find_references(article: Article, vocab: Vocabulary) -> References:
    """The article's reference list, footnote definitions and front matter sources."""
    refs = References()
    refs.footnotes = set(_FOOTNOTE_DEF_RE.findall(article.text))
    section_level: int | None = None
    index_in_section = 0
    # the entries of each section headed as a list of sources
    source_sections: list[list[Block]] = []
    source_entries: list[Block] | None = None
    for index, block in enumerate(article.blocks):
        text = block.text
        heading_like = block.kind == "heading" or (
            block.kind in ("paragraph", "html") and len(text) < 40 and text.rstrip(":").strip() == text.strip(" :")
        )
        if heading_like and (_REF_HEADING_RE.match(text) or vocab.reference_heading.match(text)):
            refs.has_section = True
            source_entries = [] if _SOURCES_HEADING_RE.match(text) or vocab.reference_heading.match(text) else None
            if source_entries is not None:
                source_sections.append(source_entries)
            section_level = block.level if block.kind == "heading" else 7
            index_in_section = 0
            refs.skip_blocks.add(index)
            continue
        if section_level is not None:
            if block.kind == "heading" and (block.level <= section_level or section_level == 7):
                section_level = None
                source_entries = None
            else:
                refs.skip_blocks.add(index)
                refs.full_entries += bool(FULL_REFERENCE_RE.match(text))
                index_in_section += 1
                number = _entry_number(article, block)
                refs.numbers.add(number if number is not None else index_in_section)
                refs.entries.append(text.lower())
                if source_entries is not None:
                    source_entries.append(block)
                continue
        if _FOOTNOTE_DEF_RE.match(text):
            refs.skip_blocks.add(index)
            refs.entries.append(text.lower())
        elif block.kind != "heading" and full_reference(text):
            refs.skip_blocks.add(index)  # a reference list without a heading (or whose heading was lost)
            refs.entries.append(text.lower())
            refs.full_entries += 1
    refs.lists_sources = bool(source_sections) and _lists_sources(article, source_sections)
    for key in _SOURCES_KEYS:
        value = article.meta.get(key)
        for entry in value if isinstance(value, list) else [value] if value else []:
            refs.entries.append(_flatten(entry).lower())
            if isinstance(entry, dict):
                for k in ("id", "key", "citekey", "label"):
                    if entry.get(k):
                        refs.keys.add(str(entry[k]))
    return refs


def _lists_sources(article: Article, sections: list[list[Block]]) -> bool:
    """Whether a section headed as a list of sources is one: empty (its list cut off when the page was copied) or
    holding an entry that looks like a source (:data:`_SOURCE_LIKE_RE`, or a link)."""
    link_lines = {link.span.line for link in article.links if link.kind != "image"}
    return any(
        not entries
        or any(_SOURCE_LIKE_RE.search(b.text) or any(b.line <= n <= b.end_line for n in link_lines) for b in entries)
        for entries in sections
    )


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


def html_anchors(article: Article) -> list[tuple[int, str]]:
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


def cite(
    claim: Claim,
    article: Article,
    refs: References,
    links: Sequence[Link],
    anchors: Sequence[tuple[int, str]],
    trusted: DomainSet,
    vocab: Vocabulary,
) -> None:
    """Add to ``claim`` what cites it (links, DOIs, markers, sources), and the markers that point nowhere."""
    block, sentence = claim.block, claim.sentence
    span = block.span(claim.start, claim.end)
    for link in links:
        if _overlaps(span, link.span):
            claim.citations.append(Citation("link", link.text, link.url, _scholarly(link.url, trusted), link.span))
    if anchors:
        first = article.offset_of(span.line, span.column)
        last = article.offset_of(span.end_line, span.end_column)
        for offset, target in anchors:
            if first <= offset < last:
                if target == "<sup>":
                    if refs.has_section or refs.footnotes:
                        claim.citations.append(Citation("reference", "<sup>"))
                else:
                    claim.citations.append(Citation("html-link", target, target, _scholarly(target, trusted)))
    # Most claim sentences hold no digit, bracket or "@": the patterns that need one are not run on them.
    digits = _DIGIT_RE.search(sentence) is not None
    if digits:
        for m in _DOI_RE.finditer(sentence):
            claim.citations.append(Citation("doi", m.group(0)))
        for m in _PMID_RE.finditer(sentence):
            claim.citations.append(Citation("pmid", m.group(0)))
    if "[^" in sentence:
        _markers(claim, _FOOTNOTE_REF_RE.finditer(sentence), "footnote", lambda m: m.group(1) in refs.footnotes)
    if digits and "[" in sentence:
        _markers(
            claim,
            _NUMBERED_REF_RE.finditer(sentence),
            "reference",
            lambda m: _listed(m.group(1), refs),
        )
    if not sentence.isascii():
        for m in _SUPERSCRIPT_RE.finditer(sentence):
            if _listed(m.group(0).translate(_SUPERSCRIPT_DIGITS), refs):
                claim.citations.append(Citation("reference", m.group(0)))
    if digits:
        _markers(
            claim,
            _FLATTENED_MARKER_RE.finditer(sentence),
            "reference",
            lambda m: _listed(m.group(1) or m.group(2), refs),
            lambda m: m.group(1) or m.group(2),
        )
        for m in _INLINE_REFERENCE_RE.finditer(sentence):
            claim.citations.append(Citation("reference", m.group(0)))
        _markers(
            claim,
            (m for m in _CITED_AUTHOR_YEAR_RE.finditer(sentence) if (m.group(1) or m.group(3)) not in _NOT_AUTHORS),
            "author-year",
            lambda m: _in_entries((m.group(1) or m.group(3)).lower(), m.group(2) or m.group(4), refs),
            lambda m: m.group(0) + ")" if m.group(0).startswith("(") else m.group(0),
        )
    if "@" in sentence:
        _markers(claim, _PANDOC_CITE_RE.finditer(sentence), "sources", lambda m: m.group(1) in refs.keys)
    if claim.kind in ("study", "vague") and (refs.full_entries or refs.lists_sources) and not claim.citations:
        # "a study found…" on a page that lists its studies in full, or has a sources section: the list is the citation
        claim.citations.append(Citation("reference", "reference list"))
    if refs.entries:
        for m in _AUTHOR_YEAR_RE.finditer(sentence) if digits else ():
            if _in_entries(m.group(1).lower(), m.group(2), refs):
                claim.citations.append(Citation("author-year", m.group(0)))
        if claim.kind in ("journal", "institution"):
            name = claim.source.lower()
            if any(name in entry for entry in refs.entries):
                claim.citations.append(Citation("sources", claim.source))
        else:
            if refs.journal_names is None:
                refs.journal_names = [
                    name
                    for entry in refs.entries
                    for found in vocab.journal_generic.finditer(entry.title())
                    if len(name := clean_name(found.group(0)).lower()) > 12
                ]
            low = sentence.lower()
            claim.citations.extend(Citation("sources", name) for name in refs.journal_names if name in low)


def _markers(
    claim: Claim,
    matches: Iterator[re.Match[str]],
    kind: str,
    resolves: Callable[[re.Match[str]], bool],
    label: Callable[[re.Match[str]], str] = lambda m: m.group(0),
) -> None:
    """Citation markers: each one cites the claim; those that resolve to nothing are also kept as unresolved.

    A marker with no reference behind it is still the writer's citation: pages copied from the
    web lose their reference lists, and a claim is not uncited because its list was cut off.
    HL307 reports the markers that point nowhere, as a suggestion.
    """
    for m in matches:
        text = label(m)
        claim.citations.append(Citation(kind, text))
        if not resolves(m):
            claim.unresolved.append(text)


def _listed(spec: str, refs: References) -> bool:
    """Whether reference numbers ("3", "2-4", "1, 5") name an entry of the article's reference list."""
    return refs.has_section and bool(_numbers(spec) & refs.numbers)


def _in_entries(surname: str, year: str, refs: References) -> bool:
    return any(surname in entry and year in entry for entry in refs.entries)


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


def host_of(url: str) -> str:
    from urllib.parse import urlsplit

    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def _scholarly(url: str, trusted: DomainSet) -> bool:
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
    return host_of(url) in trusted
