"""The ``healthlint`` program (the entry point pip's script calls, and ``python -m healthlint``).

Importing this module is the program starting: it takes SIGINT first (see :mod:`healthlint.interrupts`), before the
script pip writes goes on and before the command line's imports. Nothing else imports it.
"""

from __future__ import annotations

from healthlint.interrupts import quick_exit_on_interrupt

quick_exit_on_interrupt()

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import NoReturn


def main() -> NoReturn:
    """The ``healthlint`` entry point."""
    quick_exit_on_interrupt()  # again, for a caller that imported this module long before
    from healthlint.cli import console_main

    console_main()
