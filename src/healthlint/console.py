"""The standard streams as a command-line program finds them: closed ones, and text a terminal must not obey."""

from __future__ import annotations

import contextlib
import os
import re
import sys
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


class Descriptor1ToStderr:
    """While active, file descriptor 1 is standard error's; :attr:`stream` writes to the real standard output.

    ``contextlib.redirect_stdout`` moves Python's ``print``, not what a plugin's C library, a child process or a
    worker process writes to descriptor 1 itself, which landed in the middle of a JSON or SARIF document. The report
    is written to :attr:`stream` (a duplicate of the real descriptor 1, line-buffered where standard output is);
    everything else that writes to descriptor 1 meanwhile reaches standard error. :meth:`restore` (or leaving the
    ``with`` block) puts descriptor 1 back.
    """

    def __init__(self) -> None:
        self.stream: TextIO = sys.stdout
        self.active = False
        self._saved = -1
        self._python: contextlib.redirect_stdout[TextIO] | None = None

    def __enter__(self) -> Descriptor1ToStderr:
        stdout = sys.stdout
        stdout.flush()
        saved = os.dup(1)
        try:
            os.dup2(2, 1)
        except OSError:  # no standard error to point at: leave descriptor 1 as it is
            os.close(saved)
            return self
        self._saved, self.active = saved, True
        # The stream owns the duplicate: closed with it, never left to a later flush on a number reused meanwhile.
        self.stream = open(
            saved,
            "w",
            encoding=getattr(stdout, "encoding", None) or "utf-8",
            errors=getattr(stdout, "errors", None) or "strict",
            buffering=1 if getattr(stdout, "line_buffering", False) else -1,  # 1: line by line on a terminal
        )
        self._python = contextlib.redirect_stdout(sys.stderr)
        self._python.__enter__()
        return self

    def restore(self) -> None:
        """Put descriptor 1 (and Python's ``sys.stdout``) back; the stream is closed (flushed first)."""
        if not self.active:
            return
        self.active = False
        if self._python is not None:
            self._python.__exit__(None, None, None)
            self._python = None
        try:
            self.stream.flush()  # a reader gone (BrokenPipeError) is the caller's to report, once
        finally:
            os.dup2(self._saved, 1)
            with contextlib.suppress(OSError, ValueError):
                self.stream.close()
            self.stream = sys.stdout

    def __exit__(self, *exc: object) -> None:
        self.restore()
