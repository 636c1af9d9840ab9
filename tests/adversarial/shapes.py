"""Adversarial article shapes: inputs built to make a parser, splitter or rule do more than linear work.

Each shape is a function of a target size in bytes returning the article's text, so the same
shape serves the CLI test (at 1 MB), ``bench/scaling.py`` (100 KB against 1 MB) and the fuzzer's
seeds. Run ``python tests/adversarial/shapes.py OUT_DIR [SIZE]`` to write them as files.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

Shape = Callable[[int], str]

TITLE = "# A hostile article\n\n"
CLAIM = "A study in the Journal of Health found that tea cures colds"


def _fill(unit: str, size: int, prefix: str = TITLE, suffix: str = "\n") -> str:
    count = max(1, (size - len(prefix) - len(suffix)) // len(unit))
    return prefix + unit * count + suffix


def dotted_host(size: int) -> str:
    """A URL whose host is ``a.`` repeated: every domain-suffix lookup over its labels."""
    return _fill("a.", size, TITLE + "See https://", " for more.\n")


def html_comments(size: int) -> str:
    """An HTML block of unclosed comment openers: the HTML scanner's worst case."""
    return _fill("<!-- c ", size, TITLE + "<div>\n")


def dots(size: int) -> str:
    """One letter and then dots: a sentence splitter deciding at every dot."""
    return _fill(".", size, TITLE + "A")


def spinner_sentences(size: int) -> str:
    """The same spun sentence again and again, in paragraphs."""
    return _fill("It is very important to utilize a large number of methods to facilitate health. ", size)


def brackets_in_claim(size: int) -> str:
    """A claim sentence full of ``[``: citation patterns trying every opener."""
    return _fill("[", size, TITLE + CLAIM + " ", ".\n")


def wide_table(size: int) -> str:
    """A Markdown table with thousands of columns."""
    columns = max(2, int((size / 4) ** 0.5))
    header = "|" + "|".join(f"c{i}" for i in range(columns)) + "|\n"
    rule = "|" + "|".join("-" for _ in range(columns)) + "|\n"
    row = "|" + "|".join("x" for _ in range(columns)) + "|\n"
    body_rows = max(1, (size - len(header) - len(rule)) // len(row))
    return TITLE + header + rule + row * body_rows


def nested_quotes(size: int) -> str:
    """Block quotes nested as deep as the text allows, then some text."""
    return _fill(">", size, TITLE, " Tea cures colds.\n")


def emphasis_runs(size: int) -> str:
    """Unmatched emphasis and code markers: inline parsers looking for a closer."""
    return _fill("*a _b `c ", size)


def link_brackets(size: int) -> str:
    """Unclosed link openers: ``[`` then ``](`` without end."""
    return _fill("[x](", size)


def footnote_markers(size: int) -> str:
    """A claim sentence of footnote openers ``[^`` that never close."""
    return _fill("[^", size, TITLE + CLAIM + " ", ".\n")


def unclosed_tags(size: int) -> str:
    """Inline HTML tags opened and never closed: an element stack as deep as the text is long."""
    return _fill("<b>x ", size, TITLE + CLAIM + " ", ".\n")


def many_paragraphs(size: int) -> str:
    """Paragraphs of one word each: as many blocks as the text allows."""
    return _fill("Tea.\n\n", size)


def one_long_line(size: int) -> str:
    """A single line of ordinary words, no paragraph breaks, no full stops."""
    return _fill("tea and rest help colds ", size)


def one_long_word(size: int) -> str:
    """A sentence ending in one word of letters and digits as long as the text ("s1e4001e400…"):
    a pattern that runs over a word before asking for what follows it (an e-mail address's ``@``)."""
    return TITLE + "Green tea may help " + "s" + "1e400" * max(1, size // 5) + "\n"


def many_urls(size: int) -> str:
    """Bare URLs one after another, each on a different host."""
    count = max(1, size // 40)
    return TITLE + " ".join(f"https://h{i}.example.org/p" for i in range(count)) + "\n"


def nested_lists(size: int) -> str:
    """List items each indented one step further."""
    lines = []
    total = len(TITLE)
    depth = 0
    while total < size:
        line = "  " * (depth % 400) + "- tea\n"
        lines.append(line)
        total += len(line)
        depth += 1
    return TITLE + "".join(lines)


def front_matter_bomb(size: int) -> str:
    """Nested YAML aliases, then a body of the given size."""
    lines = ["l0: &l0 [ha, ha, ha, ha, ha, ha, ha, ha, ha]"]
    for level in range(1, 9):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    front = "---\ntitle: Bomb\n" + "\n".join(lines) + "\nsources: *l8\nreading-grade: *l8\n---\n"
    return _fill("Tea may ease a cold. ", size, front + TITLE)


SHAPES: dict[str, Shape] = {
    shape.__name__: shape
    for shape in (
        dotted_host,
        html_comments,
        dots,
        spinner_sentences,
        brackets_in_claim,
        wide_table,
        nested_quotes,
        emphasis_runs,
        link_brackets,
        footnote_markers,
        unclosed_tags,
        many_paragraphs,
        one_long_line,
        one_long_word,
        many_urls,
        nested_lists,
        front_matter_bomb,
    )
}


def write(folder: Path, size: int) -> list[Path]:
    """Write every shape at ``size`` bytes as ``<shape>.md`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, shape in SHAPES.items():
        path = folder / f"{name}.md"
        path.write_text(shape(size), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        raise SystemExit(f"usage: {sys.argv[0]} OUT_DIR [SIZE_IN_BYTES]")
    for written in write(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) == 3 else 1_000_000):
        print(written)
