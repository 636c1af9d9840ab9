"""Built-in plumbing: the article parser, the text and JSON formats, and the HL0xx tool-fault codes."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from healthlint import Hit, Rule, Severity, hookimpl
from healthlint.article import Article, kind_for, parse_article
from healthlint.config import Config
from healthlint.formats import GithubReporter, JunitReporter, SarifReporter
from healthlint.reporters import JsonReporter, Reporter, TextReporter
from healthlint.rules import RuleContext


@hookimpl(trylast=True)
def healthlint_parse_article(path: str, text: str, config: Config) -> Article:
    return parse_article(path, text, kind_for(path))


@hookimpl
def healthlint_register_reporters(register: Callable[[type[Reporter]], None]) -> None:
    for reporter in (TextReporter, JsonReporter, GithubReporter, SarifReporter, JunitReporter):
        register(reporter)


def check_unreadable_article(article: Article, ctx: RuleContext) -> Iterator[Hit]:
    for problem in article.problems:
        yield Hit(line=problem.line, column=problem.column, message=problem.message)


UNREADABLE_ARTICLE = Rule(
    code="HL001",
    name="unreadable-article",
    summary="The file cannot be read or parsed as an article",
    severity=Severity.ERROR,
    check=check_unreadable_article,
    doc="""
## What it flags
A file that is not an article healthlint can read: binary data, bytes that are not
UTF-8 (or UTF-16/32 with a byte-order mark), front matter that is not valid YAML, is not
a mapping, or is never closed. The finding names the line (and column) of the problem.

## Why it matters
What healthlint cannot read it cannot check, and what it cannot check must not be
published as if it had passed.

## Example
```markdown
---
title: "Back pain
---
```

## Instead
Save the file as UTF-8 and close the front matter with `---`:
```markdown
---
title: "Back pain"
---
```

## Options
None. Undecodable bytes are replaced and the rest of the article is still checked.
""",
)

RULE_CRASHED = Rule(
    code="HL002",
    name="rule-crashed",
    summary="A rule failed while checking this article",
    severity=Severity.ERROR,
    check=None,
    doc="""
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
""",
)

SERVICE_UNAVAILABLE = Rule(
    code="HL003",
    name="service-unavailable",
    summary="A service a check needs (such as LanguageTool) is not reachable",
    severity=Severity.WARNING,
    check=None,
    doc="""
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
""",
)


RULE_TIMED_OUT = Rule(
    code="HL005",
    name="rule-timed-out",
    summary="A rule took longer than rule-timeout on this article and was stopped",
    severity=Severity.ERROR,
    check=None,
    doc="""
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
""",
)


@hookimpl
def healthlint_register_rules(register: Callable[[Rule], None]) -> None:
    for rule in (UNREADABLE_ARTICLE, RULE_CRASHED, SERVICE_UNAVAILABLE, RULE_TIMED_OUT):
        register(rule)
