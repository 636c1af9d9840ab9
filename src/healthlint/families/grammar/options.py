"""The grammar family's options (``[tool.healthlint.plugins.grammar]``) and the text every rule's docs share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

PLUGIN = "grammar"
URL_ENV = "HEALTHLINT_LANGUAGETOOL_URL"
#: Rules that misfire on health articles in Markdown (the figures are in docs/grammar.md): headings
#: and list items end without a period; healthlint folds white space itself; parallel list items
#: start with the same word; "usually is" is good English; "massage" is not a misspelt "message".
DEFAULT_DISABLED_RULES = (
    "PUNCTUATION_PARAGRAPH_END",
    "WHITESPACE_RULE",
    "ENGLISH_WORD_REPEAT_BEGINNING_RULE",
    "ADVERB_WORD_ORDER",
    "ENGLISH_WRONG_WORD_IN_CONTEXT_MASSAGE_MESSAGE",
)
#: Where the options live, spelled as each config file spells the table.
GRAMMAR_TABLE = "[plugins.grammar] in healthlint.toml, [tool.healthlint.plugins.grammar] in pyproject.toml"
SETUP_HINT = f"set {URL_ENV} or server-url in the grammar table ({GRAMMAR_TABLE})"


@dataclass
class GrammarOptions:
    """``[tool.healthlint.plugins.grammar]``."""

    #: LanguageTool server, e.g. ``http://localhost:8081``; empty: ``$HEALTHLINT_LANGUAGETOOL_URL``.
    server_url: str = ""
    #: Stop the run (exit 2) when no LanguageTool is reachable, and fail articles it could not check.
    required: bool = False
    #: A LanguageTool folder (jars, or an unzipped download) to start a server from, when no URL
    #: is set; empty: ``$HEALTHLINT_LANGUAGETOOL_DIR``. Relative to the config file's folder.
    languagetool_dir: str = ""
    #: Start a LanguageTool that language-tool-python already downloaded, when no URL or folder is set.
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


OPTIONS_DOC = """`[tool.healthlint.plugins.grammar]`: `server-url` (or `$HEALTHLINT_LANGUAGETOOL_URL`),
`required` (false), `language` ("en-US"), `timeout` (10 s), `disabled-rules` (five rules that
misfire on health articles, listed in docs/grammar.md), `enabled-rules`, `disabled-categories`,
`picky` (false), `spelling` ("auto"), `cache` (true), `languagetool-dir` (or
`$HEALTHLINT_LANGUAGETOOL_DIR`), `local-server` (true)."""

SETUP_DOC = """Needs LanguageTool: `healthlint languagetool fetch` (Java 17 and Maven) and
`HEALTHLINT_LANGUAGETOOL_DIR` set to the folder it prints (each run starts and stops it), or a
running server's URL in `HEALTHLINT_LANGUAGETOOL_URL`. Without one, the run prints one HL003
notice and these rules report nothing."""
