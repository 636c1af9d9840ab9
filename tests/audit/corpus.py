"""A small health corpus written for the audit tests: a mix of clean and flawed articles.

The sentences are written here for these tests; they are combined so each article is different
and most rule families find something (uncited claims, overclaiming, missing disclaimers,
long sentences, links).
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

OPENINGS = [
    "Walking after dinner is an easy habit that many people can keep for years.",
    "Sleep matters for mood, memory and the way the body handles sugar.",
    "Drinking enough water helps the kidneys clear waste from the blood.",
    "Fibre from beans, oats and vegetables keeps digestion regular.",
]
CLAIMS = [
    "A study published in the Journal of Everyday Medicine found that short walks lowered blood sugar.",
    "Researchers say this herb cures anxiety in just two weeks, with no side effects at all.",
    "Studies show that people who nap live longer.",
    "According to the National Institutes of Health, adults need seven or more hours of sleep a night.",
]
ADVICE = [
    "Take 2000 mg of vitamin C every morning and stop your blood pressure medicine if you feel better.",
    "Talk to your doctor before you change how you take any medicine.",
    "Try to eat five portions of fruit and vegetables each day.",
]
LONG = (
    "Because the body keeps its own schedule, and because that schedule is shaped by light, meals, work, "
    "exercise, stress and the many small choices people make from morning to night, it is hard to say which "
    "single change will help most, so it is often wiser to change one thing at a time and watch what happens "
    "over several weeks before deciding whether it was worth the effort."
)
LINKS = [
    "Read more at [our partner shop](https://shop.example.com/buy?utm_source=blog&ref=123).",
    "See the [NHS guidance](https://www.nhs.uk/live-well/sleep-and-tiredness/) for more.",
    "",
]
SITES = ["https://www.example-health.org/a/", "https://news.example.net/story/", "https://example-clinic.com/"]


def documents(count: int = 12) -> list[dict[str, Any]]:
    """``count`` records with ``id``, ``url`` and ``text`` (Markdown with a title)."""
    out = []
    combos = itertools.product(range(len(OPENINGS)), range(len(CLAIMS)), range(len(ADVICE)))
    for n, (a, b, c) in enumerate(itertools.islice(combos, 0, None, 3)):
        if n == count:
            break
        body = [OPENINGS[a], CLAIMS[b], ADVICE[c]]
        if n % 3 == 0:
            body.append(LONG)
        paragraphs = [f"# Health note {n}", " ".join(body), LINKS[n % len(LINKS)], OPENINGS[(a + 1) % len(OPENINGS)]]
        text = "\n\n".join(p for p in paragraphs if p) + "\n"
        out.append({"id": f"note-{n:02d}", "url": f"{SITES[n % len(SITES)]}{n}", "text": text})
    return out


def write_jsonl(path: Path, records: list[dict[str, Any]], extra_lines: tuple[str, ...] = ()) -> Path:
    lines = [json.dumps(r) for r in records] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_articles(folder: Path, records: list[dict[str, Any]]) -> Path:
    """Each record's text as ``<id>.md``: what ``healthlint check`` is given to compare with."""
    folder.mkdir(parents=True, exist_ok=True)
    for record in records:
        (folder / f"{record['id']}.md").write_text(record["text"], encoding="utf-8")
    return folder
