"""One run's LanguageTool: which server, started or reused, the answer cache, and giving up cleanly.

The server is, in this order: ``server-url`` from the options or ``$HEALTHLINT_LANGUAGETOOL_URL``;
a LanguageTool folder from ``languagetool-dir`` or ``$HEALTHLINT_LANGUAGETOOL_DIR`` (the server
``healthlint languagetool serve`` runs from it, or one started for the run and stopped at its
end); or a LanguageTool that language-tool-python downloaded. Nothing is ever downloaded.
Answers are cached by a hash of the text and the request settings, in memory and (unless
``cache = false``) on disk under the data cache folder.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from healthlint.article import PROSE_KINDS, Article
from healthlint.config import Config
from healthlint.families.grammar.classify import SPELLING_CATEGORIES
from healthlint.families.grammar.client import CheckSettings, LanguageToolClient, LanguageToolError
from healthlint.families.grammar.match import LtMatch
from healthlint.families.grammar.options import PLUGIN, SETUP_HINT, URL_ENV, GrammarOptions
from healthlint.families.grammar.prose import Located, chunks, locate, request_text
from healthlint.families.grammar.server import (
    DIR_ENV,
    FETCH_HINT,
    LocalServer,
    ServerError,
    downloaded_by_language_tool_python,
    is_languagetool_dir,
    served_url,
)
from healthlint.storage.atomic import write_atomically
from healthlint.storage.datacache import data_cache_dir
from healthlint.text.references import full_reference

LOG = logging.getLogger(__name__)

#: ``timeout`` is the wait for up to this many characters; a longer text gets as much more time.
#: (LanguageTool checks some 600 words a second on a busy machine: a long article is not a hang.)
TIMEOUT_CHARS = 10_000
#: The least wait for the list of languages, which a running server sends at once (a ``timeout``
#: meant for checks, set low to give up on a slow server quickly, must not refuse a busy one).
LANGUAGES_TIMEOUT = 5.0
#: A request that times out is asked once more with this many times the wait before the run
#: gives up on the server (one slow answer on a busy machine is not an outage).
RETRY_WAIT_FACTOR = 2
#: How much of ``rule-timeout`` one article's requests may take together.
ARTICLE_SHARE_OF_RULE_TIMEOUT = 0.8
#: Disk cache entries older than this are not used.
CACHE_MAX_AGE = 30 * 24 * 3600
NO_SERVER = f"grammar not checked: no LanguageTool server; {SETUP_HINT}, or {FETCH_HINT}"


@dataclass
class ArticleGrammar:
    #: ``checked``, ``unavailable`` (no server this run) or ``failed`` (the server failed on this article).
    status: str
    matches: list[Located] = field(default_factory=list)


def describe(exc: BaseException) -> str:
    """A short reason from a request error."""
    import urllib.error

    cause: BaseException = exc
    while True:
        if isinstance(cause, urllib.error.URLError) and isinstance(cause.reason, BaseException):
            cause = cause.reason
        elif cause.__cause__ is not None and cause.__cause__ is not cause:
            cause = cause.__cause__
        else:
            break
    if isinstance(cause, TimeoutError) or "Timeout" in type(cause).__name__ or str(cause) == "timed out":
        return "timed out"
    text = str(cause).strip() or type(cause).__name__
    for marker in ("Connection refused", "Name or service not known", "No route to host"):
        if marker in text:
            return marker.lower()
    text = " ".join(text.split())
    return text if len(text) <= 160 else text[:157] + "..."


def configured_folder(config: Config, options: GrammarOptions) -> Path | None:
    """``languagetool-dir`` (relative to the config's folder), else ``$HEALTHLINT_LANGUAGETOOL_DIR``.

    :raises ServerError: when the folder holds no LanguageTool.
    """
    configured = options.languagetool_dir.strip()
    if configured:
        folder = config.root / Path(configured).expanduser()
    elif os.environ.get(DIR_ENV, "").strip():
        folder = Path(os.environ[DIR_ENV].strip()).expanduser()
    else:
        return None
    folder = folder.resolve()
    if not is_languagetool_dir(folder):
        raise ServerError(f"{folder} holds no LanguageTool (no languagetool-server*.jar); {FETCH_HINT}")
    return folder


class Session:
    """One run's connection to LanguageTool: connects on first use, caches, gives up cleanly."""

    def __init__(self, config: Config, options: GrammarOptions) -> None:
        self.config = config
        self.options = options
        self.client: LanguageToolClient | None = None
        #: The server, as notices name it.
        self.url = ""
        #: Why grammar is not checked at all this run (None while it can be).
        self.unavailable: str | None = None
        #: Why the last article that could not be checked was not (a timeout, a bad response).
        self.failure: str | None = None
        #: Set after a timeout or connection error: later articles are skipped.
        self.broken = False
        #: No server is configured at all (a setting, not an outage).
        self.unconfigured = False
        self.settings = CheckSettings(
            language=options.language,
            disabled_rules=tuple(options.disabled_rules),
            enabled_rules=tuple(options.enabled_rules),
            disabled_categories=tuple(
                set(options.disabled_categories) | (SPELLING_CATEGORIES if options.spelling == "off" else set())
            ),
            picky=options.picky,
        )
        self._connected = False
        #: Which LanguageTool answers (its URL, or the folder it runs from), part of the cache key.
        self._identity = ""
        #: The server this session started (it stops it on close).
        self._local: LocalServer | None = None
        self._memory: dict[str, list[LtMatch]] = {}

    # -- connecting

    def server_url(self) -> str:
        return (self.options.server_url or os.environ.get(URL_ENV, "")).strip()

    def languagetool_folder(self) -> Path | None:
        """The LanguageTool folder to run a server from, when no URL is set.

        :raises ServerError: when a configured folder holds no LanguageTool.
        """
        folder = configured_folder(self.config, self.options)
        if folder is None and self.options.local_server:
            return downloaded_by_language_tool_python()
        return folder

    def connect(self) -> LanguageToolClient | None:
        """The client, connecting on first call; None (with ``unavailable`` set) when there is no server."""
        if self._connected:
            return self.client
        self._connected = True
        url = self.server_url()
        where = f"LanguageTool server at {url}"
        try:
            if not url:
                folder = self.languagetool_folder()
                if folder is None:
                    self.unavailable = NO_SERVER
                    self.unconfigured = True
                    return None
                where = f"local LanguageTool in {folder}"
                self._identity = str(folder)
                url = served_url(folder) or self._start(folder)
            client = LanguageToolClient(url, self.options.timeout)
            if self.options.language.lower() not in client.languages(max(self.options.timeout, LANGUAGES_TIMEOUT)):
                raise LanguageToolError(f"it does not know the language {self.options.language!r}")
        except ServerError as exc:
            self.close()
            self.unavailable = f"grammar not checked: {exc}; or {SETUP_HINT}"
            return None
        except (OSError, LanguageToolError) as exc:
            self.close()
            self.unavailable = f"grammar not checked: {where} is not usable ({describe(exc)}); {SETUP_HINT}"
            return None
        except BaseException:  # Ctrl-C while a server starts: stop it before giving up
            self.close()
            raise
        self.client = client
        self.url = url if self.server_url() else f"local LanguageTool ({where.removeprefix('local LanguageTool in ')})"
        return client

    def _start(self, folder: Path) -> str:
        """Start a server from ``folder`` for this run."""
        self._local = LocalServer(folder)
        return self._local.start(self.options.language)

    def close(self) -> None:
        """Forget the client and stop a server this session started."""
        self.client = None
        local, self._local = self._local, None
        if local is not None:
            local.stop()

    # -- checking

    def _key(self, text: str) -> str:
        o = self.options
        settings = [
            self.server_url() or self._identity,
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

    def timeout_for(self, text: str) -> float:
        return self.options.timeout * max(1.0, len(text) / TIMEOUT_CHARS)

    def check_text(self, text: str, timeout: float | None = None) -> list[LtMatch]:
        """LanguageTool's matches for one request text (cached), waiting ``timeout`` s at most.

        :raises OSError: the server did not answer; :raises LanguageToolError: its answer was unusable.
        """
        key = self._key(text)
        cached = self._cached(key)
        if cached is not None:
            return cached
        assert self.client is not None
        matches = self.client.check(text, self.settings, timeout or self.timeout_for(text))
        self._store(key, matches)
        return matches

    def check_article(self, article: Article) -> ArticleGrammar:
        if self.connect() is None:
            return ArticleGrammar("unavailable")
        if self.broken:
            return ArticleGrammar("failed")
        # a full reference (authors, then a year) is no prose: its title keeps its source's capitals
        blocks = [b for b in article.blocks if b.kind in PROSE_KINDS and not full_reference(b.text)]
        text, segments = request_text(blocks)
        if not text.strip():
            return ArticleGrammar("checked")
        located: list[Located] = []
        # The host stops a rule after rule-timeout: an article too long to check in that time
        # ends as "failed" a little before, once, for all the HL6 rules that share the result.
        limit = self.config.rule_timeout * ARTICLE_SHARE_OF_RULE_TIMEOUT
        ends = time.monotonic() + limit if limit > 0 else float("inf")
        for base, piece in chunks(text, segments):
            matches = self._ask(piece, ends, article.path)
            if matches is None:
                return ArticleGrammar("failed")
            located.extend(locate(matches, segments, base))
        return ArticleGrammar("checked", located)

    def _ask(self, piece: str, ends: float, path: str) -> list[LtMatch] | None:
        """LanguageTool's matches for one request, or None (with :attr:`failure` set) when it failed.

        A request that times out is asked once more, waiting :data:`RETRY_WAIT_FACTOR` times as
        long: one slow answer (a busy machine, the server collecting garbage) is not an outage.
        """
        for wait_factor in (1, RETRY_WAIT_FACTOR):
            wanted = self.timeout_for(piece) * wait_factor
            timeout = min(wanted, ends - time.monotonic())
            try:
                if timeout <= 0:
                    raise TimeoutError("timed out")
                return self.check_text(piece, timeout)
            except (OSError, LanguageToolError) as exc:
                reason = describe(exc)
                if reason == "timed out" and timeout < wanted:
                    reason = f"{path} is too long to check within the rule timeout"
                elif reason == "timed out" and wait_factor == 1:
                    LOG.debug("LanguageTool did not answer %s within %.3g s; asking again", path, timeout)
                    continue
                elif isinstance(exc, OSError):  # no answer: the next article would wait just as long
                    self.broken = True
                    if reason == "timed out":
                        reason = f"no answer within {timeout:.3g} s"
                self.failure = f"LanguageTool at {self.url} failed ({reason})"
                LOG.debug("LanguageTool failed on %s", path, exc_info=True)
                return None
        return None  # not reached: the last wait either answers or fails


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
