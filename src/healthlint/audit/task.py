"""What a worker does with one partition: check its documents and turn the results into Parquet parts.

The worker encodes the parts itself, so the driver only writes the bytes it gets back: with many
workers the driver's time per partition, not the workers', would otherwise bound the audit.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from healthlint.audit.checker import UNREADABLE_ARTICLE, ArticleResult, CheckSettings, settle_memory, worker_checker
from healthlint.audit.sources import Document, Fields, Partition, read

#: The columns of ``findings.parquet``, in order.
FINDING_COLUMNS = ("id", "source", "code", "severity", "line", "column", "end_line", "end_column", "message")
#: The first columns of ``documents.parquet``; the metrics follow, flattened (``readability_grade``).
DOCUMENT_COLUMNS = ("id", "source", "url", "passed", "unreadable", "words")


#: What a tally counts besides findings: documents judged spun are those with the ``spun_verdict`` metric.
TOTALS = ("documents", "unreadable", "failed", "words", "spun")


@dataclass
class Tally:
    """Counts over some documents, added up partition by partition into the audit's summary."""

    #: One count per name in :data:`TOTALS`.
    totals: Counter[str] = field(default_factory=Counter)
    #: Findings per code, and documents with at least one finding per code.
    findings: Counter[str] = field(default_factory=Counter)
    documents_with: Counter[str] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        self.totals.update(other.totals)
        self.findings.update(other.findings)
        self.documents_with.update(other.documents_with)

    def count(self, result: ArticleResult, words: int, spun: bool, unreadable: bool) -> None:
        counts = (1, unreadable, not result.passed, words, spun)
        self.totals.update({name: int(n) for name, n in zip(TOTALS, counts, strict=True)})
        codes = Counter(f.code for f in result.findings)
        self.findings.update(codes)
        self.documents_with.update(codes.keys())

    def to_json(self) -> dict[str, Any]:
        return {
            "totals": {name: self.totals[name] for name in TOTALS},
            "findings": dict(sorted(self.findings.items())),
            "documents_with": dict(sorted(self.documents_with.items())),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Tally:
        return cls(Counter(data["totals"]), Counter(data["findings"]), Counter(data["documents_with"]))


@dataclass
class PartitionResult:
    """The two Parquet parts and the tallies of one partition (overall and per site)."""

    partition: Partition
    #: ``findings.parquet`` and ``documents.parquet`` of this partition alone, encoded.
    findings: bytes
    documents: bytes
    tally: Tally
    sites: dict[str, Tally]
    #: ``file:line: what is wrong`` of each record that held no readable document.
    unreadable: list[str] = field(default_factory=list)
    #: What plugins said about the run while checking (a service that is down, say), once each.
    notices: list[str] = field(default_factory=list)


@dataclass
class _Rows:
    """A partition's rows while its documents are checked: findings by column, documents by row."""

    findings: dict[str, list[Any]] = field(default_factory=lambda: {c: [] for c in FINDING_COLUMNS})
    documents: list[dict[str, Any]] = field(default_factory=list)
    tally: Tally = field(default_factory=Tally)
    sites: dict[str, Tally] = field(default_factory=dict)


def check_partition(partition: Partition, fields: Fields, settings: CheckSettings, kind: str) -> PartitionResult:
    """Check every document of a partition (runs on a worker; plugins load on its first partition)."""
    checker, lock = worker_checker(settings)
    rows = _Rows()
    unreadable: list[str] = []
    notices: list[str] = []
    for document in read(partition, fields):
        with lock:
            if document.kind == "unreadable":
                result = checker.unreadable(document.id, document.body)
                unreadable.append(document.body)
            elif document.kind == "file":
                result = checker.check_file(Path(document.body), document.id)
            else:
                result = checker.check_text(document.id, document.body, kind)
        _add(rows, document, result)
        if len(rows.documents) == 1:
            settle_memory()  # after the first document, which loads what the process keeps (once per audit)
        notices.extend(n.message for n in result.notices if n.message not in notices)
    findings = encode(_table(rows.findings, findings_schema()))
    documents = encode(_table_of_rows(rows.documents))
    return PartitionResult(partition, findings, documents, rows.tally, rows.sites, unreadable, notices)


def _add(out: _Rows, document: Document, result: ArticleResult) -> None:
    unreadable = any(f.code == UNREADABLE_ARTICLE for f in result.findings)
    metrics = flatten(result.metrics)
    words = int(metrics.pop("words", 0) or 0)
    spun = metrics.get("spun_verdict") is True
    columns = out.findings
    for f in result.findings:
        values = (document.id, document.source, f.code, str(f.severity), f.line, f.column, f.end_line, f.end_column)
        for name, value in zip(FINDING_COLUMNS, (*values, f.message), strict=True):
            columns[name].append(value)
    row: dict[str, Any] = {
        "id": document.id,
        "source": document.source,
        "url": document.url,
        "passed": result.passed,
        "unreadable": unreadable,
        "words": words,
    }
    row.update((k, v) for k, v in metrics.items() if k not in row)
    out.documents.append(row)
    out.tally.count(result, words, spun, unreadable)
    site = site_of(document.url)
    if site is not None:
        out.sites.setdefault(site, Tally()).count(result, words, spun, unreadable)


def findings_schema() -> Any:
    import pyarrow as pa  # type: ignore[import-untyped]

    types = {"line": pa.int64(), "column": pa.int64(), "end_line": pa.int64(), "end_column": pa.int64()}
    return pa.schema([(c, types.get(c, pa.string())) for c in FINDING_COLUMNS])


def documents_schema() -> Any:
    """The columns every ``documents.parquet`` starts with (the metrics follow)."""
    import pyarrow as pa

    types = {"passed": pa.bool_(), "unreadable": pa.bool_(), "words": pa.int64()}
    return pa.schema([(c, types.get(c, pa.string())) for c in DOCUMENT_COLUMNS])


def _table(columns: dict[str, list[Any]], schema: Any) -> Any:
    import pyarrow as pa

    return pa.table(columns, schema=schema)


def _table_of_rows(rows: list[dict[str, Any]]) -> Any:
    """Rows as a table with a column for every key any row has (null where a row lacks it).

    Not ``Table.from_pylist``: it takes its columns from the first row alone, so a partition
    whose first record was unreadable (no metrics) lost every other document's metrics.
    """
    import pyarrow as pa

    names = dict.fromkeys(name for row in rows for name in row)
    return pa.table({name: [row.get(name) for row in rows] for name in names})


def encode(table: Any) -> bytes:
    """A table as the bytes of a Parquet file."""
    import pyarrow as pa
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return bytes(sink.getvalue().to_pybytes())


def flatten(metrics: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Metrics as Parquet-friendly columns: nested tables joined with ``_``, numbers as floats
    (so one column has one type whatever a document reports), other values as JSON text."""
    out: dict[str, Any] = {}
    for key, value in metrics.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, name + "_"))
        elif value is None or isinstance(value, (bool, str)):
            out[name] = value
        elif isinstance(value, (int, float)):
            out[name] = value if name == "words" else float(value)
        else:
            out[name] = json.dumps(value, sort_keys=True, default=str)
    return out


def site_of(url: str | None) -> str | None:
    """The site a URL belongs to (its host without ``www.``), or None."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host
