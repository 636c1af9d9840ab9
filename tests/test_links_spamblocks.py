"""HL517 spam-sentence and HL519 confirmed-spam: the units, the shipped model, the training script's grouping."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from healthlint.article import parse_article
from healthlint.config import Config
from healthlint.families.links.spamblocks import BODY_END, Model, scored, sells, shipped_model
from healthlint.families.links.spamfeatures import FEATURES, cues, units
from healthlint.families.links.spamsigns import (
    headline_teaser,
    list_of_pages,
    source_names,
    trusted_name_words,
    trusted_sources,
)
from healthlint.model import Severity
from healthlint.resources import read_data
from healthlint.rules import rules_in

from .conftest import shared_path

HERE = Path(__file__).resolve().parent
ARTICLE = """Easing morning stiffness

Stiff joints in the morning are common after a night without movement. Gentle stretching before you get
out of bed helps most people loosen up within a few minutes.

{extra}

A warm shower can also ease the first steps of the day. If the stiffness lasts longer than an hour, see
your doctor.
"""


def hl517(lint, article_file, extra: str) -> list:
    report = lint(article_file(ARTICLE.format(extra=extra), name="a.txt"), select=["HL5"])
    return [f for f in report.articles[0].findings if f.code == "HL517"]


def test_the_shipped_model_was_fitted_on_these_features():
    data = json.loads(read_data("spam_blocks.json", "healthlint.families.links"))
    assert data["features"] == list(FEATURES)
    model = shipped_model()
    assert len(model.weights) == len(model.mean) == len(model.scale) == len(FEATURES)
    assert 0.0 < model.threshold < model.tier < 1.0


def test_a_model_without_a_tier_confirms_spam_only_with_two_units():
    data = shipped_model().as_json()
    data["tier"] = None
    model = Model.from_json(data)
    assert model.tier == math.inf
    assert model.as_json()["tier"] is None
    assert Model.from_json(shipped_model().as_json()) == shipped_model()


def test_a_model_fitted_on_other_features_is_refused():
    data = shipped_model().as_json()
    data["features"] = [*FEATURES, "new_feature"]
    try:
        Model.from_json(data)
    except ValueError as error:
        assert "train_spam_blocks" in str(error)
    else:
        raise AssertionError("a stale model was accepted")


def test_a_teaser_line_is_reported_with_its_cues(lint, article_file):
    findings = hl517(lint, article_file, "READ MORE: Brandex News Wire Picks For You...")
    assert [f.line for f in findings] == [6]
    assert findings[0].severity is Severity.WARNING
    assert "(" in findings[0].message and "spam score" in findings[0].message


def test_plain_advice_is_not_reported(lint, article_file):
    assert (
        hl517(lint, article_file, "Sit on a firm chair and rock the knees gently for a minute before you stand.") == []
    )


def test_the_title_a_short_heading_and_a_sentence_with_a_link_are_not_scored():
    extra = "OVERVIEW\n\nGet the Free Joint Kit today at [our shop](https://kit.example.com) now!"
    article = parse_article("a.md", "# " + ARTICLE.format(extra=extra))
    scored = {unit.block.text[unit.start : unit.end] for unit in units(article)}
    assert "Easing morning stiffness" not in scored
    assert "OVERVIEW" not in scored
    assert not any("Joint Kit" in s for s in scored)


def test_a_bare_web_address_left_in_a_sentence_is_scored_with_it():
    extra = "Get the Free Joint Kit today at https://kit.example.com now!"
    article = parse_article("a.txt", ARTICLE.format(extra=extra))
    assert any("kit.example.com" in unit.block.text[unit.start : unit.end] for unit in units(article))


def test_ordinary_prose_is_not_scored_at_all():
    text = (HERE / "rules" / "HL517" / "clean.txt").read_text(encoding="utf-8").split("<!--")[0]
    assert units(parse_article("a.txt", text)) == []


def test_a_call_to_action_and_a_new_name_told_to_the_reader_are_scored():
    extra = "Click here to download the guide\n\nYou should try Brandexa tonight, it works for stiff knees."
    texts = [u.block.text[u.start : u.end] for u in units(parse_article("a.txt", ARTICLE.format(extra=extra)))]
    assert any(t.startswith("Click here") for t in texts)
    assert any("Brandexa" in t for t in texts)


def _scored(extra: str) -> dict[str, list[float]]:
    article = parse_article("a.txt", ARTICLE.format(extra=extra))
    return {unit.block.text[unit.start : unit.end]: unit.features for unit in units(article)}


def feature(features: list[float], name: str) -> float:
    return features[FEATURES.index(name)]


def test_anchor_residue_is_scored_and_named():
    gap = "It is a good idea to look at a page like and learn more before you order."
    product = "A warm bath and Deep Rest Joint Formula loosen the knees."
    keyword = "A local Brandex physiotherapist suggests slow knee bends."
    found = _scored(f"{gap}\n\n{product}\n\n{keyword}")
    assert feature(found[gap], "anchor_residue") == 1.0
    assert feature(found[product], "anchor_residue") == 1.0
    assert feature(found[keyword], "anchor_residue") == 1.0


def test_an_institution_is_not_a_product():
    line = "Source: National Institutes of Health Office of Dietary Supplements"
    found = _scored(line)
    features = next(f for text, f in found.items() if "Office of Dietary" in text)
    assert feature(features, "anchor_residue") == 0.0
    assert feature(features, "institution_name") == 1.0


def test_a_passing_mention_of_a_spam_trade_is_out_of_place_but_an_article_about_it_is_not():
    mention = "Walking daily (and checking erectile dysfunction info) keeps the joints supple."
    assert feature(_scored(mention)[mention], "anchor_residue") == 1.0
    listing = "Common choices are Cialis (tadalafil), Viagra (sildenafil) and Levitra (vardenafil) for your partner."
    assert feature(_scored(listing)[listing], "anchor_residue") == 0.0


def test_a_web_address_on_a_trusted_or_the_publishers_own_domain_is_not_residue():
    trusted = "You can read the full review at https://www.ncbi.nlm.nih.gov/books/ for free."
    foreign = "You can read the full review at https://brandex-deals.example.com/offer for free."
    own = "Further details are on our web site, www.kneeclinic.example.org."
    found = _scored(f"{trusted}\n\n{foreign}\n\n{own}")
    assert feature(found[trusted], "anchor_residue") == 0.0
    assert feature(found[foreign], "anchor_residue") == 1.0
    assert feature(found[own], "anchor_residue") == 0.0


def test_an_opt_in_link_rule_that_does_not_run_does_not_hide_a_sentence(lint, article_file):
    # HL516 (off by default) files a hit on this line; HL517 must still report it when HL516 does not run.
    extra = "Learn more here https://brandex-deals.example.com and get the joint kit free today!"
    report = lint(article_file(ARTICLE.format(extra=extra), name="a.txt"), select=["HL517"])
    assert [f.line for f in report.articles[0].findings if f.code == "HL517"] == [6]


def test_a_synonym_after_called_is_not_a_stripped_anchor():
    line = "Vitamin D is also called Calciferol in some labels you may find."
    assert feature(_scored(line)[line], "anchor_residue") == 0.0


def test_a_title_case_keyword_dropped_into_a_clause_is_anchor_residue():
    keyword = "To loosen the knees and Joint Ease Blueprint Review relieve stiffness you should move early."
    assert feature(_scored(keyword)[keyword], "anchor_residue") == 1.0


@pytest.mark.parametrize(
    "named",
    [
        # A name that starts a clause, after a comma.
        "Depending on your history, Knee Ease Blueprint Therapy can be a good choice for you.",
        # A name with its determiner.
        "Ask whether the Knee Ease Blueprint Clinic has room for you.",
        # A name the article uses again.
        "To loosen the knees and Joint Ease Blueprint Review relieve stiffness you should move early. "
        "Joint Ease Blueprint Review is the name the hospital gives the class you join.",
    ],
)
def test_a_capitalised_name_with_its_grammar_is_not_a_title_case_keyword(named: str) -> None:
    first = named.split(". ")[0].rstrip(".") + "."
    found = next(f for text, f in _scored(named).items() if text.startswith(first[:30]))
    assert feature(found, "anchor_residue") == 0.0


def test_a_lowercase_keyword_with_no_slot_in_its_clause_is_anchor_residue():
    # An unknown word before a product noun, with a content word or a determiner straight after: two noun phrases
    # collide where the clause had room for one.
    for wedged in (
        "No supplement you buy can replace gentle stretching and regular brandex juice physical activity.",
        "Joint supplements you see encompass brandex juice supplement a wide range of products.",
    ):
        assert feature(_scored(wedged)[wedged], "anchor_residue") == 1.0


@pytest.mark.parametrize(
    "fitting",
    [
        # The noun phrase opens with a determiner: the clause has a slot for it.
        "A supplement you take such as a brandex juice every morning will not replace stretching.",
        # A verb straight after the product noun: the phrase is the clause's subject.
        "Some supplement advice you read says that brandex juice helps the joints.",
        # Punctuation ends the phrase.
        "No supplement you buy can replace gentle stretching and regular brandex juice, or a walk.",
        # A word the article uses again is its subject, not a keyword.
        "No supplement you buy can replace gentle stretching and regular brandex juice physical activity. "
        "Brandex is the name of the orchard the article is about.",
    ],
)
def test_a_product_noun_with_its_grammar_is_not_a_wedged_keyword(fitting: str) -> None:
    first = fitting.split(". ")[0]
    found = next(f for text, f in _scored(fitting).items() if text.startswith(first[:30]))
    assert feature(found, "anchor_residue") == 0.0


def test_a_promo_headline_in_capitals_is_navigation_residue_but_a_heading_is_not():
    promo = "DROP 12 POUNDS IN JUST 3 WEEKS"
    found = _scored(f"Try the plan you like.\n\n{promo}\n\nMore details follow.")
    assert feature(found[promo], "navigation_residue") == 1.0
    for heading in ("WHEN YOU SHOULD SEE A DOCTOR", "5 STRETCHES THAT EASE STIFF KNEES"):
        found = _scored(f"{heading}\n\nA knee that stays hot needs a look.")
        assert heading not in found or feature(found[heading], "navigation_residue") == 0.0


MODERATE = "Many readers like the Brandex Flex Joint Gummies for this."
CONFIDENT_SELLING = "FEATURED OFFER: Get The 7 Day Joint Reset Kit Free Today!"
CONFIDENT_TEASER = "RELATED: Brandex Wire Daily Picks..."


def codes(report) -> list[str]:
    return [f.code for f in report.articles[0].findings]


SECOND_MODERATE = "Others swear by Kneewell Calm Night Tablets after supper."


def test_two_spam_sentences_are_confirmed_spam(lint, article_file):
    # Neither reaches the tier alone (test_one_confident_selling_sentence_…): two are confirmed together.
    text = ARTICLE.format(extra=f"{MODERATE}\n\n{SECOND_MODERATE}")
    probabilities = [p for _, p in scored(parse_article("b.txt", text)) if p >= shipped_model().threshold]
    assert len(probabilities) == 2 and max(probabilities) < shipped_model().tier
    two = article_file(text, name="b.txt")
    report = lint(two, select=["HL5"])
    assert codes(report) == ["HL519", "HL519"]
    assert "one of 2 such sentences" in report.articles[0].findings[0].message
    assert not report.articles[0].passed
    # Without HL519, its sentences are HL517's warnings.
    report = lint(two, select=["HL517"])
    assert codes(report) == ["HL517", "HL517"]
    assert report.articles[0].passed


def test_one_confident_selling_sentence_is_confirmed_spam_and_a_moderate_or_a_teaser_is_a_warning(lint, article_file):
    model = shipped_model()
    for extra, expected in ((CONFIDENT_SELLING, "HL519"), (MODERATE, "HL517"), (CONFIDENT_TEASER, "HL517")):
        (unit, probability), *_ = [
            (u, p) for u, p in scored(parse_article("a.txt", ARTICLE.format(extra=extra))) if extra in u.block.text
        ]
        # Each case is what its name says: above or below the tier, selling or not.
        assert (probability >= model.tier) == (extra != MODERATE)
        assert sells(unit.features) == (extra != CONFIDENT_TEASER)
        report = lint(article_file(ARTICLE.format(extra=extra), name="a.txt"), select=["HL5"])
        assert codes(report) == [expected], extra
        assert report.articles[0].passed == (expected == "HL517")
    report = lint(article_file(ARTICLE.format(extra=CONFIDENT_SELLING), name="a.txt"), select=["HL5"])
    assert "confirm spam on its own" in report.articles[0].findings[0].message


def test_a_confident_selling_sentence_in_the_back_matter_does_not_confirm_spam(lint, article_file):
    text = ARTICLE.format(extra="") + f"\n{CONFIDENT_SELLING}\n"
    report = lint(article_file(text, name="a.txt"), select=["HL5"])
    assert codes(report) == ["HL517"]
    # In the body it does, and the back matter's junk is reported with it, as confirmed by the other sentence.
    text = ARTICLE.format(extra=CONFIDENT_SELLING) + f"\n{CONFIDENT_TEASER}\n"
    messages = [f.message for f in lint(article_file(text, name="b.txt"), select=["HL5"]).articles[0].findings]
    assert len(messages) == 2
    assert "confirm spam on its own" in messages[0] and "another sentence confirms" in messages[1]


#: The gate policy of the spam sentences (README, "The gate"): a suspicion warns, confirmed spam withholds.
GATE_POLICY = {"HL517": Severity.WARNING, "HL519": Severity.ERROR}


def test_default_severities_follow_the_gate_policy() -> None:
    rules = rules_in("healthlint.families.links")
    assert {rule.code: rule.severity for rule in rules if rule.code in GATE_POLICY} == GATE_POLICY


@pytest.mark.parametrize(
    ("named", "address"),
    [
        ("Brandex Labs makes the new knee brace.", "www.brandexlabs.example.com"),  # a word the label starts with
        ("The Knee Society studied the brace.", "www.kneesociety.example.org"),  # two words run together
        ("The American Knee Association studied the brace.", "www.aka.example.org"),  # initials
    ],
)
def test_a_web_address_of_an_organisation_the_article_names_is_not_residue(named: str, address: str) -> None:
    line = f"For more information about the trial, visit {address} today."
    found = _scored(f"{named}\n\n{line}")
    assert feature(found[line], "anchor_residue") == 0.0
    assert feature(_scored(line)[line], "anchor_residue") == 1.0


def test_a_trusted_source_named_in_a_sentence_is_no_new_name_and_no_glued_words():
    # The link to the source is gone, but a reference pointed at by name is not a stripped anchor's residue.
    pointer = "You can look up these words in the MedlinePlus Health Glossary before your next visit."
    unknown = "You can look up these words in the BrandexPlus Health Glossary before your next visit."
    for line, expected in ((pointer, 0.0), (unknown, 1.0)):
        found = _scored(line)[line]
        assert feature(found, "new_name") == expected
        assert feature(found, "navigation_residue") == expected  # "BrandexPlus" reads as a widget's glued label


def test_a_trusted_source_after_an_anchor_lead_is_not_anchor_residue():
    pointer = "These pages from Mayo Clinic explain the tests you may need for stiff knees."
    unknown = "These pages from Brandex Wellness explain the tests you may need for stiff knees."
    assert feature(_scored(pointer)[pointer], "anchor_residue") == 0.0
    assert feature(_scored(unknown)[unknown], "anchor_residue") == 1.0


def test_trusted_source_names_come_from_the_trusted_list():
    names = source_names(["medlineplus.gov", "gov.uk", "nice.org.uk", "journals.example-press.com"])
    assert names == {"medlineplus", "nice", "journals", "example-press"}
    assert "brandexhealth" in trusted_sources(Config(extend_trusted_domains=["brandexhealth.org"]).trusted())
    assert "medlineplus" not in trusted_sources(Config(trusted_domains=["who.int"]).trusted())


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        # A source's name written as one word, in capitals, or as two words run together, with its run of names.
        ("Use the MedlinePlus Medical Dictionary today", {"medlineplus", "medical", "dictionary"}),
        ("The NHS Sleep Guide says so", {"nhs", "sleep", "guide"}),
        ("Ask Mayo Clinic staff", {"mayo", "clinic"}),
        # A label that is an ordinary word, written as one, is the word ("heart.org"): no source is named.
        ("Try Heart Calm Gummies tonight", set()),
        # Punctuation ends the run: the name after it is not the source's.
        ("Read MedlinePlus: Brandex Gummies work", {"medlineplus"}),
    ],
)
def test_the_words_of_a_trusted_sources_name(tokens: str, expected: set[str]) -> None:
    words = tokens.split()
    names = trusted_sources(Config().trusted())
    assert trusted_name_words(words, [w.strip(":").lower() for w in words], names) == expected


def test_a_product_dressed_in_a_trusted_sources_name_is_still_anchor_residue():
    # The name's words are no new name, but a product's name is what a stripped link leaves whoever it borrows.
    plug = "Most readers sleep better with a walk and Mayo Clinic Deep Rest Gummies every evening."
    assert feature(_scored(plug)[plug], "anchor_residue") == 1.0


def test_a_source_the_configuration_trusts_is_named_without_a_warning(lint, article_file):
    line = "You can look up these words in the BrandexPlus Health Glossary before your next visit."
    path = article_file(ARTICLE.format(extra=line), name="a.txt")
    trusted = {"extend-trusted-domains": ["brandexplus.example.org"]}
    for config, expected in ((None, [6]), (trusted, [])):
        report = lint(path, select=["HL5"], config=config)
        assert [f.line for f in report.articles[0].findings if f.code == "HL517"] == expected


TEASER_HEADLINE = "READ MORE: Council rethinks parking fees for the town centre after traders complain"


def test_a_teaser_of_another_pages_headline_in_the_body_is_confirmed_spam(lint, article_file):
    text = ARTICLE.format(extra=TEASER_HEADLINE)
    (unit, probability), *_ = [(u, p) for u, p in scored(parse_article("a.txt", text)) if u.teaser]
    # One unit, selling nothing, under the one-unit tier: the teaser alone confirms it.
    assert shipped_model().threshold <= probability < shipped_model().tier and not sells(unit.features)
    report = lint(article_file(text, name="a.txt"), select=["HL5"])
    assert codes(report) == ["HL519"]
    assert "other pages' headlines" in report.articles[0].findings[0].message
    assert not report.articles[0].passed
    # In the back matter it is the publisher's related links: a warning.
    report = lint(article_file(ARTICLE.format(extra="") + f"\n{TEASER_HEADLINE}\n", name="b.txt"), select=["HL5"])
    assert codes(report) == ["HL517"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (TEASER_HEADLINE, True),
        ("See also How Swimmers Protect Their Shoulders", True),
        ("Related: Seven ways to keep your knees young", True),
        ("DON\u2019T MISS: The town that banned cars for a week", True),
        ("FEATURED GUIDE: Stronger Knees in Ten Minutes a Day", True),
        ("Read more from Brandex Wire!", False),  # a source, not a headline
        ("Featured image: A runner stretching her calves by a lake", False),  # a caption
        ("Recommended: Five stretches for desk workers", False),  # not a teaser label
        ("More About Vitamin D and Bone Health", False),  # a heading
        ("Related Issues", False),
        ("Related conditions include asthma and hay fever", False),  # a one-word label needs its colon
        ("Learn more about stretches for the neck and shoulders.", False),  # the article's own pointer, a sentence
        ("Read more: what the new guidance says about stretching.", False),
        ("Previous studies have shown that stretching helps", False),  # no label
        ("Related conditions: heart failure, stroke and kidney disease", False),  # a heading, then a topic list
        ("Read More About Heart Failure Treatment Options", False),  # a pointer to more on the topic
        ("See also: the section on dosing below", False),  # a pointer within the page
        ("Related: heart failure, stroke and kidney disease", False),  # topics, not a headline
    ],
)
def test_a_teaser_headline_is_a_label_and_another_pages_headline(line: str, expected: bool) -> None:
    assert headline_teaser(line, cues().label) is expected


LEAD = "More links from this blog on sleep:"
HEADLINES = [
    "Why your phone keeps you awake at night",
    "Five bedtime snacks that help you drift off",
    "The surprising link between sleep and school grades",
]


def test_a_lead_in_that_names_other_pages_with_their_headlines_under_it_is_a_list_of_pages() -> None:
    lowered = LEAD.lower().rstrip(":").split()
    assert list_of_pages(LEAD, lowered, HEADLINES)
    assert not list_of_pages(LEAD, lowered, HEADLINES[:2])  # two titles are not yet a list
    assert not list_of_pages(LEAD, lowered, [HEADLINES[0], "Sleep matters to every teenager.", *HEADLINES[1:]])
    stretches = "Here are the stretches that help most:"  # a list of the article's own
    assert not list_of_pages(stretches, stretches.lower().rstrip(":").split(), HEADLINES)


def test_the_list_of_pages_is_a_teaser_unit_at_its_lead_in(lint, article_file):
    text = ARTICLE.format(extra="\n".join([LEAD, *HEADLINES]))
    teasers = [u.block.text[u.start : u.end] for u in units(parse_article("a.txt", text)) if u.teaser]
    assert teasers == [LEAD]
    assert codes(lint(article_file(text, name="a.txt"), select=["HL5"])) == ["HL519"]


def test_no_page_labelled_clean_and_no_nih_page_has_a_teaser_in_its_body():
    """The dev pages labelled not spam and the NIH consumer pages: careful copy that must not be withheld for it."""
    pages = shared_path("corpus", "web", "dev_pages.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [r["text"] for r in map(json.loads, pages) if r["labels"]["spam"] is False]
    nih = shared_path("corpus", "health", "medquad_nih_consumer100.jsonl").read_text(encoding="utf-8").splitlines()
    for record in map(json.loads, nih):
        texts.append("\n\n".join(f"{qa['question']}\n{qa['answer']}" for qa in record["qa_pairs"]))
    assert len(texts) == 93 + 100
    position = FEATURES.index("position")
    for text in texts:
        found = [u for u in units(parse_article("a.txt", text)) if u.teaser and u.features[position] < BODY_END]
        assert not found, text[:80]
