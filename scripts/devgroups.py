"""One definition of "same site or network" for the development pages, and the folds every fitted model uses.

The training scripts (``train_spun_model.py``, ``train_spam_blocks.py``, ``train_advice.py``) cross-validate on
``../shared/corpus/web/dev_pages.jsonl``; a page must never be scored by a model fitted on its own site, on another
page of its network, or on another copy of its text. Two pages share a group when any of these holds:

- they have the same registered domain, by the ICANN part of the Public Suffix List (``tldextract``'s bundled
  snapshot, never downloaded): ``www.x.co.uk`` and ``shop.x.co.uk`` are one site. Private suffixes (blogspot.com,
  wordpress.com, amazonaws.com, ...) are not used, so every blog of a free-hosting platform is one group: the
  corpus README calls such blogs "throwaway" subdomains of spun link networks, not independent authors;
- their hosts belong to one network the corpus README names (``NETWORKS``; nhs.uk is a public suffix, yet its
  practices' pages derive from one national text);
- their texts share a run of ``SHARED_RUN`` words (the README's own test for a shared seed): a rewrite, a
  spintax variant or a licensed copy of the same text on another domain.

Groups are closed under these links (a page linked to two groups joins them).

Usage (prints the groups of more than one site): .venv/bin/python scripts/devgroups.py [--pages FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tldextract

ROOT = Path(__file__).resolve().parent.parent
DEV_PAGES = ROOT.parent / "shared" / "corpus" / "web" / "dev_pages.jsonl"
#: Hosts the corpus README ("Caveats") says share a seed, a template or a network, as registered domains; a host
#: belongs to a network when it is one of them or a subdomain of one. The first name names the group.
NETWORKS: tuple[tuple[str, ...], ...] = (
    ("gobrunch.com", "wunderbar.com", "srfestival.com", "simtropolis.com"),  # "8+ Why ..." (simtropolis unspun)
    ("herbalofsupplements.blogspot.com",),  # two spins of one seed
    ("fitnell.com", "digiblogbox.com"),  # spintax pair
    ("perishednations.com", "healthybeingstyle.com"),  # two spins of one government page
    ("mykegenfit.com", "zonapt.com"),  # two rewrites of one knee-pain article
    ("ayroll.ca", "bchanv.org"),  # the "/News/" network
    ("exing118.com", "meilleur-baby.com"),  # the injected keyword pair
    ("mayoclinic.org", "mymlc.com"),  # near-duplicate eczema pages
    ("nhs.uk",),  # NHS-derived pages
)
#: Two texts sharing this many consecutive words share a source.
SHARED_RUN = 8
WORD = re.compile(r"[a-z0-9]+")


@cache
def _extract() -> tldextract.TLDExtract:
    # The bundled snapshot only: no download, no cache files.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=False)


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or url).lower().rstrip(".")


def network_of(host: str) -> str | None:
    """The name of the README network ``host`` belongs to, if any."""
    for network in NETWORKS:
        if any(host == name or host.endswith("." + name) for name in network):
            return network[0]
    return None


def domain_of(url: str) -> str:
    """The registered domain of a URL's host (the host itself for an IP address or a bare suffix)."""
    host = host_of(url)
    return _extract()(host).top_domain_under_public_suffix or host


def site_of(url: str) -> str:
    """The group of a URL alone: its network if it belongs to one, else its registered domain."""
    return network_of(host_of(url)) or domain_of(url)


def _runs(text: str) -> set[str]:
    words = WORD.findall(text.lower())
    return {" ".join(words[i : i + SHARED_RUN]) for i in range(len(words) - SHARED_RUN + 1)}


def groups(pages: Sequence[Mapping[str, Any]]) -> list[str]:
    """The group of each page (records with ``url`` and ``text``), named by its network or its first site."""
    parent = list(range(len(pages)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        a, b = root(i), root(j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    sites = [site_of(page["url"]) for page in pages]
    first: dict[tuple[str, str], int] = {}
    for i, page in enumerate(pages):
        # A network's page stays linked to its registered domain too (a network blog on a shared platform).
        keys = [("site", sites[i]), ("site", domain_of(page["url"]))]
        keys += [("run", run) for run in _runs(page.get("text") or "")]
        for key in keys:
            join(i, first.setdefault(key, i))
    members: dict[int, set[str]] = defaultdict(set)
    for i, site in enumerate(sites):
        members[root(i)].add(site)
    named = {network[0] for network in NETWORKS}
    return [min(members[root(i)], key=lambda site: (site not in named, site)) for i in range(len(pages))]


def folds(
    pages: Sequence[Mapping[str, Any]], k: int = 5, *, seed: int = 1, positive: Sequence[bool] | None = None
) -> list[int]:
    """The fold (0..k-1) of each page: whole groups to a fold, and folds balanced in pages and in positives.

    ``positive`` (one flag a page, e.g. the label a script fits) spreads the positive pages evenly over the
    folds; ``seed`` breaks ties between groups of the same size, so inner splits can differ from outer ones.
    """
    names = groups(pages)
    flags = list(positive) if positive is not None else [False] * len(pages)
    if len(flags) != len(pages):
        raise ValueError("one positive flag a page")
    members: dict[str, list[int]] = defaultdict(list)
    for i, name in enumerate(names):
        members[name].append(i)
    order = sorted(members)
    random.Random(seed).shuffle(order)
    order.sort(key=lambda g: (-sum(flags[i] for i in members[g]), -len(members[g])))
    pages_in = [0] * k
    positives_in = [0] * k
    fold_of: dict[str, int] = {}
    for name in order:
        hits = sum(flags[i] for i in members[name])
        # Groups with positives balance the positives first, the others the page counts.
        fold = min(range(k), key=lambda f: (positives_in[f], pages_in[f]) if hits else (pages_in[f], positives_in[f]))
        fold_of[name] = fold
        pages_in[fold] += len(members[name])
        positives_in[fold] += hits
    return [fold_of[name] for name in names]


def read_pages(path: Path = DEV_PAGES) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=DEV_PAGES)
    args = parser.parse_args()
    pages = read_pages(args.pages)
    names = groups(pages)
    sites: dict[str, set[str]] = defaultdict(set)
    for page, name in zip(pages, names, strict=True):
        sites[name].add(host_of(page["url"]))
    print(f"{len(pages)} pages, {len(sites)} groups")
    for name, hosts in sorted(sites.items(), key=lambda t: (-len(t[1]), t[0])):
        if len(hosts) > 1:
            print(f"  {name}: {names.count(name)} pages on {', '.join(sorted(hosts))}")


if __name__ == "__main__":
    main()
