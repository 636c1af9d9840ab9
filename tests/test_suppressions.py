"""Inline suppression comments in Markdown."""

from __future__ import annotations

from healthlint import Finding, Hit, Rule, Severity, hookimpl
from healthlint.testing import codes


def word_rule(code: str, word: str) -> Rule:
    def check(article, ctx):
        for block in article.blocks:
            start = block.text.find(word)
            while start >= 0:
                yield block.hit(start, start + len(word), word)
                start = block.text.find(word, start + 1)

    return Rule(code=code, name=f"{word}-word", summary=word, severity=Severity.ERROR, check=check)


class Words:
    @hookimpl
    def healthlint_register_rules(self, register):
        register(word_rule("TST101", "alpha"))
        register(word_rule("TST201", "beta"))


def found(lint, text, name="a.md"):
    report = lint(text, select=["TST", "HL004"], plugins=[Words()], name=name)
    return [(f.code, f.line) for f in report.articles[0].findings]


def test_disable_and_enable_a_code_for_a_range(lint):
    text = """\
alpha beta

<!-- healthlint: disable=TST101 -->
alpha beta

<!-- healthlint: enable=TST101 -->
alpha
"""
    assert found(lint, text) == [("TST101", 1), ("TST201", 1), ("TST201", 4), ("TST101", 7)]


def test_disable_without_codes_switches_everything_off_and_prefixes_work(lint):
    text = "<!-- healthlint: disable -->\nalpha beta\n<!-- healthlint: enable=TST2 -->\n\nalpha beta\n"
    assert found(lint, text) == [("TST201", 5)]


def test_disable_next_line_only_covers_the_next_line(lint):
    text = "<!-- healthlint: disable-next-line=TST101, TST201 -->\nalpha beta\nalpha\n"
    assert found(lint, text) == [("TST101", 3)]


def test_inline_comment_at_the_end_of_a_line(lint):
    text = "Intro alpha.\n\nalpha here <!-- healthlint: disable=TST1 --> and alpha later\n\nalpha again\n"
    assert found(lint, text) == [("TST101", 1)]


def test_comments_inside_code_do_not_count(lint):
    text = "```\n<!-- healthlint: disable -->\n```\n\nalpha\n"
    assert found(lint, text) == [("TST101", 5)]


def test_a_malformed_directive_is_reported_not_silently_ignored(lint):
    text = "<!-- healthlint: disabel=TST101 -->\nalpha\n\n<!-- healthlint: disable=not-a-code -->\n"
    report = lint(text, select=["TST", "HL004"], plugins=[Words()])
    findings = report.articles[0].findings
    assert codes(findings) == ["HL004", "TST101", "HL004"]
    assert "cannot read suppression comment 'disabel=TST101'" in findings[0].message
    assert findings[2].message == "NOT-A-CODE is not a rule code or prefix"


def test_plain_text_has_no_directives(lint):
    assert found(lint, "<!-- healthlint: disable -->\nalpha\n", name="a.txt") == [("TST101", 2)]


def test_unrelated_html_comments_are_ignored(lint):
    assert found(lint, "<!-- editor: check dates -->\nalpha\n") == [("TST101", 2)]


def test_hits_are_unchanged_without_comments(lint):
    assert found(lint, "alpha\n\nbeta\n") == [("TST101", 1), ("TST201", 3)]
    assert Hit(1, 1, "x").line == 1


class Weigher:
    """Another modify_findings hook: records what it is shown and adds a finding of its own (as HL801 does)."""

    def __init__(self):
        self.seen = []

    @hookimpl
    def healthlint_register_rules(self, register):
        register(Rule("TST301", "verdict", "s", Severity.ERROR, None))  # a code of its own, checked by no rule

    @hookimpl(trylast=True)
    def healthlint_modify_findings(self, article, findings):
        self.seen = [(f.code, f.line) for f in findings]
        findings.insert(0, Finding(article.path, 1, 1, 1, 2, "TST301", "verdict", Severity.ERROR, "weighed"))


def test_other_hooks_see_only_unsuppressed_findings_and_what_they_add_is_suppressible(lint):
    weigher = Weigher()
    text = "alpha\n\n<!-- healthlint: disable-next-line=TST201 -->\nbeta\n\nbeta\n"
    report = lint(text, select=["TST", "HL004"], plugins=[Words(), weigher])
    assert weigher.seen == [("TST101", 1), ("TST201", 6)]
    assert [(f.code, f.line) for f in report.articles[0].findings] == [("TST301", 1), ("TST101", 1), ("TST201", 6)]
    off = lint("<!-- healthlint: disable=TST3 -->\nalpha\n", select=["TST", "HL004"], plugins=[Words(), weigher])
    assert [(f.code, f.line) for f in off.articles[0].findings] == [("TST101", 2)]


def test_a_comment_naming_a_code_no_rule_has_is_reported_as_switching_nothing_off(lint):
    text = "alpha\n\n<!-- healthlint: disable-next-line=TST102 -->\nalpha\n\n<!-- healthlint: disable=TST1 -->\nalpha\n"
    report = lint(text, select=["TST", "HL004"], plugins=[Words()])
    findings = [(f.code, f.line, f.message) for f in report.articles[0].findings]
    # TST102 is a typo of TST101: the next line's finding stays, and the comment is named; TST1 is a prefix of it
    assert findings == [
        ("TST101", 1, "alpha"),
        ("HL004", 3, "TST102 names no rule, so the comment switches nothing off (see 'healthlint rules')"),
        ("TST101", 4, "alpha"),
    ]


def test_a_reason_follows_two_hyphens_and_a_reason_without_them_is_named(lint):
    text = """\
<!-- healthlint: disable-next-line=TST101 -- the editor checked this -->
alpha beta

<!-- healthlint: disable=TST201 --we quote a spun page-->
beta

<!-- healthlint: enable -- end of the quote -->
beta

<!-- healthlint: disable-next-line=TST101 because we checked it -->
alpha
"""
    report = lint(text, select=["TST", "HL004"], plugins=[Words()])
    findings = [(f.code, f.line, f.message) for f in report.articles[0].findings]
    assert findings == [
        ("TST201", 2, "beta"),
        ("TST201", 8, "beta"),
        (
            "HL004",
            10,
            "'TST101 because we checked it' is not a list of rule codes (BECAUSE, CHECKED are not rule codes); a"
            " reason goes after ' -- ', as in disable=HL301 -- why",
        ),
        ("TST101", 11, "alpha"),
    ]


def test_disable_next_line_switches_off_a_finding_that_starts_there_and_spans_lines(lint):
    class Spanning:
        @hookimpl
        def healthlint_register_rules(self, register):
            def check(article, ctx):
                for block in article.blocks:
                    start = block.text.find("gamma")
                    if start >= 0:
                        yield block.hit(start, block.text.find("delta") + len("delta"), "gamma to delta")

            register(Rule("TST401", "span", "s", Severity.ERROR, check))

    quote = "<!-- healthlint: disable-next-line=TST401 -- a long quote -->"
    text = f"gamma one\ntwo delta\n\n{quote}\ngamma one\ntwo delta\n"
    report = lint(text, select=["TST", "HL004"], plugins=[Spanning()])
    assert [(f.code, f.line, f.end_line) for f in report.articles[0].findings] == [("TST401", 1, 2)]


def test_a_comment_above_the_first_text_switches_off_findings_in_the_front_matter(lint):
    front = "---\ntitle: Knees\nauthor: Staff writer\n---\n"
    above = front + "<!-- healthlint: disable=HL311 -- a house byline, by policy -->\n\n# Knees\n\nWalk daily.\n"
    below = front + "\n# Knees\n\n<!-- healthlint: disable=HL311 -->\nWalk daily.\n"
    found = {}
    for name, text in (("above", above), ("below", below)):
        report = lint(text, select=["HL311", "HL313", "HL004"])
        found[name] = [(f.code, f.line) for f in report.articles[0].findings]
    assert found == {"above": [("HL313", 1)], "below": [("HL313", 1), ("HL311", 3)]}


def test_a_directive_in_another_case_works_and_a_misspelt_one_is_named(lint):
    text = """\
<!-- Healthlint: Disable-Next-Line=TST101 -->
alpha

<!-- helthlint: disable-next-line=TST101 -->
alpha

<!-- healthlint disable=TST101 -->
alpha

<!-- eslint-disable-next-line -->
alpha
"""
    report = lint(text, select=["TST", "HL004"], plugins=[Words()])
    assert [(f.code, f.line, f.message) for f in report.articles[0].findings] == [
        ("HL004", 4, "'helthlint' is not 'healthlint': the comment switches nothing off"),
        ("TST101", 5, "alpha"),
        ("HL004", 7, "no colon after 'healthlint' (write healthlint: disable=CODES): the comment switches nothing off"),
        ("TST101", 8, "alpha"),
        ("TST101", 11, "alpha"),
    ]


def test_a_comment_above_the_first_text_cannot_hide_that_the_front_matter_is_unreadable(lint):
    # A byline kept on purpose may be switched off from below the front matter; front matter that cannot be read
    # is no policy: what the publisher reads from it (title, author, dates) is lost, and HL001 is an error so that
    # such an article never passes as checked. A 'disable' of everything, or of HL0, above the text must not hide it.
    broken = '---\ntitle: "Knees\nauthor: [Staff\n---\n'
    for directive, left in (("disable", []), ("disable=HL0", ["HL311"]), ("disable=HL001,HL311 -- policy", [])):
        text = f"{broken}<!-- healthlint: {directive} -->\n\n# Knees\n\nWalk daily.\n"
        report = lint(text, select=["HL0", "HL311"])
        assert sorted(f.code for f in report.articles[0].findings) == ["HL001", *left], directive
        assert not report.passed


def test_a_comment_of_a_cms_or_another_tool_is_no_misspelt_directive(lint):
    # 'healthline' is one letter from 'healthlint' (and a health publisher's name): a comment that names it and
    # goes on in words is someone else's; one that reads as a directive (an action, then codes) is a typo.
    text = """\
<!-- Healthline: disable ads on this page -->
<!-- healthline: disable-next-line=TST101 -->
alpha

<!-- healthlint-disable-next-line TST101 -->
alpha
"""
    report = lint(text, select=["TST", "HL004"], plugins=[Words()])
    assert [(f.code, f.line, f.message) for f in report.articles[0].findings] == [
        ("HL004", 2, "'healthline' is not 'healthlint': the comment switches nothing off"),
        ("TST101", 3, "alpha"),
        (
            "HL004",
            5,
            "'healthlint-disable-next-line' is not a directive (write healthlint: disable-next-line=CODES):"
            " the comment switches nothing off",
        ),
        ("TST101", 6, "alpha"),
    ]


def test_disable_next_line_above_the_first_text_reaches_the_front_matter_as_disable_does(lint):
    # README: a front-matter finding is switched off by a comment above the first text "as if it sat there";
    # disable-next-line just above the first text switched nothing off, and nothing said so.
    text = "---\ntitle: Knees\n---\n\n<!-- healthlint: disable-next-line=HL311 -- house byline -->\n# Knees\n\nWalk.\n"
    report = lint(text, select=["HL311", "HL313", "HL004"])
    assert [(f.code, f.line) for f in report.articles[0].findings] == [("HL313", 1)]
    gap = text.replace("-->\n# Knees", "-->\n\n# Knees")  # the next line is blank: it covers nothing, as elsewhere
    report = lint(gap, select=["HL311", "HL313", "HL004"])
    assert sorted(f.code for f in report.articles[0].findings) == ["HL311", "HL313"]
