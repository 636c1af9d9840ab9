"""The readability plugin's hooks: its options, their checks, and its rules."""

from __future__ import annotations

from healthlint.config import Config, ConfigError
from healthlint.families.readability.options import PLUGIN, ReadabilityOptions, resolve
from healthlint.families.readability.plain_words import plain_words_for
from healthlint.family import configure_hook, options_hook, rules_hook


def check_options(options: ReadabilityOptions, config: Config) -> None:
    """Reject option values that cannot work, naming the key."""
    where = config.plugin_key(PLUGIN)
    if options.max_grade < options.target_grade:
        raise ConfigError(
            f"max-grade ({options.max_grade:g}) is below target-grade ({options.target_grade:g})",
            config.source,
            f"{where}.max-grade",
        )
    for key in ("min_words", "max_sentence_words", "paragraph_min_words", "max_paragraphs"):
        if getattr(options, key) < 0:
            raise ConfigError("must not be negative", config.source, f"{where}.{key.replace('_', '-')}")
    for name in options.plain_words_files:
        path = resolve(config, name)
        if not path.is_file():
            raise ConfigError(f"file {name!r} not found ({path})", config.source, f"{where}.plain-words-files")
    if options.plain_words_files:
        plain_words_for(config, options)  # a bad line is a usage error now, not a crash later
    # The syllable table loads with the first article that needs it, not here: a run whose
    # results all come from the result cache never needs it, and with --jobs the first
    # article is checked before the workers are forked, so they inherit it.


healthlint_register_options = options_hook(PLUGIN, ReadabilityOptions)
healthlint_register_rules = rules_hook(__package__)
healthlint_configure = configure_hook(PLUGIN, check_options)
