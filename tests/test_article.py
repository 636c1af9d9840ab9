"""The article model: front matter, prose blocks, and the map from prose back to file positions."""

from __future__ import annotations

import codecs

import pytest

from healthlint.article import ArticleError, decode, parse_article, sniff_bom


def located(article, block, needle):
    """(line, column) in the file of a needle found in a block's prose."""
    start = block.text.index(needle)
    span = block.span(start, start + len(needle))
    line_text = article.lines[span.line - 1]
    assert line_text[span.column - 1 : span.end_column - 1] == needle
    return span.line, span.column


MARKDOWN = """\
---
title: Easing back pain
author: Dana Reyes
---
# Easing *back* pain

Stretch gently [every morning](https://example.org/stretch "Stretches") and
walk for `10 min` daily. Escaped \\*stars\\* &amp; entities stay prose.

- Heat helps tight muscles.
- Ask your doctor before new exercise.

> Pain that spreads down a leg needs a check-up.

<!-- healthlint: disable-next-line=HL401 -->
| Week | Goal |
|------|------|
| 1 | Walk daily |

```python
print("not prose")
```

<div class="note">See a <b>physiotherapist</b> for a plan.</div>
"""


def test_front_matter_is_read_and_lines_still_count_in_the_file():
    article = parse_article("a.md", MARKDOWN)
    assert article.meta == {"title": "Easing back pain", "author": "Dana Reyes"}
    assert article.meta_lines == (1, 4)
    assert article.body_start_line == 5
    assert article.title == "Easing back pain"
    heading = article.blocks[0]
    assert (heading.kind, heading.level, heading.text) == ("heading", 1, "Easing back pain")
    assert heading.line == 5


def test_inline_markup_is_removed_and_every_word_maps_to_its_place_in_the_file():
    article = parse_article("a.md", MARKDOWN)
    para = article.blocks[1]
    assert para.kind == "paragraph"
    assert para.text == "Stretch gently every morning and walk for daily. Escaped *stars* & entities stay prose."
    assert located(article, para, "every morning") == (7, 17)
    assert located(article, para, "walk for") == (8, 1)
    assert located(article, para, "entities") == (8, 50)
    # a span across the line break covers both lines
    start = para.text.index("and walk")
    span = para.span(start, start + len("and walk"))
    assert (span.line, span.end_line) == (7, 8)


def test_block_kinds_and_what_is_not_prose():
    article = parse_article("a.md", MARKDOWN)
    kinds = [(b.kind, b.text) for b in article.blocks]
    assert ("list_item", "Heat helps tight muscles.") in kinds
    assert ("blockquote", "Pain that spreads down a leg needs a check-up.") in kinds
    assert ("table_cell", "Walk daily") in kinds
    assert ("html", "See a physiotherapist for a plan.") in kinds
    prose = " ".join(b.text for b in article.blocks)
    assert "not prose" not in prose  # code block
    assert "10 min" not in prose  # inline code
    assert "healthlint" not in prose  # comment
    assert "https://" not in prose  # link destination


def test_links_comments_and_html_are_collected_with_positions():
    article = parse_article("a.md", MARKDOWN)
    (link,) = article.links
    assert (link.url, link.text, link.kind, link.title) == (
        "https://example.org/stretch",
        "every morning",
        "inline",
        "Stretches",
    )
    assert (link.span.line, link.span.column) == (7, 16)
    (comment,) = article.comments
    assert (comment.line, comment.column, comment.text.strip()) == (15, 1, "healthlint: disable-next-line=HL401")
    assert any("physiotherapist" in h.html for h in article.html)


def test_reference_auto_image_and_bare_links():
    text = "See [the guide][g], <https://nih.gov/x>, ![chart](c.png) and www.cdc.gov/back.\n\n[g]: https://who.int/g\n"
    article = parse_article("a.md", text)
    kinds = {link.kind: link for link in article.links}
    assert kinds["reference"].url == "https://who.int/g"
    assert kinds["autolink"].url == "https://nih.gov/x"
    assert kinds["image"].url == "c.png"
    assert kinds["bare"].url == "http://www.cdc.gov/back"
    assert kinds["bare"].span.column == text.index("www.") + 1
    assert "www.cdc.gov/back" in article.blocks[0].text  # bare URLs stay in the prose they are typed in


def test_plain_text_each_non_empty_line_is_a_paragraph():
    article = parse_article("a.txt", "First line here.\n\n   Second\tline.  \nThird https://x.org/a line\n")
    assert [b.text for b in article.blocks] == ["First line here.", "Second line.", "Third https://x.org/a line"]
    assert [b.line for b in article.blocks] == [1, 3, 4]
    assert article.blocks[1].span(0, 6).column == 4
    assert [link.url for link in article.links] == ["https://x.org/a"]
    assert article.title == "First line here."


HARD_WRAPPED = """\
Heel pain in the morning

Rest the foot when you can and see a podiatrist if the pain has not
improved after two weeks, or sooner if you have diabetes and notice
numbness. A review of trials found that calf stretches help
(Rathleff et al., 2015). Book a visit at the Health Centre on
Station Road.

- Lee H, Diaz M. Calf stretching for heel pain: a trial. J Foot Res.
  2019;28:100-109.
- a bulleted line of its own
"""


def test_plain_text_joins_the_lines_of_a_hard_wrapped_sentence():
    article = parse_article("a.txt", HARD_WRAPPED)
    texts = [b.text for b in article.blocks]
    assert texts[0] == "Heel pain in the morning"  # a title is no wrapped line: short, and the text after it is apart
    assert texts[1].startswith("Rest the foot when you can and see a podiatrist if the pain has not improved after")
    assert "calf stretches help (Rathleff et al., 2015). Book a visit at the Health Centre on Station Road." in texts[1]
    assert (article.blocks[1].line, article.blocks[1].end_line) == (3, 7)
    # a finding on a joined line points at its own line and column in the file
    at = texts[1].index("Station")
    assert (article.blocks[1].span(at, at + 7).line, article.blocks[1].span(at, at + 7).column) == (7, 1)
    # a list item wrapped under its own text goes on; the next item starts its own paragraph
    assert texts[2] == "- Lee H, Diaz M. Calf stretching for heel pain: a trial. J Foot Res. 2019;28:100-109."
    assert texts[3] == "- a bulleted line of its own"


@pytest.mark.parametrize(
    "text",
    [
        "A line that ends a sentence, long enough to wrap.\nand a line in lower case.\n",  # the sentence ended
        "Short title line\nsmall print under it\n",  # too short to be a wrapped line
        "Ten easy stretches you can do at your desk today\nRelated Posts\n",  # a capital, no open word
        # teaser titles cut off after an open word are titles, each a line of its own
        "How Glaciers Carved the Great Mountain Valleys of the\nTen Budget Laptops for Video Editing Compared\n",
        "Why Walking After Dinner Helps Your Digestion and\nwhy it matters\n",
        # a title under a lead-in that ends on an open word
        "Related articles you might also like from the team at\nTen Quick Breakfasts That Keep You Full\n",
    ],
)
def test_plain_text_lines_that_do_not_wrap_stay_paragraphs(text):
    assert len(parse_article("a.txt", text).blocks) == 2


@pytest.mark.parametrize(
    "byline",
    [
        "by Jane Porter, registered nurse, updated 3 March 2026",
        "reviewed by the podiatry team in March 2026",
        "updated 2 May 2026",
    ],
)
def test_plain_text_title_does_not_wrap_into_its_byline(byline):
    title = "Looking after your feet when you have diabetes"
    article = parse_article("a.txt", f"{title}\n{byline}\nCheck your feet every day.\n")
    assert [b.text for b in article.blocks] == [title, byline, "Check your feet every day."]
    assert article.title == title


def test_plain_text_first_line_of_wrapped_prose_still_wraps():
    text = "Heel pain is common in runners and in people who stand all\nday at work, and it often eases with rest.\n"
    assert len(parse_article("a.txt", text).blocks) == 1


def test_plain_text_titles_under_a_lead_in_do_not_wrap_whatever_their_capitals():
    """A line right under another (no blank line) that ends on an open word is a title or a cut-off excerpt; a
    paragraph of wrapped text starts after a blank line, and there the open word goes on to a name."""
    titles = "How glaciers carved the great mountain valleys of the\nTen budget laptops for video editing compared\n"
    assert len(parse_article("a.txt", "Related posts\n" + titles).blocks) == 3
    prose = "The trust opened a new eye screening clinic for the town at\nStation Road, next to the library.\n"
    assert len(parse_article("a.txt", "Eye clinic\n\n" + prose).blocks) == 2


def test_markdown_syntax_is_not_parsed_in_plain_text():
    article = parse_article("a.txt", "# not a heading, *not* emphasis\n")
    assert article.blocks[0].text == "# not a heading, *not* emphasis"


def test_windows_line_endings_are_remembered_and_positions_unchanged():
    article = parse_article("a.md", "# Title\r\n\r\nA line of prose.\r\n")
    assert article.newline == "\r\n"
    assert article.blocks[1].line == 3
    assert "\r" not in article.text


@pytest.mark.parametrize(
    ("front", "message", "line"),
    [
        ("---\ntitle: [unclosed\n---\nBody.\n", "front matter is not valid YAML", 2),
        ("---\n- a\n- b\n---\nBody.\n", "front matter must be a mapping", 2),
        ("---\ntitle: x\nBody without an end.\n", "never closed", 1),
        ("---\n!!python/object/apply:os.system ['echo hacked']\n---\nBody.\n", "not valid YAML", 2),
    ],
)
def test_bad_front_matter_is_a_problem_with_a_line_and_the_body_is_still_read(front, message, line):
    article = parse_article("a.md", front)
    (problem,) = article.problems
    assert message in problem.message
    assert problem.line == line
    assert article.meta == {}
    assert article.blocks  # still checked


def test_decode_handles_boms_and_reports_bad_utf8_with_its_line():
    assert decode(codecs.BOM_UTF16_LE + "Hi there".encode("utf-16-le"))[0] == "Hi there"
    assert decode(codecs.BOM_UTF8 + b"Hi")[0] == "Hi"
    text, problems = decode(b"fine line\nbad \xff byte\n")
    assert text == "fine line\nbad \ufffd byte\n"
    assert (problems[0].line, problems[0].column) == (2, 5)
    with pytest.raises(ArticleError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00")


def test_block_hit_records_the_match_and_exact_span():
    article = parse_article("a.md", "Intro.\n\nA study in the *Journal of Pain* found relief.\n")
    block = article.blocks[1]
    start = block.text.index("Journal")
    hit = block.hit(start, start + len("Journal of Pain"), "named journal", suggestion="cite it")
    assert (hit.line, hit.column, hit.end_line, hit.end_column) == (3, 17, 3, 32)
    assert hit.match == "Journal of Pain"


def test_a_block_cut_at_its_source_lines_still_maps_each_word():
    article = parse_article("a.md", "# T\n\nFirst *line* here\nSecond [line](http://x.org)\n  Third line\n")
    block = article.blocks[1]
    assert block.text == "First line here Second line Third line"
    lines = block.source_lines()
    assert [(b.text, b.line, b.end_line) for b in lines] == [
        ("First line here", 3, 3),
        ("Second line", 4, 4),
        ("Third line", 5, 5),
    ]
    assert located(article, lines[1], "line") == (4, 9)
    assert located(article, lines[2], "Third") == (5, 3)
    assert article.blocks[0].source_lines() == [article.blocks[0]]


@pytest.mark.parametrize(
    ("text", "needle", "where"),
    [
        ("\xa0\n0", "0", (2, 1)),
        ("x\n\n\xa0\n0", "0", (4, 1)),
        ("---\ntitle: a\n---\n\xa0\nzero one", "one", (5, 6)),
        ("\xa0\n\u2003\nzero one\ntwo", "two", (4, 1)),
        ("> \xa0\n> zero", "zero", (2, 3)),
        ("- \xa0\n  zero", "zero", (2, 3)),
        ("zero\n\xa0\none", "one", (3, 1)),
    ],
)
def test_a_paragraph_after_a_line_of_only_unicode_space_maps_to_its_own_line(text, needle, where):
    # The parser strips such lines off the paragraph's content (Python's strip() counts U+00A0 as space),
    # so content line k is not always source line map[0] + k.
    article = parse_article("a.md", text)
    block = next(b for b in article.blocks if needle in b.text)
    assert located(article, block, needle) == where


def test_meta_line_finds_a_top_level_key_quoted_or_not_and_falls_back_to_the_first_line():
    article = parse_article("a.md", "---\ntitle: Rest\n'author': Dana\ninfo:\n  nested: x\n---\nBody.\n")
    assert not article.problems
    assert article.meta_line("title") == 2
    assert article.meta_line("author") == 3
    assert article.meta_line("nested") == 1  # not top level
    assert parse_article("a.md", "Body.\n").meta_line("title") == 1


@pytest.mark.parametrize(
    ("data", "bom", "encoding"),
    [
        (codecs.BOM_UTF32_LE + "x".encode("utf-32-le"), codecs.BOM_UTF32_LE, "utf-32-le"),  # not read as UTF-16-LE
        (codecs.BOM_UTF16_LE + "x".encode("utf-16-le"), codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF8 + b"x", codecs.BOM_UTF8, "utf-8"),
        (b"x", b"", "utf-8"),
    ],
)
def test_sniff_bom_is_the_one_table_decoding_and_fixing_share(data, bom, encoding):
    assert sniff_bom(data) == (bom, encoding)
