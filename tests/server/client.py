"""A small Language Server Protocol client: drives ``healthlint server`` over stdio as an editor does.

Messages are JSON-RPC 2.0 in ``Content-Length`` framed packets. A reader thread collects
what the server sends; requests the server makes of the client (``workspace/applyEdit``,
``client/registerCapability``) are answered the way an editor would.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Message = dict[str, Any]


def encode(message: Message) -> bytes:
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def read_message(stream: Any) -> Message | None:
    """One framed message from a binary stream, or None at the end of the stream."""
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            break
        name, _, value = line.decode("ascii").partition(":")
        if name.lower() == "content-length":
            length = int(value)
    assert length is not None, "a message without Content-Length"
    body = stream.read(length)
    message: Message = json.loads(body.decode("utf-8"))
    return message


class LspClient:
    """``healthlint server`` in a subprocess, and the conversation with it."""

    def __init__(self, cwd: Path, *args: str, env: dict[str, str] | None = None) -> None:
        command = [sys.executable, "-m", "healthlint", *args, "server"]
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close(), with the process)
        self.process = subprocess.Popen(
            command,
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env={**os.environ, **(env or {})},
        )
        self._next_id = 0
        self._responses: dict[int, Message] = {}
        self.notifications: queue.Queue[Message] = queue.Queue()
        #: Every ``workspace/applyEdit`` the server asked for.
        self.applied_edits: list[Message] = []
        self._lock = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        while (message := read_message(self.process.stdout)) is not None:
            if "id" in message and "method" in message:
                self._answer(message)
            elif "id" in message:
                with self._lock:
                    self._responses[message["id"]] = message
                    self._lock.notify_all()
            else:
                self.notifications.put(message)

    def _answer(self, request: Message) -> None:
        result: Any = None
        if request["method"] == "workspace/applyEdit":
            self.applied_edits.append(request["params"])
            result = {"applied": True}
        self.send({"jsonrpc": "2.0", "id": request["id"], "result": result})

    def send(self, message: Message) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(encode(message))
        self.process.stdin.flush()

    def request(self, method: str, params: Any = None, timeout: float = 60) -> Any:
        """Send a request and wait for its result (an error response fails the test)."""
        self._next_id += 1
        ident = self._next_id
        self.send({"jsonrpc": "2.0", "id": ident, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        with self._lock:
            while ident not in self._responses:
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    raise AssertionError(f"no answer to {method}: {self.stderr_text()}")
                self._lock.wait(min(left, 0.5))
            response = self._responses.pop(ident)
        assert "error" not in response, response["error"]
        return response.get("result")

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_for(self, method: str, accept: Callable[[Any], bool] = lambda params: True, timeout: float = 60) -> Any:
        """The params of the next notification ``method`` that ``accept`` takes (others are dropped)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {method} notification: {self.stderr_text()}")
            try:
                message = self.notifications.get(timeout=min(left, 0.5))
            except queue.Empty:
                if self.process.poll() is not None:
                    raise AssertionError(f"the server exited: {self.stderr_text()}") from None
                continue
            if message.get("method") == method and accept(message.get("params")):
                return message.get("params")

    def diagnostics(self, uri: str, version: int | None = None, timeout: float = 60) -> list[Message]:
        """The next diagnostics published for ``uri`` (for that document version, when given)."""
        params = self.wait_for(
            "textDocument/publishDiagnostics",
            lambda p: p["uri"] == uri and (version is None or p.get("version") == version),
            timeout,
        )
        found: list[Message] = params["diagnostics"]
        return found

    def initialize(self, root: Path, **options: Any) -> Any:
        capabilities = {
            "general": {"positionEncodings": ["utf-16"]},
            "workspace": {"applyEdit": True, "didChangeWatchedFiles": {"dynamicRegistration": True}},
            "textDocument": {"publishDiagnostics": {"versionSupport": True}},
        }
        result = self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": root.as_uri(),
                "capabilities": capabilities,
                "initializationOptions": options,
            },
        )
        self.notify("initialized", {})
        return result

    def open(self, path: Path, text: str, language: str = "markdown", version: int = 1) -> str:
        uri = path.as_uri()
        document = {"uri": uri, "languageId": language, "version": version, "text": text}
        self.notify("textDocument/didOpen", {"textDocument": document})
        return uri

    def shutdown(self, timeout: float = 30) -> int:
        """Shut down and exit as an editor does; the server's exit code."""
        self.request("shutdown")
        self.notify("exit")
        try:
            return self.process.wait(timeout)
        finally:
            self.close()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()
        self._stderr.close()

    def stderr_text(self) -> str:
        """The end of what the server wrote on standard error."""
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")[-2000:]


def utf16_offset(text: str, line: int, character: int) -> int:
    """The string offset of an LSP position (UTF-16 columns), computed the plain way."""
    lines = text.splitlines(keepends=True)
    start = sum(len(x) for x in lines[:line])
    units = 0
    for i, char in enumerate(lines[line] if line < len(lines) else ""):
        if units >= character:
            return start + i
        units += 2 if ord(char) > 0xFFFF else 1
    return start + (len(lines[line].rstrip("\r\n")) if line < len(lines) else 0)


def apply_text_edits(text: str, edits: list[Message]) -> str:
    """Apply LSP text edits as an editor does (from the end backwards)."""
    located = [
        (
            utf16_offset(text, e["range"]["start"]["line"], e["range"]["start"]["character"]),
            utf16_offset(text, e["range"]["end"]["line"], e["range"]["end"]["character"]),
            e["newText"],
        )
        for e in edits
    ]
    for start, end, new in sorted(located, reverse=True):
        text = text[:start] + new + text[end:]
    return text
