"""The ``healthlint`` program (the entry point pip's script calls, and ``python -m healthlint``).

:func:`main` takes SIGINT first (see :mod:`healthlint.interrupts`), before the command line's imports. Importing this
module changes nothing: a host that imports every module (``pytest --doctest-modules``, sphinx's autodoc) keeps its own
Ctrl-C. Between the import and the call, pip's script only rewrites ``sys.argv[0]`` (microseconds).
"""

from __future__ import annotations

from healthlint.interrupts import quick_exit_on_interrupt

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn


def main() -> NoReturn:
    """The ``healthlint`` entry point."""
    quick_exit_on_interrupt()  # before the command line's 0.2 s of imports
    from healthlint.cli import console_main

    console_main()
