"""The standard streams as a command-line program finds them: closed ones, and text a terminal must not obey."""

from __future__ import annotations

import os
import re
import sys

#: Control characters (C0, DEL, C1): an escape sequence in a file name or a plugin's message
#: could recolour, retitle or rewrite the reader's terminal.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """``text`` with every control character but the newline written as a visible ``\\xNN`` escape."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text) if _CONTROL.search(text) else text


def open_closed_streams() -> list[str]:
    """Point closed standard streams at the null device; the names of those that were closed.

    Run as ``healthlint check >&-``, descriptor 1 is free: the first file healthlint opened
    (a cache) would take it, and a write meant for stdout would land in that file.
    """
    closed = []
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)  # the lowest free descriptor: ``fd`` itself
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
            setattr(sys, name, open(fd, "r" if fd == 0 else "w", encoding="utf-8", closefd=False))  # noqa: SIM115
            closed.append(name)
    return closed
