"""HL005 rule-timed-out: reported by the engine when a rule runs past rule-timeout (it has no check of its own)."""

from __future__ import annotations

from healthlint import Rule, Severity

SUMMARY = "A rule took longer than rule-timeout on this article and was stopped"
DOC = """
## What it flags
A rule that ran longer than the per-rule time limit (`rule-timeout`, 60 seconds by
default) on one article. It is stopped, and the message names the rule and its plugin.
An article also has one limit for all its work, parsing included (`article-timeout`, 180
seconds): when that is spent, one finding names the rule it stopped and the rules that did
not run on the article.

## Why it matters
A check that hangs must not hang the whole gate, and a check that did not finish cannot
vouch for the article. The rest of the run goes on.

## Example
`rule ACME201 (slow-rule) of plugin 'acme' did not finish within 60 s (rule-timeout) and was stopped`

`checking this article took all of its 180 s (article-timeout): rule ACME201 (slow-rule) of plugin
'acme' was stopped and 3 rules did not run (ACME202, ACME203, ACME204)`

## Instead
Report it to the plugin's author; raise `rule-timeout` and `article-timeout` for very long articles.

## Options
`rule-timeout` (seconds, default 60, 0 for no limit) and `article-timeout` (seconds, default
180, 0 for no limit) in the `[tool.healthlint]` table.
"""

RULE = Rule("HL005", "rule-timed-out", SUMMARY, Severity.ERROR, None, DOC)
