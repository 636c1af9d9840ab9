"""LanguageTool's HTTP API (``/v2/languages``, ``/v2/check``): requests and answers, nothing else.

A small client of its own rather than language-tool-python's: healthlint needs two calls, one
timeout, no retries, and never a download, and that client's defaults (300 s, two tries, a
local server restarted after any failed request) had to be overridden through its internals.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from typing import Any

from healthlint.families.grammar.match import LtMatch


class LanguageToolError(Exception):
    """LanguageTool answered, but not with something healthlint can use (an HTTP error, bad JSON)."""


@dataclass(frozen=True)
class CheckSettings:
    """What every ``/v2/check`` request of a run sends besides the text."""

    language: str = "en-US"
    disabled_rules: tuple[str, ...] = ()
    enabled_rules: tuple[str, ...] = ()
    disabled_categories: tuple[str, ...] = ()
    picky: bool = False

    def form(self, text: str) -> dict[str, str]:
        params = {"language": self.language, "text": text}
        for key, values in (
            ("disabledRules", self.disabled_rules),
            ("enabledRules", self.enabled_rules),
            ("disabledCategories", self.disabled_categories),
        ):
            if values:
                params[key] = ",".join(sorted(values))
        if self.picky:
            params["level"] = "picky"
        return params


class LanguageToolClient:
    """Talks to one LanguageTool server (``http://host:port``) with one timeout per request."""

    def __init__(self, url: str, timeout: float) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout

    def _request(self, path: str, form: dict[str, str] | None = None, timeout: float | None = None) -> Any:
        # Imported here: they take some 20 ms, which a run without LanguageTool need not pay.
        import http.client
        import urllib.error
        import urllib.parse
        import urllib.request

        data = urllib.parse.urlencode(form).encode("utf-8") if form is not None else None
        request = urllib.request.Request(f"{self.url}/v2/{path}", data=data, headers={"Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:  # an answer, not an outage
            detail = " ".join(exc.read().decode("utf-8", "replace").split())[:200]
            raise LanguageToolError(f"HTTP {exc.code}: {detail or exc.reason}") from None
        except http.client.HTTPException as exc:  # it hung up half-way: treated as no answer
            raise ConnectionError(f"broken answer ({type(exc).__name__})") from exc
        try:
            return json.loads(body)
        except ValueError:
            raise LanguageToolError(f"not JSON: {body[:80]!r}") from None

    def languages(self, timeout: float | None = None) -> set[str]:
        """The language codes the server knows (short and long, lower case), plus ``auto``."""
        codes = {"auto"}
        for entry in self._request("languages", timeout=timeout):
            codes.update(str(entry.get(key, "")).lower() for key in ("code", "longCode"))
        return codes

    def check(self, text: str, settings: CheckSettings, timeout: float | None = None) -> list[LtMatch]:
        """LanguageTool's matches for ``text``, with offsets in Python characters."""
        answer = self._request("check", settings.form(text), timeout)
        try:
            return matches_from_answer(answer, text)
        except (KeyError, TypeError, ValueError) as exc:
            raise LanguageToolError(f"unexpected answer ({type(exc).__name__}: {exc})") from None


def matches_from_answer(answer: dict[str, Any], text: str) -> list[LtMatch]:
    """The matches of a ``/v2/check`` answer for ``text``.

    LanguageTool counts offsets in UTF-16 code units (it is Java): every character outside the
    Basic Multilingual Plane (an emoji) before a match counts twice there and once here.
    """
    astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if not text.isascii() else []
    utf16_starts = [index + n for n, index in enumerate(astral)]

    def to_python(offset: int) -> int:
        return offset - bisect.bisect_left(utf16_starts, offset)

    out = []
    for match in answer["matches"]:
        rule = match["rule"]
        start = to_python(int(match["offset"]))
        end = to_python(int(match["offset"]) + int(match["length"]))
        out.append(
            LtMatch(
                offset=start,
                length=end - start,
                rule_id=str(rule["id"]),
                message=" ".join(str(match["message"]).split()),
                category=str(rule.get("category", {}).get("id", "")),
                issue_type=str(rule.get("issueType", "") or ""),
                replacements=tuple(str(r["value"]) for r in match.get("replacements", ())),
            )
        )
    return out
