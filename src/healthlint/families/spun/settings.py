"""The options turned into what the analysis uses, checked and compiled once per run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from healthlint.config import Config, ConfigError

from .options import PLUGIN, SpunOptions
from .phrases import PhraseBook, PhraseError, builtin_phrases, config_phrases
from .result import DEFAULT_LIST_FREE_THRESHOLD, DEFAULT_ODD_THRESHOLD, DEFAULT_THRESHOLD


@dataclass
class Settings:
    """What the analysis needs from the options."""

    book: PhraseBook
    allow: frozenset[str] = frozenset()
    threshold: float = DEFAULT_THRESHOLD
    min_words: int = 80
    odd_threshold: float = DEFAULT_ODD_THRESHOLD
    list_free_threshold: float = DEFAULT_LIST_FREE_THRESHOLD
    #: The spin model's thresholds when the options set them (None: the model's own).
    suspect_threshold: float | None = None
    model_threshold: float | None = None


#: Options object -> its settings; a run has one options object, tests a few.
_COMPILED: dict[int, tuple[SpunOptions, Settings]] = {}


def _resolve(config: Config, name: str) -> Path:
    path = Path(name).expanduser()
    return path if path.is_absolute() else config.root / path


def compile_settings(options: SpunOptions, config: Config | None = None) -> Settings:
    """Turn the options into what the analysis uses. :raises ConfigError: naming the bad key."""
    source = config.source if config else None
    where = (config or Config()).plugin_key(PLUGIN)
    if options.verdict_threshold <= 0:
        raise ConfigError("must be a positive number", source, f"{where}.verdict-threshold")
    if options.verdict_min_words < 0:
        raise ConfigError("must not be negative", source, f"{where}.verdict-min-words")
    if not 0 < options.odd_pair_threshold <= 1:
        raise ConfigError("must be a share between 0 and 1", source, f"{where}.odd-pair-threshold")
    if options.list_free_threshold <= 0:
        raise ConfigError("must be a positive number", source, f"{where}.list-free-threshold")
    for key, value in (("suspect-threshold", options.suspect_threshold), ("model-threshold", options.model_threshold)):
        if value is not None and not 0 < value <= 1:
            raise ConfigError("must be a probability above 0, at most 1", source, f"{where}.{key}")
    _, shipped = builtin_phrases()
    known_ids = {p.id for p in shipped}
    unknown = [i for i in options.disabled_phrases if i not in known_ids]
    if unknown:
        raise ConfigError(
            f"unknown phrase id {unknown[0]!r} (see data/phrases.tsv or 'healthlint rules HL103')",
            source,
            f"{where}.disabled-phrases",
        )
    try:
        extra = config_phrases(options.extra_phrases)
    except PhraseError as exc:
        raise ConfigError(str(exc), source, where) from None
    disabled = set(options.disabled_phrases)
    allow = {w.strip().lower().replace("’", "'") for w in options.allow_words if w.strip()}
    for name in options.word_lists:
        path = _resolve(config, name) if config else Path(name)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read word list {name!r}: {exc}", source, f"{where}.word-lists") from None
        for line in text.splitlines():
            word = line.split("#", 1)[0].strip().lower()
            if word:
                allow.add(word)
    book = PhraseBook([p for p in shipped if p.id not in disabled] + extra)
    return Settings(
        book=book,
        allow=frozenset(allow),
        threshold=options.verdict_threshold,
        min_words=options.verdict_min_words,
        odd_threshold=options.odd_pair_threshold,
        list_free_threshold=options.list_free_threshold,
        suspect_threshold=options.suspect_threshold,
        model_threshold=options.model_threshold,
    )


def settings_for(options: SpunOptions, config: Config | None = None) -> Settings:
    """:func:`compile_settings`, once per options object."""
    cached = _COMPILED.get(id(options))
    if cached is not None and cached[0] is options:
        return cached[1]
    settings = compile_settings(options, config)
    if len(_COMPILED) > 16:
        _COMPILED.clear()
    _COMPILED[id(options)] = (options, settings)
    return settings
