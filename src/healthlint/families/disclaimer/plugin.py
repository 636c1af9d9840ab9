"""The disclaimer plugin's hooks: its options, their checks, and its rules.

HONcode's *complementarity* principle: health information supports, and does not replace,
the relationship between a patient and their doctor. HL201 flags an article with no safety
statement at all (in its body, its front matter, or the site template declared in config);
HL202 flags sentences that talk readers out of professional care ("you don't need to see a
doctor"); HL203 flags advice to stop prescribed medicine.
"""

from __future__ import annotations

from healthlint.config import Config, ConfigError
from healthlint.families.disclaimer.options import PLUGIN, DisclaimerOptions
from healthlint.family import configure_hook, options_hook, rules_hook


def check_options(options: DisclaimerOptions, config: Config) -> None:
    if options.min_words < 0:
        raise ConfigError("must be 0 or more", config.source, config.plugin_key(PLUGIN, "min-words"))
    site = options.site_disclaimer
    if not (isinstance(site, str) and site.strip()):
        return
    # imported here: a run with no site disclaimer text and no HL2 rule never loads the analysis
    from healthlint.families.disclaimer.analysis import is_safety_statement

    if not is_safety_statement(site):
        raise ConfigError(
            "this text does not read as a safety statement (it should tell readers to see a health professional, "
            "or say it is not a substitute for medical advice); set site-disclaimer = true to declare the "
            "template's disclaimer without checking its words",
            config.source,
            config.plugin_key(PLUGIN, "site-disclaimer"),
        )


healthlint_register_options = options_hook(PLUGIN, DisclaimerOptions)
healthlint_register_rules = rules_hook(__package__)
healthlint_configure = configure_hook(PLUGIN, check_options)
