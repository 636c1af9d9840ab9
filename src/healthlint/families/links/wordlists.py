"""The link checks' word and domain lists, read from this family's ``data/`` once per process."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from healthlint import regexcache
from healthlint.resources import data_lines
from healthlint.text.domains import DomainSet


@functools.cache
def default_deny() -> tuple[str, ...]:
    return data_lines("deny_domains.txt", __package__)


@functools.cache
def shorteners() -> tuple[str, ...]:
    return data_lines("shorteners.txt", __package__)


@functools.cache
def affiliate_domains() -> DomainSet:
    return DomainSet.of(data_lines("affiliate_domains.txt", __package__))


@dataclass(frozen=True)
class ParamRule:
    kind: str  # "tracking" or "affiliate"
    domains: DomainSet | None  # None: on every domain


@functools.cache
def tracking_params() -> tuple[dict[str, list[ParamRule]], tuple[tuple[str, ParamRule], ...]]:
    """Exact parameter names and name prefixes (``utm_*``), each with its kind and domain scope."""
    exact: dict[str, list[ParamRule]] = {}
    prefixes: list[tuple[str, ParamRule]] = []
    for line in data_lines("tracking_params.tsv", __package__):
        parts = line.split("\t")
        name, kind = parts[0].strip().lower(), parts[1].strip() if len(parts) > 1 else "tracking"
        domains = DomainSet.of([parts[2].strip()]) if len(parts) > 2 and parts[2].strip() else None
        rule = ParamRule(kind, domains)
        if name.endswith("*"):
            prefixes.append((name[:-1], rule))
        else:
            exact.setdefault(name, []).append(rule)
    return exact, tuple(prefixes)


@dataclass(frozen=True)
class Commercial:
    """Commercial-spam terms: strong ones alone, weak ones only with a qualifier."""

    strong_words: re.Pattern[str]
    weak_words: re.Pattern[str]
    qualifier_words: re.Pattern[str]
    #: Terms that may also hide inside a run-together domain label, by tier.
    strong_parts: tuple[str, ...]
    weak_parts: tuple[str, ...]
    qualifier_parts: tuple[str, ...]
    benign_words: re.Pattern[str]
    benign_parts: tuple[str, ...]


def _words_re(terms: list[str]) -> re.Pattern[str]:
    if not terms:
        return regexcache.compile(r"(?!x)x")
    alternatives = "|".join(
        r"\s+".join(re.escape(w) for w in term.split()) for term in sorted(set(terms), key=lambda t: (-len(t), t))
    )
    return regexcache.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)


@functools.cache
def commercial(extra: tuple[str, ...] = ()) -> Commercial:
    tiers: dict[str, list[str]] = {"strong": [], "weak": [], "qualifier": [], "benign": []}
    parts: dict[str, list[str]] = {"strong": [], "weak": [], "qualifier": [], "benign": []}
    for line in data_lines("commercial.tsv", __package__):
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) < 2 or cols[1] not in tiers:
            continue
        term = cols[0].lower()
        tiers[cols[1]].append(term)
        if len(cols) > 2 and cols[2] == "part":
            parts[cols[1]].append(term.replace(" ", ""))
    for term in extra:
        term = " ".join(term.lower().split())
        if term:
            tiers["strong"].append(term)
            parts["strong"].append(term.replace(" ", ""))
    return Commercial(
        _words_re(tiers["strong"]),
        _words_re(tiers["weak"]),
        _words_re(tiers["qualifier"]),
        tuple(parts["strong"]),
        tuple(parts["weak"]),
        tuple(parts["qualifier"]),
        _words_re(tiers["benign"]),
        tuple(parts["benign"]),
    )
