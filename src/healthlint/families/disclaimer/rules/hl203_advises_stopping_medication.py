"""HL203 advises-stopping-medication."""

from __future__ import annotations

from healthlint import Rule, Severity
from healthlint.families.disclaimer.checks import statement_check

SUMMARY = "Tells readers to stop or replace prescribed medicine"
DOC = """
## What it flags
Advice to stop, skip, replace or "forget" prescribed medicine: "you can stop taking your
arthritis medicine", "replace your blood pressure pills with beet juice", "Forget pills."
Reports of what study participants did ("patients who stopped taking statins") and warnings
("do not stop taking your medicine without talking to your doctor") are not flagged.

## Why it matters
Stopping some medicines suddenly (blood thinners, steroids, antidepressants, insulin, blood
pressure drugs) can be dangerous. Only the prescriber can judge it.

## Example
```markdown
Drink this tea every day and you can stop taking your arthritis medicine.
```

## Instead
```markdown
Some people find the tea soothing alongside their usual treatment. Do not stop or change a
prescribed medicine without talking to your doctor.
```

## Options
None.
"""


MESSAGE = "Tells readers to stop or replace their medicine: {evidence!r}"
SUGGESTION = 'Say instead: "Do not stop or change a prescribed medicine without talking to your doctor."'
check = statement_check("stop-medicine", MESSAGE, SUGGESTION)

RULE = Rule("HL203", "advises-stopping-medication", SUMMARY, Severity.ERROR, check, DOC)
