"""The clean corpora as articles: one reader for the scripts that measure false alarms on them.

bench/clean_bound.py (issue 15's bound, HL1) and bench/clean_hl5.py (HL5's clean rates) check the same documents;
both read them here, so that they check the same text. Corpora, from ``../shared/corpus`` (or
``$HEALTHLINT_SHARED/corpus``):

- ``medquad_dev``: MedQuAD dev answers (``clean/medquad_dev.jsonl.gz``; no title: the answer alone);
- ``releases``, ``stories``: the FakeHealth press releases and news stories (``health/fakehealth_*.jsonl``);
- ``nih``: the NIH consumer pages (``health/medquad_nih_consumer100.jsonl``);
- ``dev_clean``: the dev pages labelled not spun (``web/dev_pages.jsonl``; only where asked for).

Each document is written as a user's article would be: its title (``title``, or the NIH page's ``focus``) on the
first line, a blank line, then its text; the title is not repeated when the text's own first line is that title (an
extracted headline). For the NIH pages the text is ``text``, the page's answers joined by blank lines, without
MedQuAD's questions: those are the data set's templates ("What is (are) ... ?", one per answer), not lines of the
page, and a writer's article has no such lines.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("HEALTHLINT_SHARED", ROOT.parent / "shared")) / "corpus"
#: The clean corpora: key -> (what bench/README's tables call it, the file).
CORPORA: dict[str, tuple[str, Path]] = {
    "medquad_dev": ("MedQuAD dev", SHARED / "clean" / "medquad_dev.jsonl.gz"),
    "releases": ("press releases", SHARED / "health" / "fakehealth_healthrelease_hnr200.jsonl"),
    "stories": ("news stories", SHARED / "health" / "fakehealth_healthstory_rated200.jsonl"),
    "nih": ("NIH pages", SHARED / "health" / "medquad_nih_consumer100.jsonl"),
}
DEV_PAGES = SHARED / "web" / "dev_pages.jsonl"


def records(path: Path) -> list[dict[str, Any]]:
    """The JSON objects of a JSON Lines file (gzipped when its name ends in ``.gz``), blank lines skipped."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def document(record: dict[str, Any]) -> str:
    """The article's text: the title, a blank line, then the text; the text alone when its first line is the title
    already (an extracted headline), but not when it merely opens with the title's words ("Anemia is ...")."""
    text = str(record.get("text") or "")
    title = str(record.get("title") or record.get("focus") or "").strip()
    if title and text.lstrip().split("\n", 1)[0].strip() != title:
        return f"{title}\n\n{text}"
    return text


def missing(dev_pages: bool = False) -> list[Path]:
    """The corpus files that are absent."""
    paths = [path for _, path in CORPORA.values()] + ([DEV_PAGES] if dev_pages else [])
    return [path for path in paths if not path.exists()]


def clean_documents(dev_pages: bool = False) -> dict[str, list[str]]:
    """Every clean corpus's documents as articles (see :func:`document`), by key; with ``dev_pages``, the dev pages
    labelled not spun too (``dev_clean``)."""
    out = {key: [document(r) for r in records(path)] for key, (_, path) in CORPORA.items()}
    if dev_pages:
        out["dev_clean"] = [document(p) for p in records(DEV_PAGES) if p["labels"].get("spun") is False]
    return out
