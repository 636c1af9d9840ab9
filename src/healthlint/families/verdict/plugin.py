"""The verdict family's hooks: weigh the other families' findings and metrics once every rule has run."""

from __future__ import annotations

import functools
from typing import Any

from healthlint import Article, Finding, Rule, hookimpl
from healthlint.config import Config, ConfigError
from healthlint.families.verdict.evidence import INPUT_CODES, READING, features, shipped_model
from healthlint.families.verdict.options import PLUGIN, VerdictOptions
from healthlint.family import configure_hook, options_hook, rules_hook
from healthlint.rules import Selection, rules_in

CODE = "HL801"
#: Signs named in the message, at most.
SHOWN = 3


@functools.cache
def _rule() -> Rule:
    return next(r for r in rules_in(__package__) if r.code == CODE)


def check_options(options: VerdictOptions, config: Config) -> None:
    """Reject option values that cannot work, naming the key (as the readability and spun options do)."""
    if options.min_words < 0:
        raise ConfigError("must not be negative", config.source, config.plugin_key(PLUGIN, "min-words"))


def _percent(probability: float) -> str:
    # A fitted model is never certain: "100%" would claim more than it knows.
    return "over 99%" if probability >= 0.995 else f"{probability:.0%}"


@hookimpl(trylast=True)
def healthlint_modify_findings(
    article: Article, findings: list[Finding], config: Config, metrics: dict[str, Any], selection: Selection
) -> None:
    if not selection.is_selected(CODE) or not all(selection.is_selected(code) for code in INPUT_CODES):
        return
    if "spun" not in metrics:
        return  # the spun family did not run
    options: VerdictOptions = config.options_for(PLUGIN)
    if int(metrics.get("words") or 0) < options.min_words:
        # Too short to weigh: a few words give no rates worth the name, and the fit held no dev page under 50
        # words (its shortest texts were some two dozen clean documents of 39-49 words, all publishable).
        return
    model = shipped_model()
    x = features(metrics, (f.code for f in findings))
    probability = model.probability(x)
    metrics["weight_of_evidence"] = {"probability": round(probability, 3), "threshold": model.threshold}
    if probability < model.threshold or any(f.severity >= config.fail_on for f in findings):
        return  # below the threshold, or withheld already (the model was fitted on articles the gate passes)
    signs = [f"{READING[name][0]} ({READING[name][1]})" for name in model.signs(x)[:SHOWN]]
    rule = _rule()
    message = (
        f"moderate signs weigh for withholding this article ({_percent(probability)} likely unpublishable, "
        f"withheld from {model.threshold:.0%}); weighed most: {', '.join(signs) or 'several small signs'}"
    )
    severity = config.severity_for(CODE, rule.severity)
    # The verdict is about the whole article: on the line of its first block, so a suppression comment above the
    # article's text (after any front matter) switches it off. The findings stay sorted by position, then code.
    line = next((b.line for b in article.blocks if b.text.strip()), article.body_start_line)
    at = next((i for i, f in enumerate(findings) if (f.line, f.column, f.code) > (line, 1, CODE)), len(findings))
    # Its baseline identity is the verdict itself, not the probability or the signs the message names.
    verdict = Finding(article.path, line, 1, line, 2, CODE, rule.name, severity, message, plugin=PLUGIN, key="withhold")
    findings.insert(at, verdict)


healthlint_register_rules = rules_hook(__package__)
healthlint_register_options = options_hook(PLUGIN, VerdictOptions)
healthlint_configure = configure_hook(PLUGIN, check_options)
