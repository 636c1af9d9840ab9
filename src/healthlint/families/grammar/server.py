"""A LanguageTool on this machine: its jars (fetched with Maven), and a server started from them.

A LanguageTool folder is a folder of jars (what ``healthlint languagetool fetch`` copies from
Maven Central) or an unzipped LanguageTool download; either runs as
``java -cp '<folder>/*' org.languagetool.server.HTTPServer --port PORT``, which listens on
127.0.0.1 only. A run starts one on a free port and stops it at the end; ``healthlint
languagetool serve`` keeps one running and leaves a note in the data cache folder, so runs
configured with the same folder use that one instead of starting their own.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from healthlint.families.grammar.client import CheckSettings, LanguageToolClient, LanguageToolError
from healthlint.resources import read_data
from healthlint.storage.atomic import write_atomically
from healthlint.storage.datacache import data_cache_dir

if TYPE_CHECKING:
    import subprocess

DIR_ENV = "HEALTHLINT_LANGUAGETOOL_DIR"
MAIN_CLASS = "org.languagetool.server.HTTPServer"
#: LanguageTool loads its rules for about 10 s (more on a busy machine) before it answers.
STARTUP_TIMEOUT = 180.0
#: Where ``serve`` says which server it runs (in the data cache folder).
SERVE_NOTE = "languagetool-serve.json"
FETCH_HINT = f"get one with `healthlint languagetool fetch` (needs Java 17 and Maven) and set {DIR_ENV} to its folder"


class ServerError(Exception):
    """A LanguageTool could not be fetched or started (the message says why)."""


def pinned_version() -> str:
    """The LanguageTool version in the family's ``data/pom.xml``."""
    found = re.search(r"<languagetool\.version>([^<]+)</languagetool\.version>", read_data("pom.xml", __package__))
    if found is None:
        raise ServerError("data/pom.xml of the grammar family names no <languagetool.version>")
    return found.group(1).strip()


def fetched_dir() -> Path:
    """Where ``healthlint languagetool fetch`` puts the pinned LanguageTool by default."""
    return data_cache_dir() / f"languagetool-{pinned_version()}"


def is_languagetool_dir(folder: Path) -> bool:
    """Whether ``folder`` holds LanguageTool's server (a Maven jar folder or an unzipped download)."""
    try:
        return any(folder.glob("languagetool-server*.jar"))
    except OSError:
        return False


def downloaded_by_language_tool_python() -> Path | None:
    """A LanguageTool that language-tool-python downloaded (``$LTP_PATH`` or its default folder)."""
    base = Path(os.environ.get("LTP_PATH") or Path.home() / ".cache" / "language_tool_python")
    try:
        found = [path for path in base.glob("LanguageTool-*") if path.is_dir() and is_languagetool_dir(path)]
    except OSError:
        return None
    return max(found, key=lambda p: p.name) if found else None


def answers(url: str, timeout: float = 2.0) -> bool:
    """Whether a LanguageTool server answers at ``url``."""
    import urllib.request  # a run that asks no server does not pay for importing it

    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/v2/languages", timeout=timeout) as response:
            return bool(response.status == 200)
    except (OSError, ValueError):
        return False


def java() -> str | None:
    import shutil

    return shutil.which("java")


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _parent_death_signal() -> Callable[[], None] | None:
    """For the server process: get SIGTERM when healthlint ends, even by ``kill -9`` (Linux only).

    The C library is loaded here, in healthlint, so the forked child only makes one call.
    """
    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    import signal

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return lambda: prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class LocalServer:
    """A LanguageTool server process started from a folder; ``stop()`` ends it."""

    def __init__(self, folder: Path, port: int | None = None) -> None:
        self.folder = folder
        self.port = port or _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        #: Worker processes forked by ``--jobs`` inherit this object; only the starter stops the server.
        self._owner = os.getpid()

    def start(self, language: str = "en-US", timeout: float = STARTUP_TIMEOUT) -> str:
        """Start the server, wait until it answers and warm it up for ``language``; its URL.

        :raises ServerError: naming why it did not start.
        """
        import subprocess
        import tempfile

        program = java()
        if program is None:
            raise ServerError(f"LanguageTool is installed in {self.folder} but Java is not: install Java 17")
        classpath = os.pathsep.join(str(p) for p in (self.folder / "*", self.folder / "libs" / "*", self.folder))
        # The server's output, read only to say why it failed; it lives as long as the server.
        self._log = tempfile.TemporaryFile(prefix="healthlint-languagetool-")  # noqa: SIM115
        self.process = subprocess.Popen(
            [program, "-cp", classpath, MAIN_CLASS, "--port", str(self.port)],
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches healthlint, which stops the server itself
            preexec_fn=_parent_death_signal(),
        )
        deadline = time.monotonic() + timeout
        while not answers(self.url, timeout=1.0):
            code = self.process.poll()
            if code is not None:
                why = self.last_output_line()
                self.stop()
                raise ServerError(f"LanguageTool in {self.folder} exited with code {code}: {why}")
            if time.monotonic() > deadline:
                self.stop()
                raise ServerError(f"LanguageTool in {self.folder} did not answer within {timeout:g} s")
            time.sleep(0.25)
        # The first check loads the language's rules, which takes seconds: not the first article's wait.
        with contextlib.suppress(OSError, LanguageToolError):
            LanguageToolClient(self.url, STARTUP_TIMEOUT).check("LanguageTool warms up.", CheckSettings(language))
        return self.url

    def last_output_line(self) -> str:
        """The server's last line of output that is not a stack frame (why it stopped)."""
        if self._log is None:
            return ""
        self._log.seek(0)
        lines = [line.strip() for line in self._log.read().decode("utf-8", "replace").splitlines() if line.strip()]
        causes = [line for line in lines if not line.startswith("at ")]
        return (causes or lines or ["no output"])[-1][:300]

    def stop(self) -> None:
        """End the server (and wait for it), if it runs and this process started it."""
        if os.getpid() != self._owner:
            return
        import subprocess

        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None


# -- the server ``healthlint languagetool serve`` keeps running ------------------------------------


def write_serve_note(server: LocalServer) -> None:
    note = {"url": server.url, "folder": str(server.folder.resolve()), "pid": os.getpid()}
    write_atomically(data_cache_dir() / SERVE_NOTE, json.dumps(note).encode("utf-8"))


def remove_serve_note(server: LocalServer) -> None:
    path = data_cache_dir() / SERVE_NOTE
    with contextlib.suppress(OSError, ValueError):
        if json.loads(path.read_text(encoding="utf-8")).get("url") == server.url:
            path.unlink()


def serve(folder: Path, port: int, ready: Callable[[str], None]) -> None:
    """Run a server from ``folder`` on ``port`` until Ctrl-C or SIGTERM, noting it for runs to reuse.

    :raises ServerError: when it cannot start, or stops by itself.
    """
    import signal

    url = f"http://127.0.0.1:{port}"
    if answers(url):
        raise ServerError(f"a LanguageTool already answers at {url}")
    server = LocalServer(folder, port)
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)  # SIGTERM: clean up as for Ctrl-C
    try:
        server.start()
        write_serve_note(server)
        ready(server.url)
        while server.process is not None and server.process.poll() is None:
            time.sleep(0.5)
        raise ServerError(f"LanguageTool stopped by itself: {server.last_output_line()}")
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        remove_serve_note(server)
        server.stop()


def served_url(folder: Path) -> str | None:
    """The URL of the server ``serve`` runs from ``folder``, if it answers."""
    try:
        note: dict[str, Any] = json.loads((data_cache_dir() / SERVE_NOTE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    url = str(note.get("url", ""))
    if note.get("folder") != str(folder.resolve()) or not url.startswith("http://127.0.0.1:"):
        return None
    return url if answers(url) else None


# -- fetching ------------------------------------------------------------------------------------


def fetch(destination: Path) -> Path:
    """Copy the pinned LanguageTool's jars from Maven Central into ``destination`` (unless there).

    :raises ServerError: when Maven is missing or fails.
    """
    import shutil
    import subprocess
    import tempfile

    if is_languagetool_dir(destination):
        return destination
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ServerError(
            "Maven (mvn) is not installed: install it, or download LanguageTool from "
            f"https://languagetool.org/download/, unzip it and set {DIR_ENV} to its folder"
        )
    partial = destination.with_name(destination.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="healthlint-languagetool-pom-") as work:
        (Path(work) / "pom.xml").write_text(read_data("pom.xml", __package__), encoding="utf-8")
        done = subprocess.run(
            [mvn, "-q", "-B", "dependency:copy-dependencies", f"-DoutputDirectory={partial}"],
            cwd=work,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0 or not is_languagetool_dir(partial):
        shutil.rmtree(partial, ignore_errors=True)
        output = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
        raise ServerError(f"Maven could not fetch LanguageTool: {output[-1] if output else done.returncode}")
    shutil.rmtree(destination, ignore_errors=True)
    partial.rename(destination)
    return destination
