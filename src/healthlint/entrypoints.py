"""Entry points of installed distributions, read without importing importlib.metadata.

``importlib.metadata`` costs tens of milliseconds to import (it pulls in the email package),
which a pre-commit hook pays on every commit. Installed distributions keep their entry
points in ``*.dist-info/entry_points.txt`` (or ``*.egg-info``), a small INI file, so reading
those directly is enough. Anything unusual on ``sys.path`` (a zip archive) falls back to
``importlib.metadata``, which handles every case.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_NAME_RE = re.compile(r"[-_.]+")


@dataclass(frozen=True)
class EntryPoint:
    """One entry point: ``name = module:attribute`` of a distribution."""

    name: str
    value: str
    group: str
    dist_name: str
    dist_version: str
    #: The distribution's metadata folder (``*.dist-info``, ``*.egg-info``), where it is one ("" where unknown).
    dist_path: str = field(default="", compare=False)

    def load(self) -> Any:
        module_name, _, attribute = self.value.partition(":")
        target: Any = importlib.import_module(module_name.strip())
        for part in filter(None, attribute.strip().split(".")):
            target = getattr(target, part)
        return target


def normalize(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return _NAME_RE.sub("-", name).lower()


def entry_points(group: str, path: Iterable[str] | None = None) -> list[EntryPoint]:
    """Entry points of ``group`` of every distribution on ``path`` (default ``sys.path``).

    Like ``importlib.metadata``, the first distribution of a name on the path wins.
    """
    entries = list(sys.path if path is None else path)
    if any(os.path.isfile(entry) for entry in entries):
        return _from_importlib_metadata(group)
    out: list[EntryPoint] = []
    seen: set[str] = set()
    for folder, info in _metadata_folders(entries):
        name, version = _name_and_version(folder, info)
        key = normalize(name)
        if key in seen:
            continue
        seen.add(key)
        out.extend(_read_entry_points(folder, group, name, version))
    return out


def _metadata_folders(entries: list[str]) -> Iterator[tuple[Path, str]]:
    for entry in entries:
        base = Path(entry or ".")
        try:
            names = sorted(os.listdir(base))
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info"):
                yield base / name, "METADATA"
            elif name.endswith(".egg-info") and (base / name).is_dir():
                yield base / name, "PKG-INFO"


def _name_and_version(folder: Path, info: str) -> tuple[str, str]:
    """Name and version from the metadata headers (the folder name as a fallback)."""
    name = version = ""
    try:
        with open(folder / info, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if not line.strip():
                    break  # the headers end at the first blank line
                key, _, value = line.partition(":")
                if key == "Name":
                    name = value.strip()
                elif key == "Version":
                    version = value.strip()
                if name and version:
                    break
    except OSError:
        pass
    if not name:
        stem = folder.name.rsplit(".", 1)[0]
        name, _, rest = stem.partition("-")
        version = version or rest.split("-")[0]
    return name, version


def _read_entry_points(folder: Path, group: str, dist_name: str, dist_version: str) -> list[EntryPoint]:
    try:
        text = (folder / "entry_points.txt").read_text(encoding="utf-8")
    except OSError:
        return []
    out = []
    section = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section == group and "=" in line:
            name, _, value = line.partition("=")
            out.append(EntryPoint(name.strip(), value.strip(), group, dist_name, dist_version, str(folder)))
    return out


def _from_importlib_metadata(group: str) -> list[EntryPoint]:
    import importlib.metadata

    out = []
    for ep in importlib.metadata.entry_points(group=group):
        dist = getattr(ep, "dist", None)
        name = (dist.metadata["Name"] if dist is not None else None) or "?"
        version = (dist.version if dist is not None else None) or "?"
        folder = getattr(dist, "_path", None)  # a PathDistribution's folder (a zip's Path too)
        out.append(EntryPoint(ep.name, ep.value, group, name, version, str(folder) if folder is not None else ""))
    return out


def distribution_version(name: str, path: Iterable[str] | None = None) -> str | None:
    """The version of the first distribution called ``name`` on ``path`` (default ``sys.path``), or None."""
    return distribution_versions([name], path)[name]


def distribution_versions(names: Iterable[str], path: Iterable[str] | None = None) -> dict[str, str | None]:
    """:func:`distribution_version` of each name, from one pass over ``path``."""
    wanted = {normalize(name): name for name in names}
    found: dict[str, str | None] = dict.fromkeys(wanted.values())
    entries = list(sys.path if path is None else path)
    if any(os.path.isfile(entry) for entry in entries):
        import importlib.metadata

        for name in found:
            with contextlib.suppress(importlib.metadata.PackageNotFoundError):
                found[name] = importlib.metadata.version(name)
        return found
    missing = dict(wanted)
    for folder, info in _metadata_folders(entries):
        # Metadata folders are named after the distribution ("Foo_Bar-1.0.dist-info"), so only
        # the candidates' headers are read.
        key = normalize(folder.name.rsplit(".", 1)[0].partition("-")[0])
        if key not in missing:
            continue
        dist_name, version = _name_and_version(folder, info)
        if normalize(dist_name) == key:
            found[missing.pop(key)] = version
            if not missing:
                break
    return found
