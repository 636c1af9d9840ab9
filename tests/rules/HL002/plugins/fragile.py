"""A local plugin whose rule fails on articles that mention a 'brittle' splint."""

from healthlint import Rule, Severity, hookimpl


def check_brittle(article, ctx):
    if "brittle" in article.text:
        raise KeyError("splint")
    return iter(())


@hookimpl
def healthlint_register_rules(register):
    register(Rule("FIX201", "brittle-splint", "Fails on purpose", Severity.WARNING, check_brittle))
