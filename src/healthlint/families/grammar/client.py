"""One run's connection to LanguageTool: finding or starting the server, requests, the answer cache.

The server is, in this order: ``server-url`` from the options, ``$HEALTHLINT_LANGUAGETOOL_URL``,
or a LanguageTool that language-tool-python has already downloaded (``$LTP_PATH`` or
``~/.cache/language_tool_python``), started locally when Java is installed. healthlint never
downloads one. Answers are cached by a hash of the text and the request settings, in memory
and (unless ``cache = false``) on disk under the data cache folder.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from healthlint.article import Article
from healthlint.config import Config
from healthlint.families.grammar.classify import SPELLING_CATEGORIES
from healthlint.families.grammar.match import LtMatch
from healthlint.families.grammar.options import PLUGIN, SETUP_HINT, URL_ENV, GrammarOptions
from healthlint.families.grammar.prose import PROSE_KINDS, Located, chunks, locate, request_text
from healthlint.storage.atomic import write_atomically
from healthlint.storage.datacache import data_cache_dir

if TYPE_CHECKING:
    from language_tool_python import LanguageTool

LOG = logging.getLogger(__name__)

#: Disk cache entries older than this are not used.
CACHE_MAX_AGE = 30 * 24 * 3600


@dataclass
class ArticleGrammar:
    #: ``checked``, ``unavailable`` (no server this run) or ``failed`` (the server failed on this article).
    status: str
    matches: list[Located] = field(default_factory=list)


def _which(program: str) -> str | None:
    import shutil  # only a run that would start LanguageTool pays for importing it

    return shutil.which(program)


def installed_languagetool() -> Path | None:
    """A LanguageTool that language-tool-python already downloaded (never downloads one)."""
    base = Path(os.environ.get("LTP_PATH") or Path.home() / ".cache" / "language_tool_python")
    try:
        found = [
            path
            for path in base.glob("LanguageTool-*")
            if path.is_dir() and any((path / jar).is_file() for jar in ("languagetool-server.jar", "languagetool.jar"))
        ]
    except OSError:
        return None
    return max(found, key=lambda p: p.name) if found else None


def describe(exc: BaseException) -> str:
    """A short reason from a client error (requests' messages run to several lines)."""
    cause: BaseException = exc
    while cause.__cause__ is not None and cause.__cause__ is not cause:
        cause = cause.__cause__
    name = type(cause).__name__
    if "Timeout" in name:
        return "timed out"
    text = str(cause).strip() or name
    for marker in ("Connection refused", "Name or service not known", "No route to host", "Max retries exceeded"):
        if marker in text:
            return marker.lower()
    text = " ".join(text.split())
    return text if len(text) <= 160 else text[:157] + "..."


def _is_connection_problem(exc: BaseException) -> bool:
    """Timeouts and connection errors (which will repeat), as opposed to one bad response."""
    cause = exc.__cause__
    return isinstance(cause, OSError) or isinstance(exc, OSError)


class Session:
    """One run's connection to LanguageTool: connects on first use, caches, gives up cleanly."""

    def __init__(self, config: Config, options: GrammarOptions) -> None:
        self.config = config
        self.options = options
        self.client: LanguageTool | None = None
        self.url = ""
        #: Why grammar is not checked at all this run (None while it can be).
        self.unavailable: str | None = None
        #: Why the last article that could not be checked was not (a timeout, a bad response).
        self.failure: str | None = None
        #: Set after a timeout or connection error: later articles are skipped.
        self.broken = False
        #: No server is configured at all (a setting, not an outage).
        self.unconfigured = False
        self._connected = False
        #: The client that started a local LanguageTool server (it stops it on close).
        self._local: LanguageTool | None = None
        self._memory: dict[str, list[LtMatch]] = {}

    # -- connecting

    def server_url(self) -> str:
        return (self.options.server_url or os.environ.get(URL_ENV, "")).strip()

    def connect(self) -> LanguageTool | None:
        """The client, connecting on first call; None (with ``unavailable`` set) when there is no server."""
        if self._connected:
            return self.client
        self._connected = True
        url = self.server_url()
        local = None if url or not self.options.local_server else installed_languagetool()
        if not url and local is None:
            self.unavailable = f"grammar not checked: no LanguageTool server; {SETUP_HINT}"
            self.unconfigured = True
            return None
        if local is not None and _which("java") is None:
            self.unavailable = (
                f"grammar not checked: LanguageTool is installed in {local.parent} but Java is not; "
                f"install Java or {SETUP_HINT}"
            )
            return None
        try:
            self.client = self._make_client(url, local)
        except Exception as exc:  # any client or server failure means: no grammar this run
            self.close()
            where = f"LanguageTool server at {url}" if url else f"local LanguageTool in {local}"
            self.unavailable = f"grammar not checked: {where} is not usable ({describe(exc)}); {SETUP_HINT}"
            return None
        self.url = url or f"local LanguageTool ({local})"
        return self.client

    def _make_client(self, url: str, local: Path | None) -> LanguageTool:
        from language_tool_python import LanguageTool

        timeout = self.options.timeout

        class Client(LanguageTool):
            """language-tool-python's client with healthlint's timeout and a single try per request."""

            def __init__(self, **kwargs: Any) -> None:
                self.__dict__["_TIMEOUT"] = timeout  # the class default is 300 s
                super().__init__(**kwargs)

            def _query_server(
                self, url: str, params: dict[str, str] | None = None, num_tries: int = 2, *args: Any, **kwargs: Any
            ) -> Any:
                return super()._query_server(url, params, 1, *args, **kwargs)

        if not url:
            assert local is not None
            from language_tool_python.download_lt import LocalLanguageTool

            installed = LocalLanguageTool.from_path(local)
            if installed not in LocalLanguageTool.get_installed_versions():  # never let the client download
                raise RuntimeError(f"{local} is not a complete LanguageTool installation")
            # This client starts the server and stops it in close(). Requests go through a
            # second, remote-mode client: after a failed request the local-mode client restarts
            # "its" server, which in a forked worker process would kill the run's server.
            self._local = Client(language=self.options.language, language_tool_download_version=installed.version_name)
            url = f"http://{self._local.host}:{self._local.port}"
        client = Client(language=self.options.language, remote_server=url)
        options = self.options
        client.disabled_rules = set(options.disabled_rules)
        client.enabled_rules = set(options.enabled_rules)
        client.disabled_categories = set(options.disabled_categories) | (
            set(SPELLING_CATEGORIES) if options.spelling == "off" else set()
        )
        client.picky = options.picky
        return client

    def close(self) -> None:
        """Forget the client and stop a local server this session started."""
        self.client = None
        local, self._local = self._local, None
        if local is not None:
            try:
                local.close()
            except Exception:  # closing must not fail a finished run
                LOG.debug("stopping the local LanguageTool failed", exc_info=True)

    # -- checking

    def _key(self, text: str) -> str:
        o = self.options
        settings = [
            self.server_url() or "local",
            o.language,
            sorted(o.disabled_rules),
            sorted(o.enabled_rules),
            sorted(o.disabled_categories),
            o.picky,
            o.spelling == "off",
        ]
        digest = hashlib.sha256(json.dumps(settings).encode("utf-8"))
        digest.update(b"\0" + text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def _disk_path(self, key: str) -> Path:
        return data_cache_dir() / "languagetool" / key[:2] / f"{key}.json"

    def _cached(self, key: str) -> list[LtMatch] | None:
        found = self._memory.get(key)
        if found is not None or not self.options.cache:
            return found
        path = self._disk_path(key)
        try:
            if time.time() - path.stat().st_mtime > CACHE_MAX_AGE:
                return None
            data = json.loads(path.read_text(encoding="utf-8"))
            found = [LtMatch.from_json(item) for item in data["matches"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        self._memory[key] = found
        return found

    def _store(self, key: str, matches: list[LtMatch]) -> None:
        self._memory[key] = matches
        if not self.options.cache:
            return
        data = json.dumps({"matches": [m.to_json() for m in matches]}, ensure_ascii=False).encode("utf-8")
        write_atomically(self._disk_path(key), data)

    def check_text(self, text: str) -> list[LtMatch]:
        """LanguageTool's matches for one request text (cached).

        :raises Exception: whatever the client raises (the caller decides what it means).
        """
        key = self._key(text)
        cached = self._cached(key)
        if cached is not None:
            return cached
        assert self.client is not None
        matches = [LtMatch.from_client(m) for m in self.client.check(text)]
        self._store(key, matches)
        return matches

    def check_article(self, article: Article) -> ArticleGrammar:
        if self.connect() is None:
            return ArticleGrammar("unavailable")
        if self.broken:
            return ArticleGrammar("failed")
        blocks = [b for b in article.blocks if b.kind in PROSE_KINDS]
        text, segments = request_text(blocks)
        if not text.strip():
            return ArticleGrammar("checked")
        located: list[Located] = []
        for base, piece in chunks(text, segments):
            try:
                matches = self.check_text(piece)
            except Exception as exc:  # the client raises LanguageToolError, ValueError, KeyError ...
                reason = describe(exc)
                if _is_connection_problem(exc):
                    self.broken = True
                    if reason == "timed out":
                        reason = f"no answer within {self.options.timeout:g} s"
                self.failure = f"LanguageTool at {self.url} failed ({reason})"
                LOG.debug("LanguageTool failed on %s", article.path, exc_info=True)
                return ArticleGrammar("failed")
            located.extend(locate(matches, segments, base))
        return ArticleGrammar("checked", located)


#: This run's session. Module state because worker processes forked by ``--jobs`` must share
#: the server the parent connected to (and started) in ``healthlint_configure``.
_SESSION: Session | None = None


def session_for(config: Config) -> Session:
    """This run's session (made on first use if ``healthlint_configure`` was not called)."""
    global _SESSION
    if _SESSION is None or _SESSION.config is not config:
        if _SESSION is not None:
            _SESSION.close()
        _SESSION = Session(config, config.options_for(PLUGIN))
    return _SESSION


def end_session(config: Config | None = None) -> None:
    """Close this run's session (any run's when ``config`` is None), stopping a server it started."""
    global _SESSION
    if _SESSION is not None and (config is None or _SESSION.config is config):
        _SESSION.close()
        _SESSION = None
