"""A local plugin whose rule never finishes on articles that mention a 'marathon'."""

import time

from healthlint import Rule, Severity, hookimpl


def check_slowly(article, ctx):
    if "marathon" in article.text:
        time.sleep(5)
    return iter(())


@hookimpl
def healthlint_register_rules(register):
    register(Rule("FIX501", "slow-rule", "Takes its time", Severity.WARNING, check_slowly))
