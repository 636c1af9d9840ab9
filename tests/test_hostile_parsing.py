"""Hostile Markdown and HTML cost linear time: the parser's allowance, and the hot spots the shapes found."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from healthlint.article import parse_article
from healthlint.article.bounds import (
    INLINE_UNITS,
    INLINE_UNITS_PER_CHARACTER,
    MARKDOWN_LINES,
    MARKDOWN_LINES_PER_CHARACTER,
    TABLE_CELLS,
    TABLE_CELLS_PER_CHARACTER,
    inline_cost,
)
from healthlint.families.claims.citations import _FOOTNOTE_REF_RE, _PANDOC_CITE_RE
from healthlint.families.links.extract import collect_links
from healthlint.text.domains import DomainSet

REPO = Path(__file__).resolve().parents[1]


def _timed(function, *args):
    """The result and the CPU seconds it took (which other jobs on a busy machine do not stretch)."""
    started = time.process_time()
    result = function(*args)
    return result, time.process_time() - started


def test_a_paragraph_of_unclosed_brackets_is_read_as_plain_text_and_reported():
    text = "# Tea\n\nTea helps " + "[" * 300_000 + "\n\nSee [the study](https://example.org/s).\n"
    article, seconds = _timed(parse_article, "a.md", text)
    assert seconds < 5, seconds  # parsed as Markdown it took 14 s
    problems = [(p.line, p.message) for p in article.problems]
    assert len(problems) == 1 and problems[0][0] == 3 and "checked as plain text" in problems[0][1]
    assert article.blocks[1].text.startswith("Tea helps [[[")
    # The allowance is per paragraph: the next one is still Markdown, its link found.
    assert [(link.url, link.text) for link in article.links] == [("https://example.org/s", "the study")]


def test_plain_text_keeps_each_line_where_it_is_in_the_file():
    text = "# Tea\n\n> first " + "*a _b " * 30_000 + "\n> second line\n"
    article = parse_article("a.md", text)
    quote = article.blocks[1]
    at = quote.text.index("second line")
    assert quote.span(at, at + 6).line == 4 and quote.span(at, at + 6).column == 3


def test_many_marked_up_paragraphs_spend_the_allowance_then_read_as_plain_text():
    paragraph = " ".join(["Tea [helps](https://example.org/t) *a lot*."] * 5) + "\n\n"
    count = 2_000
    article, seconds = _timed(parse_article, "a.md", "# Tea\n\n" + paragraph * count)
    assert seconds < 15, seconds
    parsed = len([link for link in article.links if link.kind == "inline"]) // 5
    allowance = INLINE_UNITS + INLINE_UNITS_PER_CHARACTER * len(article.text)
    # Each paragraph pays its price, and a few steps of look-ahead for its link's text.
    assert allowance // inline_cost(paragraph.strip()) * 0.8 <= parsed <= allowance // inline_cost(paragraph.strip())
    assert parsed < count
    assert len(article.problems) == 1 and f"{count - parsed} paragraphs" in article.problems[0].message


def test_ordinary_articles_spend_a_small_part_of_their_allowance():
    for path in [*sorted((REPO / "articles").glob("*.md")), REPO / "README.md"]:
        text = path.read_text(encoding="utf-8")
        assert inline_cost(text) < (INLINE_UNITS + INLINE_UNITS_PER_CHARACTER * len(text)) / 4, path
        assert parse_article(path.name, text).problems == [], path


def test_a_table_beyond_the_cells_an_article_may_hold_ends_there_and_the_rest_is_a_paragraph():
    columns = 400
    row = "|" + "|".join("x" for _ in range(columns)) + "|\n"
    rule = "|" + "|".join("-" for _ in range(columns)) + "|\n"
    text = "# Wide\n\n" + row + rule + row * 400
    article, seconds = _timed(parse_article, "a.md", text)
    assert seconds < 10, seconds  # 160,000 cells, one block each, took 11 s
    cells = [b for b in article.blocks if b.kind == "table_cell"]
    assert columns * 2 <= len(cells) <= TABLE_CELLS + TABLE_CELLS_PER_CHARACTER * len(text)
    assert any(b.kind == "paragraph" and b.text.startswith("|x|x|") for b in article.blocks)
    assert [p.line for p in article.problems] == [3] and "table" in article.problems[0].message


def test_an_ordinary_table_is_a_table():
    text = "# Doses\n\n| Age | Dose |\n|---|---|\n| 2-5 | 5 ml |\n| 6-11 | 10 ml |\n"
    article = parse_article("a.md", text)
    assert [b.text for b in article.blocks if b.kind == "table_cell"] == ["Age", "Dose", "2-5", "5 ml", "6-11", "10 ml"]
    assert article.problems == []


def test_unclosed_html_comments_cost_linear_time_and_hide_what_follows():
    text = "# Tea\n\n<div>\n" + "<!-- c " * 40_000 + '<a href="https://example.org/x">x</a>\n'
    links, seconds = _timed(collect_links, parse_article("a.md", text))
    assert seconds < 3, seconds  # the standard parser rescanned to the end from each: 138 s
    assert [link for link in links if link.kind == "html"] == []  # inside a comment that never closes


def test_unclosed_tags_cost_linear_time_and_a_link_after_them_is_found():
    text = "# Tea\n\n<div>\n" + "<a <b " * 40_000 + "\n"
    _, seconds = _timed(collect_links, parse_article("a.md", text))
    assert seconds < 3, seconds
    links = collect_links(parse_article("b.md", '# Tea\n\n<div>\n<a href="https://example.org/y">y</a> <b\n'))
    assert [(link.url, link.hidden) for link in links] == [("https://example.org/y", None)]


def test_deeply_nested_unclosed_tags_keep_what_hides_a_link():
    opened = "<b>x " * 30_000
    text = f'# Tea\n\nA <span hidden>{opened}<a href="https://example.org/h">h</a></span> <a href="https://example.org/v">v</a>.\n'
    links, seconds = _timed(collect_links, parse_article("a.md", text))
    assert seconds < 5, seconds  # the hiding reason was looked up through the whole stack per piece
    assert [(link.url, link.hidden) for link in links if link.kind == "html"] == [
        ("https://example.org/h", "the hidden attribute"),
        ("https://example.org/v", None),
    ]


def test_a_host_of_many_labels_matches_in_linear_time():
    domains = DomainSet.of(["nih.gov", "example.co.uk"])
    host = "a." * 200_000 + "nih.gov"
    match, seconds = _timed(domains.match, host)
    assert match == "nih.gov" and seconds < 0.5, seconds
    assert domains.match("www.ncbi.nlm.nih.gov") == "nih.gov"
    assert domains.match("shop.example.co.uk") == "example.co.uk"
    assert domains.match("xnih.gov") is None and domains.match("co.uk") is None
    assert domains.match("a." * 200_000) is None


@pytest.mark.parametrize("pattern", [_PANDOC_CITE_RE, _FOOTNOTE_REF_RE])
def test_citation_markers_are_found_in_linear_time(pattern):
    for unit in ("[", "[^", "[x; "):
        _, seconds = _timed(pattern.findall, unit * 50_000)
        assert seconds < 0.5, (unit, seconds)


def test_citation_markers_still_found():
    assert _PANDOC_CITE_RE.findall("As shown [see @doe99, p. 3; @smith04] and [@lee].") == ["smith04", "lee"]
    assert _FOOTNOTE_REF_RE.findall("Tea helps[^1] and more[^note-2].") == ["1", "note-2"]


def test_inline_comments_end_at_the_first_close_in_one_search():
    # Found by scripts/fuzz.py: markdown-it rescanned the paragraph from every "<!--" it could not
    # end (6 s for these 28 KB; quadratic in the number of openers).
    text = "# Tea\n\nA " + "<!-- c " * 4000 + "<!----> end.\n\nTea <!-- a note --> helps.\n"
    article, seconds = _timed(parse_article, "a.md", text)
    assert seconds < 1, seconds
    assert [c.text for c in article.comments][1:] == [" a note "]
    assert article.blocks[-1].text == "Tea helps."


@pytest.mark.parametrize("run", ["*a" * 100, "-" * 200])
def test_looking_ahead_for_the_end_of_link_text_spends_the_allowance(run):
    # Found by scripts/fuzz.py: each "[" made markdown-it step through everything up to the end of
    # the paragraph looking for its "]" (1.3 s for these 30 KB; quadratic in the number of "[").
    text = "# Tea\n\nA " + ("[" + run + " ") * 150 + "\n\nSee [the study](https://example.org/s).\n"
    article, seconds = _timed(parse_article, "a.md", text)
    assert seconds < 0.5, seconds
    assert len(article.problems) == 1 and "checked as plain text" in article.problems[0].message
    assert article.blocks[1].text.startswith("A [")


def test_past_its_lines_an_article_is_one_block_of_plain_text_where_it_is_in_the_file():
    text = "---\ntitle: Tea\n---\n# Tea\n\n" + "Tea.\n\n" * 40_000
    article = parse_article("a.md", text)
    lines = MARKDOWN_LINES + int(MARKDOWN_LINES_PER_CHARACTER * len(text))
    assert [p.line for p in article.problems] == [lines + 1] and "plain text" in article.problems[0].message
    # A paragraph per two lines up to the allowance, then the rest in one block.
    assert article.blocks[-2].line <= lines < article.blocks[-1].line <= lines + 2
    assert len(article.blocks) == 1 + (lines - 4) // 2 + 1
    rest = article.blocks[-1]
    at = rest.text.index("Tea.", 1)  # the second paragraph of the rest, two lines below the first
    assert rest.span(at, at + 4).line == rest.line + 2 and rest.span(at, at + 4).column == 1


def test_an_ordinary_article_is_all_markdown():
    text = "# Tea\n\n" + "Tea may help you rest, and a warm cup is a calm way to end the day.\n\n" * 4_000
    article = parse_article("a.md", text)
    assert article.problems == [] and len(article.blocks) == 4_001
