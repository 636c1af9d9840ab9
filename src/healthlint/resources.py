"""Data files shipped in ``healthlint/data``.

Read straight from the package folder: ``importlib.resources`` costs about 7 ms to import
(it brings in ``tempfile`` and ``shutil``), which every single-file check would pay. An
installation the folder cannot be read from (a zip archive) falls back to it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def read_data(name: str) -> str:
    """The text of ``healthlint/data/<name>`` (``name`` may hold ``/``). :raises OSError: when missing."""
    try:
        return DATA.joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        from importlib.resources import files

        return files("healthlint").joinpath("data", *name.split("/")).read_text(encoding="utf-8")


@cache
def data_lines(name: str) -> tuple[str, ...]:
    """The non-empty, non-comment lines of ``healthlint/data/<name>``, stripped (read once per process).

    :raises OSError: when the file is missing (a broken installation).
    """
    return tuple(line for line in (raw.strip() for raw in read_data(name).splitlines()) if line and line[0] != "#")
