"""HL002 rule-crashed: reported by the engine when a rule raises (it has no check of its own)."""

from __future__ import annotations

from healthlint import Rule, Severity

SUMMARY = "A rule failed while checking this article"
DOC = """
## What it flags
A rule (built-in or from a plugin) that raised an exception or returned something other
than hits while checking the article. The message names the rule and its plugin.

## Why it matters
A check that did not run cannot vouch for the article, so the article does not pass.
The rest of the run goes on.

## Example
`plugin 'acme' rule ACME101 (brand-names) crashed: KeyError: 'title'`

## Instead
Report the message to the plugin's author; meanwhile `ignore = ["ACME101"]` or
`disable-plugins = ["acme"]` skips it.

## Options
None.
"""

RULE = Rule("HL002", "rule-crashed", SUMMARY, Severity.ERROR, None, DOC)
