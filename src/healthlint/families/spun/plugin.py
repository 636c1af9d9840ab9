"""Spun text (HL1xx): the hooks. Options, their check at configure time, and the rules of ``rules/``.

Article spinners rewrite stolen text word by word with a thesaurus ("the answer is yes"
becomes "the reply is sure", "underlying" becomes "undermendacity"). The rules share one
analysis per article (:mod:`.shared`); the word index behind it (:mod:`.lexicon`) is opened only
when one of its rules runs (HL1, and HL701 for missing spaces). Importing this imports nothing heavy.
"""

from __future__ import annotations

from healthlint import hookimpl
from healthlint.config import Config, ConfigError, RequirementUnavailable
from healthlint.family import options_hook, rules_hook
from healthlint.rules import Selection

from .options import PLUGIN, SpunOptions
from .settings import settings_for

#: The one rule of the family outside HL1: glued words are found with its dictionaries but are no spin.
MISSING_SPACE = "HL701"

healthlint_register_options = options_hook(PLUGIN, SpunOptions)
healthlint_register_rules = rules_hook(__package__)


@hookimpl
def healthlint_configure(config: Config, selection: Selection) -> None:
    """Reject options that cannot work, and a missing word data source if a rule of the family will run."""
    options: SpunOptions | None = config.options.get(PLUGIN)
    if options is None:
        return
    settings_for(options, config)
    if options.deep_required:
        _require_deep(options, config, selection)
    if selection.any_selected("HL1") or selection.is_selected(MISSING_SPACE):
        # The index itself opens with the first article that needs it (bench/README: "How the index
        # stays fast"): a run whose results all come from the result cache never needs it, and with
        # --jobs the first article is checked before the workers are forked, so they inherit what it
        # read (a part read later, on a rarer word, is read once per worker). What can be
        # checked cheaply is checked now, so a broken installation is one clear error.
        from .lexicon.sources import source_versions

        missing = [name for name, version in source_versions().items() if version == "missing"]
        if missing:
            raise ConfigError(
                f"the spun-text rules (HL1) cannot load their word data: {', '.join(missing)} not installed "
                "(reinstall healthlint, or ignore HL1)"
            )
        from .trigram import missing as trigram_missing

        reason = trigram_missing()
        if reason is not None:
            raise ConfigError(f"the spun-text rules (HL1) cannot run: {reason} (reinstall healthlint, or ignore HL1)")


@hookimpl
def healthlint_prepare_workers(config: Config, selection: Selection) -> None:
    """With ``deep = true``, load (and verify) the deeper stage's model once, before the workers are forked.

    Otherwise it is loaded by the first article the stage judges: in the parent only when that is the run's first
    article, else in every worker (about 5 s of CPU, 550 MB and a sha256 of the 98 MB file each).
    """
    options: SpunOptions | None = config.options.get(PLUGIN)
    if options is None or not options.deep:
        return
    if selection.any_selected("HL1") or selection.is_selected(MISSING_SPACE):
        from . import deep

        deep.preload()


def _require_deep(options: SpunOptions, config: Config, selection: Selection) -> None:
    """``deep-required = true``: the deeper stage must be able to run, or the run stops here (exit 2)."""
    key = config.plugin_key(PLUGIN, "deep-required")
    if not options.deep:
        raise ConfigError("needs deep = true as well", config.source, key)
    if not selection.any_selected("HL1"):
        return
    from . import deep

    # Cheap checks only (no model is loaded here: a run whose results all come from the result cache needs none),
    # and the checksum, which a damaged file fails (about 0.2 s).
    reason = deep.unavailable() or deep.damaged()
    if reason is not None:
        raise RequirementUnavailable(reason, config, PLUGIN, "deep-required")
