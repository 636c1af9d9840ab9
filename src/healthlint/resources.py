"""Data files shipped with healthlint: ``healthlint/data/`` and each rule family's ``data/`` folder.

Read straight from the package folder: ``importlib.resources`` costs about 7 ms to import
(it brings in ``tempfile`` and ``shutil``), which every single-file check would pay. An
installation the folder cannot be read from (a zip archive) falls back to it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data"


def read_data(name: str, package: str | None = None) -> str:
    """The text of ``data/<name>`` of ``package`` (a family's ``__package__``; default: healthlint).

    ``name`` may hold ``/``. :raises OSError: when missing.
    """
    parts = package.split(".")[1:] if package else []
    try:
        return ROOT.joinpath(*parts, "data", name).read_text(encoding="utf-8")
    except FileNotFoundError:
        from importlib.resources import files

        return files(package or "healthlint").joinpath("data", *name.split("/")).read_text(encoding="utf-8")


@cache
def data_lines(name: str, package: str | None = None) -> tuple[str, ...]:
    """The non-empty, non-comment lines of ``data/<name>`` of ``package``, stripped (read once per process).

    :raises OSError: when the file is missing (a broken installation).
    """
    text = read_data(name, package)
    return tuple(line for line in (raw.strip() for raw in text.splitlines()) if line and line[0] != "#")
