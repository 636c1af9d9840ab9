"""HL801 weight-of-evidence: moderate signs from several families that together withhold an article."""

from __future__ import annotations

from healthlint import Rule, Severity

SUMMARY = "Several moderate signs (spin, spam, uncited research, ...) that together weigh for withholding"
DOC = """
## What it flags
An article that no single rule withholds, but whose moderate signs, weighed together, make it
unpublishable: a high share of odd or rare word pairs, a sentence that reads like spam, appeals
to uncited research, spinner phrases and the like. A logistic model, fitted on hand-labelled web
pages and clean health prose, weighs what the other families found (their findings per 1,000
words and their metrics) into one probability; the article is flagged when it reaches the
model's threshold and no other finding withholds the article already (the model is fitted on
the articles the rest of the gate passes). The message lists the signs that weighed most, with
their codes. The JSON metrics report the probability as `weight_of_evidence` (with its `threshold`).
A rate counts for as much as the text it is measured on: the word-pair rates are shrunk towards
clean prose's by 30 pairs, and findings are counted over the article's words and 60 more.

## Why it matters
Editors withhold a page on the weight of several weak signs, as a spam filter adds up many weak
rules; one warning each is easy to wave through.

## Example
```markdown
Lots of persons experience back agony at some point. Studies show that the right
mattress is the key to a blissful night. Our top-rated cushion is the best deal online
today, so order now while stocks last.
```

## Instead
Rewrite the spun wording, remove the sales lines, and cite the research (or drop the appeal to
it). Each sign the message names has its own finding to work from.

## Options
`min-words` (default 50, under `[tool.healthlint.plugins.verdict]`): shorter articles are not
weighed (no finding, no `weight_of_evidence` metric); 0 weighs every article. The model is
applied only when every rule it reads runs (`HL104`, `HL105`, `HL107`,
`HL108`, `HL303`, `HL305`, `HL306`, `HL404`, `HL517`, `HL701`, `HL702`, `HL703`, and the
spun family's metrics); ignoring one of them switches HL801 off. It weighs only the findings
that inline suppression comments leave: a sentence an editor has suppressed is no sign. It is
reported on the article's first line of text, so `<!-- healthlint: disable=HL801 -->` above
that line (after any front matter) switches it off for the article; or set its severity or
ignore it in the configuration.
"""

#: The host gives it no check: the verdict family raises it from the other families' findings.
RULE = Rule("HL801", "weight-of-evidence", SUMMARY, Severity.ERROR, None, DOC)
