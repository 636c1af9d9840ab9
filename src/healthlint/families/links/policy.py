"""Link policy: where a link goes, and whether a health article may send its readers there."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from healthlint import regexcache
from healthlint.families.links import wordlists
from healthlint.text.domains import DomainSet, normalize_domain

#: The longest host name DNS allows (RFC 1035); a longer "host" is not a web address.
MAX_HOST_LENGTH = 253
_SCHEME_RE = regexcache.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_CONTROL_RE = regexcache.compile(r"[\x00-\x20\x7f]+")
_UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "livescript", "data"})
_SAFE_DATA_IMAGE_RE = regexcache.compile(r"^data:image/(?:png|gif|jpe?g|webp|avif);", re.IGNORECASE)
_DOMAIN_IN_TEXT_RE = regexcache.compile(
    r"(?<![\w@.-])(?:https?://)?(?:www\.)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})(?![\w-])",
    re.IGNORECASE,
)
#: Second-level labels under which a registrable domain has three labels (nhs.uk is one site per org).
_SECOND_LEVEL = frozenset(
    {"co", "com", "org", "net", "ac", "gov", "edu", "nhs", "gv", "or", "ne", "go", "mil", "nic", "sch", "ltd", "plc"}
)
_TLDS_IN_TEXT = frozenset(
    {"com", "org", "net", "gov", "edu", "int", "mil", "io", "co", "uk", "us", "ca", "au", "de", "fr", "nl", "eu"}
    | {"info", "biz", "health", "care", "clinic", "news"}
)
_BUY_ONLINE_RE = regexcache.compile(
    r"\b(?:buy|order|purchase|get)\b(?:\W+\w+){0,4}?\W+(?:online|without\s+(?:a\s+)?prescription|no\s+prescription)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Target:
    """Where a URL goes."""

    url: str
    #: Lower-case scheme, "" for relative URLs.
    scheme: str
    #: Lower-case host without ``www.``; "" for relative and non-web URLs.
    host: str
    query: str
    #: ``user@`` part hiding the real host (``https://www.nih.gov@spam.example``), or "".
    userinfo: str

    @property
    def web(self) -> bool:
        return self.scheme in ("http", "https", "ftp") and bool(self.host)


def parse_target(url: str) -> Target:
    cleaned = _CONTROL_RE.sub("", url)  # browsers drop tabs and line breaks inside a URL
    m = _SCHEME_RE.match(cleaned)
    scheme = m.group(1).lower() if m else ""
    if cleaned.startswith("//"):
        scheme, cleaned = "https", "https:" + cleaned
    host = query = userinfo = ""
    if scheme in ("http", "https", "ftp"):
        try:
            parts = urlsplit(cleaned)
            netloc = parts.netloc
            query = parts.query
        except ValueError:
            netloc = cleaned.split("//", 1)[-1].split("/", 1)[0]
        if "@" in netloc:
            userinfo, netloc = netloc.rsplit("@", 1)
        host = normalize_domain(unquote(netloc))
        if len(host) > MAX_HOST_LENGTH:
            host = ""  # not a name any browser can resolve; and domain lookups cost its length squared
    return Target(url=url, scheme=scheme, host=host, query=query, userinfo=userinfo)


def registrable(host: str) -> str:
    """Approximate registrable domain: ``www.ncbi.nlm.nih.gov`` -> ``nih.gov``, ``a.b.co.uk`` -> ``b.co.uk``."""
    labels = host.split(".")
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def unsafe_scheme(target: Target, kind: str) -> str | None:
    """The dangerous scheme of a URL (None when it is safe). Inline images may use data:image/png."""
    if target.scheme not in _UNSAFE_SCHEMES:
        return None
    if target.scheme == "data" and kind == "image" and _SAFE_DATA_IMAGE_RE.match(_CONTROL_RE.sub("", target.url)):
        return None
    return target.scheme


@dataclass(frozen=True)
class Policy:
    """The domain lists in force for a run: built-in lists plus the user's options."""

    #: The trusted domains of the run (``Config.trusted()``): never spam, never outbound.
    allow: DomainSet
    deny: DomainSet
    site: DomainSet
    shorteners: DomainSet
    commercial_extra: tuple[str, ...]

    def commercial_terms(self) -> wordlists.Commercial:
        return wordlists.commercial(self.commercial_extra)


@functools.lru_cache(maxsize=16)
def make_policy(
    trusted: DomainSet,
    deny: tuple[str, ...],
    site: tuple[str, ...],
    shorteners: tuple[str, ...],
    commercial_extra: tuple[str, ...],
    default_deny: bool,
) -> Policy:
    return Policy(
        allow=trusted,
        deny=DomainSet.of(wordlists.default_deny() if default_deny else (), deny),
        site=DomainSet.of(site),
        shorteners=DomainSet.of(wordlists.shorteners(), shorteners),
        commercial_extra=commercial_extra,
    )


def _domain_terms(host: str, terms: tuple[str, ...], words: re.Pattern[str]) -> str | None:
    """A commercial term in a domain: a whole hyphen/dot part, or inside a run-together label."""
    spaced = re.sub(r"[.\-_]+", " ", host)
    m = words.search(spaced)
    if m:
        return m.group(0).lower()
    labels = host.split(".")[:-1]  # never the top-level domain (.bet, .casino are caught as labels too)
    for label in labels:
        for term in terms:
            if term in label:
                return term
    tld = host.rsplit(".", 1)[-1]
    if tld in terms:
        return tld
    return None


def commercial_reason(host: str, text: str, policy: Policy) -> str | None:
    """Why a link looks like commercial spam (None when it does not)."""
    terms = policy.commercial_terms()
    if (host and _domain_terms(host, terms.benign_parts, terms.benign_words)) or (
        text and terms.benign_words.search(text)
    ):
        return None
    if host:
        strong = _domain_terms(host, terms.strong_parts, terms.strong_words)
        if strong:
            return f"its domain {host} is about {strong!r}"
        weak = _domain_terms(host, terms.weak_parts, terms.weak_words)
        if weak:
            qualifier = _domain_terms(host, terms.qualifier_parts, terms.qualifier_words)
            if qualifier:
                return f"its domain {host} sells {qualifier} {weak}"
    if text:
        m = terms.strong_words.search(text)
        if m:
            return f"its link text promises {m.group(0).lower()!r}"
        weak_m = terms.weak_words.search(text)
        if weak_m and terms.qualifier_words.search(text):
            return f"its link text is a sales pitch ({text!r})"
        buy = _BUY_ONLINE_RE.search(text)
        if buy and (weak_m or terms.weak_words.search(host.replace(".", " "))):
            return f"its link text is a sales pitch ({buy.group(0)!r})"
    return None


def shown_domain(text: str) -> str | None:
    """A domain the link text shows the reader (``cdc.gov``, ``https://www.who.int/...``)."""
    for m in _DOMAIN_IN_TEXT_RE.finditer(text):
        domain = m.group(1).lower()
        if domain.rsplit(".", 1)[-1] in _TLDS_IN_TEXT or m.group(0).lower().startswith(("http", "www.")):
            return normalize_domain(domain)
    return None


def tracking_and_affiliate(target: Target) -> tuple[list[str], list[str]]:
    """Names of the tracking and of the affiliate parameters in a URL's query."""
    tracking: list[str] = []
    affiliate: list[str] = []
    if not target.query:
        return tracking, affiliate
    exact, prefixes = wordlists.tracking_params()
    for pair in target.query.split("&"):
        name = unquote(pair.split("=", 1)[0]).strip().lower()
        if not name:
            continue
        rules = list(exact.get(name, ()))
        rules.extend(rule for prefix, rule in prefixes if name.startswith(prefix))
        for rule in rules:
            if rule.domains is not None and rule.domains.match(target.host) is None:
                continue
            (affiliate if rule.kind == "affiliate" else tracking).append(name)
            break
    return tracking, affiliate


def strip_params(url: str, names: set[str]) -> str:
    """The URL without the named query parameters (others kept as written)."""
    base, hash_mark, fragment = url.partition("#")
    path, question, query = base.partition("?")
    if not question:
        return url
    kept = [pair for pair in query.split("&") if pair and unquote(pair.split("=", 1)[0]).strip().lower() not in names]
    out = path + ("?" + "&".join(kept) if kept else "")
    return out + (hash_mark + fragment if hash_mark else "")
