"""HL70x page chrome (and the teaser blocks HL512/HL513 the link family keeps), and the redirects of the
codes the chrome rules took over (HL514, the navigation part of HL512). Every fixture here is our own writing."""

from __future__ import annotations

from pathlib import Path

import pytest

from healthlint.config import config_from_table
from healthlint.model import Severity
from healthlint.rules import REDIRECTS, redirected, rules_in

HERE = Path(__file__).parent
ARTICLES = HERE / "articles" / "links"


def chrome(report):
    """(code, line, end_line) of every HL5 and HL7 finding of a one-article report."""
    return [(f.code, f.line, f.end_line) for f in report.articles[0].findings if f.code.startswith(("HL5", "HL7"))]


def test_chrome_rules_are_of_their_own_family_page_chrome_warns_and_chatbot_residue_withholds():
    rules = rules_in("healthlint.families.chrome")
    assert [(r.code, r.name, r.severity) for r in rules] == [
        ("HL702", "page-furniture", Severity.WARNING),
        ("HL703", "navigation-block", Severity.WARNING),
        ("HL704", "chatbot-residue", Severity.ERROR),
    ]
    assert "HL514" not in [r.code for r in rules_in("healthlint.families.links")]


def test_navigation_block_is_one_warning_with_its_range(lint):
    report = lint(ARTICLES / "nav_block.txt", select=["HL5", "HL7"])
    assert chrome(report) == [("HL703", 1, 3), ("HL703", 9, 12)]
    assert all(f.severity is Severity.WARNING for f in report.articles[0].findings)


def test_off_topic_teasers_are_one_error_covering_the_block(lint):
    report = lint(ARTICLES / "teasers.txt", select=["HL5", "HL7"])
    assert chrome(report) == [("HL513", 7, 12)]
    (hit,) = report.articles[0].findings
    assert "Tides" in hit.message


def test_related_posts_header_makes_a_block(check):
    text = """
    Heat relaxes stiff back muscles and eases pain within minutes for most people.

    You may also like

    Ten Easy Stretches for Office Workers

    What Your Mattress Says About Your Back

    A warm bath before bed can also help you sleep through back pain.
    """
    report = check(text, select=["HL5", "HL7"], name="a.txt")
    assert chrome(report) == [("HL703", 3, 7)]


def test_headings_lists_and_questions_are_flow(check):
    text = """
    Easing a Stiff Back

    Introduction

    A stiff back usually loosens with movement, heat and time.

    Common Causes of Stiffness

    Stiffness often comes from sitting for hours or from a strained muscle.

    Signs that need a doctor include:

    Numbness in the legs

    Fever with back pain

    Loss of bladder control

    Tip: stand up and walk for two minutes every half hour.

    FAQs

    Q: Should I rest in bed?

    A: No, gentle movement helps more than bed rest.
    """
    assert chrome(check(text, select=["HL5", "HL7"], name="a.txt")) == []


def test_markdown_headings_and_link_lists(check):
    text = """
    # Back stretches

    ## Cat-cow

    Kneel on all fours and arch the back slowly.

    ## Further reading

    - [Exercise for back pain](https://www.nhs.uk/live-well/exercise/)
    - [Low back pain fact sheet](https://www.ninds.nih.gov/low-back-pain)

    ## Related posts

    - [Ten Easy Stretches for Office Workers](https://blog.example/ten)
    - [What Your Mattress Says About Your Back](https://blog.example/mattress)
    """
    report = check(text, select=["HL512", "HL513", "HL703"])
    assert chrome(report) == [("HL703", 12, 15)]


def test_lone_page_clutter_lines(check):
    text = """
    The drug lowered pain scores by a third in the trial.

    Advertisement

    Side effects were mild and passed within a week.

    Share this article
    Follow us on Twitter
    """
    report = check(text, select=["HL702"], name="a.txt")
    assert chrome(report) == [("HL702", 3, 3), ("HL702", 7, 8)]
    assert "(an advertising label)" in report.articles[0].findings[0].message


def test_contact_block_of_a_press_release_is_flow(lint):
    report = lint(ARTICLES / "clean_release.txt", select=["HL512", "HL513", "HL703"])
    assert chrome(report) == []


def test_markdown_heading_named_like_page_furniture_is_not_clutter(check):
    text = "# Neck exercises\n\n## Video\n\nA physiotherapist shows each exercise in the video below.\n"
    assert chrome(check(text, select=["HL512", "HL702", "HL703"])) == []


def test_reference_list_under_a_heading_is_flow_but_a_bare_link_menu_is_not(check):
    text = """
    # Knee pain

    Knee pain after running usually settles with rest and strengthening.

    ## References

    - [Running and knee pain: a cohort study](https://jamanetwork.com/journals/x)
    - [Patellofemoral pain guideline](https://www.nice.org.uk/guidance/x)
    - [Notes from a physiotherapist](https://physio-notes.example/knees)

    Strengthening the thigh muscles protects the knee joint when running.

    - [Sleep positions](https://blog.example/sleep)
    - [Choosing a pillow](https://blog.example/pillow)
    - [Desk setup](https://blog.example/desk)

    Good running shoes spread the load on the knee.
    """
    assert chrome(check(text, select=["HL512", "HL513", "HL703"])) == [("HL703", 13, 15)]


def test_teaser_and_promo_blocks_stay_spam_and_menus_become_chrome(check):
    text = """
    Dry eyes after screen work

    Blinking less often while reading a screen dries the surface of the eye.

    One Odd Trick for Tired Eyes…

    Is Your Screen Ruining Your Sleep…

    Artificial tears ease the dryness; a humidifier helps in heated rooms.

    Eye drops
    Humidifiers
    Screen filters

    An optician can check whether the glands of the eyelids are blocked.
    """
    assert chrome(check(text, select=["HL5", "HL7"], name="a.txt")) == [("HL512", 5, 7), ("HL703", 11, 13)]


def test_page_chrome_never_fails_the_gate(check):
    text = """
    Skip to main content

    Heat relaxes stiff back muscles and eases pain within minutes for most people.

    Share this article

    Ten Easy Stretches for Office Workers
    What Your Mattress Says About Your Back
    Standing desks

    A warm bath before bed can also help you sleep through back pain.
    """
    report = check(text, select=["HL5", "HL7"], name="a.txt")
    codes = {f.code for f in report.articles[0].findings}
    assert {"HL702", "HL703"} <= codes
    assert report.articles[0].passed


# -- Renamed codes keep working (rules.REDIRECTS) --------------------------------------------------


def test_redirect_table_names_codes_that_no_rule_has_any_more_or_that_were_split():
    assert redirected(["HL514"]) == (["HL702"], [REDIRECTS["HL514"][1]])
    assert redirected(["HL512"]) == (["HL512", "HL703"], [REDIRECTS["HL512"][1]])
    assert redirected(["HL5", "HL51", "HL513", "HL702"]) == (["HL5", "HL51", "HL513", "HL702"], [])
    assert redirected(["HL514", "HL514"])[1] == [REDIRECTS["HL514"][1]]  # one notice per code
    assert redirected(["HL512", "HL703"]) == (["HL512", "HL703"], [])  # both written: meant as they are now
    assert redirected(["HL703", "HL514", "HL702"]) == (["HL703", "HL702"], [REDIRECTS["HL514"][1]])
    for notice in (n for _, n in REDIRECTS.values()):
        assert "\n" not in notice


def test_config_keys_naming_a_renamed_code_mean_its_successors(tmp_path):
    config = config_from_table(
        {
            "select": ["HL1", "HL514"],
            "extend-select": ["HL512"],
            "ignore": ["HL514"],
            "severity": {"HL514": "error", "HL512": "suggestion"},
            "per-file-ignores": {"drafts/*": ["HL512"]},
        },
        tmp_path / "healthlint.toml",
    )
    assert config.select == ["HL1", "HL702"]
    assert config.extend_select == ["HL512", "HL703"]
    assert config.ignore == ["HL702"]
    assert config.severity == {"HL702": Severity.ERROR, "HL512": Severity.SUGGESTION, "HL703": Severity.SUGGESTION}
    assert config.per_file_ignores == {"drafts/*": ["HL512", "HL703"]}
    assert len(config.renamed_codes) == 6
    assert all(n.startswith(str(tmp_path / "healthlint.toml")) for n in config.renamed_codes)
    assert any("severity.HL514: HL514 page-clutter is now HL702" in n for n in config.renamed_codes)


ARTICLE = "Heat eases a stiff back.\n\nShare this article\n\nA warm bath helps too.\n"


def test_config_file_ignoring_a_renamed_code_still_ignores_it_with_a_notice(tmp_path, run_cli):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "healthlint.toml").write_text('select = ["HL7"]\n', encoding="utf-8")
    assert "HL702" in run_cli("check", "a.txt", "--no-cache", cwd=tmp_path).stdout
    (tmp_path / "healthlint.toml").write_text('select = ["HL7"]\nignore = ["HL514"]\n', encoding="utf-8")
    result = run_cli("check", "a.txt", "--no-cache", cwd=tmp_path)
    assert "HL702" not in result.stdout
    assert result.stderr.count("\n") == 1
    assert "ignore: HL514 page-clutter is now HL702 page-furniture" in result.stderr
    (tmp_path / "healthlint.toml").write_text(
        'select = ["HL7"]\n[per-file-ignores]\n"a.txt" = ["HL514"]\n', encoding="utf-8"
    )
    result = run_cli("check", "a.txt", "--no-cache", cwd=tmp_path)
    assert "HL702" not in result.stdout and "per-file-ignores.a.txt: HL514" in result.stderr
    (tmp_path / "healthlint.toml").write_text('[severity]\nHL514 = "error"\n', encoding="utf-8")
    result = run_cli("check", "a.txt", "--no-cache", "--select", "HL7", cwd=tmp_path)
    assert "HL702 [error]" in result.stdout and result.exit_code == 1


def test_command_line_select_and_ignore_of_a_renamed_code(tmp_path, run_cli):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    selected = run_cli("check", "a.txt", "--no-cache", "--select", "HL514", cwd=tmp_path)
    assert "HL702 [warning]" in selected.stdout
    assert selected.stderr.strip() == (
        "healthlint: warning: command line: HL514 page-clutter is now HL702 page-furniture (page chrome); write HL702"
    )
    ignored = run_cli("check", "a.txt", "--no-cache", "--select", "HL7", "--ignore", "HL514", cwd=tmp_path)
    assert "HL702" not in ignored.stdout and "HL514" in ignored.stderr


@pytest.mark.parametrize(
    ("directive", "suppressed"),
    [("disable-next-line=HL514", "HL702"), ("disable-next-line=HL512", "HL703"), ("disable-next-line=HL702", "HL702")],
)
def test_suppression_comment_naming_a_renamed_code(check, directive, suppressed):
    def article(directive: str) -> str:
        return f"""
    # Neck pain

    Heat relaxes a stiff neck within minutes for most people.

    <!-- healthlint: {directive} -->
    {"Share this article" if suppressed == "HL702" else "Standing desks"}
    {"" if suppressed == "HL702" else "Choosing office chairs"}

    A warm shower before bed also helps the neck relax.
    """

    unrelated = check(article("disable-next-line=HL6"), select=["HL0", "HL7"])
    assert [f.code for f in unrelated.articles[0].findings] == [suppressed]
    report = check(article(directive), select=["HL0", "HL7"])
    assert [f.code for f in report.articles[0].findings] == []
    notices = [n.message for n in report.notices]
    if directive.endswith(("HL514", "HL512")):
        assert notices == [f"suppression comment: {REDIRECTS[directive[-5:]][1]}"]
    else:
        assert notices == []


def test_rules_command_shows_the_successor_of_a_renamed_code(tmp_path, run_cli):
    doc = run_cli("rules", "HL514", cwd=tmp_path)
    assert doc.exit_code == 0 and doc.lines[0] == "HL702 page-furniture"
    assert "HL514 page-clutter is now HL702" in doc.stderr
    assert run_cli("rules", "HL512", cwd=tmp_path).lines[0] == "HL512 teaser-title-block"


# -- Plain-text pages of careful publishers (fp18) -------------------------------------------------------


def test_a_plain_text_table_is_no_block_of_teaser_titles(check):
    """A table copied as text keeps its cells apart by runs of spaces (or tabs): its rows are not titles."""
    text = """
    Is it a cold or the flu?

    Colds and flu share many symptoms, but flu tends to come on faster and hit harder.

    Cold  Flu
    How it starts  Slowly, over a day or two  Suddenly, within hours
    Fever  Rare or mild  Common, often high
    Aches  Slight  Often severe

    Rest, drink plenty of fluids and keep warm; see a doctor if you are getting worse.
    """
    assert chrome(check(text, select=["HL5", "HL7"], name="a.txt")) == []
    # the same lines without the gaps between cells are titles pasted into the body, as before
    glued = "\n".join(" ".join(line.split()) for line in text.splitlines())
    assert chrome(check(glued, select=["HL5", "HL7"], name="b.txt")) != []


def test_a_heading_restated_by_the_sentence_under_it_is_flow_not_a_teaser(check):
    text = """
    Why we wash our hands

    Germs are tiny living things that can make you sick, and soap washes them off your hands.

    If you feel sick

    If you feel sick, tell a grown-up at home or at school. They can help you rest and can call a doctor if
    you need one.
    """
    assert chrome(check(text, select=["HL5", "HL7"], name="a.txt")) == []
    # a title glued to its cut-off excerpt is still a teaser
    teaser = text.replace(
        "If you feel sick, tell a grown-up at home or at school. They", "If you feel sick Germs spread"
    )
    teaser = teaser.replace(
        "can help you rest and can call a doctor if\n    you need one.", "when hands are not washed after"
    )
    assert chrome(check(teaser, select=["HL5", "HL7"], name="b.txt")) != []
