"""A local plugin whose rule needs a service that is down for articles that say 'offline'."""

from healthlint import Rule, Severity, hookimpl


def check_with_service(article, ctx):
    if "offline" in article.text:
        ctx.notice("drug lookup not checked: the lookup service is offline", code="HL003")
    return iter(())


@hookimpl
def healthlint_register_rules(register):
    register(Rule("FIX301", "drug-lookup", "Asks a service", Severity.WARNING, check_with_service))
