"""Baselines: record today's findings so a gate fails only on new ones (adopting healthlint on an archive)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from healthlint.config import Config, UsageError
from healthlint.model import ArticleResult, Finding
from healthlint.storage.atomic import write_output

FORMAT_VERSION = 1
#: Marks a baseline whose fingerprints use article-level keys (``Finding.key``). Files without it
#: were written before keys existed: their entries for findings that now carry a key hold a
#: fingerprint of the matched text or the message (with its figures), which no run reproduces.
FINGERPRINTS = 2

Key = tuple[str, str, str]  # (path relative to the project root, code, fingerprint)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _key(config: Config, finding: Finding) -> Key:
    return (config.relative(finding.path), finding.code, finding.fingerprint())


@dataclass
class Baseline:
    """Known findings, counted by (path, code, fingerprint); line numbers play no part.

    Each known finding absorbs one matching finding of the run, so a second copy of a
    known problem in the same article is new.
    """

    config: Config
    known: Counter[Key] = field(default_factory=Counter)
    #: What this run matched, per key (the rest of ``known`` no longer occurs: fixed).
    matched: Counter[Key] = field(default_factory=Counter)
    #: Paths checked in this run (only their entries can be judged fixed).
    checked: set[str] = field(default_factory=set)
    #: Folders the run walked (from the project root; ``.`` for the root): an entry of an article in one of them
    #: that is no longer a file (deleted, or moved away) no longer occurs either.
    walked: list[str] = field(default_factory=list)
    #: Written before article-level keys: a keyed finding matches any entry of its path and code.
    before_keys: bool = False
    _by_article: dict[tuple[str, str], list[Key]] | None = field(default=None, repr=False)

    @classmethod
    def load(cls, path: Path, config: Config) -> Baseline:
        """:raises UsageError: when the file is missing or not a healthlint baseline."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UsageError(f"{path}: baseline file not found (create it with --write-baseline)") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UsageError(f"{path}: not a readable baseline file: {exc}") from None
        except RecursionError:
            raise UsageError(f"{path}: not a readable baseline file: nested too deeply") from None
        if not isinstance(data, dict) or data.get("healthlint_baseline") != FORMAT_VERSION:
            raise UsageError(f"{path}: not a healthlint baseline (version {FORMAT_VERSION})")
        entries = data.get("findings", [])
        if not isinstance(entries, list):
            raise UsageError(f"{path}: findings: must be a list of baseline entries")
        known: Counter[Key] = Counter()
        for i, entry in enumerate(entries):
            try:
                key = (_text(entry["path"]), _text(entry["code"]), _text(entry["fingerprint"]))
                count = entry.get("count", 1)
                if not isinstance(count, int) or isinstance(count, bool) or count < 1:
                    raise ValueError(count)
            except (KeyError, TypeError, ValueError, AttributeError):
                raise UsageError(f"{path}: findings[{i}] is not a baseline entry") from None
            known[key] += count
        return cls(config, known, before_keys=data.get("fingerprints") != FINGERPRINTS)

    def filter(self, path: str, findings: list[Finding]) -> list[Finding]:
        """The findings of an article that the baseline does not know (the new ones).

        A finding matches an entry with its fingerprint. In a baseline written before keys
        existed, a keyed finding left over then matches any unmatched entry of its path and
        code: its old fingerprint held the text it sat on or its message's figures (HL801's
        probability and threshold), and keyed rules report one finding per article (per rule
        for HL002 and HL005), so the path and the code name it.
        """
        self.checked.add(self.config.relative(path))
        keys = [_key(self.config, finding) for finding in findings]
        known = [False] * len(findings)
        for i, key in enumerate(keys):
            if self.matched[key] < self.known[key]:
                self.matched[key] += 1
                known[i] = True
        if self.before_keys:
            for i, finding in enumerate(findings):
                if not known[i] and finding.key:
                    spare = self._spare(keys[i][0], keys[i][1])
                    if spare is not None:
                        self.matched[spare] += 1
                        known[i] = True
        return [finding for finding, was_known in zip(findings, known, strict=True) if not was_known]

    def _spare(self, path: str, code: str) -> Key | None:
        """An entry of this path and code that the run has not matched yet (the first in order)."""
        if self._by_article is None:  # built once: an archive's baseline holds thousands of entries
            self._by_article = {}
            for key in sorted(self.known):
                self._by_article.setdefault(key[:2], []).append(key)
        for key in self._by_article.get((path, code), ()):
            if self.matched[key] < self.known[key]:
                return key
        return None

    @property
    def fixed(self) -> int:
        """Known findings that no longer occur: of the checked articles, and of the articles in the folders walked
        that are no longer there (deleted, or moved: a moved article's findings are new at its new path)."""
        return sum(
            count - self.matched[key]
            for key, count in self.known.items()
            if count > self.matched[key] and (key[0] in self.checked or self._gone(key[0]))
        )

    def _gone(self, path: str) -> bool:
        inside = any(folder in ("", ".") or path.startswith(folder.rstrip("/") + "/") for folder in self.walked)
        return inside and not (self.config.root / path).is_file()

    @property
    def astray(self) -> bool:
        """Whether the baseline can be for no article of this run: none of the paths checked is in it, and none of
        its paths is a file from this run's project root (a run from outside the project, without its config, sees
        another root: every finding is new). A new article checked alone, its project's baseline beside it, is not.
        """
        if not self.known or not self.checked:
            return False
        paths = {key[0] for key in self.known}
        root = self.config.root
        return not paths & self.checked and not any((root / path).is_file() for path in paths)

    @property
    def absorbed(self) -> int:
        return sum(self.matched.values())


def write_baseline(path: Path, config: Config, results: Iterable[ArticleResult]) -> int:
    """Write every finding of the results as a baseline (atomically); returns how many."""
    counts: Counter[Key] = Counter()
    messages: dict[Key, str] = {}
    for result in results:
        for finding in result.findings:
            key = _key(config, finding)
            counts[key] += 1
            messages.setdefault(key, finding.message)
    entries: list[dict[str, Any]] = [
        {"path": p, "code": c, "fingerprint": fp, "count": n, "message": messages[(p, c, fp)]}
        for (p, c, fp), n in sorted(counts.items())
    ]
    from healthlint import __version__

    document = {
        "healthlint_baseline": FORMAT_VERSION,
        "fingerprints": FINGERPRINTS,
        "generated_by": f"healthlint {__version__}",
        "findings": entries,
    }
    write_output(path, (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode())
    return sum(counts.values())
