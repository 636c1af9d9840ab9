"""Grammar (HL6xx): LanguageTool's grammar, spelling, punctuation and style matches, located in the file.

LanguageTool is a Java server; healthlint talks to one through language-tool-python's client
and never downloads anything. The server is, in this order: ``server-url`` from the
``[tool.healthlint.plugins.grammar]`` options, ``$HEALTHLINT_LANGUAGETOOL_URL``, or a
LanguageTool that language-tool-python has already downloaded (``$LTP_PATH`` or
``~/.cache/language_tool_python``), started locally when Java is installed. Without any,
the run gets one HL003 notice and the gate is unaffected, unless ``required = true``: then
the run stops with exit code 2.

Each article's prose (headings, paragraphs, list items, quotes; no code, URLs or tables)
goes to the server in one request, with a map from request offsets back to blocks, and
through them to file lines and columns. Results are cached by a hash of the text and the
request settings, in memory and (unless ``cache = false``) on disk.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from healthlint import Fix, Hit, Rule, Severity, hookimpl
from healthlint.article import BARE_URL_RE, Article, Block
from healthlint.config import Config, ConfigError
from healthlint.rules import RuleContext, RuleSelector, matches_prefix
from healthlint.storage.atomic import write_atomically
from healthlint.storage.datacache import data_cache_dir

if TYPE_CHECKING:
    from language_tool_python import LanguageTool

LOG = logging.getLogger(__name__)

PLUGIN = "grammar"
URL_ENV = "HEALTHLINT_LANGUAGETOOL_URL"
#: Block kinds sent to LanguageTool (table cells are data, not sentences).
PROSE_KINDS = frozenset({"heading", "paragraph", "list_item", "blockquote", "html"})
#: Rules that misfire on Markdown prose: headings and list items end without a period,
#: and healthlint folds white space itself.
DEFAULT_DISABLED_RULES = ("PUNCTUATION_PARAGRAPH_END", "WHITESPACE_RULE")
#: Longest text sent in one request; longer articles go in several, split between blocks.
MAX_REQUEST_CHARS = 40_000
#: Disk cache entries older than this are not used.
CACHE_MAX_AGE = 30 * 24 * 3600
SETUP_HINT = f"set {URL_ENV} or server-url in [tool.healthlint.plugins.grammar]"


# -- Options ------------------------------------------------------------------------------


@dataclass
class GrammarOptions:
    """``[tool.healthlint.plugins.grammar]``."""

    #: LanguageTool server, e.g. ``http://localhost:8081``; empty: ``$HEALTHLINT_LANGUAGETOOL_URL``.
    server_url: str = ""
    #: Stop the run (exit 2) when no LanguageTool is reachable, and fail articles it could not check.
    required: bool = False
    #: Start a LanguageTool that language-tool-python already downloaded, when no URL is set.
    local_server: bool = True
    #: Language code sent to LanguageTool (``en-US``, ``en-GB``, ``auto`` ...).
    language: str = "en-US"
    #: Seconds to wait for the server before giving up on it for the rest of the run.
    timeout: float = 10.0
    #: LanguageTool rule ids not to check (replaces the default list).
    disabled_rules: list[str] = field(default_factory=lambda: list(DEFAULT_DISABLED_RULES))
    #: LanguageTool rule ids to check in addition (e.g. picky style rules).
    enabled_rules: list[str] = field(default_factory=list)
    #: LanguageTool categories not to check (e.g. ``"STYLE"``).
    disabled_categories: list[str] = field(default_factory=list)
    #: LanguageTool's picky mode: more style rules.
    picky: bool = False
    #: LanguageTool's spelling matches: ``auto`` (only when healthlint's HL1 rules do not run), ``on``, ``off``.
    spelling: Literal["auto", "on", "off"] = "auto"
    #: Keep results on disk (``$HEALTHLINT_CACHE_DIR/languagetool``) so unchanged articles are not re-sent.
    cache: bool = True


@hookimpl
def healthlint_register_options(register: Callable[[str, type[Any]], None]) -> None:
    register(PLUGIN, GrammarOptions)


# -- Categories ---------------------------------------------------------------------------

SPELLING_CATEGORIES = frozenset({"TYPOS"})
PUNCTUATION_CATEGORIES = frozenset({"PUNCTUATION", "TYPOGRAPHY", "CASING", "COMPOUNDING"})
STYLE_CATEGORIES = frozenset(
    {
        "STYLE",
        "REDUNDANCY",
        "PLAIN_ENGLISH",
        "REPETITIONS",
        "REPETITIONS_STYLE",
        "WIKIPEDIA",
        "GENDER_NEUTRALITY",
        "AMERICAN_ENGLISH_STYLE",
        "BRITISH_ENGLISH",
        "TEXT_ANALYSIS",
    }
)


def family_of(match: LtMatch) -> str:
    """Which healthlint rule reports a LanguageTool match: grammar, spelling, punctuation or style."""
    if (
        match.category in SPELLING_CATEGORIES
        or match.issue_type == "misspelling"
        or match.rule_id.startswith(("MORFOLOGIK_RULE", "HUNSPELL_RULE"))
    ):
        return "spelling"
    if match.category in PUNCTUATION_CATEGORIES or match.issue_type in ("typographical", "whitespace"):
        return "punctuation"
    if match.category in STYLE_CATEGORIES or match.issue_type == "style":
        return "style"
    return "grammar"


# -- Results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LtMatch:
    """What healthlint keeps of a LanguageTool match (offsets in Python characters)."""

    offset: int
    length: int
    rule_id: str
    message: str
    category: str
    issue_type: str
    replacements: tuple[str, ...]

    @classmethod
    def from_client(cls, match: Any) -> LtMatch:
        """From a ``language_tool_python.Match`` (which already fixed offsets for 4-byte characters)."""
        return cls(
            offset=int(match.offset),
            length=int(match.error_length),
            rule_id=str(match.rule_id),
            message=" ".join(str(match.message).split()),
            category=str(match.category),
            issue_type=str(getattr(match, "rule_issue_type", "") or ""),
            replacements=tuple(str(r) for r in match.replacements),
        )

    def to_json(self) -> list[Any]:
        return [self.offset, self.length, self.rule_id, self.message, self.category, self.issue_type, self.replacements]

    @classmethod
    def from_json(cls, data: list[Any]) -> LtMatch:
        offset, length, rule_id, message, category, issue_type, replacements = data
        return cls(
            int(offset), int(length), str(rule_id), str(message), str(category), str(issue_type), tuple(replacements)
        )


@dataclass
class Located:
    """A match mapped back to a block."""

    block: Block
    start: int
    end: int
    match: LtMatch


@dataclass
class ArticleGrammar:
    #: ``checked``, ``unavailable`` (no server this run) or ``failed`` (the server failed on this article).
    status: str
    matches: list[Located] = field(default_factory=list)


# -- Prose to request text and back ----------------------------------------------------------


@dataclass
class Segment:
    """``length`` characters at ``start`` of the request text are ``block.text[block_start:]``."""

    start: int
    block: Block
    block_start: int
    length: int


def request_text(blocks: list[Block]) -> tuple[str, list[Segment]]:
    """The prose of the blocks as one text (blocks separated by blank lines), URLs removed."""
    parts: list[str] = []
    segments: list[Segment] = []
    pos = 0
    for block in blocks:
        text = block.text
        ranges: list[tuple[int, int]] = []
        last = 0
        for m in BARE_URL_RE.finditer(text):
            ranges.append((last, m.start()))
            last = m.end()
        ranges.append((last, len(text)))
        wrote = False
        for start, end in ranges:
            if wrote and parts[-1][-1:].isspace():
                while start < end and text[start].isspace():  # "see <url> now": one space, not two
                    start += 1
            if start >= end:
                continue
            if wrote and not parts[-1][-1:].isspace() and not text[start].isspace():
                parts.append(" ")
                pos += 1
            elif not wrote and segments:
                parts.append("\n\n")
                pos += 2
            segments.append(Segment(pos, block, start, end - start))
            parts.append(text[start:end])
            pos += end - start
            wrote = True
    return "".join(parts), segments


def locate(matches: list[LtMatch], segments: list[Segment], base: int = 0) -> list[Located]:
    """Map matches (offsets in the request text, plus ``base``) back to blocks."""
    starts = [s.start for s in segments]
    out: list[Located] = []
    for match in matches:
        offset = match.offset + base
        k = bisect.bisect_right(starts, offset) - 1
        if k < 0:
            continue
        segment = segments[k]
        inside = offset - segment.start
        if inside >= segment.length:  # in the blank line between blocks: take the next block's start
            if k + 1 >= len(segments):
                continue
            segment, inside = segments[k + 1], 0
        start = segment.block_start + inside
        end_offset = offset + max(match.length, 1)
        j = bisect.bisect_right(starts, end_offset - 1) - 1
        if j >= 0 and segments[j].block is segment.block:
            last = segments[j]
            end = last.block_start + min(end_offset - last.start, last.length)
        else:  # runs into the next block: stop at the end of this one
            end = len(segment.block.text)
        out.append(Located(segment.block, start, max(end, start + 1), match))
    return out


def chunks(text: str, segments: list[Segment], limit: int = MAX_REQUEST_CHARS) -> Iterator[tuple[int, str]]:
    """``(offset, text)`` pieces of at most ``limit`` characters, cut between blocks where possible."""
    if len(text) <= limit:
        yield 0, text
        return
    cut_points = sorted({s.start for s in segments if s.start > 0})
    start = 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            k = bisect.bisect_right(cut_points, end) - 1
            if k >= 0 and cut_points[k] > start:
                end = cut_points[k]
        yield start, text[start:end]
        start = end


# -- The LanguageTool session ---------------------------------------------------------------


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


def _describe(exc: BaseException) -> str:
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
            self.unavailable = f"grammar not checked: {where} is not usable ({_describe(exc)}); {SETUP_HINT}"
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
        path = self._disk_path(key)
        data = json.dumps({"matches": [m.to_json() for m in matches]}, ensure_ascii=False).encode("utf-8")
        write_atomically(path, data)

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
                reason = _describe(exc)
                if _is_connection_problem(exc):
                    self.broken = True
                    if reason == "timed out":
                        reason = f"no answer within {self.options.timeout:g} s"
                self.failure = f"LanguageTool at {self.url} failed ({reason})"
                LOG.debug("LanguageTool failed on %s", article.path, exc_info=True)
                return ArticleGrammar("failed")
            located.extend(locate(matches, segments, base))
        return ArticleGrammar("checked", located)


_SESSION: Session | None = None


def _session(config: Config) -> Session:
    """This run's session (made on first use if ``healthlint_configure`` was not called)."""
    global _SESSION
    if _SESSION is None or _SESSION.config is not config:
        if _SESSION is not None:
            _SESSION.close()
        _SESSION = Session(config, config.options_for(PLUGIN))
    return _SESSION


def _selected(config: Config, rule: Rule) -> bool:
    return RuleSelector(config.select, config.extend_select, config.ignore).selected(rule)


@hookimpl
def healthlint_configure(config: Config) -> None:
    """Check the options and connect to LanguageTool (a missing server stops the run only when required)."""
    try:
        options: GrammarOptions = config.options_for(PLUGIN)
    except KeyError:
        return
    where = f"plugins.{PLUGIN}"
    if not options.timeout > 0:
        raise ConfigError("must be a number of seconds above 0", config.source, f"{where}.timeout")
    if not options.language.strip():
        raise ConfigError("must be a language code such as en-US", config.source, f"{where}.language")
    session = _session(config)
    if any(_selected(config, rule) for rule in RULES):
        # Connect now, before any worker process is forked, so workers share one server
        # (and a local LanguageTool is started once, by the process that will stop it).
        session.connect()
        if options.required and session.unavailable:
            raise ConfigError(
                f"{session.unavailable} (grammar is required by {where}.required)", config.source, f"{where}.required"
            )


@hookimpl
def healthlint_unconfigure(config: Config) -> None:
    global _SESSION
    if _SESSION is not None and _SESSION.config is config:
        _SESSION.close()
        _SESSION = None


# -- Rules ----------------------------------------------------------------------------------

_SPUN_PROBE = Rule(code="HL100", name="spun-probe", summary="", severity=Severity.WARNING, check=None)


def _hl1_reports_spelling(article: Article, ctx: RuleContext) -> bool:
    """Whether healthlint's own spelling checks (HL1xx) run on this article."""
    config = ctx.config
    if "spun" in config.disable_plugins or not _selected(config, _SPUN_PROBE):
        return False
    return not matches_prefix(_SPUN_PROBE.code, config.ignored_for_path(article.path))


def _grammar(article: Article, ctx: RuleContext) -> ArticleGrammar:
    session = _session(ctx.config)
    result = ctx.shared("grammar.result", lambda: session.check_article(article))
    if result.status == "unavailable":  # notices are kept once per run
        ctx.notice(session.unavailable or "grammar not checked", code="HL003")
        if session.unconfigured:
            # Having no server is configuration (the result cache's key holds the config and the
            # HEALTHLINT_* variables, so setting a URL checks everything again), not an outage:
            # keep the result cacheable. An unreachable server leaves it incomplete.
            ctx.incomplete = False
    elif result.status == "failed":
        skipped = "; the rest of the run skips it" if session.broken else ""
        ctx.notice(f"grammar not checked on some articles: {session.failure}{skipped}", code="HL003")
    return result


def _suggestion(match: LtMatch) -> str | None:
    choices = list(match.replacements[:5])
    if not choices:
        return None
    if choices == [""]:
        return "delete it"
    shown = ", ".join(f"'{c}'" for c in choices)
    return f"replace with {shown}" if len(choices) == 1 else f"replace with one of {shown}"


def _hit(located: Located) -> Hit:
    match = located.match
    block = located.block
    fix = None
    if match.replacements:
        article = block.article
        first, last = block.offset(located.start), block.offset(located.end - 1)
        if article.text[first : last + 1] == block.text[located.start : located.end]:  # the span is exact
            fix = Fix(match.replacements[0], safe=False)
    return block.hit(
        located.start,
        located.end,
        f"{match.message} ({match.rule_id})",
        suggestion=_suggestion(match),
        fix=fix,
    )


def _check_family(article: Article, ctx: RuleContext, family: str) -> Iterator[Hit]:
    result = _grammar(article, ctx)
    if family == "spelling":
        spelling = ctx.options(PLUGIN).spelling
        if spelling == "off" or (spelling == "auto" and _hl1_reports_spelling(article, ctx)):
            return
    for located in result.matches:
        if family_of(located.match) == family:
            yield _hit(located)


def check_grammar_error(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    return _check_family(article, ctx, "grammar")


def check_spelling_error(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    return _check_family(article, ctx, "spelling")


def check_punctuation_error(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    return _check_family(article, ctx, "punctuation")


def check_style_issue(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    return _check_family(article, ctx, "style")


def check_grammar_not_checked(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    result = _grammar(article, ctx)
    if ctx.options(PLUGIN).required and result.status != "checked" and article.blocks:
        session = _session(ctx.config)
        if result.status == "failed":
            message = f"grammar not checked: {session.failure}"
        else:
            message = session.unavailable or "grammar not checked"
        yield article.line_hit(
            article.body_start_line, message, suggestion="make LanguageTool reachable and check the article again"
        )


_OPTIONS_DOC = """`[tool.healthlint.plugins.grammar]`: `server-url` (or `$HEALTHLINT_LANGUAGETOOL_URL`),
`required` (false), `language` ("en-US"), `timeout` (10 s), `disabled-rules`
(`["PUNCTUATION_PARAGRAPH_END", "WHITESPACE_RULE"]`), `enabled-rules`, `disabled-categories`,
`picky` (false), `spelling` ("auto"), `cache` (true), `local-server` (true)."""

_SETUP_DOC = """Needs a LanguageTool server: `docker run -p 8081:8010 erikvl87/languagetool`, or
`java -cp languagetool-server.jar org.languagetool.server.HTTPServer --port 8081`, then
`HEALTHLINT_LANGUAGETOOL_URL=http://localhost:8081`. Without one, the run prints one HL003
notice and these rules report nothing."""

GRAMMAR_NOT_CHECKED = Rule(
    code="HL600",
    name="grammar-not-checked",
    summary="Grammar is required but LanguageTool could not check this article",
    severity=Severity.ERROR,
    check=check_grammar_not_checked,
    doc=f"""
## What it flags
With `required = true`, an article LanguageTool did not check: the server stopped
answering (timed out) or sent a response healthlint could not use during the run. (A
server that is missing from the start stops the run with exit code 2 instead.) Without
`required`, nothing is flagged and the run gets one HL003 notice.

## Why it matters
A site that requires grammar checks must not publish articles that skipped them.

## Example
`grammar not checked: LanguageTool at http://lt:8081 failed (no answer within 10 s)`

## Instead
Make the server reachable (or raise `timeout`) and run healthlint again.

## Options
`required` (false), `timeout` (10 s). {_SETUP_DOC}
""",
)

GRAMMAR_ERROR = Rule(
    code="HL601",
    name="grammar-error",
    summary="A grammar error LanguageTool found",
    severity=Severity.WARNING,
    check=check_grammar_error,
    doc=f"""
## What it flags
LanguageTool's grammar matches (categories GRAMMAR, CONFUSED_WORDS, COLLOCATIONS,
SEMANTICS, NONSTANDARD_PHRASES, MISC and any category healthlint does not sort
elsewhere), at the line and column of the words in the file. The message ends with
LanguageTool's rule id; its replacements are the suggestion.

## Why it matters
Grammar errors make health advice harder to follow and less trustworthy.

## Example
```markdown
Massage help the muscles to relax.
```

## Instead
```markdown
Massage helps the muscles relax.
```

## Options
{_OPTIONS_DOC} {_SETUP_DOC}
""",
)

SPELLING_ERROR = Rule(
    code="HL602",
    name="spelling-error",
    summary="A spelling mistake LanguageTool found (when HL1 rules do not run)",
    severity=Severity.WARNING,
    check=check_spelling_error,
    doc=f"""
## What it flags
LanguageTool's spelling matches (category TYPOS, rules MORFOLOGIK_RULE_* and
HUNSPELL_RULE). With `spelling = "auto"` (the default) they are left out when
healthlint's HL1 rules run, which report misspelled and garbled words themselves, so a
word is not flagged twice. `spelling = "on"` always reports them, `"off"` never.

## Why it matters
Misspellings look careless, and in health text they can change a drug or condition name.

## Example
```markdown
Stretch gentely before you start.
```

## Instead
```markdown
Stretch gently before you start.
```

## Options
{_OPTIONS_DOC} {_SETUP_DOC}
""",
)

PUNCTUATION_ERROR = Rule(
    code="HL603",
    name="punctuation-error",
    summary="A punctuation, capitalization or typography problem LanguageTool found",
    severity=Severity.SUGGESTION,
    check=check_punctuation_error,
    doc=f"""
## What it flags
LanguageTool's matches in the PUNCTUATION, TYPOGRAPHY, CASING and COMPOUNDING
categories: missing commas, a sentence that starts in lower case, "e-mail" vs "email".

## Why it matters
Small slips add up to text that reads as unedited.

## Example
```markdown
if the pain gets worse call your doctor.
```

## Instead
```markdown
If the pain gets worse, call your doctor.
```

## Options
{_OPTIONS_DOC} {_SETUP_DOC}
""",
)

STYLE_ISSUE = Rule(
    code="HL604",
    name="style-issue",
    summary="A style problem LanguageTool found (wordiness, repetition)",
    severity=Severity.SUGGESTION,
    check=check_style_issue,
    doc=f"""
## What it flags
LanguageTool's style matches (STYLE, REDUNDANCY, PLAIN_ENGLISH, REPETITIONS and similar
categories): wordy phrases, repeated sentence starts, redundant words. `picky = true`
turns on LanguageTool's stricter style rules.

## Why it matters
Wordy text is harder to read (see also HL405 for plain words).

## Example
```markdown
In order to reduce the pain, rest the back. Rest the back for two days.
```

## Instead
```markdown
To reduce the pain, rest your back for two days.
```

## Options
{_OPTIONS_DOC} {_SETUP_DOC}
""",
)

RULES = (GRAMMAR_NOT_CHECKED, GRAMMAR_ERROR, SPELLING_ERROR, PUNCTUATION_ERROR, STYLE_ISSUE)


@hookimpl
def healthlint_register_rules(register: Callable[[Rule], None]) -> None:
    for rule in RULES:
        register(rule)
