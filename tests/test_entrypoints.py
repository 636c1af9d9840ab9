"""Entry points read from dist-info folders agree with importlib.metadata."""

from __future__ import annotations

import importlib.metadata
import sys

import pytest

from healthlint.entrypoints import entry_points, normalize


def reference(group: str) -> set[tuple[str, str, str, str]]:
    out = set()
    seen_dists: set[str] = set()
    for dist in importlib.metadata.distributions():
        name = normalize(dist.metadata["Name"] or "")
        if name in seen_dists:  # the first distribution of a name on sys.path wins
            continue
        seen_dists.add(name)
        for ep in dist.entry_points:
            if ep.group == group:
                out.add((ep.name, ep.value, name, dist.version))
    return out


@pytest.mark.parametrize("group", ["healthlint", "console_scripts", "pytest11", "pre_commit.hooks"])
def test_same_entry_points_as_importlib_metadata(group):
    ours = {(ep.name, ep.value, normalize(ep.dist_name), ep.dist_version) for ep in entry_points(group)}
    assert ours == reference(group)


def test_builtin_plugins_are_found_with_their_distribution():
    found = {ep.name: ep for ep in entry_points("healthlint")}
    assert {"core", "spun", "links", "site"} <= set(found)
    assert found["core"].dist_name == "healthlint"
    assert found["core"].load().__name__ == "healthlint.families.core.plugin"


def test_reads_a_dist_info_folder_and_first_on_the_path_wins(tmp_path):
    for folder, version, target in (("a", "1.0", "first_mod:plugin"), ("b", "2.0", "second_mod")):
        info = tmp_path / folder / f"acme_rules-{version}.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: acme-rules\nVersion: {version}\n\nReadme.\n")
        (info / "entry_points.txt").write_text(f"[console_scripts]\nacme = x:y\n\n[healthlint]\nacme = {target}\n")
    (found,) = entry_points("healthlint", [str(tmp_path / "a"), str(tmp_path / "b")])
    assert (found.name, found.value, found.dist_name, found.dist_version) == (
        "acme",
        "first_mod:plugin",
        "acme-rules",
        "1.0",
    )


def test_a_zip_on_the_path_falls_back_to_importlib_metadata(tmp_path, monkeypatch):
    archive = tmp_path / "bundle.zip"
    archive.write_bytes(b"PK\x05\x06" + b"\x00" * 18)  # an empty zip archive
    monkeypatch.setattr(sys, "path", [str(archive), *sys.path])
    assert {ep.name for ep in entry_points("healthlint", [str(archive), *sys.path[1:]])} >= {"core", "spun"}
