"""HL003 service-unavailable: a notice plugins raise when a service is down (it has no check of its own)."""

from __future__ import annotations

from healthlint import Rule, Severity

SUMMARY = "A service a check needs (such as LanguageTool) is not reachable"
DOC = """
## What it flags
A check that needs an outside service (the grammar rules need a LanguageTool server)
could not reach it. It is reported once per run as a notice, not per article.

## Why it matters
The gate does not depend on a server being up, but editors should know which checks did
not run.

## Example
`notice: HL003 grammar not checked: no LanguageTool server; set HEALTHLINT_LANGUAGETOOL_URL`

## Instead
Start the service and point healthlint at it (see README, "Grammar").

## Options
The plugin that needs the service says whether it is required.
"""

RULE = Rule("HL003", "service-unavailable", SUMMARY, Severity.WARNING, None, DOC)
