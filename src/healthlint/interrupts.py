"""Ctrl-C in the ``healthlint`` program: from its very start one line and exit 130, never a traceback.

The command line's imports take about 0.2 s; a ``KeyboardInterrupt`` raised among them (or while click reads the
arguments) printed Python's traceback. The program (:func:`healthlint.program.main`) takes SIGINT before it imports
anything else of healthlint's: until the command starts (:func:`take_interrupts`), an interrupt prints ``healthlint:
interrupted`` and ends the process with 130 at once (nothing is open yet); from then on it is a ``KeyboardInterrupt``
the command handles (``publish`` keeps the old site); once the command has finished, the quick exit is back for the
teardown. An inherited "ignore SIGINT" (a job a script started with ``nohup`` or ``&``) is left as it is.

Before the program's main() runs there is only the interpreter's own start-up and the first lines of the script pip
writes (``import re``): about 15 ms in which a signal is the interpreter's, which no package's code can take.
"""

from __future__ import annotations

import os
import signal

TYPE_CHECKING = False  # typing is not imported before SIGINT is taken
if TYPE_CHECKING:
    from types import FrameType

#: What an interrupt prints, here and in the command line.
INTERRUPTED = "healthlint: interrupted"
#: The exit status of an interrupted run (128 + SIGINT), as ``ExitCode.INTERRUPTED``.
EXIT_INTERRUPTED = 130


def interrupted(signum: int, frame: FrameType | None) -> None:
    """SIGINT outside a command: say so in one line and end now."""
    try:  # noqa: SIM105  (contextlib is not imported yet)
        os.write(2, f"{INTERRUPTED}\n".encode())
    except OSError:
        pass  # stderr closed: the exit status says it
    os._exit(EXIT_INTERRUPTED)


def quick_exit_on_interrupt() -> None:
    """Take SIGINT with :func:`interrupted`, unless the process was started ignoring it."""
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, interrupted)


def take_interrupts() -> None:
    """A command starts: an interrupt is a ``KeyboardInterrupt`` again (where :func:`quick_exit_on_interrupt` set
    one; in-process callers, tests among them, keep theirs)."""
    if signal.getsignal(signal.SIGINT) is interrupted:
        signal.signal(signal.SIGINT, signal.default_int_handler)
