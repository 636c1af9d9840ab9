"""HL005 rule-timed-out: reported by the engine when a rule runs past rule-timeout (it has no check of its own)."""

from __future__ import annotations

from healthlint import Rule, Severity

SUMMARY = "A rule took longer than rule-timeout on this article and was stopped"
DOC = """
## What it flags
A rule that ran longer than the per-rule time limit (`rule-timeout`, 60 seconds by
default) on one article. It is stopped, and the message names the rule and its plugin.

## Why it matters
A check that hangs must not hang the whole gate, and a check that did not finish cannot
vouch for the article. The rest of the run goes on.

## Example
`rule ACME201 (slow-rule) of plugin 'acme' did not finish within 60 s (rule-timeout) and was stopped`

## Instead
Report it to the plugin's author; raise `rule-timeout` for very long articles.

## Options
`rule-timeout` (seconds, default 60, 0 for no limit) in the `[tool.healthlint]` table.
"""

RULE = Rule("HL005", "rule-timed-out", SUMMARY, Severity.ERROR, None, DOC)
