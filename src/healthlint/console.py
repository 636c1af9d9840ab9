"""The standard streams as a command-line program finds them: closed ones, and text a terminal must not obey."""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator
from typing import TextIO

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


@contextlib.contextmanager
def descriptor_1_to_stderr() -> Iterator[TextIO]:
    """For the block, file descriptor 1 is standard error's; yields a stream on the real standard output.

    ``contextlib.redirect_stdout`` moves Python's ``print``, not what a plugin's C library, a child process or a
    worker process writes to descriptor 1 itself, which landed in the middle of a JSON or SARIF document. The
    report is written to the yielded stream (a duplicate of the real descriptor 1), everything else that writes to
    descriptor 1 meanwhile reaches standard error; descriptor 1 is put back when the block ends.
    """
    stdout = sys.stdout
    stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
    except OSError:  # no standard error to point at: leave descriptor 1 as it is
        os.close(saved)
        yield stdout
        return
    # The stream owns the duplicate: closed with it, never left to a later flush on a number reused meanwhile.
    report = open(  # noqa: SIM115  (closed below, after the block)
        saved, "w", encoding=stdout.encoding or "utf-8", errors=stdout.errors or "strict"
    )
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield report
    finally:
        try:
            report.flush()  # a reader gone (BrokenPipeError) is the caller's to report, once
        finally:
            os.dup2(saved, 1)
            with contextlib.suppress(OSError, ValueError):
                report.close()
