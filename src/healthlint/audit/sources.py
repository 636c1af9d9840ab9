"""Corpora as partitions: folders of articles, JSON Lines (plain or gzipped) and Parquet files.

The driver plans partitions in one streaming pass over each input (cutting it every
``size`` documents and hashing its content); a worker reads only its own partition.
Memory on either side is bounded by a partition, whatever the corpus size.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from healthlint.article import ARTICLE_SUFFIXES
from healthlint.audit.checker import Config, UsageError, article_files

CHUNK = 1 << 20


@dataclass(frozen=True)
class Fields:
    """Where a record keeps its text, id and URL (JSON keys or Parquet columns)."""

    text: str = "text"
    #: Empty: documents are named by their place, ``file:line`` or ``file:row``.
    id: str = "id"
    url: str | None = None

    def columns(self) -> list[str]:
        """The record fields a document is read from."""
        return [name for name in (self.text, self.id, self.url) if name]


@dataclass(frozen=True)
class Partition:
    """A slice of one input that a worker checks as one task."""

    id: str
    #: ``files`` (article files), ``jsonl``, ``jsonl.gz`` or ``parquet``.
    format: str
    #: The input as given on the command line (shown in the outputs as the documents' source).
    source: str
    #: Its absolute path, which workers read (their working folder is not the driver's).
    path: str
    #: jsonl: byte offsets; jsonl.gz: line indexes; parquet: row indexes within ``group``.
    start: int = 0
    stop: int = 0
    #: The 1-based line number at ``start`` (jsonl), or the file's row number of the group's first row (parquet).
    first: int = 1
    group: int = 0
    #: Article files (path shown, path) of a ``files`` partition.
    files: tuple[tuple[str, str], ...] = ()
    #: Content hash of the input the partition was cut from: a changed input is checked again.
    digest: str = ""
    #: Bytes of input it covers (uncompressed): the work it is, so the largest are started first.
    size: int = 0


@dataclass(frozen=True)
class Document:
    """One document of a partition: its text, its article file, or why its record cannot be read."""

    id: str
    source: str
    #: What ``body`` holds: ``text`` to check, the path of an article ``file``, or for an
    #: ``unreadable`` record what is wrong with it (``file:line: ...``).
    kind: Literal["text", "file", "unreadable"]
    body: str
    url: str | None = None


def _partition_id(*parts: object) -> str:
    return hashlib.blake2b("\0".join(map(str, parts)).encode(), digest_size=8).hexdigest()


def input_format(source: str) -> str:
    """The format of an input named on the command line.

    :raises UsageError: for a path that does not exist or is no corpus healthlint can read.
    """
    path = Path(source)
    name = path.name.lower()
    if not path.exists():
        raise UsageError(f"{source}: no such file or folder")
    if path.is_dir():
        return "files"
    for suffix in ("jsonl.gz", "jsonl", "parquet"):
        if name.endswith("." + suffix):
            return suffix
    if path.suffix.lower() in ARTICLE_SUFFIXES:  # the suffixes ``healthlint check`` walks
        return "files"
    raise UsageError(f"{source}: not a folder, .jsonl, .jsonl.gz or .parquet file, nor an article")


def plan(sources: list[str], fields: Fields, size: int, config: Config) -> Iterator[Partition]:
    """Partitions of at most ``size`` documents covering every input, in order.

    :raises UsageError: for a missing input, or a Parquet file without the text column.
    """
    formats = [(source, input_format(source)) for source in sources]  # every path checked before any work
    for source, fmt in formats:
        if fmt == "files":
            yield from _plan_files(source, size, config)
        elif fmt == "parquet":
            yield from _plan_parquet(source, fields, size)
        else:
            yield from _plan_jsonl(source, fmt, size)


def _plan_files(source: str, size: int, config: Config) -> Iterator[Partition]:
    files = article_files(source, config)
    for start in range(0, len(files), size):
        chunk = tuple((shown, os.path.abspath(path)) for shown, path in files[start : start + size])
        digest = hashlib.blake2b()
        covered = 0
        for shown, path in chunk:
            digest.update(shown.encode() + b"\0")
            try:
                content = Path(path).read_bytes()
            except OSError as exc:  # checking reports it (HL001); the hash only needs to be stable
                digest.update(str(exc.errno).encode())
            else:
                digest.update(content)
                covered += len(content)
        key = _partition_id("files", os.path.abspath(source), chunk[0][0], chunk[-1][0])
        path = os.path.abspath(source)
        yield Partition(
            key, "files", source, path, start, start + len(chunk), files=chunk, digest=digest.hexdigest(), size=covered
        )


def _plan_jsonl(source: str, fmt: str, per_partition: int) -> Iterator[Partition]:
    """Cut every ``per_partition`` non-blank lines; plain files by byte offset (seekable), gzipped ones by line."""
    gzipped = fmt == "jsonl.gz"
    digest = hashlib.blake2b()
    # (start, stop, first line, line after the last, hash, bytes)
    cuts: list[tuple[int, int, int, int, str, int]] = []
    start = offset = covered = 0
    first = line_no = 1
    documents = 0
    opener = gzip.open if gzipped else open
    try:
        with opener(source, "rb") as handle:
            for line in handle:
                digest.update(line)
                offset += 1 if gzipped else len(line)
                covered += len(line)
                line_no += 1
                if line.strip():
                    documents += 1
                    if documents == per_partition:
                        cuts.append((start, offset, first, line_no, digest.hexdigest(), covered))
                        start, first, documents, digest, covered = offset, line_no, 0, hashlib.blake2b(), 0
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise UsageError(f"{source}: cannot be read: {exc}") from None
    if documents:
        cuts.append((start, offset, first, line_no, digest.hexdigest(), covered))
    path = os.path.abspath(source)
    for start, stop, first, after, content, covered in cuts:
        key = _partition_id(fmt, path, first, after)  # by lines: editing a record keeps the partitions' names
        yield Partition(key, fmt, source, path, start=start, stop=stop, first=first, digest=content, size=covered)


def _plan_parquet(source: str, fields: Fields, size: int) -> Iterator[Partition]:
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    try:
        meta = pq.ParquetFile(source).metadata
    except Exception as exc:  # pyarrow raises its own error types for a damaged file
        raise UsageError(f"{source}: cannot be read as Parquet: {exc}") from None
    columns = set(meta.schema.names)
    for name in fields.columns():
        if name not in columns:
            raise UsageError(f"{source}: no column {name!r} (it has {', '.join(sorted(columns))})")
    digest = _file_digest(source)
    path = os.path.abspath(source)
    row = 1
    for group in range(meta.num_row_groups):
        rows = meta.row_group(group).num_rows
        group_bytes = meta.row_group(group).total_byte_size
        for start in range(0, rows, size):
            stop = min(rows, start + size)
            key = _partition_id("parquet", path, group, start, stop)
            share = group_bytes * (stop - start) // rows  # the group's bytes spread evenly over its rows
            yield Partition(
                key, "parquet", source, path, start=start, stop=stop, first=row, group=group, digest=digest, size=share
            )
        row += rows


def _file_digest(path: str) -> str:
    digest = hashlib.blake2b()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# -- Reading a partition (on a worker) ----------------------------------------------------


def read(partition: Partition, fields: Fields) -> Iterator[Document]:
    """The documents of a partition, in order; records that cannot be read carry their error."""
    if partition.format == "files":
        for shown, path in partition.files:
            yield Document(shown, partition.source, "file", path)
    elif partition.format == "parquet":
        yield from _read_parquet(partition, fields)
    else:
        yield from _read_jsonl(partition, fields)


def _jsonl_lines(partition: Partition) -> Iterator[bytes]:
    if partition.format == "jsonl.gz":
        with gzip.open(partition.path, "rb") as handle:
            yield from itertools.islice(handle, partition.start, partition.stop)
        return
    with open(partition.path, "rb") as handle:
        handle.seek(partition.start)
        yield from handle.read(partition.stop - partition.start).split(b"\n")  # as planned: \n ends a line


def _read_jsonl(partition: Partition, fields: Fields) -> Iterator[Document]:
    for line_no, line in enumerate(_jsonl_lines(partition), partition.first):
        if not line.strip():
            continue
        where = f"{partition.source}:{line_no}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problem = f"not valid JSON: {exc.msg} (column {exc.colno})"
        except UnicodeDecodeError as exc:
            problem = f"not valid UTF-8: {exc.reason}"
        else:
            if isinstance(record, dict):
                yield _document(record, where, partition.source, fields)
                continue
            problem = "not a JSON object"
        yield Document(where, partition.source, "unreadable", f"{where}: {problem}")


def _read_parquet(partition: Partition, fields: Fields) -> Iterator[Document]:
    import pyarrow.parquet as pq

    table = pq.ParquetFile(partition.path).read_row_group(partition.group, columns=fields.columns())
    records = table.slice(partition.start, partition.stop - partition.start).to_pylist()
    for i, record in enumerate(records):
        where = f"{partition.source}: row {partition.first + partition.start + i}"
        yield _document(record, where, partition.source, fields)


def _document(record: dict[str, Any], where: str, source: str, fields: Fields) -> Document:
    """A record's document, or its error when the id or text is missing or no string."""
    doc_id = where
    if fields.id:
        value = record.get(fields.id)
        if value is None or isinstance(value, (dict, list)):
            problem = "has no" if value is None else "has a non-scalar"
            return Document(where, source, "unreadable", f"{where}: {problem} {fields.id!r} field (--id-field)")
        doc_id = str(value)
    url = record.get(fields.url) if fields.url else None
    text = record.get(fields.text)
    if not isinstance(text, str):
        problem = "has no" if text is None else f"has a {type(text).__name__}, not a string, as its"
        return Document(
            doc_id, source, "unreadable", f"{where}: {problem} {fields.text!r} field (--text-field)", _url(url)
        )
    return Document(doc_id, source, "text", text, _url(url))


def _url(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
