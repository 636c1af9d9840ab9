"""Reading the labelled lines back from ``../shared/corpus`` (the corpus text never enters the repository)."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SHARED = REPO.parent / "shared" / "corpus"
LABELS = HERE / "labels.tsv"
#: The corpus files labelled from, relative to ``../shared/corpus``.
SOURCES = (
    "health/fakehealth_healthrelease_hnr200.jsonl",
    "health/fakehealth_healthstory_rated200.jsonl",
    "health/medquad_nih_consumer100.jsonl",
    "web/dev_pages.jsonl",
)


def record_id(record: dict[str, object]) -> str:
    """The health files carry an ``id``; a web page is known by the start of its text's SHA-256."""
    return str(record.get("id") or str(record["text_sha256"])[:16])


def records(shared: Path = SHARED) -> dict[tuple[str, str], str]:
    """``(source, record id) -> text`` for every record of :data:`SOURCES`."""
    found: dict[tuple[str, str], str] = {}
    for source in SOURCES:
        for line in (shared / source).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            found[source, record_id(record)] = str(record["text"])
    return found


@dataclass(frozen=True)
class Labelled:
    """One line of a record (a block, as healthlint reads plain text) and the sentence starts inside it."""

    source: str
    record: str
    start: int
    end: int
    #: Offsets (into the record's text) where a sentence other than the line's first begins.
    boundaries: frozenset[int]
    category: str


def read_labels(path: Path = LABELS) -> list[Labelled]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.reader(handle, delimiter="\t") if row and not row[0].startswith("#")]
    return [
        Labelled(
            source,
            record,
            int(start),
            int(end),
            frozenset(int(b) for b in boundaries.split(",") if b),
            category,
        )
        for source, record, start, end, boundaries, category in rows[1:]
    ]
