"""Domains: normalising a host or URL, and sets that match a domain with its subdomains."""

from __future__ import annotations


def normalize_domain(value: str) -> str:
    """``https://WWW.Example.com/x`` or ``.example.com`` -> ``example.com``."""
    value = value.strip().lower()
    if "://" in value:
        value = value.split("://", 1)[1]
    value = value.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    value = value.rsplit("@", 1)[-1].split(":", 1)[0]
    value = value.strip(".")
    return value[4:] if value.startswith("www.") else value


class DomainSet:
    """Domains that match themselves and every subdomain (``nih.gov`` matches ``www.ncbi.nlm.nih.gov``)."""

    __slots__ = ("_entries", "_longest")

    def __init__(self, entries: frozenset[str]) -> None:
        self._entries = entries
        self._longest = max(map(len, entries), default=0)

    @classmethod
    def of(cls, *groups: tuple[str, ...] | list[str]) -> DomainSet:
        return cls(frozenset(d for group in groups for d in (normalize_domain(x) for x in group) if d))

    @property
    def entries(self) -> frozenset[str]:
        """The domains of the set, normalized."""
        return self._entries

    def match(self, host: str) -> str | None:
        """The entry that covers ``host`` (the longest), or None."""
        if not host or not self._entries:
            return None
        # Only a suffix no longer than the longest entry can be one: a host of thousands of labels
        # (``a.a.a...``) costs what its last few do, not a join per label.
        start = len(host) - self._longest
        if start <= 0 and host in self._entries:
            return host
        dot = host.find(".", max(start - 1, 0))
        while dot >= 0:
            candidate = host[dot + 1 :]
            if candidate in self._entries:
                return candidate
            dot = host.find(".", dot + 1)
        return None

    def __contains__(self, host: object) -> bool:
        return isinstance(host, str) and self.match(host) is not None

    def __len__(self) -> int:
        return len(self._entries)
