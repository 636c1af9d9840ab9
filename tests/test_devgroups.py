"""scripts/devgroups.py: one grouping of the development pages, and folds that never split a group."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import defaultdict
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
WEB = HERE.parent.parent / "shared" / "corpus" / "web"

pytest.importorskip("tldextract")


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("devgroups", HERE.parent / "scripts" / "devgroups.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


devgroups = _load()


def page(url: str, text: str = "") -> dict[str, Any]:
    return {"url": url, "text": text}


def test_hosts_of_one_registered_domain_share_a_group() -> None:
    group = devgroups.site_of
    assert group("https://www.example.co.uk/x") == group("https://shop.example.co.uk/y") == "example.co.uk"
    assert group("https://health.example.com/") == group("http://example.com/a")
    assert group("https://example.com/") != group("https://example.org/")


def test_every_blog_of_a_free_hosting_platform_is_one_group() -> None:
    # The corpus README calls them throwaway blogs of link networks, not independent authors.
    assert devgroups.site_of("https://a.blogspot.com/x") == devgroups.site_of("https://b.blogspot.com/y")
    assert devgroups.site_of("https://a.wordpress.com/") == devgroups.site_of("https://b.wordpress.com/")


def test_network_hosts_share_a_group() -> None:
    names = devgroups.groups([page("https://kms7.gobrunch.com/a"), page("https://rm.wunderbar.com/b")])
    assert names[0] == names[1]
    names = devgroups.groups([page("https://www.nhs.uk/x"), page("https://somepractice.nhs.uk/y")])
    assert names[0] == names[1]
    # A network blog on a free platform stays with the platform's other blogs.
    names = devgroups.groups([page("http://herbalofsupplements.blogspot.com/x"), page("https://z.blogspot.com/")])
    assert names[0] == names[1]


def test_a_shared_run_of_words_joins_two_sites_and_a_shorter_one_does_not() -> None:
    run = "one two three four five six seven eight"
    short = "one two three four five six seven"
    names = devgroups.groups(
        [
            page("https://a.example/", f"Opening. {run} and more."),
            page("https://b.example/", f"Other words, {run.upper()}!"),
            page("https://c.example/", f"{short} nine"),
            page("https://d.example/", f"{short} ten"),
        ]
    )
    assert names[0] == names[1]
    assert len({names[1], names[2], names[3]}) == 3


def test_folds_keep_groups_whole_and_spread_positives() -> None:
    pages = [page(f"https://s{i % 12}.example/{i}") for i in range(40)]
    positive = [i % 12 < 5 for i in range(40)]
    fold_of = devgroups.folds(pages, 5, positive=positive)
    assert fold_of == devgroups.folds(pages, 5, positive=positive)
    by_site: dict[str, set[int]] = defaultdict(set)
    for p, f in zip(pages, fold_of, strict=True):
        by_site[devgroups.site_of(p["url"])].add(f)
    assert all(len(folds) == 1 for folds in by_site.values())
    assert all(any(f == k and pos for f, pos in zip(fold_of, positive, strict=True)) for k in range(5))
    with pytest.raises(ValueError):
        devgroups.folds(pages, 5, positive=positive[:-1])


# --- on the labelled development pages -------------------------------------------------------------------


@pytest.fixture(scope="module")
def dev_pages() -> list[dict[str, Any]]:
    if not (WEB / "dev_pages.jsonl").is_file():
        pytest.skip("needs ../shared/corpus/web/dev_pages.jsonl")
    pages: list[dict[str, Any]] = devgroups.read_pages(WEB / "dev_pages.jsonl")
    return pages


@pytest.fixture(scope="module")
def caveat() -> str:
    readme = WEB / "README.md"
    if not readme.is_file():
        pytest.skip("needs ../shared/corpus/web/README.md")
    found = re.search(r"^- Several pages share.*?(?=^- |\Z)", readme.read_text(encoding="utf-8"), re.S | re.M)
    assert found, "the corpus README's caveat on networks moved"
    return found.group(0)


LABELS = {
    "spun": lambda p: bool(p["labels"]["spun"]),
    "spam": lambda p: bool(p["labels"]["spam"]),
    "advice": lambda p: bool(p["labels"]["gives_treatment_advice"]),
}


@pytest.mark.parametrize("seed", [1, 2, 7])
@pytest.mark.parametrize("label", sorted(LABELS))
def test_no_site_network_or_shared_text_spans_two_folds(dev_pages: list[dict[str, Any]], label: str, seed: int) -> None:
    fold_of = devgroups.folds(dev_pages, 5, seed=seed, positive=[LABELS[label](p) for p in dev_pages])
    assert len(set(fold_of)) == 5
    # Checked link by link, independently of how groups() closes them.
    folds_of: dict[tuple[str, str], set[int]] = defaultdict(set)
    for p, fold in zip(dev_pages, fold_of, strict=True):
        folds_of["domain", devgroups.domain_of(p["url"])].add(fold)
        folds_of["network", devgroups.network_of(devgroups.host_of(p["url"])) or p["url"]].add(fold)
        words = re.findall(r"[a-z0-9]+", p["text"].lower())
        for i in range(len(words) - 7):
            folds_of["run", " ".join(words[i : i + 8])].add(fold)
    split = {key: found for key, found in folds_of.items() if len(found) > 1}
    assert not split


def test_every_network_the_corpus_readme_names_is_one_group(dev_pages: list[dict[str, Any]], caveat: str) -> None:
    names = devgroups.groups(dev_pages)
    for network in devgroups.NETWORKS:
        groups_of_network = set()
        for name in network:
            assert name.split(".")[0].lower() in caveat.lower(), f"{name} is not a network of the corpus README"
            hosts = [
                i for i, p in enumerate(dev_pages) if devgroups.network_of(devgroups.host_of(p["url"])) == network[0]
            ]
            assert any(devgroups.host_of(dev_pages[i]["url"]).endswith(name) for i in hosts), f"no page on {name}"
            groups_of_network |= {names[i] for i in hosts}
        assert len(groups_of_network) == 1, network


def test_every_site_the_corpus_readme_names_belongs_to_a_network(dev_pages: list[dict[str, Any]], caveat: str) -> None:
    # The README names hosts in lower case ("gobrunch, wunderbar"); case matters so that "/News/" names no host.
    words = set(re.findall(r"[a-z0-9][a-z0-9-]*", caveat))
    unlisted = set()
    for p in dev_pages:
        host = devgroups.host_of(p["url"])
        suffix = devgroups.domain_of(p["url"]).split(".")[1:]  # "com", "co.uk": no name of a site
        labels = set(host.split(".")[: len(host.split(".")) - len(suffix)])
        if labels & words and devgroups.network_of(host) is None:
            unlisted.add(host)
    assert not unlisted
