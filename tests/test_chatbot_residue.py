"""HL704 chatbot-residue: a chatbot's side of the exchange left in an article. Every text here is our own writing."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

from healthlint.article import read_article
from healthlint.families.chrome.residue import KINDS, find_residue
from healthlint.model import Severity
from healthlint.rules import rules_in

from .conftest import shared_path

BODY = (
    "Knee pain after running often comes from the tendon below the kneecap.\n\n"
    "Rest, ice and a slower return to running ease most cases within a few weeks.\n"
)


def residue(report):
    """(line, column, end_line, end_column, match) of every HL704 finding of a one-article report."""
    return [
        (f.line, f.column, f.end_line, f.end_column, f.match) for f in report.articles[0].findings if f.code == "HL704"
    ]


def kinds_of(check, text: str, name: str = "article.txt") -> list[tuple[str, ...]]:
    report = check(text, select=["HL704"], name=name)
    messages = [f.message for f in report.articles[0].findings]
    return [tuple(k for k in KINDS if _WHAT[k] in m) for m in messages]


def in_body(sentence: str) -> str:
    """An article with ``sentence`` in its body, after a paragraph of ordinary prose."""
    return f"Gout at home\n\n{BODY}\n{sentence} Drink plenty of water.\n"


_WHAT = {
    "reply": "an assistant's reply",
    "self": "a chatbot speaking of itself",
    "leak": "prompt or template",
    "offer": "closing offer",
}


def test_hl704_is_an_error_of_the_chrome_family():
    rules = {r.code: r for r in rules_in("healthlint.families.chrome")}
    assert (rules["HL704"].name, rules["HL704"].severity) == ("chatbot-residue", Severity.ERROR)


def test_the_finding_spans_the_residue_sentence_exactly(check):
    text = (
        "Ear wax\n\nEar wax protects the canal. Sure! Here's a 600-word article on ear wax, structured for SEO. "
        "It falls out alone.\n"
    )
    report = check(text, select=["HL704"], name="a.txt")
    sentence = "Sure! Here's a 600-word article on ear wax, structured for SEO."
    line = text.split("\n")[2]
    start = line.index(sentence) + 1
    assert residue(report) == [(3, start, 3, start + len(sentence), sentence)]
    (finding,) = report.articles[0].findings
    assert finding.severity is Severity.ERROR
    assert "an assistant's reply introducing the text it was asked to write" in finding.message
    assert finding.suggestion is not None and "have an editor read the whole article" in finding.suggestion


def test_offsets_hold_across_markdown_markup(check):
    text = "# Ear wax\n\nEar wax **protects** the canal. As an AI language model, I *cannot* examine your ears.\n"
    report = check(text, select=["HL704"], name="a.md")
    [(line, column, end_line, end_column, match)] = residue(report)
    source = text.split("\n")[line - 1]
    assert (line, end_line) == (3, 3)
    assert source[column - 1 : end_column - 1] == "As an AI language model, I *cannot* examine your ears."
    assert match == "As an AI language model, I cannot examine your ears."


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Absolutely, here is a 1,500-word, SEO-optimized blog post about gout, as requested.", "reply"),
        ("Here's a rewritten version of the text with shorter sentences.", "reply"),
        ("I have revised the original paragraph to sound more natural.", "reply"),
        ("I am an AI assistant and cannot see your test results.", "self"),
        ("As of my last knowledge update, the dose had not changed.", "self"),
        ("According to the provided text, the tablets are taken at night.", "leak"),
        ("The provided article does not mention children.", "leak"),
        ("The passage you provided lists three side effects.", "leak"),
        ("Readers can order from [Brand Name] today.", "leak"),
        ("Would you like me to shorten the introduction?", "offer"),
        ("If you'd like, I can also add a section on diet.", "offer"),
        ("Feel free to ask for changes to the tone.", "offer"),
    ],
)
def test_each_kind_is_found_and_named_anywhere_in_the_article(check, sentence: str, kind: str):
    text = in_body(sentence)
    assert kinds_of(check, text) == [(kind,)]


def test_a_bare_acknowledgement_counts_only_at_the_opening(check):
    opening = f"Gout at home\n\nSure, here's an article on gout.\n\n{BODY}"
    assert kinds_of(check, opening) == [("reply",)]
    later = f"Gout at home\n\n{BODY}\n{BODY}\n{BODY}\nSure, here's an article on gout.\n"
    assert kinds_of(check, later) == []
    # with what the piece was made for, it is residue anywhere
    stated = f"Gout at home\n\n{BODY}\n{BODY}\n{BODY}\nSure, here's an 800-word article on gout.\n"
    assert kinds_of(check, stated) == [("reply",)]


@pytest.mark.parametrize(
    "opening",
    [
        "Sure, here's a comprehensive guide to gout.",
        "Certainly, here is a detailed, well-researched overview of gout for your readers.",
        "Absolutely, here's an engaging summary of what helps with gout.",
    ],
)
def test_an_opening_that_says_how_the_guide_was_made_is_a_reply(check, opening: str):
    assert kinds_of(check, f"Gout at home\n\n{opening}\n\n{BODY}") == [("reply",)]
    # a blogger's opening names what the reader gets, and how long it is
    assert kinds_of(check, f"Gout at home\n\nOkay, here's a quick guide to gout.\n\n{BODY}") == []
    assert kinds_of(check, f"Gout at home\n\nAlright, here's a short overview of what helps.\n\n{BODY}") == []


def test_an_acknowledgement_the_splitter_cut_off_still_opens_a_reply(check):
    for opening in ("Certainly! Here is an article on gout.", "Sure! Here's a comprehensive guide to gout."):
        report = check(f"Gout at home\n\n{opening}\n\n{BODY}", select=["HL704"], name="a.txt")
        assert [f.match for f in report.articles[0].findings] == [opening]
    # without the acknowledgement, or past the opening, the bare form is not enough
    assert kinds_of(check, f"Gout at home\n\nHere is an article on gout.\n\n{BODY}") == []
    assert kinds_of(check, f"Gout at home\n\n{BODY}\n{BODY}\n{BODY}\nSure! Here is an article on gout.\n") == []
    assert kinds_of(check, f"Gout at home\n\nGreat question! Here is a quick guide to gout.\n\n{BODY}") == []


def test_a_brief_label_counts_at_the_start_of_a_line_only(check):
    pasted = f"Gout\n\n{BODY}\nSEO title: Gout relief at home\nFocus keyword: gout relief\n"
    report = check(pasted, select=["HL704"], name="a.txt")
    assert [(f.line, f.match) for f in report.articles[0].findings] == [
        (7, "SEO title: Gout relief at home"),
        (8, "Focus keyword: gout relief"),
    ]
    inline = f"Gout\n\n{BODY}\nA page's meta description: the line search engines show, is worth writing well.\n"
    assert kinds_of(check, inline) == []


@pytest.mark.parametrize(
    ("residue_text", "guarded"),
    [
        # quoted, in any quotation marks, or in code: an article about chatbots
        ("As an AI language model, I cannot diagnose you.", '"As an AI language model, I cannot diagnose you."'),
        ("As an AI language model, I cannot diagnose you.", "“As an AI language model, I cannot diagnose you.”"),
        ("As an AI language model, I cannot diagnose you.", "'As an AI language model, I can't diagnose you.'"),
        ("As an AI language model, I cannot diagnose you.", "`As an AI language model, I cannot diagnose you.`"),
        # reported speech
        ("As an AI language model, I cannot diagnose you.", "The bot replied: As an AI language model, I cannot."),
        # an offer to revise, and a blogger's invitations
        ("Let me know if you'd like me to expand this.", "Let me know in the comments what helped you."),
        ("Let me know if you need any changes.", "Let me know if you have questions about gout."),
        # a leak, and "provided" in ordinary prose
        ("Based on the provided text, avoid beer.", "Use the provided syringe to measure the dose."),
        ("Based on the provided text, avoid beer.", "Based on the text provided, your doctor decides."),
        # a template slot, and brackets of other kinds
        ("Call [Insert clinic phone number] to book.", "The trial [1] and the review [2] agree."),
        ("Call [Company Name] to book.", "Call [Name] at the press office to book."),
    ],
)
def test_guards_keep_what_is_not_residue(check, residue_text: str, guarded: str):
    # the same cue unguarded is found: the guard, not a missing pattern, is what keeps the text clean
    assert kinds_of(check, f"Gout\n\n{BODY}\n{residue_text}\n") != []
    assert kinds_of(check, f"Gout\n\n{BODY}\n{guarded}\n") == []


@pytest.mark.parametrize(
    ("residue_text", "human"),
    [
        # a person who works on AI, not a model describing itself
        (
            "I'm an AI, so I cannot examine you.",
            "I'm an AI researcher at a teaching hospital, and patients ask me this.",
        ),
        ("I am a language model and cannot see your results.", "I am a language model skeptic by temperament."),
        # a page's author on their own updates
        (
            "As of my last update, the vaccine was offered to people over 75.",
            "As of my last update to this page in March, the vaccine was offered to people over 75.",
        ),
        (
            "I've updated the original text to reflect the new guidance.",
            "I've updated the original post to reflect it.",
        ),
        ("Here is the updated version of your text.", "Here is the updated version of our repeat prescription policy."),
        (
            "Here's a simple guide to lentil soup, as requested.",
            "Here's a simple guide to lentil soup, as requested by readers.",
        ),
        # a newsletter's attachment, not a retrieval prompt's source
        (
            "In the provided document, the clinic opens at eight.",
            "You will find the timetable in the attached document.",
        ),
        # a blogger offering a post, not an assistant offering to revise
        (
            "Let me know if you'd like me to shorten the meal plan.",
            "Let me know if you'd like me to share my meal plan.",
        ),
        # an article quoting a chatbot's reply after "told me", "began"
        (
            "I do not have access to real-time information, so ask a pharmacist.",
            "Then it told me: I do not have access to real-time information, so ask a pharmacist.",
        ),
        (
            "As an AI language model, I cannot diagnose rashes.",
            "The reply began: As an AI language model, I cannot diagnose rashes.",
        ),
        # a blogger's chatty opening names what the reader gets (a guide); a model names what it was asked for
        ("Okay, here's an article on gout.", "Okay, here's a quick guide to gout."),
        ("Alright, here is a blog post about gout.", "Alright, here is an overview of what helps."),
        # a blogger asking what to write next, not an assistant offering to revise
        ("Would you like me to add a section on diet?", "Would you like me to write a post about diet?"),
        # a newsletter form's field and an editor's bracket, not a template's slot
        ("Sign up at [Insert newsletter link].", "Sign up here: [Enter your email address]"),
        ("Ask [Your Clinic Name] for a review.", "Ask [your GP or practice nurse] for a review."),
    ],
)
def test_ordinary_prose_a_person_wrote_is_not_residue(check, residue_text: str, human: str):
    assert kinds_of(check, f"Gout\n\n{BODY}\n{residue_text}\n") != []
    assert kinds_of(check, f"Gout\n\n{BODY}\n{human}\n") == []


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("As a large language model, I cannot give personal medical advice.", "self"),
        ("As a language model, I do not know your history.", "self"),
        ("Let me know if you want any changes to the tone.", "offer"),
        ("Feel free to let me know if you want any changes.", "offer"),
    ],
)
def test_residue_worded_slightly_differently_is_found(check, sentence: str, kind: str):
    assert kinds_of(check, in_body(sentence)) == [(kind,)]


@pytest.mark.parametrize(
    "sentence",
    [
        # a template's slot written in sentence case or capitals, not only title case
        "Call [Your clinic name] to book a foot check.",
        "Kind regards, [Your name]",
        "Ring [Your clinic's phone number] before you come in.",
        "Book online at [YOUR WEBSITE URL] today.",
        "Questions? Write to [your email address].",
    ],
)
def test_a_your_slot_that_names_a_field_is_a_placeholder_in_any_case(check, sentence: str):
    assert kinds_of(check, in_body(sentence)) == [("leak",)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Ask [your GP or practice nurse] for a review.",
        "She said [your pharmacist] can check the dose.",
        "Sign up here: [Enter your email address]",
    ],
)
def test_an_editors_bracket_or_a_form_field_is_still_not_a_placeholder(check, sentence: str):
    assert kinds_of(check, in_body(sentence)) == []


@pytest.mark.parametrize(
    "sentence",
    [
        # an offer of a brief's items to go with the piece delivered
        "Would you like me to also create social media posts to promote this article?",
        "If you'd like, I can also write a meta description and an SEO title.",
    ],
)
def test_an_offer_of_more_writing_is_found(check, sentence: str):
    assert kinds_of(check, in_body(sentence)) == [("offer",)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Would you like me to write a post about diet?",
        "Would you like me to write a guide to the exercises my physio gave me?",
        "Would you like me to write a shorter post next time?",
        # one more whole piece: a chatbot offers it, but so does a blogger, and the rule is an error
        "Would you like me to write another post about my recovery?",
        "Would you like me to write a follow-up post on the exercises?",
    ],
)
def test_a_blogger_asking_what_to_write_next_is_still_not_an_offer(check, sentence: str):
    assert kinds_of(check, in_body(sentence)) == []


def test_a_quoted_block_is_not_residue(check):
    text = f"# Gout\n\n{BODY}\n> As an AI language model, I cannot diagnose you.\n"
    assert kinds_of(check, text, name="a.md") == []


def test_a_sentence_with_several_kinds_is_one_finding_naming_them(check):
    text = f"Gout\n\n{BODY}\nBased on the provided text, here is the revised version of the article.\n"
    assert kinds_of(check, text) == [("reply", "leak")]


def test_find_residue_reads_the_blocks_text_layer(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(f"Gout\n\n{BODY}\nWould you like me to simplify it?\n", encoding="utf-8")
    article = read_article(path)
    [found] = find_residue(article)
    assert found.block.text[found.start : found.end] == "Would you like me to simplify it?"
    assert found.kinds == ("offer",)


# -- the real command line -----------------------------------------------------------------------

REPLY_ARTICLE = textwrap.dedent(
    """\
    # Gout at home

    Okay, here's a 1,000-word article on gout, optimized for SEO.

    Gout is a painful swelling of a joint, most often the big toe, caused by crystals of uric acid.

    Resting the joint, keeping it cool and drinking water help while an attack settles.
    """
)
CLEAN_ARTICLE = textwrap.dedent(
    """\
    # Gout and diet

    Gout is a painful swelling of a joint, most often the big toe, caused by crystals of uric acid.

    Cutting down on beer and sugary drinks lowers the chance of another attack for many people.
    """
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "site-project"
    (root / "articles").mkdir(parents=True)
    (root / "healthlint.toml").write_text('select = ["HL0", "HL7"]\n\n[publish]\ntitle = "Gout pages"\n')
    (root / "articles" / "reply.md").write_text(REPLY_ARTICLE, encoding="utf-8")
    (root / "articles" / "diet.md").write_text(CLEAN_ARTICLE, encoding="utf-8")
    return root


def test_check_fails_an_article_with_residue(project: Path, run_cli):
    result = run_cli("check", "articles/reply.md", "--no-cache", cwd=project)
    assert result.exit_code == 1
    assert result.lines[0].startswith("articles/reply.md:3:1: HL704 [error] chatbot residue (an assistant's reply")
    clean = run_cli("check", "articles/diet.md", "--no-cache", cwd=project)
    assert clean.exit_code == 0, clean.stdout
    # a site that wants only a warning says so, and the article passes
    (project / "healthlint.toml").write_text('select = ["HL0", "HL7"]\n\n[severity]\nHL704 = "warning"\n')
    assert run_cli("check", "articles/reply.md", "--no-cache", cwd=project).exit_code == 0


def test_publish_withholds_an_article_with_residue(project: Path, run_cli):
    result = run_cli("publish", "--out", "site", cwd=project)
    assert result.exit_code == 0, result.stderr
    assert "published  articles/diet.md -> site/diet.html" in result.lines
    assert "withheld   articles/reply.md: HL704 chatbot-residue" in result.lines
    manifest = json.loads((project / "site" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["withheld"] == [{"source": "articles/reply.md", "codes": ["HL704"]}]
    assert not (project / "site" / "reply.html").exists()
    strict = run_cli("publish", "--out", "site2", "--strict", cwd=project)
    assert strict.exit_code == 1


def test_the_default_gate_withholds_residue(tmp_path: Path, run_cli):
    (tmp_path / "reply.md").write_text(REPLY_ARTICLE, encoding="utf-8")
    result = run_cli("check", "reply.md", "--no-cache", "--format", "json", cwd=tmp_path)
    assert result.exit_code == 1
    [article] = json.loads(result.stdout)["articles"]
    assert article["passed"] is False
    assert [f["code"] for f in article["findings"] if f["severity"] == "error"] == ["HL704"]


# -- the real pages (skipped where ../shared is absent) --------------------------------------------


@pytest.fixture(scope="module")
def dev_pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict[str, Any]], Path]:
    path = shared_path("corpus", "web", "dev_pages.jsonl")
    pages = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    folder = tmp_path_factory.mktemp("dev-pages")
    for n, page in enumerate(pages):
        (folder / f"p{n:03d}.txt").write_text(page["text"], encoding="utf-8", newline="")
    return pages, folder


def test_no_page_labelled_publishable_is_flagged_and_a_reply_page_is(dev_pages, lint):
    pages, folder = dev_pages
    report = lint(folder, select=["HL704"])
    flagged = {int(Path(a.path).stem[1:]): a for a in report.articles if a.findings}
    # the careful pages, LLM-written ones among them, carry no residue
    assert [n for n in flagged if pages[n]["labels"]["verdict_publishable"] is True] == []
    # and an unpublishable page's labelled evidence is what HL704 reports
    on_evidence = [
        n
        for n, article in flagged.items()
        if pages[n]["labels"]["verdict_publishable"] is False
        and any(e[:30] in f.match for e in pages[n]["labels"]["spam_evidence"] for f in article.findings if f.match)
    ]
    assert on_evidence != []


# -- wave 18: prose a person wrote that the grammar took for residue, and residue it missed -------------------------
# Each pair: the residue is found where the person's sentence of the same kind of wording is not (in the body, or at
# the opening where ``opening`` says so).

OPENING = "opening"
BODY_PLACE = "body"


def _placed(sentence: str, place: str) -> str:
    if place == OPENING:
        return f"Gout at home\n\n{sentence}\n\n{BODY}"
    return f"Gout at home\n\n{BODY}\n{BODY}\n{BODY}\n{sentence} Drink plenty of water.\n"


@pytest.mark.parametrize(
    ("residue_text", "human", "place"),
    [
        # a human editor's note on the page's text, and a model's note on the text it was given
        ("I've edited the text to make it more SEO-friendly.", "I've edited the text for clarity.", BODY_PLACE),
        (
            "I have rewritten the original text in a warmer tone.",
            "I have rewritten the text of this leaflet since the 2024 guidance.",
            BODY_PLACE,
        ),
        # the provided source a retrieval prompt handed over, and "information" anyone is given
        (
            "Based on the provided context, the tablets are taken at night.",
            "Based on the provided information, your pharmacist can suggest a dose.",
            BODY_PLACE,
        ),
        (
            "According to the provided passage, the tablets are taken at night.",
            "According to the provided content of the leaflet, the tablets are taken at night.",
            BODY_PLACE,
        ),
        # a comprehensive guide the assistant made, and one a person was given or found
        ("Sure, here's a detailed guide to gout.", "Sure, here's a detailed guide my physio gave me.", OPENING),
        (
            "Certainly, here is a comprehensive guide to the exercises.",
            "Certainly, here is a comprehensive guide from the NHS that I found useful.",
            OPENING,
        ),
        (
            "Okay, here's a piece on gout and diet.",
            "Okay, here's a piece of advice my physio gave me.",
            OPENING,
        ),
        # "your" piece a model hands back anywhere, and what a newsletter or a clinic gives its readers
        ("Here is your article about gout and diet.", "Here is your newsletter for March.", BODY_PLACE),
        ("Here's your blog post on gout:", "Here's your guide to the new clinic hours.", BODY_PLACE),
        ("Here is your rewrite of the diet section.", "Here is your piece of the puzzle: a daily walk.", BODY_PLACE),
        # a template's slot, and a form's field the reader fills in
        ("Kind regards, [Your Name, Title]", "Put [your name] on the list at reception.", BODY_PLACE),
        ("Signed: [Your Name / Clinic Name]", "Type [your name] in the box and press send.", BODY_PLACE),
        ("Questions? Write to [your email address].", "Enter [your email address] to get the leaflet.", BODY_PLACE),
        # a template's instruction in parentheses, and a clinical one
        (
            "Gout affects many adults (insert statistic here).",
            "Clean the skin, then insert the needle (insert it at a right angle).",
            BODY_PLACE,
        ),
        (
            "Most attacks settle within a week (add source).",
            "Stir the cherries in (add sugar to taste).",
            BODY_PLACE,
        ),
        (
            "The big toe is the usual joint (Add a photo of a swollen toe here.)",
            "Rest the foot on a cushion (add a second one if it helps).",
            BODY_PLACE,
        ),
        # review18b: a template's item as the head of the parenthesis, and an instruction to the reader that names
        # the same noun (a compound "photo ID", the reader's own chart, meals or GP)
        (
            "Uric acid builds up in the joint (insert link to a study here).",
            "Bring identification to the clinic (include a photo ID such as a driving licence).",
            BODY_PLACE,
        ),
        (
            "Cherries may lower the risk of an attack (add a relevant statistic about cherries).",
            "Measure your uric acid each week (add the data to your chart before breakfast).",
            BODY_PLACE,
        ),
        (
            "Many people notice the first attack at night (include a quote from a rheumatologist).",
            "Fill in the referral form (include a reference from your GP if you have one).",
            BODY_PLACE,
        ),
        (
            "Diet changes help some people (include examples).",
            "Keep a food diary for two weeks (add photos of your meals if that is easier).",
            BODY_PLACE,
        ),
        # review18b: "your" piece handed back, and a care plan or roundup the piece's noun only describes
        (
            "Here is your draft, with the changes to the diet section.",
            "Here is your draft care plan; bring it to your next visit.",
            BODY_PLACE,
        ),
        (
            "Here's your article on gout and cherries.",
            "Here's your weekly article roundup from the clinic team.",
            BODY_PLACE,
        ),
        (
            "Here is your essay about living with gout:",
            "Here is your draft birth plan to take to your first midwife appointment.",
            BODY_PLACE,
        ),
    ],
)
def test_residue_is_found_where_a_persons_wording_of_the_same_kind_is_not(
    check, residue_text: str, human: str, place: str
):
    assert kinds_of(check, _placed(residue_text, place)) != []
    assert kinds_of(check, _placed(human, place)) == []


def test_a_marketing_label_counts_only_beside_a_briefs_own_labels(check):
    # "Call to action:" heads a paragraph of marketing copy a person wrote
    heading = f"Gout\n\n{BODY}\nCall to action: book a free foot check this month.\n"
    assert kinds_of(check, heading) == []
    # in a pasted brief it is one of the brief's labels, and found with them
    brief = f"Gout\n\n{BODY}\nMeta description: Gout relief at home.\n\nCall to action: Book a foot check.\n"
    report = check(brief, select=["HL704"], name="a.txt")
    assert [f.match for f in report.articles[0].findings] == [
        "Meta description: Gout relief at home.",
        "Call to action: Book a foot check.",
    ]
