"""The ``--out`` folder: the manifest of finished partitions, their Parquet parts, and the merged results.

``manifest.jsonl`` is a journal: its first line names the run (the fingerprint of the config,
plugins and audit options), and one line is appended, and synced, as each partition's parts
are written. Killed at any moment, the folder still says exactly which partitions are done (a
line torn by the kill is ignored), so the next run checks only the rest.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from healthlint.audit.checker import UsageError
from healthlint.audit.task import PartitionResult, Tally, documents_schema, findings_schema
from healthlint.storage.atomic import new_file_mode, replace_file

MANIFEST = "manifest.jsonl"
PARTS = "parts"
OUTPUTS = ("findings.parquet", "documents.parquet", "summary.json")
FORMAT = 1


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Around a write to ``--out``: a full disk or a read-only folder is the user's to fix, and the audit resumes.

    :raises UsageError: naming the file (exit 2; it was exit 3, "internal error: OSError").
    """
    try:
        yield
    except OSError as exc:
        where = exc.filename if isinstance(exc.filename, str) and exc.filename else str(path)
        reason = (exc.strerror or str(exc)).lower()
        raise UsageError(
            f"{where}: cannot be written: {reason}; free some space (or give --out a writable folder), then run"
            " the same command again to resume"
        ) from None


class OutDir:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.parts = path / PARTS

    def open(self, fingerprint: str, options: dict[str, Any], fresh: bool) -> dict[str, str]:
        """Start or resume the audit in this folder: the content hash of each partition already done, by id.

        :raises UsageError: when the folder holds an audit of another configuration (unless ``fresh``).
        """
        manifest = self.path / MANIFEST
        if fresh:
            self._clear()
        elif manifest.exists():
            header = self._header()
            same = header.get("fingerprint") == fingerprint and header.get("options") == options
            if same and header.get("format") == FORMAT:
                self._end_torn_line()
                return {entry["partition"]: entry["digest"] for _, entry in self._entries()}
            before = header.get("options", {})
            changed = sorted(k for k in {*options, *before} if options.get(k) != before.get(k))
            what = ", ".join(changed) if changed else "configuration, plugins or healthlint version"
            raise UsageError(
                f"{self.path} holds an audit made with other settings ({what} changed): "
                "use --fresh to start it over, or another --out"
            )
        elif self.path.exists() and any(self.path.iterdir()):
            raise UsageError(f"{self.path} is not empty and holds no audit: choose an empty or new folder for --out")
        header = {"format": FORMAT, "fingerprint": fingerprint, "options": options}
        with _writing(self.path):
            self.parts.mkdir(parents=True, exist_ok=True)
            replace_file(manifest, (json.dumps(header, sort_keys=True) + "\n").encode(), mode=new_file_mode())
        return {}

    def _clear(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            (self.path / MANIFEST).unlink()
        for name in OUTPUTS:
            with contextlib.suppress(FileNotFoundError):
                (self.path / name).unlink()
        shutil.rmtree(self.parts, ignore_errors=True)

    def _header(self) -> dict[str, Any]:
        with open(self.path / MANIFEST, "rb") as handle:
            try:
                header: dict[str, Any] = json.loads(handle.readline())
            except json.JSONDecodeError:
                raise UsageError(f"{self.path / MANIFEST}: damaged; use --fresh to start the audit over") from None
        return header

    def _end_torn_line(self) -> None:
        """A run killed while appending leaves half a line: end it, so the next entry starts on its own."""
        with open(self.path / MANIFEST, "rb+") as handle:
            handle.seek(-1, os.SEEK_END)
            if handle.read(1) != b"\n":
                handle.write(b"\n")

    def _entries(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """The finished partitions' entries, numbered, read one line at a time."""
        with open(self.path / MANIFEST, "rb") as handle:
            handle.readline()
            for number, line in enumerate(handle):
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError:
                    continue  # the line being written when the run was killed: its partition is redone

    def tallies(self, wanted: dict[str, str]) -> Iterator[tuple[Tally, dict[str, Tally]]]:
        """The tallies (overall, per site) of these partitions (id -> content hash), from their latest entries."""
        latest = {entry["partition"]: number for number, entry in self._entries() if entry["partition"] in wanted}
        chosen = set(latest.values())
        for number, entry in self._entries():
            if number in chosen and entry["digest"] == wanted[entry["partition"]]:
                sites = {site: Tally.from_json(t) for site, t in entry["sites"].items()}
                yield Tally.from_json(entry["tally"]), sites

    def record(self, result: PartitionResult) -> None:
        """Write a partition's parts, then note it done in the manifest (so a listed part always exists)."""
        key = result.partition.id
        self._write_part(f"{key}.findings.parquet", result.findings)
        self._write_part(f"{key}.documents.parquet", result.documents)
        entry = {
            "partition": key,
            "digest": result.partition.digest,
            "tally": result.tally.to_json(),
            "sites": {site: t.to_json() for site, t in sorted(result.sites.items())},
        }
        with _writing(self.path / MANIFEST), open(self.path / MANIFEST, "ab") as handle:
            handle.write((json.dumps(entry, sort_keys=True) + "\n").encode())
            handle.flush()
            os.fsync(handle.fileno())

    def _write_part(self, name: str, data: bytes) -> None:
        with _writing(self.parts / name):
            replace_file(self.parts / name, data, mode=new_file_mode())

    def merge(self, partitions: Iterable[str]) -> None:
        """Join the parts of these partitions, in order, into ``findings.parquet`` and ``documents.parquet``.

        Each part is read and written in turn, so memory holds one part per file whatever the
        corpus size; the file appears whole under its name at the end (temporary file, then
        rename). The two files are joined at once: pyarrow reads and writes outside the GIL,
        and this is the one step of an audit no worker shares.
        """
        from concurrent.futures import ThreadPoolExecutor

        keys = list(partitions)
        with ThreadPoolExecutor(2) as pool:
            for joined in [pool.submit(self._join, what, keys) for what in ("findings", "documents")]:
                joined.result()

    def _join(self, what: str, keys: list[str]) -> None:
        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        parts = [self.parts / f"{key}.{what}.parquet" for key in keys]
        if what == "findings":
            schema = findings_schema()
        else:  # the fixed columns first, then every metric any part has
            schema = _unified([documents_schema(), *(pq.read_schema(p) for p in parts)])
        target = self.path / f"{what}.parquet"
        tmp = target.with_name(f".{target.name}.tmp")
        try:
            with _writing(target), pq.ParquetWriter(tmp, schema) as writer:
                for part in parts:
                    # ParquetFile.read: read_table sets up a dataset, which costs twice as much for a part
                    writer.write_table(_conform(pq.ParquetFile(part).read(), schema))
            with _writing(target):
                os.replace(tmp, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()

    def write_summary(self, summary: dict[str, Any]) -> None:
        data = json.dumps(summary, indent=2, sort_keys=False) + "\n"
        # the results a user reads, as readable as the Parquet files beside it (not a temporary file's 0600)
        with _writing(self.path / "summary.json"):
            replace_file(self.path / "summary.json", data.encode(), mode=new_file_mode())


def _unified(schemas: list[Any]) -> Any:
    """One schema for every part: a metric missing from a part is null there; a column whose
    type differs between parts (a plugin reporting a number here and text there) becomes text."""
    import pyarrow as pa

    columns: dict[str, Any] = {}
    for schema in schemas:
        for f in schema:
            seen = columns.get(f.name)
            if seen is None or pa.types.is_null(seen):
                columns[f.name] = f.type
            elif not pa.types.is_null(f.type) and f.type != seen:
                columns[f.name] = pa.string()
    return pa.schema([(name, pa.string() if pa.types.is_null(t) else t) for name, t in columns.items()])


def _conform(table: Any, schema: Any) -> Any:
    import pyarrow as pa

    arrays = []
    for f in schema:
        if f.name not in table.column_names:
            arrays.append(pa.nulls(table.num_rows, f.type))
        elif table.schema.field(f.name).type == f.type:
            arrays.append(table.column(f.name))
        elif pa.types.is_string(f.type) and not pa.types.is_null(table.schema.field(f.name).type):
            arrays.append(pa.array([None if v is None else str(v) for v in table.column(f.name).to_pylist()], f.type))
        else:
            arrays.append(table.column(f.name).cast(f.type))
    return pa.Table.from_arrays(arrays, schema=schema)
